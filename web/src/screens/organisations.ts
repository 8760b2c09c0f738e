// Organisations. A commissioner's administrators see its practices and other
// providers, add one, or add many from the NHS ODS practice file (epraccur.csv)
// with a report on every row. The Service Desk sees the ICBs, adds one, and
// invites its first administrator.

import * as api from "../api";
import { oneRequest, Problem } from "../api";
import { count } from "../format";
import { errorsAt, errorSummary, fieldError, fieldId, focusSummary, input, notice, onSubmit, radios, values } from "../forms";
import { html, Html } from "../html";
import { page } from "../layout";
import { navigate } from "../navigation";
import { startInvitation } from "./invite";
import { tag } from "./services";

export interface Organisation {
  code: string; name: string; kind: string; type: string; commissioner: string | null;
  claimsAnyTime?: boolean; claimsNeedApproval?: boolean;
}

const TYPES: Record<string, string> = {
  icb: "ICB", sub_icb_location: "Sub-ICB location", gp_practice: "GP practice", pcn: "Primary care network",
  federation: "GP federation", other: "Other provider",
};

/** Every page of a list of organisations (a commissioner's providers, or the Service Desk's commissioners). */
export async function everyOrganisation(query: { commissioner?: string }): Promise<Organisation[]> {
  const all: Organisation[] = [];
  let cursor: string | null = null;
  do {
    const listed = await api.get("/organisations", { query: { ...query, limit: 100, ...(cursor ? { cursor } : {}) } }) as
      { items: Organisation[]; nextCursor: string | null };
    all.push(...listed.items);
    cursor = listed.nextCursor;
  } while (cursor);
  return all;
}

/** Who the person acts for here: a commissioner they administer, or the Service Desk. */
async function actingFor(): Promise<{ desk: boolean; code: string; name: string } | null> {
  const me = await api.whoAmI();
  const active = me.memberships.filter((m) => m.status === "active");
  const admin = active.find((m) => m.role.code === "commissioning_administrator");
  if (admin) return { desk: false, code: admin.organisationCode, name: admin.organisationName };
  const desk = active.find((m) => m.role.code === "service_desk");
  return desk ? { desk: true, code: desk.organisationCode, name: desk.organisationName } : null;
}

function yesNo(value: boolean | undefined): string {
  return value ? "Yes" : "No";
}

