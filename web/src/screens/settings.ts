// Claim settings, for a commissioner's administrators: the total at or above
// which Tier 2 approval needs Finance too, and which of its practices want
// their users' claims approved by one of their own approvers first.

import * as api from "../api";
import { Problem } from "../api";
import { errorSummary, focusSummary, input, radios, values } from "../forms";
import { money, pence } from "../format";
import { html } from "../html";
import { page } from "../layout";
import { Membership } from "../types";

interface Organisation { code: string; name: string; kind: string; financeThreshold: string; claimsNeedApproval: boolean; claimSubmission: string | null }

export async function settingsPage(problem: Problem | null = null, notice = "", practiceCode = ""): Promise<void> {
  const me = await api.whoAmI();
  const admin = me.memberships.find((m: Membership) => m.status === "active" && m.role.code === "commissioning_administrator");
  if (!admin) {
    page("Claim settings", html`<h1>Claim settings</h1><p>Only a commissioner's administrators change claim settings.</p>`);
    return;
  }
  const commissioner = await api.get("/organisations/{code}", { path: { code: admin.organisationCode } }) as Organisation;
  let practice: Organisation | null = null;
  let practiceProblem: Problem | null = null;
  if (practiceCode) {
    try {
      practice = await api.get("/organisations/{code}", { path: { code: practiceCode } }) as Organisation;
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      practiceProblem = new Problem(failure.status, failure.type, failure.title, failure.detail,
        [{ pointer: "/practice", detail: "There is no practice with this ODS code among yours" }]);
    }
  }
  const shown = problem ?? practiceProblem;
  page("Claim settings", html`
    ${errorSummary(shown)}
    ${notice ? html`<div class="nhsuk-inset-text" id="settings-notice"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ""}
    <span class="nhsuk-caption-l">${commissioner.name} (${commissioner.code})</span>
    <h1>Claim settings</h1>
    <form id="threshold-form" novalidate>
      <h2>Finance approval</h2>
      <p>A claim whose total is at or above this amount needs Finance's approval after Tier 2. It applies to claims
        submitted from now on.</p>
      ${input({ pointer: "/financeThreshold", label: "Finance threshold, in pounds", hint: "For example, 15000.00",
        value: commissioner.financeThreshold, width: "nhsuk-input--width-10" }, problem)}
      <button class="nhsuk-button" type="submit">Save threshold</button>
    </form>
    <form id="submission-form" novalidate>
      <h2>Claims of several services</h2>
      ${radios("/claimSubmission", "How do your practices submit claims?", [
        { value: "single_service", label: "One service in each claim", hint: "A practice makes a claim for each service" },
        { value: "multi_service", label: "Several services in one claim", hint: "A practice adds every service it claims for to one claim" }],
        commissioner.claimSubmission ?? "single_service", problem)}
      <button class="nhsuk-button" type="submit">Save how claims are submitted</button>
    </form>
    <h2>Practice approval</h2>
    <p>A practice can ask for its users' claims to be approved by one of its own approvers before they reach you.</p>
    <form id="practice-form" novalidate>
      ${input({ pointer: "/practice", label: "Practice ODS code", value: practiceCode, width: "nhsuk-input--width-10" }, practiceProblem)}
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Find practice</button>
    </form>
    ${practice ? html`<form id="approval-form" novalidate>
      ${radios("/claimsNeedApproval", `Do ${practice.name}'s claims need a practice approver first?`,
        [{ value: "yes", label: "Yes" }, { value: "no", label: "No" }], practice.claimsNeedApproval ? "yes" : "no", problem)}
      <button class="nhsuk-button" type="submit">Save for ${practice.code}</button>
    </form>` : ""}`);
  if (shown) focusSummary();
  document.getElementById("threshold-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const entered = values(event.currentTarget as HTMLFormElement)["financeThreshold"] ?? "";
    try {
      const saved = await api.patch("/organisations/{code}", { path: { code: commissioner.code }, body: { financeThreshold: entered } }) as
        Organisation;
      await settingsPage(null, `The Finance threshold is now ${money(pence(saved.financeThreshold))}.`, practiceCode);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await settingsPage(failure, "", practiceCode);
    }
  });
  document.getElementById("submission-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = values(event.currentTarget as HTMLFormElement)["claimSubmission"] === "multi_service" ? "multi_service" : "single_service";
    try {
      await api.patch("/organisations/{code}", { path: { code: commissioner.code }, body: { claimSubmission: chosen } });
      await settingsPage(null, chosen === "multi_service" ? "Your practices now add several services to one claim."
        : "Your practices now make a claim for each service.", practiceCode);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await settingsPage(failure, "", practiceCode);
    }
  });
  document.getElementById("practice-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = (values(event.currentTarget as HTMLFormElement)["practice"] ?? "").toUpperCase();
    await settingsPage(null, "", code);
  });
  document.getElementById("approval-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const wanted = values(event.currentTarget as HTMLFormElement)["claimsNeedApproval"] === "yes";
    try {
      await api.patch("/organisations/{code}", { path: { code: practice!.code }, body: { claimsNeedApproval: wanted } });
      await settingsPage(null, wanted ? `${practice!.name}'s users' claims now wait for one of its approvers.`
        : `${practice!.name}'s claims now go straight to you.`, practiceCode);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await settingsPage(failure, "", practiceCode);
    }
  });
}
