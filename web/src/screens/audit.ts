// The audit trail for administrators: who did what and when, newest first,
// filtered by person, action and dates (England's days, inclusive).

import * as api from "../api";
import { Problem } from "../api";
import { dateTime } from "../format";
import { errorSummary, focusSummary, input, values } from "../forms";
import { html } from "../html";
import { page } from "../layout";
import { navigate } from "../navigation";

interface Entry {
  id: string;
  at: string;
  actor: string;
  actorName: string;
  actorEmail: string | null;
  action: string;
  target: string;
  targetLabel: string;
  before: unknown;
  after: unknown;
}

/** Every action the service writes (shared::domain::audit_query::ACTIONS), in words. */
const ACTIONS: Record<string, string> = {
  "access.approved": "Access request approved",
  "access.rejected": "Access request rejected",
  "access.requested": "Access requested",
  "account.disabled": "Account disabled",
  "account.enabled": "Account enabled",
  "account.mfa-enabled": "Authenticator app set up",
  "claim.approved": "Claim approved",
  "claim.deleted": "Claim deleted",
  "claim.entered": "Claim entered in bulk",
  "claim.evidence-checked": "Claim's evidence checked",
  "claim.rejected": "Claim rejected",
  "claim.returned": "Claim returned",
  "claim.started": "Claim started",
  "claim.submitted": "Claim submitted",
  "component.added": "Component added",
  "component.changed": "Component changed",
  "evidence.downloaded": "Evidence downloaded",
  "evidence.replacement-removed": "Evidence replaced after submission, and removed",
  "invitation.accepted": "Invitation accepted",
  "invitation.cancelled": "Invitation cancelled",
  "invitation.resent": "Invitation sent again",
  "invitation.sent": "Invitation sent",
  "membership.created": "Access given",
  "membership.enabled": "Access enabled again",
  "membership.revoked": "Access revoked",
  "offer.accepted": "Offer accepted",
  "offer.declined": "Offer declined",
  "organisation.created": "Organisation added",
  "organisation.updated": "Organisation changed",
  "payment-run.confirmed": "Payment run confirmed",
  "payment-run.exported": "Payment run exported",
  "payment-run.started": "Payment run started",
  "profile.updated": "Name changed",
  "registration.approved": "Registration approved",
  "registration.completed": "Registration completed",
  "registration.rejected": "Registration rejected",
  "registration.submitted": "Registration submitted",
  "service.created": "Service set up",
  "service.offered": "Service offered",
  "service.updated": "Service changed",
  "windows.added": "Claim windows added",
  "window.changed": "Claim window changed",
};

interface AuditList {
  organisation: { code: string; name: string };
  items: Entry[];
  nextCursor: string | null;
}

/** The person a name or email address finds among the organisation's people (their user id). */
async function personCalled(organisation: string, wanted: string): Promise<string | Problem> {
  const needle = wanted.trim().toLowerCase();
  const found: Array<{ userId: string; firstName: string; lastName: string; email: string }> = [];
  let cursor: string | null = null;
  do {
    const page = await api.get("/users", { query: { ...(organisation ? { organisation } : {}), limit: 100, ...(cursor ? { cursor } : {}) } }) as
      { items: typeof found; nextCursor: string | null };
    found.push(...page.items.filter((p) => p.email.toLowerCase() === needle
      || `${p.firstName} ${p.lastName}`.toLowerCase().includes(needle)));
    cursor = page.nextCursor;
  } while (cursor);
  const people = [...new Map(found.map((p) => [p.userId, p])).values()];
  if (people.length === 1) return people[0].userId;
  return new Problem(422, "/problems/validation", "Check the person", "", [{ pointer: "/person",
    detail: people.length === 0 ? `Nobody in this organisation is called ${wanted} or has that email address`
      : `${people.length} people match ${wanted}: enter their email address` }]);
}

export async function auditPage(problem: Problem | null = null): Promise<void> {
  const query = new URLSearchParams(location.search);
  let list = null as AuditList | null;
  if (!problem) {
    try {
      list = await api.get("/audit", { query: Object.fromEntries([...query].filter(([name]) => name !== "person")) }) as AuditList;
    } catch (failure) {
      if (!(failure instanceof Problem) || failure.status !== 422) throw failure;
      problem = failure;
    }
  }
  const filter = (name: string) => query.get(name) ?? "";
  page(problem ? "Error: Audit trail" : "Audit trail", html`
    ${errorSummary(problem)}
    ${list ? html`<span class="nhsuk-caption-l">${list.organisation.name} (${list.organisation.code})</span>` : ""}
    <h1>Audit trail</h1>
    <form id="audit-filter" novalidate>
      ${input({ pointer: "/organisation", label: "Organisation code", value: filter("organisation"), width: "nhsuk-input--width-10", hint: "Leave empty for your own" }, problem)}
      ${input({ pointer: "/person", label: "Person", value: filter("person"), hint: "Their name or email address: what they did, and what was done to them" }, problem)}
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="action">Action</label>
        <select class="nhsuk-select" id="action" name="action">
          <option value="">Any action</option>
          ${Object.entries(ACTIONS).map(([a, words]) => html`<option value="${a}" ${a === filter("action") ? "selected" : ""}>${words}</option>`)}
        </select>
      </div>
      ${input({ pointer: "/from", label: "From", type: "date", value: filter("from"), hint: "For example, 2026-04-01", width: "nhsuk-input--width-10" }, problem)}
      ${input({ pointer: "/to", label: "To", type: "date", value: filter("to"), width: "nhsuk-input--width-10" }, problem)}
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Show entries</button>
    </form>
    ${!list ? "" : list.items.length === 0 ? html`<p>No entries match.</p>` : html`
    <table class="nhsuk-table-responsive">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Audit entries, newest first</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">When</th><th scope="col" class="nhsuk-table__header">What</th>
        <th scope="col" class="nhsuk-table__header">By</th><th scope="col" class="nhsuk-table__header">To</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${list.items.map((e) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">When </span>${dateTime(e.at)}</td>
          <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">What </span>${ACTIONS[e.action] ?? e.action}</td>
          <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">By </span>${e.actorName}${e.actorEmail ? html`<br><span class="nhsuk-body-s">${e.actorEmail}</span>` : ""}</td>
          <td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">To </span>${e.targetLabel}</td></tr>`)}
      </tbody>
    </table>`}
    ${list?.nextCursor ? html`<p><a href="/audit?${new URLSearchParams({ ...Object.fromEntries(query), cursor: list.nextCursor }).toString()}">Older entries</a></p>` : ""}`, { wide: true });
  if (problem) focusSummary();
  document.getElementById("audit-filter")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = values(event.target as HTMLFormElement);
    const next = new URLSearchParams(Object.entries(form).filter(([name, v]) => v !== "" && name !== "person"));
    if (form["person"]) {
      const person = await personCalled(form["organisation"] ?? "", form["person"]);
      if (person instanceof Problem) {
        history.replaceState({}, "", `/audit?${new URLSearchParams({ ...Object.fromEntries(next), person: form["person"] })}`);
        await auditPage(person);
        return;
      }
      next.set("user", person);
      next.set("person", form["person"]);
    }
    navigate(`/audit?${next}`);
  });
}