export async function organisationsPage(): Promise<void> {
  const actor = await actingFor();
  if (!actor) {
    page("Organisations", html`<h1>Organisations</h1><p>Organisations are managed by commissioners' administrators and the Service Desk.</p>`);
    return;
  }
  const added = new URLSearchParams(location.search).get("added") ?? "";
  const listed = await everyOrganisation(actor.desk ? {} : { commissioner: actor.code });
  const title = actor.desk ? "ICBs" : "Organisations";
  page(title, html`
    ${notice(added ? `${added} is added.` : "")}
    <span class="nhsuk-caption-l">${actor.name} (${actor.code})</span>
    <h1>${title}</h1>
    ${actor.desk ? html`<p>The ICBs and sub-ICB locations that commission services in Local Claims.</p>
      <p><a class="nhsuk-button" href="/organisations/new" role="button" draggable="false">Add an ICB</a></p>`
    : html`<p>The practices and other providers ${actor.name} commissions.</p>
      <div class="nhsuk-button-group">
        <a class="nhsuk-button" href="/organisations/new" role="button" draggable="false">Add an organisation</a>
        <a class="nhsuk-button nhsuk-button--secondary" href="/organisations/import" role="button" draggable="false">Add practices from the ODS practice file</a>
      </div>`}
    ${listed.length === 0 ? html`<p>There are none yet.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption">${count(listed.length, actor.desk ? "commissioner" : "organisation")}</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">ODS code</th><th scope="col" class="nhsuk-table__header">Name</th>
        <th scope="col" class="nhsuk-table__header">Type</th>
        ${actor.desk ? html`<th scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">Action</span></th>`
          : html`<th scope="col" class="nhsuk-table__header">Claims any time</th><th scope="col" class="nhsuk-table__header">Practice approver first</th>`}</tr></thead>
      <tbody class="nhsuk-table__body">
        ${listed.map((o) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${o.code}</td><td class="nhsuk-table__cell">${o.name}</td>
          <td class="nhsuk-table__cell">${TYPES[o.type] ?? o.type}</td>
          ${actor.desk ? html`<td class="nhsuk-table__cell"><a href="/organisations/${o.code}/invite-administrator">Invite an administrator<span class="nhsuk-u-visually-hidden"> to ${o.name}</span></a></td>`
            : html`<td class="nhsuk-table__cell">${yesNo(o.claimsAnyTime)}</td><td class="nhsuk-table__cell">${yesNo(o.claimsNeedApproval)}</td>`}
        </tr>`)}
      </tbody>
    </table>`}`, { wide: true });
}

export async function newOrganisationPage(problem: Problem | null = null, entered: Record<string, string> = {}): Promise<void> {
  const actor = await actingFor();
  if (!actor) {
    await organisationsPage();
    return;
  }
  const title = actor.desk ? "Add an ICB" : "Add an organisation";
  const types = actor.desk ? ["icb", "sub_icb_location"] : ["gp_practice", "pcn", "federation", "other"];
  page(title, html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${actor.name} (${actor.code})</span>
    <h1>${title}</h1>
    <form id="organisation-form" novalidate>
      ${input({ pointer: "/code", label: "ODS code", hint: actor.desk ? "For example, QHM" : "For example, A81001", value: entered["code"] ?? "", width: "nhsuk-input--width-10" }, problem)}
      ${input({ pointer: "/name", label: "Name", value: entered["name"] ?? "" }, problem)}
      ${radios("/type", "Type", types.map((t) => ({ value: t, label: TYPES[t]! })), entered["type"] ?? types[0]!, problem)}
      ${actor.desk ? radios("/claimSubmission", "How do its practices submit claims?", [
        { value: "single_service", label: "One service in each claim" }, { value: "multi_service", label: "Several services in one claim" }],
        entered["claimSubmission"] ?? "single_service", problem) : ""}
      <button class="nhsuk-button" type="submit">${actor.desk ? "Add ICB" : "Add organisation"}</button>
    </form>
    <p><a href="/organisations">Back to ${actor.desk ? "ICBs" : "organisations"}</a></p>`);
  if (problem) focusSummary();
  onSubmit("organisation-form", async (form) => {
    const created = await api.post("/organisations", { body: {
      code: form["code"] ?? "", name: form["name"] ?? "", type: form["type"] as never,
      ...(actor.desk ? { claimSubmission: form["claimSubmission"] as never } : { commissioner: actor.code }),
    }, headers: oneRequest() }) as Organisation;
    navigate(actor.desk ? `/organisations/${created.code}/invite-administrator?added=1` : `/organisations?added=${created.code}`);
  }, (failure) => newOrganisationPage(failure, values(document.getElementById("organisation-form") as HTMLFormElement)));
}

/** After adding an ICB, or from the list: its first administrator is invited in the usual six steps. */
export async function inviteAdministratorPage(code: string): Promise<void> {
  const organisation = await api.get("/organisations/{code}", { path: { code } }) as Organisation;
  const added = new URLSearchParams(location.search).get("added") === "1";
  page(`Invite an administrator – ${organisation.name}`, html`
    ${added ? html`<div class="nhsuk-panel" id="icb-added"><h1 class="nhsuk-panel__title">ICB added</h1>
      <div class="nhsuk-panel__body">${organisation.name} (${organisation.code})</div></div>` : html`<h1>${organisation.name}</h1>`}
    <h2>Invite its first administrator</h2>
    <p>The Commissioning Administrator sets up ${organisation.name}'s services, practices and users. They are emailed
      a link to set a password; the link works for 7 days.</p>
    <p><button class="nhsuk-button" type="button" id="invite-administrator">Invite a Commissioning Administrator</button></p>
    <p><a href="/organisations">Back to ICBs</a></p>`);
  document.getElementById("invite-administrator")?.addEventListener("click", () => {
    startInvitation(organisation.code, "commissioning_administrator");
    navigate("/invite");
  });
}

// ------------------------------------------------------------------ the practice file

interface ImportReport {
  commissioner: string; added: number; alreadyHere: number; anotherCommissioners: number; notActive: number; malformed: number;
  rows: Array<{ line: number; code: string | null; name: string | null; outcome: string; detail: string | null }>;
}

const OUTCOMES: Record<string, [string, string]> = {
  added: ["Added", "green"], already_here: ["Already here", "grey"], another_commissioners: ["Another commissioner's", "grey"],
  not_active: ["Not active", "yellow"], malformed: ["Check the row", "red"],
};

function reportOf(report: ImportReport): Html {
  const listed = report.rows.filter((r) => r.outcome !== "another_commissioners");
  const elsewhere = report.rows.filter((r) => r.outcome === "another_commissioners");
  const table = (rows: ImportReport["rows"], caption: string) => html`<table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">${caption}</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Row</th><th scope="col" class="nhsuk-table__header">Practice</th>
        <th scope="col" class="nhsuk-table__header">Outcome</th><th scope="col" class="nhsuk-table__header">Details</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${rows.map((r) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${r.line}</td><td class="nhsuk-table__cell">${r.name ?? ""} ${r.code ? `(${r.code})` : ""}</td>
          <td class="nhsuk-table__cell">${tag(OUTCOMES[r.outcome]![0], OUTCOMES[r.outcome]![1])}</td>
          <td class="nhsuk-table__cell">${r.detail ?? ""}</td></tr>`)}
      </tbody></table>`;
  return html`<div class="nhsuk-card" id="import-report" tabindex="-1"><div class="nhsuk-card__content">
    <h2 class="nhsuk-card__heading">What became of each row</h2>
    <p class="nhsuk-card__description" id="import-summary">${count(report.added, "practice")} added, ${report.alreadyHere} already here,
      ${report.notActive} not active, ${count(report.malformed, "row")} to check, ${report.anotherCommissioners} another commissioner's.</p>
    ${listed.length ? table(listed, "Your practices in the file") : ""}
    ${elsewhere.length ? html`<details class="nhsuk-details"><summary class="nhsuk-details__summary">
      <span class="nhsuk-details__summary-text">${count(elsewhere.length, "row")} for another commissioner</span></summary>
      <div class="nhsuk-details__text">${table(elsewhere, "Rows for another commissioner")}</div></details>` : ""}
  </div></div>`;
}

export async function importPage(problem: Problem | null = null, report: ImportReport | null = null): Promise<void> {
  const actor = await actingFor();
  if (!actor || actor.desk) {
    await organisationsPage();
    return;
  }
  const fileErrors = errorsAt(problem, "/file");
  const id = fieldId("/file");
  page("Add practices from the ODS practice file", html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${actor.name} (${actor.code})</span>
    <h1>Add practices from the ODS practice file</h1>
    <p>Download the GP practice file (epraccur.csv) from NHS England's Organisation Data Service and upload it as it is.
      Your active practices in it are added; a practice already here is never added twice, so you can upload a newer file later.</p>
    ${report ? reportOf(report) : ""}
    <form id="import-form" novalidate>
      <div class="nhsuk-form-group ${fileErrors.length ? "nhsuk-form-group--error" : ""}">
        <label class="nhsuk-label" for="${id}">Practice file</label>
        <div class="nhsuk-hint" id="${id}-hint">A CSV file of up to 5 MB: the national file, or a short one of ODS code, name and commissioner code</div>
        ${fieldError(id, fileErrors)}
        <input class="nhsuk-file-upload ${fileErrors.length ? "nhsuk-file-upload--error" : ""}" id="${id}" name="file" type="file" accept=".csv,text/csv"
          aria-describedby="${id}-hint${fileErrors.length ? ` ${id}-error` : ""}">
      </div>
      <button class="nhsuk-button" type="submit">Upload</button>
    </form>
    <p><a href="/organisations">Back to organisations</a></p>`, { wide: true });
  if (problem) focusSummary();
  const form = document.getElementById("import-form") as HTMLFormElement | null;
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = (document.getElementById(id) as HTMLInputElement).files?.[0];
    if (!file) {
      await importPage(new Problem(422, "/problems/validation", "Check the file", "", [{ pointer: "/file", detail: "Choose the practice file to upload" }]));
      return;
    }
    try {
      const answer = await api.postCsv("/organisations/import", file, { query: { commissioner: actor.code } }) as ImportReport;
      await importPage(null, answer);
      document.getElementById("import-report")?.focus();
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await importPage(failure);
    }
  });
}
