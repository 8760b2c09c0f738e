// Sign in with email address and password. A session that ran out says so.

import * as auth from "../auth";
import { html } from "../html";
import { page } from "../layout";

export function signInPage(done: () => void, error = "", email = ""): void {
  const expired = auth.takeExpiredNotice();
  page("Sign in", html`
    ${error ? html`<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1">
      <h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
      <div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">
        <li><a href="#email">${error}</a></li></ul></div></div>` : ""}
    ${expired ? html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span>
      <p>Your session has expired. Sign in again to carry on.</p></div>` : ""}
    <h1>Sign in to Local Claims</h1>
    <form id="sign-in" novalidate>
      <div class="nhsuk-form-group ${error ? "nhsuk-form-group--error" : ""}">
        <label class="nhsuk-label" for="email">Email address</label>
        ${error ? html`<span class="nhsuk-error-message" id="email-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${error}</span>` : ""}
        <input class="nhsuk-input ${error ? "nhsuk-input--error" : ""}" id="email" name="email" type="email" autocomplete="username" spellcheck="false" value="${email}" ${error ? html`aria-describedby="email-error"` : ""}>
      </div>
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="password">Password</label>
        <input class="nhsuk-input" id="password" name="password" type="password" autocomplete="current-password">
      </div>
      <button class="nhsuk-button" type="submit" data-module="nhsuk-button">Sign in</button>
    </form>
    <p>New to Local Claims? <a href="/register">Register for an account</a></p>`);
  if (error) document.querySelector<HTMLElement>(".nhsuk-error-summary")?.focus();
  document.getElementById("sign-in")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      signInPage(done, "Enter your email address and password", email);
      return;
    }
    try {
      await auth.signIn(email, password);
      done();
    } catch (failure) {
      signInPage(done, failure instanceof auth.SignInFailed ? failure.message : "Signing in is not working at the moment. Try again later.", email);
    }
  });
}
