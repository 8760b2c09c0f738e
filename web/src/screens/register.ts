// Register for an account: name, work email, organisation (ODS code) and role.
// The registration waits for a Commissioning Administrator (or the Service Desk).

import * as api from "../api";
import type { Schema } from "../client";
import { oneRequest, Problem } from "../api";
import { errorSummary, focusSummary, input, radios, values } from "../forms";
import { html } from "../html";
import { page } from "../layout";
import { ROLES } from "../roles";


export function registerPage(entered: Record<string, string> = {}, problem: Problem | null = null): void {
  page("Register", html`
    ${errorSummary(problem)}
    <h1>Register for Local Claims</h1>
    <p>Use your work email address. Someone at your commissioner (or the Service Desk) will check your registration, then email you a link to set your password.</p>
    <form id="register" novalidate>
      ${input({ pointer: "/firstName", label: "First name", value: entered["firstName"], autocomplete: "given-name", width: "nhsuk-u-width-two-thirds" }, problem)}
      ${input({ pointer: "/lastName", label: "Last name", value: entered["lastName"], autocomplete: "family-name", width: "nhsuk-u-width-two-thirds" }, problem)}
      ${input({ pointer: "/email", label: "Work email address", type: "email", value: entered["email"], autocomplete: "email" }, problem)}
      ${input({ pointer: "/organisationCode", label: "Organisation code", hint: "The ODS code of your practice or ICB, for example A81001", value: entered["organisationCode"], width: "nhsuk-input--width-10" }, problem)}
      ${radios("/role", "Your role", ROLES, entered["role"] ?? "", problem)}
      <button class="nhsuk-button" type="submit">Register</button>
    </form>
    <p>Already registered? <a href="/sign-in">Sign in</a></p>`);
  if (problem) focusSummary();
  document.getElementById("register")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = values(event.target as HTMLFormElement);
    const entered = { firstName: form["firstName"] ?? "", lastName: form["lastName"] ?? "", email: form["email"] ?? "",
      organisationCode: (form["organisationCode"] ?? "").toUpperCase(),
      role: (form["role"] ?? "") as Schema<"RegisterForm">["role"] };
    try {
      const done = await api.publicPost("/registrations", { body: entered, headers: oneRequest() });
      page("Registration received", html`<div class="nhsuk-panel"><h1 class="nhsuk-panel__title">Registration received</h1>
        <div class="nhsuk-panel__body">for ${done.organisationName}</div></div>
        <p>${done.message}</p><p>We have sent nothing yet: you will get an email when your registration has been checked.</p>`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      registerPage(entered, failure);
    }
  });
}
