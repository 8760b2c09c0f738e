// The audit trail for administrators: who did what and when, newest first,
// filtered by person, action and dates (England's days, inclusive).

import * as api from "../api";
import { Problem } from "../api";
import { dateTime } from "../format";
import { errorSummary, focusSummary, input, values } from "../forms";
import { html } from "../html";
import { page } from "../layout";
import { navigate } from "../main";

interface Entry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

const ACTIONS = ["registration.submitted", "registration.approved", "registration.rejected", "registration.completed",
  "access.requested", "access.approved", "access.rejected", "invitation.sent", "invitation.resent", "invitation.cancelled",
  "invitation.accepted", "membership.created", "membership.revoked", "membership.enabled", "account.disabled",
  "account.enabled", "profile.updated", "claim.submitted", "claim.returned", "claim.evidence-checked"];

export async function auditPage(): Promise<void> {
  const query = new URLSearchParams(location.search);
  let list: { items: Entry[]; nextCursor: string | null } = { items: [], nextCursor: null };
  let problem: Problem | null = null;
  try {
    list = await api.get(`/audit?${query}`);
  } catch (failure) {
    if (!(failure instanceof Problem) || failure.status !== 422) throw failure;
    problem = failure;
  }
  const filter = (name: string) => query.get(name) ?? "";
  page("Audit trail", html`
    ${errorSummary(problem)}
    <h1>Audit trail</h1>
    <form id="audit-filter" novalidate>
      ${input({ pointer: "/organisation", label: "Organisation code", value: filter("organisation"), width: "nhsuk-input--width-10", hint: "Leave empty for your own" }, problem)}
      ${input({ pointer: "/user", label: "Person (user id)", value: filter("user"), hint: "As the one who acted or the one acted on" }, problem)}
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="action">Action</label>
        <select class="nhsuk-select" id="action" name="action">
          <option value="">Any action</option>
          ${ACTIONS.map((a) => html`<option value="${a}" ${a === filter("action") ? "selected" : ""}>${a}</option>`)}
        </select>
      </div>
      ${input({ pointer: "/from", label: "From", type: "date", value: filter("from"), hint: "For example, 2026-04-01", width: "nhsuk-input--width-10" }, problem)}
      ${input({ pointer: "/to", label: "To", type: "date", value: filter("to"), width: "nhsuk-input--width-10" }, problem)}
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Show entries</button>
    </form>
    ${list.items.length === 0 ? html`<p>No entries match.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Audit entries, newest first</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">When</th><th scope="col" class="nhsuk-table__header">Action</th>
        <th scope="col" class="nhsuk-table__header">By</th><th scope="col" class="nhsuk-table__header">On</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${list.items.map((e) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${dateTime(e.at)}</td><td class="nhsuk-table__cell">${e.action}</td>
          <td class="nhsuk-table__cell">${e.actor}</td><td class="nhsuk-table__cell">${e.target}</td></tr>`)}
      </tbody>
    </table>`}
    ${list.nextCursor ? html`<p><a href="/audit?${new URLSearchParams({ ...Object.fromEntries(query), cursor: list.nextCursor }).toString()}">Older entries</a></p>` : ""}`, { wide: true });
  if (problem) focusSummary();
  document.getElementById("audit-filter")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = values(event.target as HTMLFormElement);
    const next = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ""));
    navigate(`/audit?${next}`);
  });
}
