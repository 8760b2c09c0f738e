// Setting up an authenticator app (TOTP), which Finance, Tier 1 and Tier 2
// reviewers, Commissioning Administrators and the Service Desk sign in with as
// well as their password: a QR code to scan (and the key as text for apps that
// cannot scan), then a code from the app to prove it is set up. Afterwards the
// person signs in again, this time with a code.

import { renderSVG } from "uqr";
import * as api from "../api";
import * as auth from "../auth";
import { html, Html } from "../html";
import { page } from "../layout";

/** The key as people type it: in groups of four. */
function grouped(key: string): string {
  return key.replace(/(.{4})/g, "$1 ").trim();
}

/** What an authenticator app scans: the service, the person and the key. */
function otpauth(key: string, email: string): string {
  const label = encodeURIComponent(`Local Claims:${email}`);
  return `otpauth://totp/${label}?secret=${key}&issuer=${encodeURIComponent("Local Claims")}`;
}

export async function authenticatorPage(signedInAgain: () => void, error = "", known?: string): Promise<void> {
  const key = known ?? (await auth.newAuthenticatorKey());
  const email = auth.current()?.email ?? "";
  page(error ? "Error: Set up an authenticator app" : "Set up an authenticator app", html`
    ${error ? html`<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1">
      <h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
      <div class="nhsuk-error-summary__body"><ul class="nhsuk-list nhsuk-error-summary__list">
        <li><a href="#code">${error}</a></li></ul></div></div>` : ""}
    <h1>Set up an authenticator app</h1>
    <p>You approve claims, make payments or manage accounts, so you sign in with a code from an authenticator app
      on your phone as well as your password. This keeps public money and people's accounts safe if a password is lost.</p>
    <ol class="nhsuk-list nhsuk-list--number">
      <li>Open an authenticator app on your phone, such as Microsoft Authenticator or Google Authenticator.</li>
      <li>Add an account in the app and scan this QR code.</li>
      <li>Enter the 6-digit code the app then shows.</li>
    </ol>
    <div class="lc-qr-code">${new Html(renderSVG(otpauth(key, email), { border: 2 }).replace("<svg", '<svg role="img" aria-label="QR code for your authenticator app" focusable="false"'))}</div>
    <details class="nhsuk-details">
      <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">I cannot scan the QR code</span></summary>
      <div class="nhsuk-details__text">
        <p>Choose to enter a setup key in your app, and type this key:</p>
        <p class="lc-authenticator-key"><code id="authenticator-key">${grouped(key)}</code></p>
        <p>It is a time-based key for the account ${email} at Local Claims.</p>
      </div>
    </details>
    <form id="authenticator" novalidate>
      <div class="nhsuk-form-group ${error ? "nhsuk-form-group--error" : ""}">
        <label class="nhsuk-label nhsuk-label--s" for="code">Code from your authenticator app</label>
        <div class="nhsuk-hint" id="code-hint">For example, 123456</div>
        ${error ? html`<span class="nhsuk-error-message" id="code-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${error}</span>` : ""}
        <input class="nhsuk-input nhsuk-input--width-10 ${error ? "nhsuk-input--error" : ""}" id="code" name="code" type="text"
          inputmode="numeric" autocomplete="one-time-code" spellcheck="false" aria-describedby="code-hint${error ? " code-error" : ""}">
      </div>
      <button class="nhsuk-button" type="submit" data-module="nhsuk-button">Continue</button>
    </form>`);
  if (error) document.querySelector<HTMLElement>(".nhsuk-error-summary")?.focus();
  document.getElementById("authenticator")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = String(new FormData(event.target as HTMLFormElement).get("code") ?? "").replace(/\s/g, "");
    if (!/^\d{6}$/.test(code)) {
      await authenticatorPage(signedInAgain, "Enter the 6-digit code from your authenticator app", key);
      return;
    }
    try {
      await auth.confirmAuthenticator(code);
      await api.post("/me/mfa");
    } catch (failure) {
      const message = failure instanceof auth.SignInFailed || failure instanceof api.Problem
        ? failure.message : "Setting up an authenticator app is not working at the moment. Try again later.";
      await authenticatorPage(signedInAgain, message, key);
      return;
    }
    await auth.signOut();
    api.forgetMe();
    auth.noticeForSignIn("Your authenticator app is set up. Sign in again, with a code from the app.");
    signedInAgain();
  });
}
