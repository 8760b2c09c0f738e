// The Users section for administrators: people by organisation and status;
// View a user; Revoke or re-enable their access to one organisation (with a
// confirmation); Disable the whole account with a reason ("Other" takes up to
// 250 characters, counted as you type); Enable it again.

import * as api from "../api";
import type { Schema } from "../client";
import { Problem } from "../api";
import { dateTime } from "../format";
import { decisionRadios, errorSummary, errorsAt, fieldError, focusSummary, values, wireDecision } from "../forms";
import { html, Html } from "../html";
import { page } from "../layout";
import { askedToConfirm, confirmPage } from "../confirm";
import { stepDone, stepTo } from "../address";
import { navigate } from "../navigation";

interface Row {
  userId: string;
  accessRequestId: string | null;
  firstName: string;
  lastName: string;
  email: string;
  role: { code: string; label: string };
  membershipStatus: string;
  accountStatus: string;
  lastSignInAt: string | null;
  organisation?: { code: string; name: string };
}

interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  status: string;
  lastSignInAt: string | null;
  disabledReason: string | null;
  memberships: Row[];
}

const STATUSES: Array<[string, string]> = [["", "All"], ["pending", "Pending"], ["active", "Active"], ["revoked", "Revoked"], ["rejected", "Rejected"]];
export const DISABLE_REASONS: Array<[string, string]> = [
  ["left_organisation", "Left the organisation"],
  ["no_longer_requires_access", "No longer requires access"],
  ["duplicate_account", "Duplicate account"],
  ["security_concern", "Security concern"],
  ["other", "Other"],
];
const OTHER_LIMIT = 250;

function statusTag(status: string): Html {
  const colour: Record<string, string> = { active: "nhsuk-tag--green", pending: "nhsuk-tag--yellow", revoked: "nhsuk-tag--orange",
    disabled: "nhsuk-tag--red", rejected: "nhsuk-tag--grey" };
  return html`<strong class="nhsuk-tag ${colour[status] ?? ""}">${status.charAt(0).toUpperCase() + status.slice(1)}</strong>`;
}

