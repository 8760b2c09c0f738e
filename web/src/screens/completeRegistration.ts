// Complete a registration from the emailed link (#token=…): choose a password.

import * as api from "../api";
import { Problem } from "../api";
import { errorSummary, focusSummary, input, values } from "../forms";
import { html } from "../html";
import { page } from "../layout";

export function completeRegistrationPage(problem: Problem | null = null): void {
  const token = new URLSearchParams(location.hash.replace(/^#/, "")).get("token") ?? "";
  if (!token) {
    page("Link not recognised", html`<h1>This link is not recognised</h1>
      <p>Check you copied the whole link from the email. If it still does not work, ask your administrator to send it again.</p>`);
    return;
  }
  page("Set your password", html`
    ${errorSummary(problem)}
    <h1>Set your password</h1>
    <p>Your registration has been approved. Choose a password to finish setting up your account.</p>
    <form id="complete" novalidate>
      ${input({ pointer: "/password", label: "Password", type: "password", autocomplete: "new-password",
        hint: "At least 12 characters, with upper and lower case letters, a number and a symbol" }, problem)}
      ${input({ pointer: "/confirm", label: "Confirm password", type: "password", autocomplete: "new-password" }, problem)}
      <button class="nhsuk-button" type="submit">Set password</button>
    </form>`);
  if (problem) focusSummary();
  document.getElementById("complete")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = values(event.target as HTMLFormElement);
    if ((form["password"] ?? "") !== (form["confirm"] ?? "")) {
      completeRegistrationPage(new Problem(422, "/problems/invalid-fields", "Check the passwords", "", [
        { pointer: "/confirm", detail: "The passwords do not match" }]));
      return;
    }
    try {
      const done = await api.publicPost("/registrations/complete", { body: { token, password: form["password"] } });
      page("Account ready", html`<div class="nhsuk-panel"><h1 class="nhsuk-panel__title">Your account is ready</h1>
        <div class="nhsuk-panel__body">Sign in with ${done.email}</div></div>
        <p><a href="/sign-in">Sign in to Local Claims</a></p>`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      completeRegistrationPage(failure);
    }
  });
}
