// The claim screen, as the guides lay it out: the Services pane (Add All), the
// Components pane (Add All, or Add+ for practices without claim windows) and
// the Claim pane — units with the value worked out as you type, retainers,
// evidence uploaded straight to S3 with a progress bar, supplementary
// questions — then Remove All, Delete and Submit with a confirmation, and the
// claim summary, whose status moves on without a reload.

import * as api from "../api";
import { Problem } from "../api";
import { dateTime, fileSize, money, pence } from "../format";
import { errorsAt, errorSummary, fieldError, fieldId, focusSummary, values } from "../forms";
import { html, Html } from "../html";
import { page, statusTag } from "../layout";
import { askedToConfirm, confirmPage } from "../confirm";
import { navigate } from "../navigation";
import { Attachment, ClaimScreen, Line, Me, Upload } from "../types";
import { tracked } from "../waiting";

const EDITABLE = ["draft", "returned"];
/** The notice after Submit, which the summary shows as the guides' confirmation panel. */
const SUBMITTED = "Your claim has been submitted.";
const PAST: Record<string, string> = { approve: "approved", reject: "rejected", return: "returned" };
/** The retainer's information icon (the guides' "i"), drawn so it needs no icon font. */
const infoIcon = html`<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 18 18" style="vertical-align: -3px">
  <circle cx="9" cy="9" r="8" fill="none" stroke="currentColor" stroke-width="2"/><rect x="8" y="7.5" width="2" height="6" fill="currentColor"/><circle cx="9" cy="5" r="1.2" fill="currentColor"/></svg>`;
/** While a claim waits on its evidence check, its summary looks again this often. */
const STATUS_POLL_MS = 1500;

let polling: number | undefined;
/** The claim screen's edits still being saved, one after another. */
let saving: Promise<void> = Promise.resolve();
/** The claim's version as this screen last changed it (each save sends it in If-Match). */
let version = 0;

export async function claimScreen(id: number, problem: Problem | null = null, notice = ""): Promise<void> {
  window.clearTimeout(polling);
  const claim = await api.get("/claims/{id}", { path: { id } }) as ClaimScreen;
  if (EDITABLE.includes(claim.status.code) && isOwnPractice(claim, await api.whoAmI())) {
    showEditable(claim, problem, notice);
    const asked = askedToConfirm();
    if (asked === "submit") await confirmSubmit(claim);
    else if (asked === "delete" && claim.status.code === "draft") confirmDelete(claim);
  } else showSummary(claim, notice, problem);
}

/** Whether the signed-in person works at the practice that made the claim (and so edits it). */
function isOwnPractice(claim: ClaimScreen, me: Me): boolean {
  return me.memberships.some((m) => m.status === "active" && m.organisationCode === claim.provider.code);
}

// ------------------------------------------------------------------ editing
function showEditable(claim: ClaimScreen, problem: Problem | null, notice: string): void {
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
  wire(claim);
}

function servicesPane(claim: ClaimScreen): Html {
  const waiting = claim.servicesPane.some((s) => !s.inClaim);
  return html`<h2>Services</h2>
    ${claim.submission === "single_service" ? html`<p class="nhsuk-hint">Your commissioner takes one service per claim.</p>` : ""}
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Services you can claim</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Service</th><th scope="col" class="nhsuk-table__header">Period</th>
        <th scope="col" class="nhsuk-table__header">Components</th><th scope="col" class="nhsuk-table__header">Window closes</th>
        <th scope="col" class="nhsuk-table__header">In this claim</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${claim.servicesPane.map((s) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell">${s.name}</td><td class="nhsuk-table__cell">${s.periodLabel}</td>
          <td class="nhsuk-table__cell">${s.componentCount}</td><td class="nhsuk-table__cell">${dateTime(s.closesAt)}</td>
          <td class="nhsuk-table__cell">${s.inClaim
            ? html`<strong class="nhsuk-tag nhsuk-tag--green"><span aria-hidden="true">✓</span> Added</strong>`
            : html`<button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" data-add-service="${s.serviceId}" data-period="${s.period}">Add<span class="nhsuk-u-visually-hidden"> ${s.name}</span></button>`}</td>
        </tr>`)}
      </tbody>
    </table>
    ${waiting && claim.submission === "multi_service" ? html`<button class="nhsuk-button nhsuk-button--secondary" type="button" id="add-all-services">Add All<span class="nhsuk-u-visually-hidden"> services</span></button>` : ""}`;
}

