// The Claims page: a practice's claims with their statuses and +New Claim when
// a claim can be started — otherwise the reason, in the guides' words. A
// commissioner's people see the claims submitted to them.

import * as api from "../api";
import { oneRequest, Problem } from "../api";
import { date } from "../format";
import { errorSummary } from "../forms";
import { headings, html } from "../html";
import { page, statusTag } from "../layout";
import { navigate } from "../navigation";
import { Availability, ClaimListItem, Me } from "../types";

export async function claimsPage(problem: Problem | null = null): Promise<void> {
  const me: Me = await api.whoAmI();
  const active = me.memberships.filter((m) => m.status === "active");
  const wanted = new URLSearchParams(location.search).get("organisation");
  const membership = active.find((m) => m.organisationCode === wanted) ?? active[0];
  if (!membership) {
    page("Claims", html`<h1>Claims</h1><p>You do not have access to any organisation yet.</p>`);
    return;
  }
  const provider = membership.role.code.startsWith("provider");
  const code = membership.organisationCode;
  const [list, availability] = await Promise.all([
    api.get("/claims", { query: provider ? { provider: code } : { commissioner: code } }) as Promise<{ items: ClaimListItem[] }>,
    provider ? api.get("/providers/{code}/claims/availability", { path: { code } }) as Promise<Availability> : Promise.resolve(null),
  ]);
  page("Claims", html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${membership.organisationName} (${code})</span>
    <h1>Claims</h1>
    ${active.length > 1 ? html`<p>${active.filter((m) => m !== membership).map((m) =>
      html`<a href="/claims?organisation=${m.organisationCode}">${m.organisationName} claims</a> `)}</p>` : ""}
    ${availability ? newClaim(availability) : ""}
    ${list.items.length === 0 ? html`<p>There are no claims yet.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Claims</caption>
      ${headings("Claim ID", "Services", "Status", "Started", "Submitted")}
      <tbody class="nhsuk-table__body">
        ${list.items.map((claim) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell"><a href="/claims/${claim.id}">${claim.id}</a></td>
          <td class="nhsuk-table__cell">${claim.services.map((s) => html`${s.name} (${s.periodLabel})<br>`)}</td>
          <td class="nhsuk-table__cell">${statusTag(claim.status)}</td>
          <td class="nhsuk-table__cell">${date(claim.createdAt)}</td>
          <td class="nhsuk-table__cell">${date(claim.submittedAt)}</td>
        </tr>`)}
      </tbody>
    </table>`}`, { wide: true });
  document.getElementById("new-claim")?.addEventListener("click", async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true; // a double click starts one claim
    try {
      const claim = await api.post("/claims", { body: { provider: code }, headers: oneRequest() });
      navigate(`/claims/${claim.id}`);
    } catch (failure) {
      if (failure instanceof Problem) await claimsPage(failure);
      else throw failure;
    }
  });
}

function newClaim(availability: Availability) {
  if (availability.canStartClaim) {
    return html`<button class="nhsuk-button" id="new-claim" type="button">+New Claim</button>`;
  }
  return html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span>
    ${availability.reasons.map((r) => html`<p>${r.message}</p>`)}</div>`;
}
