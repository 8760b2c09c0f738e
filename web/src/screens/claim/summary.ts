// A claim as everyone but its editing practice sees it: the summary (the
// guides' confirmation panel just after Submit), a reviewer's decision form,
// and the status watched while the evidence check runs.

import * as api from "../../api";
import { oneRequest, Problem } from "../../api";
import { dateTime } from "../../format";
import { errorsAt, errorSummary, fieldError, fieldId, focusSummary, values } from "../../forms";
import { html, Html } from "../../html";
import { page, statusTag } from "../../layout";
import { laterOnThisScreen } from "../../navigation";
import { ClaimScreen } from "../../types";
import { wireAttachment } from "./evidence";
import { EDITABLE, Redraw, SUBMITTED } from "./screen";

/** Each verdict as the notice after it says it. */
const PAST: Record<string, string> = { approve: "approved", reject: "rejected", return: "returned" };

/** While a claim waits on its evidence check, its summary looks again this often. */
const STATUS_POLL_MS = 1500;

let polling: number | undefined;

/** A claim screen begun again stops the last one's watch. */
export function stopWatching(): void {
  window.clearTimeout(polling);
}

export function showSummary(claim: ClaimScreen, redraw: Redraw, notice: string, problem: Problem | null = null): void {
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
  document.querySelectorAll("[data-attachment]").forEach((item) => wireAttachment(claim, item, redraw));
  wireDecisionForm(claim, redraw);
  if (claim.status.code === "pending_system_review") watchStatus(claim, redraw, notice);
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

function wireDecisionForm(claim: ClaimScreen, redraw: Redraw): void {
  const form = document.getElementById("decision-form") as HTMLFormElement | null;
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = values(form);
    if (!chosen["decision"]) {
      showSummary(claim, redraw, "", new Problem(422, "/problems/validation", "Check your decision", "",
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
      // A key per click: a decision whose answer was lost is sent again with it
      // and answered as made, not refused because the claim has moved on.
      const decided = await api.post("/claims/{id}/decisions", { path: { id: claim.id }, body,
        headers: { "if-match": `"${claim.version}"`, ...oneRequest() } });
      typedNotes = {};
      sentNotes = [];
      await redraw(null, `You ${PAST[chosen["decision"]]} this claim. It is now ${decided.status.label}.`);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      if (failure.status === 409 || failure.status === 412) {
        await redraw(null, `${failure.detail} The claim has been refreshed.`);
        return;
      }
      showSummary(claim, redraw, "", failure);
    }
  });
}

/** Looks again (at the claim's history, not the whole screen) until the status
 * moves, then shows the claim as it is now (no reload). */
function watchStatus(claim: ClaimScreen, redraw: Redraw, notice: string): void {
  polling = laterOnThisScreen(async () => {
    const now = await api.get("/claims/{id}/history", { path: { id: claim.id } });
    if (now.status.code === claim.status.code) watchStatus(claim, redraw, notice);
    else await redraw(null, EDITABLE.includes(now.status.code) ? "" : notice);
  }, STATUS_POLL_MS);
}
