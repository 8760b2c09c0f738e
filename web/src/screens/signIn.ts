// Sign in with email address and password, then — for people who move money
// or manage accounts — the code from their authenticator app. A session that
// ran out, or a sign-in that must be made again, says so.

import * as auth from "../auth";
import { html } from "../html";
import { page } from "../layout";

function problemSummary(error: string, field: string) {
  return error ? html`<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1">
      <h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
      <div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">
        <li><a href="#${field}">${error}</a></li></ul></div></div>` : "";
}

/** `onCode`: the password was right and a code from the authenticator app is wanted next. */
export function signInPage(done: () => void, onCode: () => void, error = "", email = ""): void {
  const notice = auth.takeNotice();
  page(error ? "Error: Sign in" : "Sign in", html`
    ${problemSummary(error, "email")}
    ${notice ? html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span>
      <p>${notice}</p></div>` : ""}
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
      signInPage(done, onCode, "Enter your email address and password", email);
      return;
    }
    try {
      (await auth.signIn(email, password)) === "code-wanted" ? onCode() : done();
    } catch (failure) {
      signInPage(done, onCode, failure instanceof auth.SignInFailed ? failure.message : "Signing in is not working at the moment. Try again later.", email);
    }
  });
}

/** The second step: the 6-digit code the person's authenticator app shows now. */
export function signInCodePage(done: () => void, restart: () => void, error = ""): void {
  if (!auth.awaitingCode()) {
    restart();
    return;
  }
  page(error ? "Error: Enter the code from your authenticator app" : "Enter the code from your authenticator app", html`
    ${problemSummary(error, "code")}
    <form id="sign-in-code" novalidate>
      <div class="nhsuk-form-group ${error ? "nhsuk-form-group--error" : ""}">
        <h1 class="nhsuk-label-wrapper"><label class="nhsuk-label nhsuk-label--l" for="code">Enter the code from your authenticator app</label></h1>
        <div class="nhsuk-hint" id="code-hint">Open the authenticator app on your phone and enter the 6-digit code it shows for Local Claims.</div>
        ${error ? html`<span class="nhsuk-error-message" id="code-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${error}</span>` : ""}
        <input class="nhsuk-input nhsuk-input--width-10 ${error ? "nhsuk-input--error" : ""}" id="code" name="code" type="text"
          inputmode="numeric" autocomplete="one-time-code" spellcheck="false" aria-describedby="code-hint${error ? " code-error" : ""}">
      </div>
      <button class="nhsuk-button" type="submit" data-module="nhsuk-button">Continue</button>
    </form>
    <p><a href="/sign-in">Sign in again</a></p>`);
  if (error) document.querySelector<HTMLElement>(".nhsuk-error-summary")?.focus();
  document.getElementById("sign-in-code")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = String(new FormData(event.target as HTMLFormElement).get("code") ?? "").replace(/\s/g, "");
    if (!/^\d{6}$/.test(code)) {
      signInCodePage(done, restart, "Enter the 6-digit code from your authenticator app");
      return;
    }
    try {
      await auth.answerWithCode(code);
      done();
    } catch (failure) {
      if (!auth.awaitingCode()) {
        restart();
        return;
      }
      signInCodePage(done, restart, failure instanceof auth.SignInFailed ? failure.message : "Signing in is not working at the moment. Try again later.");
    }
  });
}
