// Payments, for a commissioner's Finance and Tier 2: the payment runs, a new
// run for a payment date, a run's totals by practice, its finance export and
// its confirmation. Reports (counts, values, spend against plan) for the
// commissioner's people; remittance advice for a practice's users.

import * as api from "../api";
import { oneRequest, Problem } from "../api";
import { askedToConfirm, confirmPage } from "../confirm";
import { count, date, money, pence } from "../format";
import { errorSummary, focusSummary, input, values } from "../forms";
import { html, Html } from "../html";
import { page } from "../layout";
import { laterOnThisScreen, navigate } from "../navigation";
import { Membership, Money } from "../types";

interface Run {
  id: string;
  commissioner: { code: string; name: string };
  paymentDate: string;
  status: { code: string; label: string };
  claims: number;
  lines: number;
  total: Money;
  providers: Array<{ code: string; name: string; claims: number; total: Money }>;
}

/** While a run collects or is being confirmed, its page looks again this often. */
const RUN_POLL_MS = 1500;

function table(caption: string, heads: string[], rows: Html[][], numeric: number[] = []): Html {
  return html`<table class="nhsuk-table">
    <caption class="nhsuk-table__caption">${caption}</caption>
    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${heads.map((h, i) =>
      html`<th scope="col" class="nhsuk-table__header ${numeric.includes(i) ? "nhsuk-table__header--numeric" : ""}">${h}</th>`)}</tr></thead>
    <tbody class="nhsuk-table__body">${rows.map((cells) => html`<tr class="nhsuk-table__row">${cells.map((cell, i) =>
      html`<td class="nhsuk-table__cell ${numeric.includes(i) ? "nhsuk-table__cell--numeric" : ""}">${cell}</td>`)}</tr>`)}</tbody>
  </table>`;
}

