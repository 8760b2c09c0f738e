// The editable claim's panes as the guides lay them out: Services (Add All),
// Components (Add All, or Add+ for practices without claim windows) and each
// line of the Claim pane (units and their value, retainer, questions, evidence).

import { Problem } from "../../api";
import { dateTime } from "../../format";
import { errorsAt, fieldError, fieldId } from "../../forms";
import { html, Html } from "../../html";
import { Line, ClaimScreen } from "../../types";
import { evidencePane } from "./evidence";

/** The retainer's information icon (the guides' "i"), drawn so it needs no icon font. */
const infoIcon = html`<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 18 18" style="vertical-align: -3px">
  <circle cx="9" cy="9" r="8" fill="none" stroke="currentColor" stroke-width="2"/><rect x="8" y="7.5" width="2" height="6" fill="currentColor"/><circle cx="9" cy="5" r="1.2" fill="currentColor"/></svg>`;

export function servicesPane(claim: ClaimScreen): Html {
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

export function componentsPane(claim: ClaimScreen): Html {
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

export function linePane(line: Line, problem: Problem | null, reviewerNote?: string): Html {
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
    ${line.paymentType === "participation_only" ? html`<p>Participation: there is nothing to enter.</p>` : ""}
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
