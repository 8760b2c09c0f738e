// A service's claim windows, for its commissioner: add one, change one that
// has not closed, and see where each practice that took the service up stands
// in each window (claimed, open, upcoming, missed).

import * as api from "../api";
import { oneRequest, Problem } from "../api";
import { errorSummary, focusSummary, input, onSubmit, select, values } from "../forms";
import { localInput } from "../format";
import { html } from "../html";
import { page } from "../layout";
import { navigate } from "../navigation";
import { ClaimWindow, Service, tag } from "./services";

const QUARTERS: Array<[string, string]> = [["Q1", "Q1 (April to June)"], ["Q2", "Q2 (July to September)"],
  ["Q3", "Q3 (October to December)"], ["Q4", "Q4 (January to March)"]];
const MONTHS = ["April", "May", "June", "July", "August", "September", "October", "November", "December", "January", "February", "March"];

function periodsOf(service: Service): Array<[string, string]> {
  return service.claimPeriods === "monthly" ? MONTHS.map((m, i) => [`M${String(i + 1).padStart(2, "0")}`, m]) : QUARTERS;
}

const TIME_HINT = "A day, like 2026-10-01, or a day and a time in England, like 2026-10-25T17:00";

export async function newWindowPage(serviceId: string, problem: Problem | null = null, entered: Record<string, string> = {}): Promise<void> {
  const service = await api.get("/services/{id}", { path: { id: serviceId } }) as Service;
  const taken = new Set((service.windows ?? []).map((w) => w.period.slice(-2)));
  const free = periodsOf(service).filter(([key]) => !taken.has(key.slice(-2)));
  page("Add a claim window", html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${service.name}, ${service.financialYear}</span>
    <h1>Add a claim window</h1>
    ${free.length === 0 ? html`<p>Every period of ${service.financialYear} has a claim window. Change one from the service's page.</p>` : html`
    <form id="window-form" novalidate>
      ${select("/period", "Period", free, entered["period"] ?? free[0]![0], problem)}
      ${input({ pointer: "/opens", label: "Opens", hint: TIME_HINT, value: entered["opens"] ?? "", width: "nhsuk-input--width-20" }, problem)}
      ${input({ pointer: "/closes", label: "Closes", hint: `${TIME_HINT}. A day alone closes at 11:59pm.`, value: entered["closes"] ?? "", width: "nhsuk-input--width-20" }, problem)}
      <button class="nhsuk-button" type="submit">Add window</button>
    </form>`}
    <p><a href="/services/${serviceId}">Back to ${service.name}</a></p>`);
  if (problem) focusSummary();
  onSubmit("window-form", async (form) => {
    await api.post("/services/{id}/windows", { path: { id: serviceId }, body: { period: form["period"] ?? "", opens: form["opens"] ?? "", closes: form["closes"] ?? "" }, headers: oneRequest() });
    navigate(`/services/${serviceId}?changed=window`);
  }, (failure) => newWindowPage(serviceId, failure, values(document.getElementById("window-form") as HTMLFormElement)));
}

export async function changeWindowPage(serviceId: string, period: string, problem: Problem | null = null,
  entered: Record<string, string> | null = null): Promise<void> {
  const service = await api.get("/services/{id}", { path: { id: serviceId } }) as Service;
  const window = (service.windows ?? []).find((w) => w.period === period);
  if (!window) {
    page("Claim window", html`<h1>Claim window</h1><p>${service.name} has no claim window for this period.</p>
      <p><a href="/services/${serviceId}">Back to ${service.name}</a></p>`);
    return;
  }
  page(`Change the ${window.label} window`, html`
    ${errorSummary(problem)}
    <span class="nhsuk-caption-l">${service.name}, ${service.financialYear}</span>
    <h1>Change the ${window.label} window</h1>
    ${window.state === "open" ? html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span>
      <p>This window is open: practices may already have claimed, so it keeps the time it opened. You can close it later or sooner.</p></div>` : ""}
    <form id="window-form" novalidate>
      ${input({ pointer: "/opens", label: "Opens", hint: TIME_HINT, value: entered?.["opens"] ?? localInput(window.opensAt), width: "nhsuk-input--width-20" }, problem)}
      ${input({ pointer: "/closes", label: "Closes", hint: TIME_HINT, value: entered?.["closes"] ?? localInput(window.closesAt), width: "nhsuk-input--width-20" }, problem)}
      <button class="nhsuk-button" type="submit">Save window</button>
    </form>
    <p><a href="/services/${serviceId}">Back to ${service.name}</a></p>`);
  if (problem) focusSummary();
  onSubmit("window-form", async (form) => {
    await api.patch("/services/{id}/windows/{period}", { path: { id: serviceId, period }, body: { opens: form["opens"] ?? "", closes: form["closes"] ?? "" } });
    navigate(`/services/${serviceId}?changed=window`);
  }, (failure) => changeWindowPage(serviceId, period, failure, values(document.getElementById("window-form") as HTMLFormElement)));
}

const STANDING: Record<string, [string, string]> = {
  claimed: ["Claimed", "green"], open: ["Open", "blue"], upcoming: ["Upcoming", "white"], missed: ["Missed", "red"], any_time: ["Claims any time", "grey"],
};

export async function standingPage(serviceId: string): Promise<void> {
  const listed = await api.get("/services/{id}/windows", { path: { id: serviceId } }) as {
    service: { id: string; name: string }; items: ClaimWindow[];
    providers?: Array<{ code: string; name: string; windows: Record<string, string> }>;
  };
  const providers = listed.providers ?? [];
  page(`Practices' standing – ${listed.service.name}`, html`
    <span class="nhsuk-caption-l">${listed.service.name}</span>
    <h1>Practices' standing</h1>
    ${providers.length === 0 ? html`<p>No practice has accepted this service yet.</p>` : html`
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Each practice in each claim window</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Practice</th>
        ${listed.items.map((w) => html`<th scope="col" class="nhsuk-table__header">${w.label}</th>`)}</tr></thead>
      <tbody class="nhsuk-table__body">
        ${providers.map((p) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${p.name} (${p.code})</td>
          ${listed.items.map((w) => {
            const [text, colour] = STANDING[p.windows[w.period] ?? ""] ?? ["", "grey"];
            return html`<td class="nhsuk-table__cell">${text ? tag(text, colour) : ""}</td>`;
          })}
        </tr>`)}
      </tbody>
    </table>`}
    <p><a href="/services/${serviceId}">Back to ${listed.service.name}</a></p>`, { wide: true });
}
