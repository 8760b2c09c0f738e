// My Profile: your names, your access by organisation, asking for access to
// another organisation, and disabling your own account.

import * as api from "../api";
import { askedToConfirm } from "../confirm";
import type { Schema } from "../client";
import { oneRequest, Problem } from "../api";
import { errorSummary, focusSummary, input, radios, values } from "../forms";
import { html } from "../html";
import { page } from "../layout";
import { rolesSayingWhere } from "../roles";
import { navigate } from "../navigation";
import * as auth from "../auth";
import { disablePage } from "./users";


export async function profilePage(notice = "", problem: Problem | null = null, entered: Record<string, string> = {}): Promise<void> {
  const me = await api.whoAmI();
  page("My Profile", html`
    ${errorSummary(problem)}
    ${notice ? html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ""}
    <h1>My Profile</h1>
    <form id="names" novalidate>
      ${input({ pointer: "/firstName", label: "First name", value: entered["firstName"] ?? me.firstName, autocomplete: "given-name", width: "nhsuk-u-width-two-thirds" }, problem)}
      ${input({ pointer: "/lastName", label: "Last name", value: entered["lastName"] ?? me.lastName, autocomplete: "family-name", width: "nhsuk-u-width-two-thirds" }, problem)}
      <p>Email address: ${me.email}</p>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Save your name</button>
    </form>
    <h2>Your access</h2>
    <ul class="nhsuk-list">${me.memberships.map((m) => html`<li>${m.role.label} at ${m.organisationName} (${m.organisationCode}) — ${m.status}</li>`)}</ul>
    <h2>Ask for access to another organisation</h2>
    <form id="access" novalidate>
      ${input({ pointer: "/organisationCode", label: "Organisation code", hint: "The ODS code, for example A81002", value: entered["organisationCode"] ?? "", width: "nhsuk-input--width-10" }, problem)}
      ${radios("/role", "Role", rolesSayingWhere(), entered["role"] ?? "", problem)}
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Ask for access</button>
    </form>
    <h2>Disable your account</h2>
    <p>If you no longer need Local Claims, you can disable your account. You will not be able to sign in again unless an administrator enables it.</p>
    <button class="nhsuk-button nhsuk-button--warning" type="button" id="disable-mine">Disable my account</button>`);
  if (problem) focusSummary();
  document.getElementById("names")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = values(event.target as HTMLFormElement);
    try {
      await api.patch("/me", { body: { firstName: form["firstName"], lastName: form["lastName"] } });
      api.forgetMe();
      await profilePage("Your name has been saved.");
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await profilePage("", failure, form);
    }
  });
  document.getElementById("access")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = values(event.target as HTMLFormElement);
    const body = { organisationCode: (form["organisationCode"] ?? "").toUpperCase(),
      role: (form["role"] ?? "") as Schema<"AccessRequestForm">["role"] };
    try {
      await api.post("/access-requests", { body, headers: oneRequest() });
      await profilePage(`You have asked for access to ${body.organisationCode}. You will get an email when it has been reviewed.`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await profilePage("", failure, form);
    }
  });
  const disableMine = () =>
    disablePage({ title: "Disable your account", disable: (body) => api.post("/me/disable", { body }), cancel: "/profile", done: async () => {
      await auth.signOut();
      navigate("/sign-in");
    } });
  document.getElementById("disable-mine")?.addEventListener("click", disableMine);
  if (askedToConfirm() === "disable") disableMine();
}