function componentsPane(claim: ClaimScreen): Html {
  // The guides' second Add All adds every service and its components at once.
  if (claim.componentsPane.length === 0) {
    return claim.submission === "multi_service" && claim.servicesPane.length && !claim.claimsAnyTime
      ? html`<h2>Components</h2><p>Add a service to see its components, or add every service and component at once.</p>
        <button class="nhsuk-button nhsuk-button--secondary" type="button" id="add-all-components">Add All<span class="nhsuk-u-visually-hidden"> components</span></button>`
      : html``;
  }
  const waiting = claim.componentsPane.some((s) => s.components.some((c) => !c.inClaim));
  return html`<h2>Components</h2>
    ${claim.componentsPane.map((service) => html`
      <h3 class="nhsuk-heading-s">${service.name} (${service.periodLabel})</h3>
      <ul class="nhsuk-list">
        ${service.components.map((c) => html`<li>${c.name}
          ${c.inClaim ? html` <strong class="nhsuk-tag nhsuk-tag--green"><span aria-hidden="true">✓</span> In claim</strong>`
            : claim.claimsAnyTime ? html` <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" data-add-component="${c.componentId}">Add+<span class="nhsuk-u-visually-hidden"> ${c.name}</span></button>` : ""}
        </li>`)}
      </ul>`)}
    ${waiting ? html`<button class="nhsuk-button nhsuk-button--secondary" type="button" id="add-all-components">Add All<span class="nhsuk-u-visually-hidden"> components</span></button>` : ""}`;
}

function linePane(line: Line, problem: Problem | null, reviewerNote?: string): Html {
  const unitsId = fieldId(`/lines/${line.id}/units`);
  const unitErrors = errorsAt(problem, `/lines/${line.id}/units`);
  return html`<section class="lc-line" aria-labelledby="line-${line.id}-name" data-line="${line.id}">
    <h3 id="line-${line.id}-name">${line.name}</h3>
    ${reviewerNote ? html`<div class="nhsuk-inset-text lc-line-note">
      <p><strong>Reviewer's note:</strong> ${reviewerNote}</p></div>` : ""}
    ${line.description ? html`<p>${line.description}</p>` : ""}
    ${line.paymentType === "per_unit" ? html`
      <div class="nhsuk-form-group ${unitErrors.length ? "nhsuk-form-group--error" : ""}">
        <label class="nhsuk-label" for="${unitsId}">Number of units (${line.unitLabel ?? "unit"})</label>
        <div class="nhsuk-hint" id="${unitsId}-hint">${line.unitPrice?.display} each${line.maxUnits ? `, up to ${line.maxUnits}` : ""}</div>
        ${fieldError(unitsId, unitErrors)}
        <input class="nhsuk-input nhsuk-input--width-5 ${unitErrors.length ? "nhsuk-input--error" : ""}" id="${unitsId}" type="text"
          inputmode="numeric" spellcheck="false" value="${line.units ?? ""}" data-units="${line.id}" data-price="${line.unitPrice?.amount ?? "0"}"
          aria-describedby="${unitsId}-hint${unitErrors.length ? ` ${unitsId}-error` : ""}">
      </div>
      <p>Value: <span class="lc-value" id="line-${line.id}-value" aria-live="polite">${line.value.display}</span></p>` : ""}
    ${line.retainer ? html`<p>Retainer: <span class="lc-value">${line.retainer.amount.display}</span></p>
      <details class="nhsuk-details"><summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">
        ${infoIcon} About this payment</span></summary>
        <div class="nhsuk-details__text"><p>${line.retainer.information}</p></div></details>` : ""}
    ${line.paymentType === "participation" ? html`<p>Participation: there is nothing to enter.</p>` : ""}
    ${line.questions.map((q) => questionField(line, q, problem))}
    ${line.evidence ? evidencePane(line, problem) : ""}
    <p><button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="button" data-remove-line="${line.id}">Remove<span class="nhsuk-u-visually-hidden"> ${line.name}</span></button></p>
  </section>`;
}

function questionField(line: Line, question: Line["questions"][number], problem: Problem | null): Html {
  const pointer = `/lines/${line.id}/answers/${question.id}`;
  const id = fieldId(pointer);
  const errors = errorsAt(problem, pointer);
  if (question.answerType.type === "yes_no") {
    const yes = question.answer === true;
    return html`<div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
      <fieldset class="nhsuk-fieldset" ${errors.length ? html`aria-describedby="${id}-error"` : ""}>
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">${question.text}</legend>
        ${fieldError(id, errors)}
        <div class="nhsuk-radios nhsuk-radios--inline">
          <div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="${id}" name="${id}" type="radio" value="no" ${yes ? "" : "checked"} data-answer="${line.id}" data-question="${question.id}">
            <label class="nhsuk-label nhsuk-radios__label" for="${id}">No</label></div>
          <div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="${id}-yes" name="${id}" type="radio" value="yes" ${yes ? "checked" : ""} data-answer="${line.id}" data-question="${question.id}">
            <label class="nhsuk-label nhsuk-radios__label" for="${id}-yes">Yes</label></div>
        </div>
      </fieldset></div>`;
  }
  const value = question.answer === null || question.answer === undefined ? "" : String(question.answer);
  return html`<div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
    <label class="nhsuk-label" for="${id}">${question.text}${question.required ? "" : " (optional)"}</label>
    ${fieldError(id, errors)}
    <input class="nhsuk-input ${errors.length ? "nhsuk-input--error" : ""}" id="${id}" type="text" value="${value}" data-answer="${line.id}" data-question="${question.id}" data-kind="${question.answerType.type}">
  </div>`;
}

function evidencePane(line: Line, problem: Problem | null): Html {
  const evidence = line.evidence!;
  const pointer = `/lines/${line.id}/attachments`;
  const id = fieldId(pointer);
  const errors = errorsAt(problem, pointer);
  const types = evidence.accepted.map((t) => t.extension.toUpperCase()).join(", ");
  return html`<div class="nhsuk-card"><div class="nhsuk-card__content">
    <h4 class="nhsuk-card__heading nhsuk-heading-s">Evidence</h4>
    <p>${evidence.guidance}</p>
    <p class="nhsuk-hint">Needed from ${evidence.requiredFromUnits} ${evidence.requiredFromUnits === 1 ? "unit" : "units"}. ${types} files up to ${fileSize(evidence.maxBytes)}. Never include patient identifiable data.</p>
    ${line.attachments.length ? html`<ul class="nhsuk-list">${line.attachments.map((file) => attachmentItem(line, file))}</ul>` : ""}
    <div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
      <label class="nhsuk-label" for="${id}">Add Attachment</label>
      ${fieldError(id, errors)}
      <input class="nhsuk-file-upload" id="${id}" type="file" accept="${evidence.accepted.map((t) => "." + t.extension).join(",")}" data-attach="${line.id}">
    </div>
    <div id="line-${line.id}-progress" hidden>
      <label class="nhsuk-label" for="line-${line.id}-progress-bar">Uploading</label>
      <progress class="lc-upload-progress" id="line-${line.id}-progress-bar" max="100" value="0"></progress>
    </div>
  </div></div>`;
}

function attachmentItem(line: Line, file: Attachment): Html {
  const label: Record<Attachment["status"], Html> = {
    awaiting_upload: html`<strong class="nhsuk-tag nhsuk-tag--grey">Not uploaded</strong>`,
    scanning: html`<strong class="nhsuk-tag nhsuk-tag--yellow">Being checked</strong>`,
    clean: html`<strong class="nhsuk-tag nhsuk-tag--green">Checked</strong>`,
    refused: html`<strong class="nhsuk-tag nhsuk-tag--red">Refused</strong>`,
  };
  return html`<li data-attachment="${file.id}">${file.fileName} (${fileSize(file.size)}) ${label[file.status]}
    ${file.refusal ? html`<br><span class="nhsuk-error-message">${file.fileName} was refused: ${file.refusal}</span>` : ""}
    <span class="lc-actions">
      ${file.status === "clean" ? html`<a href="#" data-download data-line="${line.id}" data-file="${file.id}">Download<span class="nhsuk-u-visually-hidden"> ${file.fileName}</span></a>` : ""}
      <a href="#" data-delete-attachment data-line="${line.id}" data-file="${file.id}">Delete<span class="nhsuk-u-visually-hidden"> ${file.fileName}</span></a>
    </span></li>`;
}

// ------------------------------------------------------------------ actions
function wire(claim: ClaimScreen): void {
  version = claim.version;
  const act = (selector: string, run: (element: HTMLElement) => Promise<unknown>) =>
    document.querySelectorAll<HTMLElement>(selector).forEach((element) =>
      element.addEventListener("click", async (event) => {
        event.preventDefault();
        if (element instanceof HTMLButtonElement) element.disabled = true;
        try {
          await run(element);
          await claimScreen(claim.id);
        } catch (failure) {
          await shown(claim.id, failure);
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
  document.querySelectorAll("[data-attachment]").forEach((item) => wireAttachment(claim, item));
  document.getElementById("delete-claim")?.addEventListener("click", () => confirmDelete(claim));
  document.getElementById("submit-claim")?.addEventListener("click", (event) => {
    (event.currentTarget as HTMLButtonElement).disabled = true; // until the saves it waits for are done
    void confirmSubmit(claim);
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
    input.addEventListener("change", () => void attach(claim, input)));

  // One save at a time, each with the version the one before it left, so a
  // quick tab from one box to the next never trips over its own edit.
  saving = Promise.resolve();
  function save(lineId: string, change: Record<string, unknown>): Promise<void> {
    saving = saving.then(() => saveNow(lineId, change));
    return saving;
  }

  async function saveNow(lineId: string, change: Record<string, unknown>): Promise<void> {
    try {
      const saved = await api.patch("/claims/{id}/lines/{lineId}",
        { path: { id, lineId }, body: change, headers: { "if-match": `"${version}"` } });
      version = saved.version;
      const value = document.getElementById(`line-${lineId}-value`);
      if (value) value.textContent = saved.line.value.display;
      const total = document.getElementById("claim-total");
      if (total) total.textContent = saved.claimPane.totals.total.display;
    } catch (failure) {
      await shown(claim.id, failure);
    }
  }
}

/** Download and Delete of one attachment. */
function wireAttachment(claim: ClaimScreen, item: Element | null): void {
  const file = (link: HTMLElement) => ({ id: claim.id, lineId: link.dataset.line!, attachmentId: link.dataset.file! });
  item?.querySelector<HTMLElement>("[data-download]")?.addEventListener("click", async (event) => {
    event.preventDefault();
    const link = event.currentTarget as HTMLElement;
    try {
      const download = await api.get("/claims/{id}/lines/{lineId}/attachments/{attachmentId}", { path: file(link) });
      window.location.assign(download.url);
    } catch (failure) {
      await shown(claim.id, failure);
    }
  });
  item?.querySelector<HTMLElement>("[data-delete-attachment]")?.addEventListener("click", async (event) => {
    event.preventDefault();
    const link = event.currentTarget as HTMLElement;
    try {
      await api.remove("/claims/{id}/lines/{lineId}/attachments/{attachmentId}", { path: file(link) });
      await claimScreen(claim.id);
    } catch (failure) {
      await shown(claim.id, failure);
    }
  });
}

function toNumber(raw: string): number | string {
  const trimmed = raw.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** After a failed action: the screen again, with the problem in its summary. */
async function shown(id: number, failure: unknown): Promise<void> {
  if (!(failure instanceof Problem)) throw failure;
  if (failure.status === 412) {
    await claimScreen(id, null, "This claim was changed in another window, so it has been refreshed. Make your change again.");
    return;
  }
  await claimScreen(id, failure);
}

/** Add Attachment: record the file, PUT it straight to S3 with progress, then wait for the check. */
async function attach(claim: ClaimScreen, input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  const lineId = input.dataset.attach!;
  const line = claim.claimPane.lines.find((l) => l.id === lineId);
  if (!file || !line?.evidence) return;
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  const contentType = line.evidence.accepted.find((t) => t.extension.toLowerCase() === extension)?.contentType || file.type || "application/octet-stream";
  try {
    // What was typed before choosing the file is saved first (leaving a box saves it).
    if (document.activeElement instanceof HTMLInputElement && document.activeElement !== input) document.activeElement.blur();
    await saving;
    const offered = await api.post("/claims/{id}/lines/{lineId}/attachments",
      { path: { id: claim.id, lineId }, body: { fileName: file.name, contentType, size: file.size } }) as Upload;
    version = offered.version;
    await put(offered, file, lineId);
    // In place: the person keeps their focus, their scroll and what they have typed.
    const item = attachmentItem(line, { ...offered.attachment, status: "scanning" });
    const list = document.querySelector(`[data-line="${lineId}"] .nhsuk-card ul.nhsuk-list`);
    if (list) list.insertAdjacentHTML("beforeend", item.text);
    else input.closest(".nhsuk-form-group")?.insertAdjacentHTML("beforebegin", html`<ul class="nhsuk-list">${item}</ul>`.text);
    wireAttachment(claim, document.querySelector(`[data-attachment="${offered.attachment.id}"]`));
    input.value = "";
    const box = document.getElementById(`line-${lineId}-progress`);
    if (box) box.hidden = true;
    watchAttachment(claim.id, lineId, offered.attachment.id);
  } catch (failure) {
    await shown(claim.id, failure);
  }
}

function put(offered: Upload, file: File, lineId: string): Promise<void> {
  const box = document.getElementById(`line-${lineId}-progress`);
  const bar = document.getElementById(`line-${lineId}-progress-bar`) as HTMLProgressElement | null;
  if (box) box.hidden = false;
  return tracked(new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(offered.upload.method, offered.upload.url);
    for (const [name, value] of Object.entries(offered.upload.headers)) {
      if (!["content-length", "host"].includes(name.toLowerCase())) request.setRequestHeader(name, value);
    }
    request.upload.addEventListener("progress", (event) => {
      if (bar && event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", () => request.status < 300 ? resolve()
      : reject(new Problem(request.status, "/problems/upload-failed", "Upload failed", "The file could not be uploaded. Try again.", [])));
    request.addEventListener("error", () =>
      reject(new Problem(0, "/problems/upload-failed", "Upload failed", "The file could not be uploaded. Check your connection and try again.", [])));
    request.send(file);
  }));
}

/** Shows the file's check as it happens (being checked → checked or refused), in place. */
function watchAttachment(claimId: number, lineId: string, attachmentId: string, last = "", until = Date.now() + 120_000): void {
  window.setTimeout(async () => {
    const item = document.querySelector(`[data-attachment="${attachmentId}"]`);
    if (!item || location.pathname !== `/claims/${claimId}` || Date.now() > until) return;
    const claim = await api.get("/claims/{id}", { path: { id: claimId } }) as ClaimScreen;
    const line = claim.claimPane.lines.find((l) => l.id === lineId);
    const file = line?.attachments.find((a) => a.id === attachmentId);
    if (!line || !file) return;
    if (file.status !== last) {
      item.outerHTML = attachmentItem(line, file).text;
      wireAttachment(claim, document.querySelector(`[data-attachment="${attachmentId}"]`));
    }
    if (file.status !== "clean" && file.status !== "refused") watchAttachment(claimId, lineId, attachmentId, file.status, until);
  }, 700);
}

// ------------------------------------------------------------------ confirmations
/** The confirmation states the amount the server holds: it waits for the
 * changes still being saved, then reads the claim as it now stands. */
async function confirmSubmit(claim: ClaimScreen): Promise<void> {
  await saving;
  const now = await api.get("/claims/{id}", { path: { id: claim.id } }) as ClaimScreen;
  confirmPage({
    step: "submit",
    question: `Are you sure you want to submit claim ${now.id}?`,
    detail: `You are claiming ${now.claimPane.totals.total.display} from ${now.commissioner.name}.\nOnce submitted you cannot change it unless it is returned to you.`,
    confirm: "Yes, submit the claim",
    back: "No, go back to the claim",
    change: () => api.post("/claims/{id}/submit", { path: { id: claim.id }, body: { confirm: true } }),
    done: () => claimScreen(claim.id, null, SUBMITTED),
    failed: (failure) => shown(claim.id, failure),
  });
}

function confirmDelete(claim: ClaimScreen): void {
  confirmPage({
    step: "delete",
    question: `Are you sure you want to delete claim ${claim.id}?`,
    detail: "Everything in it, including its attachments, will be removed. This cannot be undone.",
    warning: true,
    confirm: "Yes, delete the claim",
    back: "No, go back to the claim",
    change: () => api.remove("/claims/{id}", { path: { id: claim.id } }),
    done: () => navigate("/claims"),
    failed: (failure) => shown(claim.id, failure),
  });
}

// ------------------------------------------------------------------ summary
function showSummary(claim: ClaimScreen, notice: string, problem: Problem | null = null): void {
  const submittedNow = notice === SUBMITTED;
  page(`Claim ${claim.id}`, html`
    ${errorSummary(problem)}
    ${submittedNow ? html`<div class="nhsuk-panel"><h1 class="nhsuk-panel__title">Claim submitted</h1>
      <div class="nhsuk-panel__body">Your claim ID is<br><strong>${claim.id}</strong></div></div>`
      : html`${notice ? html`<div class="nhsuk-inset-text" id="decision-notice"><span class="nhsuk-u-visually-hidden">Information: </span><p>${notice}</p></div>` : ""}
        <span class="nhsuk-caption-l">${claim.provider.name} (${claim.provider.code})</span><h1>Claim ID ${claim.id}</h1>`}
    <dl class="nhsuk-summary-list">
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Status</dt>
        <dd class="nhsuk-summary-list__value" id="claim-status" aria-live="polite">${statusTag(claim.status)}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Practice</dt>
        <dd class="nhsuk-summary-list__value">${claim.provider.name} (${claim.provider.code})</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Commissioner</dt>
        <dd class="nhsuk-summary-list__value">${claim.commissioner.name}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Submitted</dt>
        <dd class="nhsuk-summary-list__value">${dateTime(claim.submittedAt)}</dd></div>
      <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">Total</dt>
        <dd class="nhsuk-summary-list__value">${claim.claimPane.totals.total.display}</dd></div>
    </dl>
    ${claim.status.code === "pending_system_review" ? html`<p id="system-review-note">Your documents are going through an anti-malware check. This page will update by itself.</p>` : ""}
    <h2>What is claimed</h2>
    <table class="nhsuk-table">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Lines of the claim</caption>
      <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
        <th scope="col" class="nhsuk-table__header">Component</th><th scope="col" class="nhsuk-table__header">Units</th>
        <th scope="col" class="nhsuk-table__header">Answers</th>
        <th scope="col" class="nhsuk-table__header">Evidence</th><th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">Value</th></tr></thead>
      <tbody class="nhsuk-table__body">
        ${claim.claimPane.lines.map((line) => html`<tr class="nhsuk-table__row" data-line="${line.id}">
          <td class="nhsuk-table__cell">${line.name}</td>
          <td class="nhsuk-table__cell">${line.paymentType === "per_unit" ? `${line.units ?? 0} × ${line.unitPrice?.display ?? ""}` : line.paymentType === "retainer" ? "Retainer" : "Participation"}</td>
          <td class="nhsuk-table__cell">${line.questions.map((q) => html`${q.text}: <strong>${answerText(q.answer)}</strong><br>`)}</td>
          <td class="nhsuk-table__cell">${line.attachments.map((a) => html`<span data-attachment>${a.fileName}
            ${a.status === "clean" ? html` <a href="#" data-download data-line="${line.id}" data-file="${a.id}">Download<span class="nhsuk-u-visually-hidden"> ${a.fileName}</span></a>`
              : html` <strong class="nhsuk-tag nhsuk-tag--grey">${a.status === "refused" ? "Refused" : "Being checked"}</strong>`}</span><br>`)}</td>
          <td class="nhsuk-table__cell nhsuk-table__cell--numeric">${line.value.display}</td></tr>`)}
      </tbody>
    </table>
    ${claim.decide ? decisionForm(claim, problem) : ""}
    <h2>History</h2>
    <ul class="nhsuk-list" id="claim-history">
      ${claim.history.map((h) => html`<li>${dateTime(h.at)}: ${h.action} by ${h.byName ?? "Local Claims"}${h.reason ? html` — ${h.reason}` : ""}
        ${(h.lines ?? []).map((n) => html`<br>On ${claim.claimPane.lines.find((l) => l.id === n.lineId)?.name ?? "a line"}: ${n.reason}`)}</li>`)}
    </ul>
    <p><a href="${claim.decide ? `/reviews?stage=${claim.decide.stage}` : "/claims"}">${claim.decide ? "Back to your work list" : "Back to claims"}</a></p>`, { wide: true });
  if (problem) focusSummary();
  document.querySelectorAll("[data-attachment]").forEach((item) => wireAttachment(claim, item));
  wireDecisionForm(claim);
  if (claim.status.code === "pending_system_review") watchStatus(claim, notice);
}

function answerText(answer: unknown): string {
  if (answer === true) return "Yes";
  if (answer === false) return "No";
  return answer === undefined || answer === null ? "Not answered" : String(answer);
}

const VERDICTS: Record<string, { label: string; hint: string }> = {
  approve: { label: "Approve", hint: "" },
  reject: { label: "Reject", hint: "Final: the claim is closed and the practice is told why." },
  return: { label: "Return for amendment", hint: "The practice changes the claim and submits it again." },
};

/** The reviewer's decision: the verdicts open to them, and the reason the practice is sent. */
function decisionForm(claim: ClaimScreen, problem: Problem | null): Html {
  const decide = claim.decide!;
  if (decide.verdicts.length === 0) {
    return html`<div class="nhsuk-inset-text" id="cannot-decide"><span class="nhsuk-u-visually-hidden">Information: </span>
      <p>This claim is waiting for ${decide.stageLabel}, but someone else must decide it: you submitted it, or you
      approved it at Tier 1.</p></div>`;
  }
  const reasonErrors = errorsAt(problem, "/reason");
  const decisionErrors = errorsAt(problem, "/decision");
  return html`<form id="decision-form" novalidate>
    <h2>Your decision (${decide.stageLabel})</h2>
    <div class="nhsuk-form-group ${decisionErrors.length ? "nhsuk-form-group--error" : ""}">
      <fieldset class="nhsuk-fieldset" aria-describedby="decision-hint${decisionErrors.length ? " decision-error" : ""}">
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">What do you decide?</legend>
        <div class="nhsuk-hint" id="decision-hint">Total ${claim.claimPane.totals.total.display}.</div>
        ${fieldError("decision", decisionErrors)}
        <div class="nhsuk-radios">
          ${decide.verdicts.map((verdict, i) => html`<div class="nhsuk-radios__item">
            <input class="nhsuk-radios__input" id="${i === 0 ? "decision" : `decision-${verdict}`}" name="decision" type="radio" value="${verdict}"
              ${VERDICTS[verdict].hint ? html`aria-describedby="decision-${verdict}-hint"` : ""}>
            <label class="nhsuk-label nhsuk-radios__label" for="${i === 0 ? "decision" : `decision-${verdict}`}">${VERDICTS[verdict].label}</label>
            ${VERDICTS[verdict].hint ? html`<div class="nhsuk-hint nhsuk-radios__hint" id="decision-${verdict}-hint">${VERDICTS[verdict].hint}</div>` : ""}
          </div>`)}
        </div>
      </fieldset>
    </div>
    <div class="nhsuk-form-group ${reasonErrors.length ? "nhsuk-form-group--error" : ""}">
      <label class="nhsuk-label" for="reason">Reason (needed to reject or return)</label>
      <div class="nhsuk-hint" id="reason-hint">The practice is sent this. Do not include patient data. Up to 500 characters.</div>
      ${fieldError("reason", reasonErrors)}
      <textarea class="nhsuk-textarea ${reasonErrors.length ? "nhsuk-textarea--error" : ""}" id="reason" name="reason" rows="4"
        maxlength="500" aria-describedby="reason-hint${reasonErrors.length ? " reason-error" : ""}"></textarea>
    </div>
    ${decide.verdicts.includes("return") ? html`<details class="nhsuk-details" ${notesWithErrors(problem) ? "open" : ""}>
      <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Add notes on particular lines (for a return)</span></summary>
      <div class="nhsuk-details__text">
        ${claim.claimPane.lines.map((line) => {
          // The API names a note by its place among those sent: the error summary links there.
          const sentAt = sentNotes.indexOf(line.id);
          const errors = sentAt >= 0 ? errorsAt(problem, `/lines/${sentAt}/reason`) : [];
          const id = errors.length ? fieldId(`/lines/${sentAt}/reason`) : `note-${line.id}`;
          return html`<div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
            <label class="nhsuk-label" for="${id}">Note on ${line.name}</label>
            ${fieldError(id, errors)}
            <textarea class="nhsuk-textarea ${errors.length ? "nhsuk-textarea--error" : ""}" id="${id}" name="note-${line.id}"
              data-note="${line.id}" rows="2" maxlength="500" ${errors.length ? html`aria-describedby="${id}-error"` : ""}>${typedNotes[line.id] ?? ""}</textarea>
          </div>`;
        })}
      </div>
    </details>` : ""}
    <button class="nhsuk-button" type="submit">Confirm decision</button>
  </form>`;
}

/** The lines whose notes were sent last, in order (so `/lines/<i>/reason` finds its line), and what was typed. */
let sentNotes: string[] = [];
let typedNotes: Record<string, string> = {};

function notesWithErrors(problem: Problem | null): boolean {
  return (problem?.errors ?? []).some((e) => e.pointer.startsWith("/lines/"));
}

function wireDecisionForm(claim: ClaimScreen): void {
  const form = document.getElementById("decision-form") as HTMLFormElement | null;
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = values(form);
    if (!chosen["decision"]) {
      showSummary(claim, "", new Problem(422, "/problems/validation", "Check your decision", "",
        [{ pointer: "/decision", detail: "Choose whether to approve, reject or return the claim" }]));
      return;
    }
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true; // a double click decides once
    typedNotes = {};
    form.querySelectorAll<HTMLTextAreaElement>("[data-note]").forEach((area) => { typedNotes[area.dataset.note!] = area.value; });
    const notes = chosen["decision"] === "return"
      ? claim.claimPane.lines.filter((l) => (typedNotes[l.id] ?? "").trim()).map((l) => ({ lineId: l.id, reason: typedNotes[l.id].trim() }))
      : [];
    sentNotes = notes.map((n) => n.lineId);
    try {
      const body = {
        stage: claim.decide!.stage as "tier1" | "tier2" | "finance" | "provider",
        decision: chosen["decision"] as "approve" | "reject" | "return",
        ...(chosen["reason"] ? { reason: chosen["reason"] } : {}),
        ...(notes.length ? { lines: notes } : {}),
      };
      const decided = await api.post("/claims/{id}/decisions",
        { path: { id: claim.id }, body, headers: { "if-match": `"${claim.version}"` } });
      typedNotes = {};
      sentNotes = [];
      await claimScreen(claim.id, null, `You ${PAST[chosen["decision"]]} this claim. It is now ${decided.status.label}.`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      if (failure.status === 409 || failure.status === 412) {
        await claimScreen(claim.id, null, `${failure.detail} The claim has been refreshed.`);
        return;
      }
      showSummary(claim, "", failure);
    }
  });
}

/** Looks again until the status moves, then shows the claim as it is now (no reload). */
function watchStatus(claim: ClaimScreen, notice: string): void {
  polling = window.setTimeout(async () => {
    if (location.pathname !== `/claims/${claim.id}`) return;
    const now = await api.get("/claims/{id}", { path: { id: claim.id } }) as ClaimScreen;
    if (now.status.code === claim.status.code) watchStatus(claim, notice);
    else if (EDITABLE.includes(now.status.code)) showEditable(now, null, "");
    else showSummary(now, notice);
  }, STATUS_POLL_MS);
}
