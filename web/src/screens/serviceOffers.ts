// Offering a service, for a commissioner's administrators: pick practices
// (search, pick many, or all of the commissioner's), offer it, and see who
// accepted, declined or has not answered; a declined offer can be made again.

import * as api from "../api";
import { oneRequest, Problem } from "../api";
import { count, date } from "../format";
import { errorSummary, focusSummary, notice, values } from "../forms";
import { html } from "../html";
import { page } from "../layout";
import { everyOrganisation } from "./organisations";
import { commissionerOf, offersInWords, OfferCounts, Service, tag } from "./services";

interface Offer {
  provider: { code: string; name: string }; status: "offered" | "accepted" | "declined"; offeredAt: string; answeredAt: string | null;
}

const STATUS: Record<string, [string, string]> = { offered: ["Waiting for an answer", "yellow"], accepted: ["Accepted", "green"], declined: ["Declined", "grey"] };

export async function serviceOffersPage(serviceId: string, problem: Problem | null = null, said = ""): Promise<void> {
  const commissioner = await commissionerOf();
  const [service, offers] = await Promise.all([
    api.get("/services/{id}", { path: { id: serviceId } }) as Promise<Service>,
    api.get("/services/{id}/offers", { path: { id: serviceId } }) as Promise<{ counts: OfferCounts; items: Offer[] }>,
  ]);
  const mayOffer = Boolean(commissioner?.administrator) && (service.administrator || service.commissioner !== commissioner?.code);
  const offered = new Map(offers.items.map((o) => [o.provider.code, o]));
  const practices = mayOffer && commissioner ? await everyOrganisation({ commissioner: commissioner.code }) : [];
  const notYet = practices.filter((p) => !offered.has(p.code));
  page(`Offers – ${service.name}`, html`
    ${errorSummary(problem)}
    ${notice(said)}
    <span class="nhsuk-caption-l">${service.name}, ${service.financialYear}</span>
    <h1>Offers</h1>
    <p id="offer-counts">${offersInWords(offers.counts)}.</p>
    ${offers.items.length ? html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Practices offered ${service.name}</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Practice</th><th scope="col" class="nhsuk-table__header">Offered</th>
        <th scope="col" class="nhsuk-table__header">Answer</th>
        <th scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">Action</span></th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${offers.items.map((o) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${o.provider.name} (${o.provider.code})</td>
          <td class="nhsuk-table__cell">${date(o.offeredAt)}</td>
          <td class="nhsuk-table__cell">${tag(STATUS[o.status]![0], STATUS[o.status]![1])}${o.answeredAt ? html`<br>${date(o.answeredAt)}` : ""}</td>
          <td class="nhsuk-table__cell">${mayOffer && o.status === "declined" ? html`<button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            type="button" data-offer-again="${o.provider.code}">Offer again<span class="nhsuk-u-visually-hidden"> to ${o.provider.name}</span></button>` : ""}</td>
        </tr>`)}
      </tbody>
    </table>` : ""}
    ${mayOffer ? html`
    <h2>Offer to practices</h2>
    ${notYet.length === 0 ? html`<p>Every one of your practices has been offered this service.</p>` : html`
    <form id="offer-form" novalidate>
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="practice-search">Search your practices</label>
        <div class="nhsuk-hint" id="practice-search-hint">By name or ODS code</div>
        <input class="nhsuk-input nhsuk-u-width-two-thirds" id="practice-search" type="search" aria-describedby="practice-search-hint" autocomplete="off">
      </div>
      <div class="nhsuk-form-group">
        <fieldset class="nhsuk-fieldset" id="providers" aria-describedby="providers-count">
          <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Practices to offer it to</legend>
          <div class="nhsuk-hint" id="providers-count">${count(notYet.length, "practice")} not offered yet</div>
          <div class="nhsuk-checkboxes nhsuk-checkboxes--small">
            <div class="nhsuk-checkboxes__item"><input class="nhsuk-checkboxes__input" id="all-practices" type="checkbox">
              <label class="nhsuk-label nhsuk-checkboxes__label" for="all-practices">All ${count(notYet.length, "practice")} not offered yet</label></div>
            ${notYet.map((p) => html`<div class="nhsuk-checkboxes__item" data-practice="${`${p.name} ${p.code}`.toLowerCase()}">
              <input class="nhsuk-checkboxes__input" id="practice-${p.code}" name="practice-${p.code}" type="checkbox" value="${p.code}">
              <label class="nhsuk-label nhsuk-checkboxes__label" for="practice-${p.code}">${p.name} (${p.code})</label></div>`)}
          </div>
        </fieldset>
      </div>
      <button class="nhsuk-button" type="submit">Offer to chosen practices</button>
    </form>`}` : ""}
    <p><a href="/services/${serviceId}">Back to ${service.name}</a></p>`, { wide: true });
  if (problem) focusSummary();
  const form = document.getElementById("offer-form") as HTMLFormElement | null;
  document.getElementById("practice-search")?.addEventListener("input", (event) => {
    const wanted = (event.target as HTMLInputElement).value.trim().toLowerCase();
    form?.querySelectorAll<HTMLElement>("[data-practice]").forEach((item) => { item.hidden = !item.dataset["practice"]!.includes(wanted); });
  });
  document.getElementById("all-practices")?.addEventListener("change", (event) => {
    const all = (event.target as HTMLInputElement).checked;
    form?.querySelectorAll<HTMLInputElement>("input[name^=practice-]").forEach((box) => { box.checked = all; });
  });
  const offer = async (providers: string[]) => {
    try {
      const answer = await api.post("/services/{id}/offers", { path: { id: serviceId }, body: {
        providers, ...(commissioner && commissioner.code !== service.commissioner ? { commissioner: commissioner.code } : {}),
      }, headers: oneRequest() }) as { results: unknown[] };
      await serviceOffersPage(serviceId, null, `${service.name} is offered to ${count(answer.results.length, "practice")}. Each is emailed.`);
      document.getElementById("notice")?.focus();
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await serviceOffersPage(serviceId, failure);
    }
  };
  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = Object.entries(values(form)).filter(([name]) => name.startsWith("practice-")).map(([, code]) => code);
    if (chosen.length === 0) {
      void serviceOffersPage(serviceId, new Problem(422, "/problems/validation", "Choose practices", "",
        [{ pointer: "/providers", detail: "Choose at least one practice to offer the service to" }]));
      return;
    }
    void offer(chosen);
  });
  document.querySelectorAll<HTMLButtonElement>("[data-offer-again]").forEach((button) =>
    button.addEventListener("click", () => void offer([button.dataset["offerAgain"]!])));
}
