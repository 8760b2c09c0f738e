// A provider's offers: services its commissioner offers it, to accept or
// decline; and its claim windows — open, upcoming, closed and missed.

import * as api from "../api";
import { Problem } from "../api";
import { date, dateTime } from "../format";
import { errorSummary } from "../forms";
import { html } from "../html";
import { page } from "../layout";

interface Offer {
  id: string;
  service: { id: string; name?: string; financialYear?: string; componentCount?: number };
  provider: { code: string; name: string };
  commissioner: string;
  status: "offered" | "accepted" | "declined";
  offeredAt: string;
  answeredAt: string | null;
}

interface Window {
  service: { id: string; name: string };
  label: string;
  opensAt: string;
  closesAt: string;
  state: "upcoming" | "open" | "closed" | "missed";
  claimed: boolean;
}

async function provider(): Promise<{ code: string; name: string } | null> {
  const me = await api.whoAmI();
  const membership = me.memberships.find((m) => m.status === "active" && m.role.code.startsWith("provider"));
  return membership ? { code: membership.organisationCode, name: membership.organisationName } : null;
}

export async function offersPage(problem: Problem | null = null): Promise<void> {
  const practice = await provider();
  if (!practice) {
    page("Offers", html`<h1>Offers</h1><p>Offers are made to practices and other providers.</p>`);
    return;
  }
  const offers = await api.get("/offers", { query: { organisation: practice.code } }) as { items: Offer[] };
  const label = { offered: html`<strong class="nhsuk-tag nhsuk-tag--yellow">Waiting for your answer</strong>`,
    accepted: html`<strong class="nhsuk-tag nhsuk-tag--green">Accepted</strong>`,
    declined: html`<strong class="nhsuk-tag nhsuk-tag--grey">Declined</strong>` };
  page("Offers", html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${practice.name} (${practice.code})</span>
    <h1>Offers</h1>
    ${offers.items.length === 0 ? html`<p>Your commissioner has not offered you any services yet.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Services offered to you</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Service</th><th scope="col" class="nhsuk-table__header">Year</th>
        <th scope="col" class="nhsuk-table__header">Offered</th><th scope="col" class="nhsuk-table__header">Status</th>
        <th scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">Answer</span></th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${offers.items.map((o) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${o.service.name ?? o.service.id}</td>
          <td class="nhsuk-table__cell">${o.service.financialYear ?? ""}</td>
          <td class="nhsuk-table__cell">${date(o.offeredAt)}</td>
          <td class="nhsuk-table__cell">${label[o.status]}</td>
          <td class="nhsuk-table__cell">${o.status === "offered" ? html`
            <button class="nhsuk-button nhsuk-button--small nhsuk-u-margin-bottom-1" type="button" data-answer="accept" data-offer="${o.id}">Accept<span class="nhsuk-u-visually-hidden"> ${o.service.name}</span></button>
            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-1" type="button" data-answer="decline" data-offer="${o.id}">Decline<span class="nhsuk-u-visually-hidden"> ${o.service.name}</span></button>` : ""}</td>
        </tr>`)}
      </tbody>
    </table>`}`, { wide: true });
  document.querySelectorAll<HTMLButtonElement>("[data-offer]").forEach((button) =>
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const offer = { path: { id: button.dataset.offer! } };
        await (button.dataset.answer === "accept" ? api.post("/offers/{id}/accept", offer) : api.post("/offers/{id}/decline", offer));
        await offersPage();
      } catch (failure) {
        if (!(failure instanceof Problem)) throw failure;
        await offersPage(failure);
      }
    }));
}

export async function windowsPage(): Promise<void> {
  const practice = await provider();
  if (!practice) {
    page("Claim windows", html`<h1>Claim windows</h1><p>Claim windows are shown to practices and other providers.</p>`);
    return;
  }
  const windows = await api.get("/providers/{code}/windows", { path: { code: practice.code } }) as
    { claimsAnyTime: boolean; items: Window[] };
  const groups: Array<[Window["state"], string]> = [["open", "Open now"], ["upcoming", "Upcoming"], ["missed", "Missed"], ["closed", "Closed"]];
  page("Claim windows", html`
    <span class="nhsuk-caption-l">${practice.name} (${practice.code})</span>
    <h1>Claim windows</h1>
    ${windows.claimsAnyTime ? html`<p>Your practice can claim at any time: it has no claim windows.</p>` : groups.map(([state, heading]) => {
      const items = windows.items.filter((w) => w.state === state);
      return items.length === 0 ? "" : html`<h2>${heading}</h2>
        <table class="nhsuk-table">
          <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">${heading}</caption>
          <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
            <th scope="col" class="nhsuk-table__header">Service</th><th scope="col" class="nhsuk-table__header">Period</th>
            <th scope="col" class="nhsuk-table__header">Opens</th><th scope="col" class="nhsuk-table__header">Closes</th>
            <th scope="col" class="nhsuk-table__header">Claimed</th></tr></thead>
          <tbody class="nhsuk-table__body">${items.map((w) => html`<tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell">${w.service.name}</td><td class="nhsuk-table__cell">${w.label}</td>
            <td class="nhsuk-table__cell">${dateTime(w.opensAt)}</td><td class="nhsuk-table__cell">${dateTime(w.closesAt)}</td>
            <td class="nhsuk-table__cell">${w.claimed ? "Yes" : "No"}</td></tr>`)}</tbody>
        </table>`;
    })}
    ${!windows.claimsAnyTime && windows.items.length === 0 ? html`<p>There are no claim windows for your services yet.</p>` : ""}`, { wide: true });
}
