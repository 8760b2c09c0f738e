// A commissioner's year in the browser: its services by financial year, each
// service's set-up (details, finance codes, components, claim windows, offers)
// and what is left to do. Administrators change them; Tier 1, Tier 2 and
// Finance see them, as the guides give them a view.

import * as api from "../api";
import { oneRequest, Problem } from "../api";
import { count, date, dateTime, money, pence } from "../format";
import { errorSummary, focusSummary, input, notice, onSubmit, radios, select, textarea, values } from "../forms";
import { html, Html } from "../html";
import { page } from "../layout";
import { navigate } from "../navigation";
import { Membership } from "../types";

export interface OfferCounts { offered: number; accepted: number; declined: number }
interface Stage { code: string; label: string }

interface ServiceLine {
  id: string; commissioner: string; name: string; financialYear: string; claimPeriods: string; shared: boolean;
  offers: OfferCounts; componentCount?: number; windowCount?: number; stage?: Stage;
}

export interface Payment {
  type: "per_unit" | "retainer" | "participation_only";
  unitPrice?: string; unitLabel?: string; maxUnits?: number | null; amount?: string; information?: string | null;
}
export interface Evidence { requiredFromUnits: number; guidance?: string | null; accepted: Array<{ extension: string; contentType: string }>; maxBytes: number }
export interface Question {
  id?: string; text: string; required?: boolean;
  answer: { type: string; mustBeYes?: boolean; maxLength?: number; min?: number | null; max?: number | null; options?: string[] };
}
export interface Version {
  version: number; effectiveFrom: string; name: string; description?: string | null; payment: Payment;
  evidence?: Evidence | null; questions?: Question[]; tariffs?: Array<{ provider: string; price: string }>;
}
export interface Component { id: string; name: string; versionCount: number; inForce: Version | null; upcoming: Version[]; versions?: Version[] }
export interface ClaimWindow {
  period: string; label: string; firstDay: string; lastDay: string; opensAt: string; closesAt: string;
  state: "upcoming" | "open" | "closed"; missed?: string[];
}
export interface Service {
  id: string; commissioner: string; name: string; description: string | null; financialYear: string;
  claimPeriods: "quarterly" | "monthly"; sharedWith: string[] | null; componentCount: number; windowCount: number;
  budget: string | null; vatCode: string | null; costCentre: string | null; subjectiveCode: string | null;
  stage?: Stage; offers?: OfferCounts; administrator?: boolean; components?: Component[]; windows?: ClaimWindow[];
}

const VIEWING_ROLES = ["commissioning_administrator", "approver_tier1", "approver_tier2", "finance"];

/** The commissioner whose services these are, and whether the person administers it. */
export async function commissionerOf(): Promise<{ code: string; name: string; administrator: boolean } | null> {
  const me = await api.whoAmI();
  const active = me.memberships.filter((m: Membership) => m.status === "active" && VIEWING_ROLES.includes(m.role.code));
  const chosen = active.find((m) => m.role.code === "commissioning_administrator") ?? active[0];
  if (!chosen) return null;
  return {
    code: chosen.organisationCode, name: chosen.organisationName,
    administrator: active.some((m) => m.organisationCode === chosen.organisationCode && m.role.code === "commissioning_administrator"),
  };
}

/** The financial year today is in ("2026/27"), and the ones either side. */
export function financialYears(): string[] {
  const today = new Date();
  const start = today.getMonth() >= 3 ? today.getFullYear() : today.getFullYear() - 1;
  const year = (first: number) => `${first}/${String((first + 1) % 100).padStart(2, "0")}`;
  return [year(start - 1), year(start), year(start + 1)];
}

export function tag(text: string, colour: string): Html {
  return html`<strong class="nhsuk-tag nhsuk-tag--${colour}">${text}</strong>`;
}

const STAGE_COLOURS: Record<string, string> = { add_components: "yellow", add_windows: "yellow", ready_to_offer: "blue", offered: "green" };

export function offersInWords(offers: OfferCounts): string {
  return `${offers.accepted} accepted, ${offers.declined} declined, ${offers.offered} waiting`;
}





function refusedHere(): Html {
  return html`<h1>Services</h1><p>Services are set up by a commissioner's administrators, and seen by its approvers and Finance.</p>`;
}

// ------------------------------------------------------------------ the list