export async function usersPage(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const organisation = query.get("organisation") ?? "";
  const status = query.get("status") ?? "";
  const list = await api.get("/users", { query: {
    ...(organisation ? { organisation } : {}),
    ...(status ? { status: status as "pending" | "active" | "revoked" | "rejected" } : {}),
  } }) as { organisation: { code: string; name: string }; items: Row[] };
  page("Users", html`
    <span class="nhsuk-caption-l">${list.organisation.name} (${list.organisation.code})</span>
    <h1>Users</h1>
    <p><a class="nhsuk-button nhsuk-button--secondary" href="/invite" role="button" draggable="false">Invite</a></p>
    <form id="filter" class="nhsuk-u-margin-bottom-5" method="get" action="/users">
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="organisation">Organisation code</label>
        <div class="nhsuk-hint" id="organisation-hint">Your own organisation or a provider you commission</div>
        <input class="nhsuk-input nhsuk-input--width-10" id="organisation" name="organisation" type="text" value="${organisation || list.organisation.code}" aria-describedby="organisation-hint">
      </div>
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="status">Status</label>
        <select class="nhsuk-select" id="status" name="status">
          ${STATUSES.map(([value, label]) => html`<option value="${value}" ${value === status ? "selected" : ""}>${label}</option>`)}
        </select>
      </div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Show users</button>
    </form>
    ${list.items.length === 0 ? html`<p>No users match.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Users</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Name</th><th scope="col" class="nhsuk-table__header">Role</th>
        <th scope="col" class="nhsuk-table__header">Access</th><th scope="col" class="nhsuk-table__header">Account</th>
        <th scope="col" class="nhsuk-table__header">Last signed in</th>
        <th scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">View</span></th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${list.items.map((u) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${u.firstName} ${u.lastName}<br><span class="nhsuk-body-s">${u.email}</span></td>
          <td class="nhsuk-table__cell">${u.role.label}</td>
          <td class="nhsuk-table__cell">${statusTag(u.membershipStatus)}</td>
          <td class="nhsuk-table__cell">${statusTag(u.accountStatus)}</td>
          <td class="nhsuk-table__cell">${u.lastSignInAt ? dateTime(u.lastSignInAt) : "Never"}</td>
          <td class="nhsuk-table__cell">${u.accessRequestId
            ? html`<a href="/access-requests/${u.accessRequestId}?user=${u.userId}">Review<span class="nhsuk-u-visually-hidden"> ${u.firstName} ${u.lastName}'s request</span></a>`
            : html`<a href="/users/${u.userId}">View<span class="nhsuk-u-visually-hidden"> ${u.firstName} ${u.lastName}</span></a>`}</td>
        </tr>`)}
      </tbody>
    </table>`}`, { wide: true });
  document.getElementById("filter")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = values(event.target as HTMLFormElement);
    const next = new URLSearchParams();
    if (chosen["organisation"]) next.set("organisation", chosen["organisation"].toUpperCase());
    if (chosen["status"]) next.set("status", chosen["status"]);
    navigate(`/users?${next}`);
  });
}

export async function userPage(id: string, notice = "", problem: Problem | null = null): Promise<void> {
  const user = await api.get("/users/{id}", { path: { id } }) as User;
  page(`${user.firstName} ${user.lastName}`, html`
    ${errorSummary(problem)}
    ${notice ? html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ""}
    <h1>${user.firstName} ${user.lastName}</h1>
    <dl class="nhsuk-summary-list">
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Email</dt><dd class="nhsuk-summary-list__value">${user.email}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Account</dt><dd class="nhsuk-summary-list__value" id="account-status">${statusTag(user.status)}
        ${user.status === "disabled" && user.disabledReason ? html`<br>${user.disabledReason}` : ""}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Last signed in</dt><dd class="nhsuk-summary-list__value">${user.lastSignInAt ? dateTime(user.lastSignInAt) : "Never"}</dd></div>
    </dl>
    <h2>Access</h2>
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Roles by organisation</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Organisation</th><th scope="col" class="nhsuk-table__header">Role</th>
        <th scope="col" class="nhsuk-table__header">Status</th><th scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">Change</span></th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${user.memberships.map((m) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${m.organisation?.name} (${m.organisation?.code})</td>
          <td class="nhsuk-table__cell">${m.role.label}</td>
          <td class="nhsuk-table__cell">${statusTag(m.membershipStatus)}</td>
          <td class="nhsuk-table__cell">${m.membershipStatus === "active"
            ? html`<button class="nhsuk-button nhsuk-button--warning nhsuk-button--small" type="button" data-membership="revoke" data-organisation="${m.organisation?.code}">Revoke<span class="nhsuk-u-visually-hidden"> access to ${m.organisation?.name}</span></button>`
            : m.membershipStatus === "revoked"
              ? html`<button class="nhsuk-button nhsuk-button--small" type="button" data-membership="enable" data-organisation="${m.organisation?.code}">Enable Account<span class="nhsuk-u-visually-hidden"> at ${m.organisation?.name}</span></button>` : ""}</td>
        </tr>`)}
      </tbody>
    </table>
    ${user.status === "disabled"
      ? html`<button class="nhsuk-button" type="button" id="enable-account">Enable Account</button>`
      : html`<button class="nhsuk-button nhsuk-button--warning" type="button" id="disable-account">Disable Account</button>`}
    <p><a href="/users">Back to Users</a></p>`, { wide: true });
  if (problem) focusSummary();
  const membershipChange = (action: string, organisation: string) => {
      const where = user.memberships.find((m) => m.organisation?.code === organisation)?.organisation?.name ?? organisation;
      confirmPage({
        step: `${action}-${organisation}`,
        question: action === "revoke" ? `Revoke ${user.firstName} ${user.lastName}'s access to ${where}?` : `Give ${user.firstName} ${user.lastName} access to ${where} again?`,
        detail: action === "revoke" ? "They can still sign in and use My Profile, but cannot act for this organisation. They will be emailed." : "They will be able to act for this organisation again.",
        warning: action === "revoke",
        change: () => {
          const membership = { path: { id, organisationCode: organisation }, body: { confirm: true as const } };
          return action === "revoke" ? api.post("/users/{id}/memberships/{organisationCode}/revoke", membership)
            : api.post("/users/{id}/memberships/{organisationCode}/enable", membership);
        },
        done: () => userPage(id, action === "revoke" ? "Access revoked." : "Access enabled again."),
        failed: (failure) => userPage(id, "", failure),
      });
  };
  const enableAccount = () => confirmPage({
    step: "enable-account",
    question: `Enable ${user.firstName} ${user.lastName}'s account?`, detail: "They will be able to sign in again.",
    change: () => api.post("/users/{id}/enable", { path: { id }, body: { confirm: true } }),
    done: () => userPage(id, "Account enabled."), failed: (failure) => userPage(id, "", failure),
  });
  document.querySelectorAll<HTMLButtonElement>("[data-membership]").forEach((button) =>
    button.addEventListener("click", () => membershipChange(button.dataset.membership!, button.dataset.organisation!)));
  document.getElementById("enable-account")?.addEventListener("click", enableAccount);
  document.getElementById("disable-account")?.addEventListener("click", () => disablePage(accountOf(user)));
  // A confirmation's own address (Back, a reload) opens it again.
  const asked = askedToConfirm() ?? "";
  const [action, organisation] = [asked.split("-")[0], asked.split("-").slice(1).join("-")];
  if ((action === "revoke" || action === "enable") && organisation && asked !== "enable-account") membershipChange(action, organisation);
  else if (asked === "enable-account" && user.status === "disabled") enableAccount();
  else if (asked === "disable" && user.status !== "disabled") disablePage(accountOf(user));
}

