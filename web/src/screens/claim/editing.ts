// Editing a draft or returned claim: the screen, its actions (add, remove,
// units and answers saved as you leave each box), and the Submit and Delete
// confirmations.

import * as api from "../../api";
import { Problem } from "../../api";
import { money, pence } from "../../format";
import { errorSummary, focusSummary } from "../../forms";
import { html } from "../../html";
import { page, statusTag } from "../../layout";
import { confirmPage } from "../../confirm";
import { navigate } from "../../navigation";
import { ClaimScreen } from "../../types";
import { attach, wireAttachment } from "./evidence";
import { componentsPane, linePane, servicesPane } from "./panes";
import { afterFailure, edits, Redraw, SUBMITTED } from "./screen";

export function showEditable(claim: ClaimScreen, redraw: Redraw, problem: Problem | null, notice: string): void {
  const lines = claim.claimPane.lines;
  const returned = claim.status.code === "returned" ? claim.history[claim.history.length - 1] : undefined;
  page(`Claim ${claim.id}`, html`
    ${errorSummary(problem)}
    ${notice ? html`<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ""}
    <span class="nhsuk-caption-l">${claim.provider.name} (${claim.provider.code})</span>
    <h1>Claim ID ${claim.id}</h1>
    <p>${statusTag(claim.status)} &nbsp; Commissioner: ${claim.commissioner.name}</p>
    ${returned?.reason ? html`<div class="nhsuk-warning-callout"><h2 class="nhsuk-warning-callout__label">
      <span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Returned for amendment</span></h2>
      <p>${returned.reason}</p></div>` : ""}
    ${servicesPane(claim)}
    ${componentsPane(claim)}
    <h2 id="claim-pane">Claim</h2>
    ${lines.length === 0 ? html`<p>Add the components you are claiming for.</p>` : lines.map((line) => linePane(line, problem, returned?.lines?.find((n) => n.lineId === line.id)?.reason))}
    <p class="nhsuk-body-l">Total claimed: <span class="lc-value" id="claim-total">${claim.claimPane.totals.total.display}</span></p>
    <div class="lc-actions">
      <button class="nhsuk-button" type="button" id="submit-claim">Submit</button>
      ${lines.length ? html`<button class="nhsuk-button nhsuk-button--secondary" type="button" id="remove-all">Remove All</button>` : ""}
      ${claim.status.code === "draft" ? html`<button class="nhsuk-button nhsuk-button--warning" type="button" id="delete-claim">Delete</button>` : ""}
    </div>`, { wide: true });
  if (problem) focusSummary();
  wire(claim, redraw);
}

// ------------------------------------------------------------------ actions
function wire(claim: ClaimScreen, redraw: Redraw): void {
  edits.version = claim.version;
  const act = (selector: string, run: (element: HTMLElement) => Promise<unknown>) =>
    document.querySelectorAll<HTMLElement>(selector).forEach((element) =>
      element.addEventListener("click", async (event) => {
        event.preventDefault();
        if (element instanceof HTMLButtonElement) element.disabled = true;
        try {
          await run(element);
          await redraw();
        } catch (failure) {
          await afterFailure(redraw, failure);
        }
      }));

  const id = claim.id;
  act("#add-all-services", () => api.post("/claims/{id}/services", { path: { id }, body: { all: true } }));
  act("[data-add-service]", (b) => api.post("/claims/{id}/services",
    { path: { id }, body: { services: [b.dataset.addService!], period: b.dataset.period } }));
  act("#add-all-components", async () => {
    if (claim.submission === "multi_service" && claim.servicesPane.some((s) => !s.inClaim)) {
      await api.post("/claims/{id}/services", { path: { id }, body: { all: true } });
    }
    await api.post("/claims/{id}/lines", { path: { id }, body: { all: true } });
  });
  act("[data-add-component]", (b) => api.post("/claims/{id}/lines", { path: { id }, body: { components: [b.dataset.addComponent!] } }));
  act("[data-remove-line]", (b) => api.remove("/claims/{id}/lines/{lineId}", { path: { id, lineId: b.dataset.removeLine! } }));
  act("#remove-all", () => api.remove("/claims/{id}/lines", { path: { id } }));
  document.querySelectorAll("[data-attachment]").forEach((item) => wireAttachment(claim, item, redraw));
  document.getElementById("delete-claim")?.addEventListener("click", () => confirmDelete(claim, redraw));
  document.getElementById("submit-claim")?.addEventListener("click", (event) => {
    (event.currentTarget as HTMLButtonElement).disabled = true; // until the saves it waits for are done
    void confirmSubmit(claim, redraw);
  });

  // Units: the value is worked out as you type; saved when you leave the box.
  document.querySelectorAll<HTMLInputElement>("[data-units]").forEach((input) => {
    const value = document.getElementById(`line-${input.dataset.units}-value`);
    input.addEventListener("input", () => {
      const units = input.value.trim();
      if (value && /^\d{1,6}$/.test(units)) value.textContent = money(Number(units) * pence(input.dataset.price ?? "0"));
    });
    input.addEventListener("change", () => save(input.dataset.units!, { units: input.value.trim() === "" ? null : toNumber(input.value) }));
  });
  document.querySelectorAll<HTMLInputElement>("[data-answer]").forEach((input) =>
    input.addEventListener("change", () => {
      const answer = input.type === "radio" ? input.value === "yes" : input.dataset.kind === "number" ? toNumber(input.value) : input.value;
      void save(input.dataset.answer!, { answers: { [input.dataset.question!]: answer } });
    }));
  document.querySelectorAll<HTMLInputElement>("[data-attach]").forEach((input) =>
    input.addEventListener("change", () => void attach(claim, input, redraw)));

  // One save at a time, each with the version the one before it left, so a
  // quick tab from one box to the next never trips over its own edit.
  edits.saving = Promise.resolve();
  function save(lineId: string, change: Record<string, unknown>): Promise<void> {
    edits.saving = edits.saving.then(() => saveNow(lineId, change));
    return edits.saving;
  }

  async function saveNow(lineId: string, change: Record<string, unknown>): Promise<void> {
    try {
      const saved = await api.patch("/claims/{id}/lines/{lineId}",
        { path: { id, lineId }, body: change, headers: { "if-match": `"${edits.version}"` } });
      edits.version = saved.version;
      const value = document.getElementById(`line-${lineId}-value`);
      if (value) value.textContent = saved.line.value.display;
      const total = document.getElementById("claim-total");
      if (total) total.textContent = saved.claimPane.totals.total.display;
    } catch (failure) {
      await afterFailure(redraw, failure);
    }
  }
}

function toNumber(raw: string): number | string {
  const trimmed = raw.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

// ------------------------------------------------------------------ confirmations
/** The confirmation states the amount the server holds: it waits for the
 * changes still being saved, then reads the claim as it now stands. */
export async function confirmSubmit(claim: ClaimScreen, redraw: Redraw): Promise<void> {
  await edits.saving;
  const now = await api.get("/claims/{id}", { path: { id: claim.id } }) as ClaimScreen;
  // One key for this confirmation: a submit whose answer was lost is sent
  // again with it, and is answered as the first was.
  const key = crypto.randomUUID();
  confirmPage({
    step: "submit",
    question: `Are you sure you want to submit claim ${now.id}?`,
    detail: `You are claiming ${now.claimPane.totals.total.display} from ${now.commissioner.name}.\nOnce submitted you cannot change it unless it is returned to you.`,
    confirm: "Yes, submit the claim",
    back: "No, go back to the claim",
    change: () => api.post("/claims/{id}/submit",
      { path: { id: claim.id }, body: { confirm: true }, headers: { "idempotency-key": key } }),
    done: () => redraw(null, SUBMITTED),
    failed: (failure) => afterFailure(redraw, failure),
  });
}

export function confirmDelete(claim: ClaimScreen, redraw: Redraw): void {
  confirmPage({
    step: "delete",
    question: `Are you sure you want to delete claim ${claim.id}?`,
    detail: "Everything in it, including its attachments, will be removed. This cannot be undone.",
    warning: true,
    confirm: "Yes, delete the claim",
    back: "No, go back to the claim",
    change: () => api.remove("/claims/{id}", { path: { id: claim.id } }),
    done: () => navigate("/claims"),
    failed: (failure) => afterFailure(redraw, failure),
  });
}
