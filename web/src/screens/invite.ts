// Invite a user, in the guides' six steps: email address; first and last
// name; organisation; role; the email as it will be sent; Send. Then the
// pending invitations (Resend, Cancel), and accepting one from its link.

import * as api from "../api";
import { stepTo } from "../address";
import type { Schema } from "../client";
import * as auth from "../auth";
import { oneRequest, Problem } from "../api";
import { dateTime } from "../format";
import { errorsAt, errorSummary, fieldError, focusSummary, input, radios, values } from "../forms";
import { html, Html } from "../html";
import { focusNewScreen, page } from "../layout";
import { navigate } from "../navigation";
import { rolesAt } from "../roles";
import { everyOrganisation } from "./organisations";

interface Draft {
  email: string;
  firstName: string;
  lastName: string;
  organisationCode: string;
  role: string;
}

interface Organisation {
  code: string;
  name: string;
  kind: string;
}


let draft: Draft = { email: "", firstName: "", lastName: "", organisationCode: "", role: "" };

/** One step of inviting, at its own address (`/invite?step=3`), so Back goes one step back. */
function step(number: number, title: string, body: Html, problem: Problem | null, action = "Next"): void {
  stepTo(number > 1 ? `/invite?step=${number}` : "/invite");
  page(problem ? `Error: ${title}` : title, html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">Invite a user – step ${number} of 6</span>
    <h1>${title}</h1>
    <form id="step" novalidate>
      ${body}
      <button class="nhsuk-button" type="submit">${action}</button>
    </form>
    ${number > 1 ? html`<p><a href="${number > 2 ? `/invite?step=${number - 1}` : "/invite"}" class="nhsuk-back-link__link">Back</a></p>` : ""}`);
  if (problem) focusSummary();
  else if (number > 1) focusNewScreen();
}

function onSubmit(next: (form: Record<string, string>) => Promise<void> | void): void {
  document.getElementById("step")?.addEventListener("submit", (event) => {
    event.preventDefault();
    void next(values(event.target as HTMLFormElement));
  });
}

function missing(pointer: string, detail: string): Problem {
  return new Problem(422, "/problems/invalid-fields", "Check the form", "", [{ pointer, detail }]);
}

/** The organisations the inviter may invite to: the Service Desk's commissioners, or an administrator's own
 * commissioners and every one of their providers (an ICB may commission hundreds). */
async function organisations(): Promise<Organisation[]> {
  const me = await api.whoAmI();
  const active = me.memberships.filter((m) => m.status === "active");
  if (active.some((m) => m.role.code === "service_desk")) return everyOrganisation({});
  const administered = active.filter((m) => m.role.code === "commissioning_administrator");
  const own: Organisation[] = administered.map((m) => ({ code: m.organisationCode, name: m.organisationName, kind: "commissioner" }));
  const providers = await Promise.all(administered.map((m) => everyOrganisation({ commissioner: m.organisationCode })));
  return [...own, ...providers.flat()];
}

/** Starts a new invitation to this organisation and role (the Service Desk's first administrator of an ICB). */
export function startInvitation(organisationCode: string, role: string): void {
  draft = { email: "", firstName: "", lastName: "", organisationCode, role };
}

export async function inviteStep(asked = 1, problem: Problem | null = null): Promise<void> {
  // A step whose earlier answers are not known (a reload part way) starts where they are missing.
  const number = Math.min(asked, !draft.email ? 1 : !draft.organisationCode ? 3 : !draft.role ? 4 : 5);
  if (number <= 1) {
    step(1, "What is their email address?", input({ pointer: "/email", label: "Email address", type: "email", value: draft.email, autocomplete: "off" }, problem), problem);
    onSubmit((form) => {
      const email = form["email"] ?? "";
      if (!email.includes("@")) return inviteStep(1, missing("/email", "Enter an email address in the correct format, like name@example.nhs.uk"));
      draft = { ...draft, email };
      return inviteStep(2);
    });
  } else if (number === 2) {
    step(2, "What is their name?", html`
      <p>If they already have a Local Claims account, the name on it is kept.</p>
      ${input({ pointer: "/firstName", label: "First name", value: draft.firstName, width: "nhsuk-u-width-two-thirds" }, problem)}
      ${input({ pointer: "/lastName", label: "Last name", value: draft.lastName, width: "nhsuk-u-width-two-thirds" }, problem)}`, problem);
    onSubmit((form) => {
      draft = { ...draft, firstName: form["firstName"] ?? "", lastName: form["lastName"] ?? "" };
      return inviteStep(3);
    });
  } else if (number === 3) {
    const choices = await organisations();
    const errors = errorsAt(problem, "/organisationCode");
    step(3, "Which organisation are you inviting them to?", html`
      <div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
        <label class="nhsuk-label" for="organisationCode">Organisation</label>
        ${fieldError("organisationCode", errors)}
        <select class="nhsuk-select ${errors.length ? "nhsuk-select--error" : ""}" id="organisationCode" name="organisationCode"
          ${errors.length ? html`aria-describedby="organisationCode-error"` : ""}>
          <option value="">Choose an organisation</option>
          ${choices.map((o) => html`<option value="${o.code}" ${o.code === draft.organisationCode ? "selected" : ""}>${o.name} (${o.code})</option>`)}
        </select>
      </div>`, problem);
    onSubmit((form) => {
      if (!form["organisationCode"]) return inviteStep(3, missing("/organisationCode", "Choose the organisation"));
      const kind = choices.find((o) => o.code === form["organisationCode"])?.kind ?? "provider";
      draft = { ...draft, organisationCode: form["organisationCode"], role: kind === "commissioner" ? "commissioning_administrator" : "provider_user" };
      return inviteStep(4);
    });
  } else if (number === 4) {
    const choices = await organisations();
    const kind = choices.find((o) => o.code === draft.organisationCode)?.kind ?? "provider";
    step(4, "Which role should they have?",
      radios("/role", "Role", rolesAt(kind === "commissioner" ? "commissioner" : "provider"), draft.role, problem), problem);
    onSubmit((form) => {
      draft = { ...draft, role: form["role"] ?? "" };
      return inviteStep(5);
    });
  } else {
    await preview(problem);
  }
}

/** The invitation as the API takes it: the names only when given (someone with an account has them). */
function invitation(): Schema<"InviteForm"> {
  return {
    email: draft.email,
    ...(draft.firstName ? { firstName: draft.firstName } : {}),
    ...(draft.lastName ? { lastName: draft.lastName } : {}),
    organisationCode: draft.organisationCode,
    role: draft.role as Schema<"InviteForm">["role"],
  };
}

/** Steps 5 and 6: the email exactly as it will be sent, then Send. */
async function preview(problem: Problem | null): Promise<void> {
  let shown: { existingAccount: boolean; email: { to: string; subject: string; text: string } };
  try {
    shown = await api.post("/invitations", { body: { ...invitation(), preview: true } }) as typeof shown;
  } catch (failure) {
    if (!(failure instanceof Problem)) throw failure;
    const pointer = failure.errors[0]?.pointer ?? "";
    const back = pointer === "/email" ? 1 : pointer === "/firstName" || pointer === "/lastName" ? 2 : pointer === "/organisationCode" ? 3 : 4;
    await inviteStep(back, failure);
    return;
  }
  step(5, "Check the invitation", html`
    ${shown.existingAccount ? html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p>${draft.email} already has an account: they will be asked to sign in to accept.</p></div>` : ""}
    <dl class="nhsuk-summary-list">
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">To</dt><dd class="nhsuk-summary-list__value">${shown.email.to}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Subject</dt><dd class="nhsuk-summary-list__value">${shown.email.subject}</dd></div>
    </dl>
    <div class="nhsuk-card"><div class="nhsuk-card__content"><h2 class="nhsuk-card__heading nhsuk-heading-s">The email</h2>
      ${shown.email.text.split("\n").filter((line) => line.trim() !== "").map((line) => html`<p>${line}</p>`)}</div></div>`, problem, "Send");
  onSubmit(async () => {
    try {
      await api.post("/invitations", { body: { ...invitation(), preview: false }, headers: oneRequest() });
      const sentTo = draft.email;
      const where = draft.organisationCode;
      draft = { email: "", firstName: "", lastName: "", organisationCode: "", role: "" };
      page("Invitation sent", html`<div class="nhsuk-panel"><h1 class="nhsuk-panel__title">Invitation sent</h1>
        <div class="nhsuk-panel__body">to ${sentTo}</div></div>
        <p>The link in it works once, for 7 days.</p>
        <p><a href="/invitations?organisation=${where}">See pending invitations</a></p><p><a href="/invite">Invite someone else</a></p>`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await preview(failure);
    }
  });
}

interface Invitation {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  role: { code: string; label: string };
  sentAt: string;
  expiresAt: string;
  expired: boolean;
}

export async function invitationsPage(notice = "", problem: Problem | null = null): Promise<void> {
  const organisation = new URLSearchParams(location.search).get("organisation") ?? "";
  const list = await api.get("/invitations", { query: organisation ? { organisation } : {} }) as
    { organisation: { code: string; name: string }; items: Invitation[] };
  page("Pending invitations", html`
    ${errorSummary(problem)}
    ${notice ? html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ""}
    <span class="nhsuk-caption-l">${list.organisation.name}</span>
    <h1>Pending invitations</h1>
    <p><a href="/invite">Invite a user</a></p>
    <form id="organisation-filter" novalidate>
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="organisation">Organisation code</label>
        <input class="nhsuk-input nhsuk-input--width-10" id="organisation" name="organisation" type="text" value="${organisation || list.organisation.code}">
      </div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Show invitations</button>
    </form>
    ${list.items.length === 0 ? html`<p>There are no pending invitations.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Pending invitations</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Invited</th><th scope="col" class="nhsuk-table__header">Role</th>
        <th scope="col" class="nhsuk-table__header">Sent</th><th scope="col" class="nhsuk-table__header">Link expires</th>
        <th scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">Actions</span></th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${list.items.map((i) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${i.firstName ?? ""} ${i.lastName ?? ""}<br>${i.email}</td>
          <td class="nhsuk-table__cell">${i.role.label}</td><td class="nhsuk-table__cell">${dateTime(i.sentAt)}</td>
          <td class="nhsuk-table__cell">${i.expired ? html`<strong class="nhsuk-tag nhsuk-tag--grey">Expired</strong>` : dateTime(i.expiresAt)}</td>
          <td class="nhsuk-table__cell">
            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-1" type="button" data-resend="${i.id}">Resend<span class="nhsuk-u-visually-hidden"> to ${i.email}</span></button>
            <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-1" type="button" data-cancel="${i.id}">Cancel<span class="nhsuk-u-visually-hidden"> the invitation to ${i.email}</span></button></td>
        </tr>`)}
      </tbody>
    </table>`}`, { wide: true });
  const act = (attribute: string, run: (id: string) => Promise<unknown>, said: string) =>
    document.querySelectorAll<HTMLButtonElement>(`[${attribute}]`).forEach((button) =>
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          await run(button.getAttribute(attribute)!);
          await invitationsPage(said);
        } catch (failure) {
          if (!(failure instanceof Problem)) throw failure;
          await invitationsPage("", failure);
        }
      }));
  document.getElementById("organisation-filter")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = (values(event.target as HTMLFormElement)["organisation"] ?? "").toUpperCase();
    navigate(`/invitations?organisation=${encodeURIComponent(code)}`);
  });
  act("data-resend", (id) => api.post("/invitations/{id}/resend", { path: { id } }), "A new link has been sent. The old one no longer works.");
  act("data-cancel", (id) => api.remove("/invitations/{id}", { path: { id } }), "The invitation has been cancelled. Its link no longer works.");
}

/** Accepting from the emailed link (#token=…): a new person sets a password; someone with an account accepts signed in. */
export function acceptInvitationPage(problem: Problem | null = null): void {
  const token = new URLSearchParams(location.hash.replace(/^#/, "")).get("token") ?? "";
  const signedIn = auth.current();
  page("Accept your invitation", html`
    ${errorSummary(problem)}
    <h1>Accept your invitation</h1>
    ${signedIn ? html`<p>You are signed in as ${signedIn.email}.</p>
      <form id="accept" novalidate><button class="nhsuk-button" type="submit">Accept the invitation</button></form>`
    : html`<p>If you do not have a Local Claims account yet, choose a password to set it up.</p>
      <form id="accept" novalidate>
        ${input({ pointer: "/password", label: "Password", type: "password", autocomplete: "new-password",
          hint: "At least 12 characters, with upper and lower case letters, a number and a symbol" }, problem)}
        <button class="nhsuk-button" type="submit">Accept the invitation</button>
      </form>
      <p>Already have an account? <a href="/sign-in" id="sign-in-first">Sign in first</a>, then open the link in the email again.</p>`}`);
  if (problem) focusSummary();
  document.getElementById("accept")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = values(event.target as HTMLFormElement);
    try {
      const accepted = signedIn
        ? await api.post("/invitations/accept", { body: { token } })
        : await api.publicPost("/invitations/accept", { body: { token, password: form["password"] } });
      page("Invitation accepted", html`<div class="nhsuk-panel"><h1 class="nhsuk-panel__title">Invitation accepted</h1>
        <div class="nhsuk-panel__body">You now have access to ${accepted.organisationCode}</div></div>
        <p><a href="${signedIn ? "/" : "/sign-in"}">${signedIn ? "Continue" : "Sign in to Local Claims"}</a></p>`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      acceptInvitationPage(failure);
    }
  });
}
