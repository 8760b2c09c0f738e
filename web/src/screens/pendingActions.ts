// Pending Actions for Commissioning Administrators and the Service Desk: a
// tile with the count waiting, then the registrations, sortable by date, name
// or organisation, shared mailboxes flagged; each opens Review user, where it
// is approved or rejected with a reason the person is sent.

import * as api from "../api";
import { Problem } from "../api";
import { dateTime } from "../format";
import { decisionRadios, errorSummary, focusSummary, wireDecision } from "../forms";
import { html } from "../html";
import { page } from "../layout";
import { navigate } from "../navigation";

interface Pending {
  id: string;
  submittedAt: string;
  firstName: string;
  lastName: string;
  email: string;
  organisationCode: string;
  organisationName: string;
  role: { code: string; label: string };
  genericEmail: boolean;
  genericEmailReason: string | null;
}

interface PendingList {
  organisation: string;
  sort: string;
  order: string;
  items: Pending[];
  nextCursor: string | null;
}

let lastList: Pending[] = [];

/** A person asking for access, as the Users section lists them. */
interface AccessRow {
  userId: string;
  firstName: string;
  lastName: string;
  email: string;
  role: { code: string; label: string };
  accessRequestId: string | null;
}

export async function pendingActionsPage(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const sort = (["submittedAt", "name", "organisation"] as const).find((s) => s === query.get("sort")) ?? "submittedAt";
  const order = query.get("order") === "desc" ? "desc" : "asc";
  const me = await api.whoAmI();
  const administers = me.memberships.some((m) => m.status === "active" && m.role.code === "commissioning_administrator");
  // Access requests (someone with an account asking for another organisation) wait beside the registrations.
  const [list, requests] = await Promise.all([
    api.get("/pending-actions", { query: { sort, order, limit: 100 } }) as Promise<PendingList>,
    administers ? api.get("/users", { query: { status: "pending", limit: 100 } }) as Promise<{ items: AccessRow[] }>
      : Promise.resolve({ items: [] as AccessRow[] }),
  ]);
  const asking = requests.items.filter((r) => r.accessRequestId);
  lastList = list.items;
  const header = (key: string, label: string) => {
    const current = key === sort;
    const next = current && order === "asc" ? "desc" : "asc";
    return html`<th scope="col" class="nhsuk-table__header" aria-sort="${current ? (order === "asc" ? "ascending" : "descending") : "none"}">
      <a href="/pending-actions?sort=${key}&order=${next}">${label}<span class="nhsuk-u-visually-hidden">, sort ${next === "asc" ? "ascending" : "descending"}</span></a></th>`;
  };
  page("Pending Actions", html`
    <h1>Pending Actions</h1>
    <ul class="nhsuk-grid-row nhsuk-card-group">
      <li class="nhsuk-grid-column-one-third nhsuk-card-group__item"><div class="nhsuk-card"><div class="nhsuk-card__content">
        <h2 class="nhsuk-card__heading nhsuk-heading-m">User registrations</h2>
        <p class="nhsuk-heading-xl nhsuk-u-margin-bottom-0" id="registrations-count">${list.items.length}${list.nextCursor ? "+" : ""}</p>
      </div></div></li>
      ${administers ? html`<li class="nhsuk-grid-column-one-third nhsuk-card-group__item"><div class="nhsuk-card"><div class="nhsuk-card__content">
        <h2 class="nhsuk-card__heading nhsuk-heading-m">Access requests</h2>
        <p class="nhsuk-heading-xl nhsuk-u-margin-bottom-0" id="access-requests-count">${asking.length}</p>
      </div></div></li>` : ""}
    </ul>
    ${asking.length ? html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption">Access requests waiting for review</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Name</th><th scope="col" class="nhsuk-table__header">Asks to be</th>
        <th scope="col" class="nhsuk-table__header">Review</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${asking.map((r) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${r.firstName} ${r.lastName}<br>${r.email}</td>
          <td class="nhsuk-table__cell">${r.role.label}</td>
          <td class="nhsuk-table__cell"><a href="/access-requests/${r.accessRequestId}?user=${r.userId}">Review<span class="nhsuk-u-visually-hidden"> ${r.firstName} ${r.lastName}'s request</span></a></td></tr>`)}
      </tbody>
    </table>` : ""}
    ${list.items.length === 0 && asking.length === 0 ? html`<p>There is nothing waiting for you.</p>` : list.items.length === 0 ? "" : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption">Registrations waiting for review</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        ${header("submittedAt", "Date")}${header("name", "Name")}${header("organisation", "Organisation")}
        <th scope="col" class="nhsuk-table__header">Role</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${list.items.map((p) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${dateTime(p.submittedAt)}</td>
          <td class="nhsuk-table__cell"><a href="/pending-actions/${p.id}">${p.firstName} ${p.lastName}</a><br>${p.email}
            ${p.genericEmail ? html`<br><strong class="nhsuk-tag nhsuk-tag--orange">Shared mailbox</strong>` : ""}</td>
          <td class="nhsuk-table__cell">${p.organisationName} (${p.organisationCode})</td>
          <td class="nhsuk-table__cell">${p.role.label}</td></tr>`)}
      </tbody>
    </table>`}`, { wide: true });
}

export async function reviewUserPage(id: string, problem: Problem | null = null, reason = ""): Promise<void> {
  let person = lastList.find((p) => p.id === id);
  if (!person) {
    lastList = (await api.get("/pending-actions", { query: { limit: 100 } }) as PendingList).items;
    person = lastList.find((p) => p.id === id);
  }
  if (!person) {
    page("Already reviewed", html`<h1>This registration is no longer waiting</h1><p>It may have been reviewed by someone else.</p>
      <p><a href="/pending-actions">Back to Pending Actions</a></p>`);
    return;
  }
  page("Review user", html`
    ${errorSummary(problem)}
    <h1>Review user</h1>
    <dl class="nhsuk-summary-list">
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Name</dt><dd class="nhsuk-summary-list__value">${person.firstName} ${person.lastName}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Email</dt><dd class="nhsuk-summary-list__value">${person.email}
        ${person.genericEmail ? html`<br><strong class="nhsuk-tag nhsuk-tag--orange">Shared mailbox</strong> ${person.genericEmailReason ?? ""}` : ""}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Organisation</dt><dd class="nhsuk-summary-list__value">${person.organisationName} (${person.organisationCode})</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Role</dt><dd class="nhsuk-summary-list__value">${person.role.label}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Registered</dt><dd class="nhsuk-summary-list__value">${dateTime(person.submittedAt)}</dd></div>
    </dl>
    <form id="review" novalidate>
      ${decisionRadios(problem, reason)}
      <button class="nhsuk-button" type="submit">Confirm</button>
    </form>
    <p><a href="/pending-actions">Back to Pending Actions</a></p>`);
  if (problem) focusSummary();
  wireDecision("review", async (decision) => {
    try {
      await api.post("/registrations/{id}/review", { path: { id }, body: decision });
      lastList = lastList.filter((p) => p.id !== id);
      navigate("/pending-actions");
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await reviewUserPage(id, failure, decision["reason"] ?? "");
    }
  }, (problem) => reviewUserPage(id, problem));
}