function saveCsv(text: string, name: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

async function payingFor(): Promise<Membership | undefined> {
  const me = await api.whoAmI();
  return me.memberships.find((m) => m.status === "active" && ["finance", "approver_tier2"].includes(m.role.code));
}

export async function paymentsPage(problem: Problem | null = null): Promise<void> {
  const payer = await payingFor();
  if (!payer) {
    page("Payments", html`<h1>Payments</h1><p>Only a commissioner's Finance and Tier 2 approvers run payments.</p>`);
    return;
  }
  const runs = (await api.get("/payment-runs", { query: { commissioner: payer.organisationCode } }) as { items: Run[] }).items;
  page("Payments", html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${payer.organisationName} (${payer.organisationCode})</span>
    <h1>Payments</h1>
    <form id="run-form" novalidate>
      <h2>Start a payment run</h2>
      <p>Every approved claim not yet in a run is collected into it. You check it before confirming.</p>
      ${input({ pointer: "/paymentDate", label: "Payment date", hint: "The date the payments reach the bank, for example 2026-12-15",
        type: "date", width: "nhsuk-input--width-10" }, problem)}
      <button class="nhsuk-button" type="submit">Start payment run</button>
    </form>
    <h2>Payment runs</h2>
    ${runs.length === 0 ? html`<p>There are no payment runs yet.</p>` : table("Payment runs, newest first",
      ["Payment date", "Status", "Claims", "Total"],
      runs.map((run) => [html`<a href="/payments/${run.id}">${date(run.paymentDate)}</a>`, html`${run.status.label}`,
        html`${String(run.claims)}`, html`${run.total.display}`]), [2, 3])}`, { wide: true });
  if (problem) focusSummary();
  document.getElementById("run-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    (form.querySelector("button[type=submit]") as HTMLButtonElement).disabled = true;
    try {
      // A key per click: a request whose answer was lost is sent again with it,
      // and answered with the run the first one started, never a second run.
      const run = await api.post("/payment-runs",
        { body: { commissioner: payer.organisationCode, paymentDate: values(form)["paymentDate"] ?? "" },
          headers: oneRequest() });
      navigate(`/payments/${run.id}`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await paymentsPage(failure);
    }
  });
}

let polling: number | undefined;

export async function paymentRunPage(id: string, problem: Problem | null = null): Promise<void> {
  window.clearTimeout(polling);
  const run = await api.get("/payment-runs/{id}", { path: { id }, query: { limit: 1 } }) as Run;
  const moving = ["collecting", "confirming"].includes(run.status.code);
  page(`Payment run of ${date(run.paymentDate)}`, html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${run.commissioner.name}</span>
    <h1>Payment run of ${date(run.paymentDate)}</h1>
    <dl class="nhsuk-summary-list">
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Status</dt>
        <dd class="nhsuk-summary-list__value" id="run-status" aria-live="polite">${run.status.label}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Claims</dt>
        <dd class="nhsuk-summary-list__value">${String(run.claims)} (${String(run.lines)} lines)</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Total</dt>
        <dd class="nhsuk-summary-list__value" id="run-total">${run.total.display}</dd></div>
    </dl>
    ${moving ? html`<p>This page updates by itself while the run ${run.status.code === "collecting" ? "collects claims" : "is confirmed"}.</p>` : ""}
    ${run.providers.length ? table("Totals by practice", ["Practice", "Claims", "Total"],
      run.providers.map((p) => [html`${p.name} (${p.code})`, html`${String(p.claims)}`, html`${p.total.display}`]), [1, 2]) : ""}
    <div class="lc-actions">
      ${run.status.code === "ready" ? html`<button class="nhsuk-button" type="button" id="confirm-run">Confirm payment run</button>` : ""}
      ${run.status.code !== "collecting" ? html`<button class="nhsuk-button nhsuk-button--secondary" type="button" id="export-run">Download finance export</button>` : ""}
    </div>
    <p><a href="/payments">Back to payments</a></p>`, { wide: true });
  if (problem) focusSummary();
  if (moving) polling = laterOnThisScreen(() => void paymentRunPage(id), RUN_POLL_MS);
  document.getElementById("export-run")?.addEventListener("click", async () => {
    saveCsv(await api.getText("/payment-runs/{id}/export", { path: { id } }), `payment-run-${run.paymentDate}.csv`);
  });
  const confirmRun = () => confirmPage({
    step: "run",
    question: `Confirm the payment run of ${date(run.paymentDate)}?`,
    detail: `${count(run.claims, "claim")}, ${run.total.display} in all, will be marked as paid on ${date(run.paymentDate)}.\nEach practice is emailed its remittance advice.`,
    confirm: "Confirm payment run",
    change: () => api.post("/payment-runs/{id}/confirm",
      { path: { id }, body: { confirm: true }, headers: oneRequest() }),
    done: () => paymentRunPage(id),
    failed: (failure) => paymentRunPage(id, failure),
  });
  document.getElementById("confirm-run")?.addEventListener("click", confirmRun);
  if (askedToConfirm() === "run" && run.status.code === "ready") confirmRun();
}

interface ReportRow {
  key: string; label: string; claims: number; value: string;
  spend?: { budget: string | null; approved: string; paid: string; committed: string; left: string | null };
}

export async function reportsPage(): Promise<void> {
  const asked = new URLSearchParams(location.search).get("groupBy");
  const groupBy = (["service", "period", "provider", "status"] as const).find((g) => g === asked) ?? "service";
  const report = await api.get("/reports/claims", { query: { groupBy } }) as { year: string; rows: ReportRow[]; total: ReportRow };
  const pounds = (amount: string | null | undefined) => amount == null ? "" : money(pence(amount));
  const spend = report.rows.some((r) => r.spend);
  page("Reports", html`
    <h1>Claims report ${report.year}</h1>
    <nav aria-label="Group by"><ul class="nhsuk-list lc-inline-list">
      ${["service", "period", "provider", "status"].map((g) => html`<li><a href="/reports?groupBy=${g}" ${g === groupBy ? html`aria-current="page"` : ""}>By ${g === "provider" ? "practice" : g}</a></li>`)}
    </ul></nav>
    ${table(`Claims by ${groupBy === "provider" ? "practice" : groupBy}`,
      [{ service: "Service", period: "Period", provider: "Practice", status: "Status" }[groupBy] ?? "Group", "Claims", "Value",
        ...(spend ? ["Budget", "Approved", "Paid", "Committed", "Left"] : [])],
      [...report.rows, report.total].map((r) => [html`${r.label}`, html`${String(r.claims)}`, html`${pounds(r.value)}`,
        ...(spend ? [pounds(r.spend?.budget), pounds(r.spend?.approved), pounds(r.spend?.paid), pounds(r.spend?.committed), pounds(r.spend?.left)].map((v) => html`${v}`) : [])]),
      spend ? [1, 2, 3, 4, 5, 6, 7] : [1, 2])}
    ${spend ? spendChart(report.rows) : ""}
    <p><button class="nhsuk-button nhsuk-button--secondary" type="button" id="report-csv">Download as CSV</button></p>`, { wide: true });
  document.getElementById("report-csv")?.addEventListener("click", async () => {
    saveCsv(await api.getText("/reports/claims", { query: { groupBy, format: "csv" } }), `claims-report-${groupBy}.csv`);
  });
}

/** Spend against plan as a bar chart, a group of bars per service (budget,
 * approved, paid, committed) drawn to one scale: an SVG with a text
 * alternative, beside the table that holds the same figures. */
function spendChart(rows: ReportRow[]): Html {
  const bars: Array<[keyof NonNullable<ReportRow["spend"]>, string, string]> = [
    ["budget", "Budget", "#d8dde0"], ["approved", "Approved", "#007f3b"], ["paid", "Paid", "#005eb8"], ["committed", "Committed", "#ffb81c"]];
  const amount = (row: ReportRow, key: keyof NonNullable<ReportRow["spend"]>) => pence(row.spend?.[key] ?? "0") / 100;
  const most = Math.max(1, ...rows.flatMap((row) => bars.map(([key]) => amount(row, key))));
  const [barHeight, gap, labelWidth, plotWidth] = [14, 4, 0, 560];
  const groupHeight = bars.length * (barHeight + gap) + 28;
  const height = rows.length * groupHeight + 8;
  const groups = rows.map((row, i) => {
    const top = i * groupHeight;
    return html`<g>
      <text x="0" y="${top + 14}" class="lc-chart-label">${row.label}</text>
      ${bars.map(([key, label, colour], j) => {
        const y = top + 20 + j * (barHeight + gap);
        const width = Math.round((amount(row, key) / most) * (plotWidth - 160));
        return html`<rect x="${labelWidth}" y="${y}" width="${width}" height="${barHeight}" fill="${colour}"${key === "budget" ? html` stroke="#4c6272"` : ""}></rect>
          <text x="${labelWidth + width + 6}" y="${y + barHeight - 3}" class="lc-chart-value">${label} ${key === "budget" && !row.spend?.budget ? "not set" : money(pence(row.spend?.[key] ?? "0"))}</text>`;
      })}
    </g>`;
  });
  const described = rows.map((row) => `${row.label}: budget ${row.spend?.budget ? money(pence(row.spend.budget)) : "not set"}, approved ${money(pence(row.spend?.approved ?? "0"))}, paid ${money(pence(row.spend?.paid ?? "0"))}, committed ${money(pence(row.spend?.committed ?? "0"))}`).join("; ");
  return html`<figure class="lc-chart">
    <figcaption><h2 class="nhsuk-heading-m">Spend against plan</h2></figcaption>
    <svg viewBox="0 0 ${plotWidth} ${height}" width="100%" role="img" aria-label="${`Spend against plan by service. ${described}`}" focusable="false">${groups}</svg>
  </figure>`;
}

interface Remittance {
  runId: string;
  provider: { code: string; name: string };
  commissioner: { code: string; name: string };
  paymentDate: string;
  claims: Array<{ id: number; lines: Array<{ component: string; period: string; periodLabel: string; units: number | null; unitPrice: Money | null; value: Money }> }>;
  total: Money;
}

export async function remittancesPage(): Promise<void> {
  const me = await api.whoAmI();
  const practice = me.memberships.find((m) => m.status === "active" && m.role.code.startsWith("provider"));
  if (!practice) {
    page("Remittances", html`<h1>Remittances</h1><p>Remittance advice is for a practice's users.</p>`);
    return;
  }
  const list = await api.get("/providers/{code}/remittances", { path: { code: practice.organisationCode } }) as
    { items: Array<{ runId: string; paymentDate: string; claims: number; total: Money; commissioner: { name: string } }> };
  page("Remittances", html`
    <span class="nhsuk-caption-l">${practice.organisationName} (${practice.organisationCode})</span>
    <h1>Remittances</h1>
    ${list.items.length === 0 ? html`<p>No payments yet.</p>` : table("Payments, newest first", ["Payment date", "From", "Claims", "Total"],
      list.items.map((r) => [html`<a href="/remittances/${practice.organisationCode}/${r.runId}">${date(r.paymentDate)}</a>`,
        html`${r.commissioner.name}`, html`${String(r.claims)}`, html`${r.total.display}`]), [2, 3])}`, { wide: true });
}

export async function remittancePage(code: string, runId: string): Promise<void> {
  const remittance = { path: { code, runId } };
  const advice = await api.get("/providers/{code}/remittances/{runId}", remittance) as Remittance;
  page("Remittance advice", html`
    <span class="nhsuk-caption-l">${advice.commissioner.name}</span>
    <h1>Remittance advice</h1>
    <p>${advice.provider.name} (${advice.provider.code}) is paid <strong id="remittance-total">${advice.total.display}</strong> on
      <strong>${date(advice.paymentDate)}</strong>.</p>
    ${table("What the payment is for", ["Claim ID", "Component", "Period", "Units", "Unit price", "Value"],
      advice.claims.flatMap((claim) => claim.lines.map((line) => [html`<a href="/claims/${claim.id}">${String(claim.id)}</a>`,
        html`${line.component}`, html`${line.periodLabel}`, html`${line.units === null ? "–" : String(line.units)}`,
        html`${line.unitPrice?.display ?? "–"}`, html`${line.value.display}`])), [3, 4, 5])}
    <div class="lc-actions">
      <button class="nhsuk-button nhsuk-button--secondary" type="button" id="remittance-csv">Download as CSV</button>
      <button class="nhsuk-button nhsuk-button--secondary" type="button" id="remittance-print">Printable version</button>
    </div>
    <p><a href="/remittances">All remittances</a></p>`, { wide: true });
  document.getElementById("remittance-csv")?.addEventListener("click", async () => {
    saveCsv(await api.getText("/providers/{code}/remittances/{runId}", { ...remittance, query: { format: "csv" } }),
      `remittance-${advice.paymentDate}.csv`);
  });
  // The printable page is the API's own (server-rendered, no scripts), opened from memory: it needs the sign-in.
  document.getElementById("remittance-print")?.addEventListener("click", async () => {
    const printable = await api.getText("/providers/{code}/remittances/{runId}", { ...remittance, query: { format: "html" } });
    window.open(URL.createObjectURL(new Blob([printable], { type: "text/html" })), "_blank");
  });
}