export interface DisableTarget {
  /** "Disable Jo Bloggs's account", or "Disable your account" from My Profile. */
  title: string;
  /** Disables the account with the reason chosen. */
  disable: (reason: Schema<"DisableForm">) => Promise<unknown>;
  cancel: string;
  done: () => Promise<void>;
}

function accountOf(user: { id: string; firstName: string; lastName: string }): DisableTarget {
  return { title: `Disable ${user.firstName} ${user.lastName}'s account`,
    disable: (body) => api.post("/users/{id}/disable", { path: { id: user.id }, body }),
    cancel: `/users/${user.id}`, done: () => userPage(user.id, "Account disabled.") };
}

/** Disable Account: a reason from the list, or Other with up to 250 characters. */
export function disablePage(target: DisableTarget, problem: Problem | null = null, chosen = "", detail = ""): void {
  const detailErrors = errorsAt(problem, "/detail");
  const reasonErrors = errorsAt(problem, "/reason");
  stepTo(`${location.pathname}?confirm=disable`);
  page(problem ? "Error: Disable account" : "Disable account", html`
    ${errorSummary(problem)}
    <h1>${target.title}</h1>
    <p>They will not be able to sign in for any organisation. Their details are kept for audit.</p>
    <form id="disable" novalidate>
      <div class="nhsuk-form-group ${reasonErrors.length ? "nhsuk-form-group--error" : ""}">
        <fieldset class="nhsuk-fieldset">
          <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Why are you disabling the account?</legend>
          ${fieldError("reason", reasonErrors)}
          <div class="nhsuk-radios">
            ${DISABLE_REASONS.map(([value, label], i) => html`<div class="nhsuk-radios__item">
              <input class="nhsuk-radios__input" id="${i === 0 ? "reason" : `reason-${value}`}" name="reason" type="radio" value="${value}" ${value === chosen ? "checked" : ""}>
              <label class="nhsuk-label nhsuk-radios__label" for="${i === 0 ? "reason" : `reason-${value}`}">${label}</label></div>`)}
          </div>
        </fieldset>
      </div>
      <div class="nhsuk-form-group ${detailErrors.length ? "nhsuk-form-group--error" : ""}" id="detail-group" ${chosen === "other" ? "" : "hidden"}>
        <label class="nhsuk-label" for="detail">Tell us more</label>
        <div class="nhsuk-hint" id="detail-hint">Give as much detail as you can, up to ${OTHER_LIMIT} characters</div>
        ${fieldError("detail", detailErrors)}
        <textarea class="nhsuk-textarea ${detailErrors.length ? "nhsuk-textarea--error" : ""}" id="detail" name="detail" rows="4"
          aria-describedby="detail-hint detail-count${detailErrors.length ? " detail-error" : ""}">${detail}</textarea>
        <div class="nhsuk-hint" id="detail-count" aria-live="polite"></div>
      </div>
      <button class="nhsuk-button nhsuk-button--warning" type="submit">Confirm</button>
      <a href="${target.cancel}">Cancel</a>
    </form>`);
  if (problem) focusSummary();
  const group = document.getElementById("detail-group");
  const textarea = document.getElementById("detail") as HTMLTextAreaElement;
  const count = document.getElementById("detail-count");
  const recount = () => {
    const left = OTHER_LIMIT - textarea.value.length;
    if (count) count.textContent = left >= 0 ? `You have ${left} ${left === 1 ? "character" : "characters"} remaining`
      : `You have ${-left} ${left === -1 ? "character" : "characters"} too many`;
  };
  recount();
  textarea.addEventListener("input", recount);
  document.querySelectorAll<HTMLInputElement>("input[name=reason]").forEach((radio) =>
    radio.addEventListener("change", () => { if (group) group.hidden = !(radio.value === "other" && radio.checked); }));
  document.getElementById("disable")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = values(event.target as HTMLFormElement);
    const reason = form["reason"] ?? "";
    // Sent as entered (perhaps "other" with no words yet): the server says what is missing, at its field.
    const body = { reason, ...(reason === "other" ? { detail: form["detail"] ?? "" } : {}) } as Schema<"DisableForm">;
    try {
      await target.disable(body);
      stepDone();
      await target.done();
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      disablePage(target, failure, reason, form["detail"] ?? "");
    }
  });
}

