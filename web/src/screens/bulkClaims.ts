// Bulk claims, for a commissioner's Tier 1: choose a service and period,
// download the template (a row per practice yet to claim it), fill in the
// units in a spreadsheet, upload it, and read what became of every row.

import * as api from "../api";
import { Problem } from "../api";
import { errorSummary, errorsAt, fieldError, fieldId, focusSummary, select } from "../forms";
import { html, Html } from "../html";
import { page } from "../layout";
import { BulkReport, Membership } from "../types";

interface ServiceSummary { id: string; name: string; financialYear: string; claimPeriods: "quarterly" | "monthly" }

function periodsOf(service: ServiceSummary | undefined): Array<[string, string]> {
  if (!service) return [];
  if (service.claimPeriods === "monthly") {
    const months = ["April", "May", "June", "July", "August", "September", "October", "November", "December", "January", "February", "March"];
    return months.map((m, i) => [`M${String(i + 1).padStart(2, "0")}`, m]);
  }
  return [["Q1", "Q1 (April to June)"], ["Q2", "Q2 (July to September)"], ["Q3", "Q3 (October to December)"], ["Q4", "Q4 (January to March)"]];
}

export async function bulkClaimsPage(problem: Problem | null = null, report: BulkReport | null = null,
  chosen: { service?: string; period?: string } = {}): Promise<void> {
  const me = await api.whoAmI();
  const tier1 = me.memberships.find((m: Membership) => m.status === "active" && m.role.code === "approver_tier1");
  if (!tier1) {
    page("Bulk claims", html`<h1>Bulk claims</h1><p>Only a commissioner's Tier 1 approvers enter bulk claims.</p>`);
    return;
  }
  const services = (await api.get("/services", { query: { commissioner: tier1.organisationCode, limit: 100 } }) as
    { items: ServiceSummary[] }).items;
  const service = services.find((s) => s.id === chosen.service) ?? services[0];
  const periods = periodsOf(service);
  const period = periods.find(([key]) => key === chosen.period)?.[0] ?? periods[0]?.[0] ?? "";
  const fileErrors = errorsAt(problem, "/file");
  page("Bulk claims", html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${tier1.organisationName} (${tier1.organisationCode})</span>
    <h1>Bulk claims</h1>
    <p>Enter one service's claims for many practices at once. Each claim goes straight to Tier 2 review, and
      someone other than you approves it.</p>
    ${report ? reportOf(report) : ""}
    ${services.length === 0 ? html`<p>${tier1.organisationName} has no services yet.</p>` : html`
    <form id="bulk-form" novalidate>
      ${select("/service", "Service", services.map((s) => [s.id, `${s.name} (${s.financialYear})`]), service?.id ?? "", problem)}
      ${select("/period", "Period", periods, period, problem)}
      <h2>1. Download the template</h2>
      <p>It has a row for each practice that accepted the service and has not claimed this period, and a column
        for each component paid per unit. Fill in the units; leave a row empty to claim nothing for that practice.</p>
      <p><button class="nhsuk-button nhsuk-button--secondary" type="button" id="download-template">Download template</button></p>
      <h2>2. Upload the filled template</h2>
      <div class="nhsuk-form-group ${fileErrors.length ? "nhsuk-form-group--error" : ""}">
        <label class="nhsuk-label" for="${fieldId("/file")}">CSV file</label>
        <div class="nhsuk-hint" id="file-hint">Save it as CSV UTF-8 (comma delimited). Up to 1,000 rows.</div>
        ${fieldError(fieldId("/file"), fileErrors)}
        <input class="nhsuk-file-upload ${fileErrors.length ? "nhsuk-file-upload--error" : ""}" id="${fieldId("/file")}" name="file" type="file" accept=".csv,text/csv"
          aria-describedby="file-hint${fileErrors.length ? ` ${fieldId("/file")}-error` : ""}">
      </div>
      <button class="nhsuk-button" type="submit">Upload</button>
    </form>`}`, { wide: true });
  if (problem) focusSummary();
  const form = document.getElementById("bulk-form") as HTMLFormElement | null;
  const current = () => ({
    service: (document.getElementById(fieldId("/service")) as HTMLSelectElement).value,
    period: (document.getElementById(fieldId("/period")) as HTMLSelectElement).value,
  });
  // A monthly service has months, a quarterly one quarters: the periods follow the service chosen.
  document.getElementById(fieldId("/service"))?.addEventListener("change", () => {
    const periodSelect = document.getElementById(fieldId("/period")) as HTMLSelectElement;
    const options = periodsOf(services.find((s) => s.id === current().service));
    periodSelect.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
  });
  document.getElementById("download-template")?.addEventListener("click", async () => {
    const { service: id, period: key } = current();
    try {
      const text = await api.getText("/services/{id}/bulk-claims",
        { path: { id }, query: { period: key, commissioner: tier1.organisationCode } });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
      link.download = `bulk-claims-${key}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await bulkClaimsPage(failure, null, current());
    }
  });
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = current();
    const file = (document.getElementById(fieldId("/file")) as HTMLInputElement).files?.[0];
    if (!file) {
      await bulkClaimsPage(new Problem(422, "/problems/validation", "Check the file", "",
        [{ pointer: "/file", detail: "Choose the filled template to upload" }]), null, picked);
      return;
    }
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const answer = await api.postCsv("/services/{id}/bulk-claims", file,
        { path: { id: picked.service }, query: { period: picked.period, commissioner: tier1.organisationCode } }) as BulkReport;
      await bulkClaimsPage(null, answer, picked);
      document.getElementById("bulk-report")?.focus();
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await bulkClaimsPage(failure, null, picked);
    }
  });
}

const OUTCOMES: Record<string, [string, string]> = {
  created: ["Claim made", "nhsuk-tag--green"],
  already_claimed: ["Already claimed", "nhsuk-tag--grey"],
  invalid: ["Not claimed: check the row", "nhsuk-tag--red"],
  skipped: ["No units", "nhsuk-tag--grey"],
};

function reportOf(report: BulkReport): Html {
  return html`<div class="nhsuk-card" id="bulk-report" tabindex="-1"><div class="nhsuk-card__content">
    <h2 class="nhsuk-card__heading">${report.service.name}, ${report.period.label}</h2>
    <p class="nhsuk-card__description" id="bulk-summary">${report.created} ${report.created === 1 ? "claim" : "claims"} made,
      ${report.invalid} ${report.invalid === 1 ? "row" : "rows"} to correct, ${report.alreadyClaimed} already claimed,
      ${report.skipped} without units.</p>
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">What became of each row</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Row</th><th scope="col" class="nhsuk-table__header">Practice</th>
        <th scope="col" class="nhsuk-table__header">Outcome</th><th scope="col" class="nhsuk-table__header">Details</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${report.rows.map((row) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${row.row}</td>
          <td class="nhsuk-table__cell">${row.provider}</td>
          <td class="nhsuk-table__cell"><strong class="nhsuk-tag ${OUTCOMES[row.outcome][1]}">${OUTCOMES[row.outcome][0]}</strong></td>
          <td class="nhsuk-table__cell">${row.claimId ? html`<a href="/claims/${row.claimId}">Claim ${row.claimId}</a> ` : ""}
            ${row.detail ?? ""}${(row.problems ?? []).map((p) => html`${p.column}: ${p.detail}<br>`)}</td>
        </tr>`)}
      </tbody>
    </table>
  </div></div>`;
}