export async function servicesPage(): Promise<void> {
  const commissioner = await commissionerOf();
  if (!commissioner) {
    page("Services", refusedHere());
    return;
  }
  const years = financialYears();
  const year = new URLSearchParams(location.search).get("year") ?? years[1]!;
  const listed = await api.get("/services", { query: { commissioner: commissioner.code, year, limit: 100 } }) as { items: ServiceLine[] };
  page("Services", html`
    <span class="nhsuk-caption-l">${commissioner.name} (${commissioner.code})</span>
    <h1>Services</h1>
    <form id="year-form" novalidate class="lc-inline-form">
      ${select("/year", "Financial year", years.map((y) => [y, y]), year, null)}
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Show</button>
    </form>
    ${commissioner.administrator ? html`<p><a class="nhsuk-button" href="/services/new?year=${encodeURIComponent(year)}" role="button" draggable="false">Create a service</a></p>` : ""}
    ${listed.items.length === 0 ? html`<p id="no-services">${commissioner.name} has no services for ${year} yet.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption">Services for ${year}</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Service</th><th scope="col" class="nhsuk-table__header">Status</th>
        <th scope="col" class="nhsuk-table__header">Claim windows</th><th scope="col" class="nhsuk-table__header">Offers</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${listed.items.map((s) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell"><a href="/services/${s.id}">${s.name}</a>
            ${s.shared ? html`<br><span class="nhsuk-hint">Shared by ${s.commissioner}</span>` : ""}</td>
          <td class="nhsuk-table__cell">${s.stage ? tag(s.stage.label, STAGE_COLOURS[s.stage.code] ?? "grey") : tag("Shared with you", "grey")}</td>
          <td class="nhsuk-table__cell">${s.windowCount === undefined ? "" : count(s.windowCount, "window")}</td>
          <td class="nhsuk-table__cell">${offersInWords(s.offers)}</td>
        </tr>`)}
      </tbody>
    </table>`}`, { wide: true });
  document.getElementById("year-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(`/services?year=${encodeURIComponent(values(event.currentTarget as HTMLFormElement)["year"] ?? year)}`);
  });
}

// ------------------------------------------------------------------ create and change

export async function newServicePage(problem: Problem | null = null, entered: Record<string, string> = {}): Promise<void> {
  const commissioner = await commissionerOf();
  if (!commissioner?.administrator) {
    page("Create a service", refusedHere());
    return;
  }
  const years = financialYears();
  const year = entered["financialYear"] ?? new URLSearchParams(location.search).get("year") ?? years[1]!;
  page("Create a service", html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${commissioner.name} (${commissioner.code})</span>
    <h1>Create a service</h1>
    <form id="service-form" novalidate>
      ${input({ pointer: "/name", label: "Service name", value: entered["name"] ?? "", hint: "Practices see this name when they claim" }, problem)}
      ${textarea("/description", "Description (optional)", entered["description"] ?? "", problem)}
      ${select("/financialYear", "Financial year", years.slice(1).map((y) => [y, y]), year, problem)}
      ${radios("/claimPeriods", "How often do practices claim?", [{ value: "quarterly", label: "Quarterly" }, { value: "monthly", label: "Monthly" }],
        entered["claimPeriods"] ?? "quarterly", problem)}
      ${input({ pointer: "/sharedWith", label: "Shared with other commissioners (optional)", value: entered["sharedWith"] ?? "",
        hint: "Their ODS codes, separated by commas. They can offer the service to their own practices.", width: "nhsuk-u-width-two-thirds" }, problem)}
      <button class="nhsuk-button" type="submit">Create service</button>
    </form>
    <p><a href="/services">Back to services</a></p>`);
  if (problem) focusSummary();
  onSubmit("service-form", async (form) => {
    const created = await api.post("/services", { body: {
      commissioner: commissioner.code, name: form["name"] ?? "", financialYear: form["financialYear"] ?? year,
      claimPeriods: (form["claimPeriods"] ?? "quarterly") as "quarterly" | "monthly",
      ...(form["description"] ? { description: form["description"] } : {}),
      ...(form["sharedWith"] ? { sharedWith: codes(form["sharedWith"]) } : {}),
    }, headers: oneRequest() }) as { id: string };
    navigate(`/services/${created.id}`);
  }, (failure) => newServicePage(failure, values(document.getElementById("service-form") as HTMLFormElement)));
}

function codes(text: string): string[] {
  return text.split(/[\s,]+/).map((c) => c.trim().toUpperCase()).filter(Boolean);
}

export async function editServicePage(id: string, problem: Problem | null = null, entered: Record<string, string> | null = null): Promise<void> {
  const service = await api.get("/services/{id}", { path: { id } }) as Service;
  if (!service.administrator) {
    page("Change the service", refusedHere());
    return;
  }
  const value = (field: string, stored: string | null | undefined) => entered?.[field] ?? stored ?? "";
  page("Change the service", html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${service.name}, ${service.financialYear}</span>
    <h1>Change the service</h1>
    <form id="edit-service-form" novalidate>
      ${input({ pointer: "/name", label: "Service name", value: value("name", service.name) }, problem)}
      ${textarea("/description", "Description (optional)", value("description", service.description), problem)}
      ${input({ pointer: "/sharedWith", label: "Shared with other commissioners", value: value("sharedWith", (service.sharedWith ?? []).join(", ")),
        hint: "Their ODS codes, separated by commas; leave empty to share with no one", width: "nhsuk-u-width-two-thirds" }, problem)}
      <h2>Finance</h2>
      <p>These go on every claim's line in Finance's payment file.</p>
      ${input({ pointer: "/budget", label: "Budget for the year, in pounds (optional)", value: value("budget", service.budget),
        hint: "For example, 25000.00. Reports show spend against it.", width: "nhsuk-input--width-10" }, problem)}
      ${select("/vatCode", "VAT code", [["", "Not set"], ["OS", "OS – outside the scope of VAT"], ["EX", "EX – exempt"], ["ZR", "ZR – zero rated"], ["SR", "SR – standard rate"]],
        value("vatCode", service.vatCode), problem)}
      ${input({ pointer: "/costCentre", label: "Cost centre (optional)", value: value("costCentre", service.costCentre), width: "nhsuk-input--width-10" }, problem)}
      ${input({ pointer: "/subjectiveCode", label: "Subjective code (optional)", value: value("subjectiveCode", service.subjectiveCode), width: "nhsuk-input--width-10" }, problem)}
      <button class="nhsuk-button" type="submit">Save changes</button>
    </form>
    <p><a href="/services/${service.id}">Back to ${service.name}</a></p>`);
  if (problem) focusSummary();
  onSubmit("edit-service-form", async (form) => {
    await api.patch("/services/{id}", { path: { id }, body: {
      name: form["name"] ?? "", description: form["description"] ?? "", sharedWith: codes(form["sharedWith"] ?? ""),
      budget: form["budget"] ?? "", costCentre: form["costCentre"] ?? "", subjectiveCode: form["subjectiveCode"] ?? "",
      ...(form["vatCode"] ? { vatCode: form["vatCode"] as "OS" | "EX" | "ZR" | "SR" } : {}),
    } });
    navigate(`/services/${id}?changed=details`);
  }, (failure) => editServicePage(id, failure, values(document.getElementById("edit-service-form") as HTMLFormElement)));
}

// ------------------------------------------------------------------ one service

const NOTICES: Record<string, string> = {
  details: "The service's details are saved.",
  component: "The component is saved.",
  window: "The claim window is saved.",
  offers: "The offers are sent. Each practice is emailed.",
};

export function paymentInWords(payment: Payment): string {
  switch (payment.type) {
    case "per_unit":
      return `${money(pence(payment.unitPrice ?? "0"))} a ${(payment.unitLabel ?? "unit").toLowerCase()}${payment.maxUnits ? `, up to ${payment.maxUnits}` : ""}`;
    case "retainer":
      return `Retainer of ${money(pence(payment.amount ?? "0"))}`;
    default:
      return "Participation only (no payment)";
  }
}

function summaryRow(key: string, value: Html | string, change = ""): Html {
  return html`<div class="nhsuk-summary-list__row">
    <dt class="nhsuk-summary-list__key">${key}</dt><dd class="nhsuk-summary-list__value">${value || "Not set"}</dd>
    ${change ? html`<dd class="nhsuk-summary-list__actions"><a href="${change}">Change<span class="nhsuk-u-visually-hidden"> ${key.toLowerCase()}</span></a></dd>` : html`<dd class="nhsuk-summary-list__actions"></dd>`}
  </div>`;
}

const WINDOW_COLOURS: Record<string, string> = { upcoming: "blue", open: "green", closed: "grey" };

export async function serviceScreen(id: string): Promise<void> {
  const service = await api.get("/services/{id}", { path: { id } }) as Service;
  const admin = Boolean(service.administrator);
  const edit = admin ? `/services/${id}/edit` : "";
  const components = service.components ?? [];
  const windows = service.windows ?? [];
  const changed = new URLSearchParams(location.search).get("changed") ?? "";
  page(service.name, html`
    ${notice(NOTICES[changed] ?? "")}
    <span class="nhsuk-caption-l">${service.financialYear} · ${service.commissioner}</span>
    <h1>${service.name}</h1>
    ${service.stage ? html`<p>Status: ${tag(service.stage.label, STAGE_COLOURS[service.stage.code] ?? "grey")}</p>` : ""}
    <h2>Details</h2>
    <dl class="nhsuk-summary-list">
      ${summaryRow("Description", service.description ?? "", edit)}
      ${summaryRow("Claim periods", service.claimPeriods === "monthly" ? "Monthly" : "Quarterly")}
      ${summaryRow("Shared with", (service.sharedWith ?? []).join(", ") || "No other commissioner", edit)}
      ${summaryRow("Budget", service.budget ? money(pence(service.budget)) : "", edit)}
      ${summaryRow("VAT code", service.vatCode ?? "", edit)}
      ${summaryRow("Cost centre", service.costCentre ?? "", edit)}
      ${summaryRow("Subjective code", service.subjectiveCode ?? "", edit)}
    </dl>
    <h2>Components</h2>
    ${components.length === 0 ? html`<p id="no-components">Add the components practices claim: each is paid per unit, as a retainer, or is participation only.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Components of ${service.name}</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Component</th><th scope="col" class="nhsuk-table__header">Payment</th>
        <th scope="col" class="nhsuk-table__header">Evidence</th><th scope="col" class="nhsuk-table__header">Questions</th>
        <th scope="col" class="nhsuk-table__header">In force</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${components.map((c) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell"><a href="/services/${id}/components/${c.id}">${c.name}</a></td>
          <td class="nhsuk-table__cell">${c.inForce ? paymentInWords(c.inForce.payment) : ""}</td>
          <td class="nhsuk-table__cell">${c.inForce?.evidence ? `From ${count(c.inForce.evidence.requiredFromUnits, "unit")}` : "None"}</td>
          <td class="nhsuk-table__cell">${count(c.inForce?.questions?.length ?? 0, "question")}</td>
          <td class="nhsuk-table__cell">${c.inForce ? `From ${date(c.inForce.effectiveFrom)}` : ""}
            ${c.upcoming.length ? html`<br>${tag(`Changes ${date(c.upcoming[0]!.effectiveFrom)}`, "blue")}` : ""}</td>
        </tr>`)}
      </tbody>
    </table>`}
    ${admin ? html`<p><a class="nhsuk-button nhsuk-button--secondary" href="/services/${id}/components/new" role="button" draggable="false">Add a component</a></p>` : ""}
    <h2>Claim windows</h2>
    ${windows.length === 0 ? html`<p id="no-windows">Practices claim in a window after each period. Generate the year's windows, or add one.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Claim windows of ${service.name}</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Period</th><th scope="col" class="nhsuk-table__header">Opens</th>
        <th scope="col" class="nhsuk-table__header">Closes</th><th scope="col" class="nhsuk-table__header">Status</th>
        <th scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">Change</span></th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${windows.map((w) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${w.label}</td>
          <td class="nhsuk-table__cell">${dateTime(w.opensAt)}</td>
          <td class="nhsuk-table__cell">${dateTime(w.closesAt)}</td>
          <td class="nhsuk-table__cell">${tag(w.state === "upcoming" ? "Upcoming" : w.state === "open" ? "Open" : "Closed", WINDOW_COLOURS[w.state] ?? "grey")}</td>
          <td class="nhsuk-table__cell">${admin && w.state !== "closed" ? html`<a href="/services/${id}/windows/${w.period}">Change<span class="nhsuk-u-visually-hidden"> the ${w.label} window</span></a>` : ""}</td>
        </tr>`)}
      </tbody>
    </table>`}
    <ul class="nhsuk-list">
      ${admin ? html`<li><a href="/services/${id}/windows/new">Add a claim window</a></li>` : ""}
      ${windows.length ? html`<li><a href="/services/${id}/standing">Each practice's standing in these windows</a></li>` : ""}
    </ul>
    ${admin && windows.length < (service.claimPeriods === "monthly" ? 12 : 4) ? html`
    <form id="generate-form" novalidate>
      <h3>Generate the year's windows</h3>
      <p>A window for every ${service.claimPeriods === "monthly" ? "month" : "quarter"} that has none, opening the day after the period ends.</p>
      ${input({ pointer: "/openForDays", label: "Days each window stays open", value: "14", width: "nhsuk-input--width-4", type: "text" }, null)}
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Generate windows</button>
    </form>` : ""}
    <h2>Offers</h2>
    ${service.offers ? html`<p id="offer-counts">${offersInWords(service.offers)}.</p>` : ""}
    <p><a href="/services/${id}/offers">Offer to practices, and see their answers</a></p>
    <p><a href="/services">Back to services</a></p>`, { wide: true });
  onSubmit("generate-form", async (form) => {
    await api.post("/services/{id}/windows/generate",
      { path: { id }, body: { openForDays: Number(form["openForDays"] || 14) }, headers: oneRequest() });
    navigate(`/services/${id}?changed=window`);
  }, async (failure) => {
    await serviceScreen(id);
    document.getElementById("generate-form")?.insertAdjacentHTML("afterbegin", errorSummary(failure).text);
    focusSummary();
  });
}