/** Review an access request (someone with an account asking for another organisation), as Review user. */
export async function reviewAccessPage(requestId: string, problem: Problem | null = null, reason = ""): Promise<void> {
  const userId = new URLSearchParams(location.search).get("user") ?? "";
  const user = await api.get("/users/{id}", { path: { id: userId } }) as User;
  const asked = user.memberships.find((m) => m.accessRequestId === requestId) ?? user.memberships.find((m) => m.membershipStatus === "pending");
  page("Review access request", html`
    ${errorSummary(problem)}
    <h1>Review access request</h1>
    <dl class="nhsuk-summary-list">
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Name</dt><dd class="nhsuk-summary-list__value">${user.firstName} ${user.lastName}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Email</dt><dd class="nhsuk-summary-list__value">${user.email}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Asks for</dt><dd class="nhsuk-summary-list__value">${asked ? html`${asked.role.label} at ${asked.organisation?.name} (${asked.organisation?.code})` : ""}</dd></div>
    </dl>
    <form id="review" novalidate>
      ${decisionRadios(problem, reason)}
      <button class="nhsuk-button" type="submit">Confirm</button>
    </form>
    <p><a href="/users">Back to Users</a></p>`);
  if (problem) focusSummary();
  wireDecision("review", async (decision) => {
    try {
      await api.post("/access-requests/{id}/review", { path: { id: requestId }, body: decision });
      navigate(`/users/${userId}`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await reviewAccessPage(requestId, failure, decision["reason"] ?? "");
    }
  }, (problem) => reviewAccessPage(requestId, problem));
}
