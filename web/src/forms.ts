// Errors as the design system shows them: a summary at the top of the form
// with a link to each field, and each message again at its field.

import { FieldProblem, Problem } from "./api";
import type { Schema } from "./client";
import { html, Html } from "./html";

/** The id of the input a JSON pointer names ("/lines/<id>/units" → "lines-<id>-units"). */
export function fieldId(pointer: string): string {
  return pointer.replace(/^\//, "").replace(/[^A-Za-z0-9_-]+/g, "-");
}

export function errorSummary(problem: Problem | null): Html {
  if (!problem) return html``;
  const items: FieldProblem[] = problem.errors.length ? problem.errors : [{ pointer: "", detail: problem.detail || problem.title }];
  return html`<div class="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabindex="-1">
    <h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>
    <div class="nhsuk-error-summary__body">
      <ul class="nhsuk-list nhsuk-error-summary__list">
        ${items.map((e) => html`<li>${e.pointer ? html`<a href="#${fieldId(e.pointer)}">${e.detail}</a>` : e.detail}</li>`)}
      </ul>
    </div>
  </div>`;
}

/** The messages for one field (by its pointer, or pointers under it). */
export function errorsAt(problem: Problem | null, pointer: string): string[] {
  return problem ? problem.errors.filter((e) => e.pointer === pointer).map((e) => e.detail) : [];
}

export function fieldError(id: string, messages: string[]): Html {
  return messages.length
    ? html`<span class="nhsuk-error-message" id="${id}-error"><span class="nhsuk-u-visually-hidden">Error:</span> ${messages.join(". ")}</span>`
    : html``;
}

/** After rendering a form with errors, the summary takes focus (as the design system does). */
export function focusSummary(): void {
  const summary = document.querySelector<HTMLElement>(".nhsuk-error-summary");
  summary?.focus();
}

export interface Field {
  /** The API's JSON pointer for the field ("/email"); its id is derived from it. */
  pointer: string;
  label: string;
  value?: string;
  hint?: string;
  type?: string;
  autocomplete?: string;
  width?: string;
}

/** A labelled text input with its hint and its errors from `problem`. */
export function input(field: Field, problem: Problem | null): Html {
  const id = fieldId(field.pointer);
  const errors = errorsAt(problem, field.pointer);
  const described = [field.hint ? `${id}-hint` : "", errors.length ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
    <label class="nhsuk-label" for="${id}">${field.label}</label>
    ${field.hint ? html`<div class="nhsuk-hint" id="${id}-hint">${field.hint}</div>` : ""}
    ${fieldError(id, errors)}
    <input class="nhsuk-input ${field.width ?? ""} ${errors.length ? "nhsuk-input--error" : ""}" id="${id}" name="${id}"
      type="${field.type ?? "text"}" value="${field.value ?? ""}" ${field.autocomplete ? html`autocomplete="${field.autocomplete}"` : ""}
      ${described ? html`aria-describedby="${described}"` : ""} spellcheck="false">
  </div>`;
}

/** A set of radios for one choice. */
export function radios(pointer: string, legend: string, options: Array<{ value: string; label: string; hint?: string }>,
  chosen: string, problem: Problem | null): Html {
  const id = fieldId(pointer);
  const errors = errorsAt(problem, pointer);
  return html`<div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
    <fieldset class="nhsuk-fieldset" ${errors.length ? html`aria-describedby="${id}-error"` : ""}>
      <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">${legend}</legend>
      ${fieldError(id, errors)}
      <div class="nhsuk-radios">
        ${options.map((option, i) => html`<div class="nhsuk-radios__item">
          <input class="nhsuk-radios__input" id="${i === 0 ? id : `${id}-${option.value}`}" name="${id}" type="radio" value="${option.value}"
            ${option.value === chosen ? "checked" : ""} ${option.hint ? html`aria-describedby="${id}-${option.value}-hint"` : ""}>
          <label class="nhsuk-label nhsuk-radios__label" for="${i === 0 ? id : `${id}-${option.value}`}">${option.label}</label>
          ${option.hint ? html`<div class="nhsuk-hint nhsuk-radios__hint" id="${id}-${option.value}-hint">${option.hint}</div>` : ""}
        </div>`)}
      </div>
    </fieldset>
  </div>`;
}

/** The form's values by field id. */
export function values(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v).trim()]));
}

/** Approve, or Reject with a reason the person is sent (shown when Reject is chosen), as the guides' Review
 * screens. Nothing is chosen for the reviewer: a decision is theirs to make. */
export function decisionRadios(problem: Problem | null, reason: string): Html {
  const reasonErrors = errorsAt(problem, "/reason");
  const decisionErrors = errorsAt(problem, "/decision");
  const rejecting = reason !== "" || reasonErrors.length > 0;
  return html`<div class="nhsuk-form-group ${decisionErrors.length ? "nhsuk-form-group--error" : ""}">
    <fieldset class="nhsuk-fieldset" ${decisionErrors.length ? html`aria-describedby="decision-error"` : ""}>
      <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Your decision</legend>
      ${fieldError("decision", decisionErrors)}
      <div class="nhsuk-radios">
        <div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="decision" name="decision" type="radio" value="approve">
          <label class="nhsuk-label nhsuk-radios__label" for="decision">Approve</label></div>
        <div class="nhsuk-radios__item"><input class="nhsuk-radios__input" id="decision-reject" name="decision" type="radio" value="reject" ${rejecting ? "checked" : ""}>
          <label class="nhsuk-label nhsuk-radios__label" for="decision-reject">Reject</label></div>
      </div>
    </fieldset>
  </div>
  <div class="nhsuk-form-group ${reasonErrors.length ? "nhsuk-form-group--error" : ""}" id="reason-group" ${rejecting ? "" : "hidden"}>
    <label class="nhsuk-label" for="reason">Reason for rejecting</label>
    <div class="nhsuk-hint" id="reason-hint">The person is sent this. Do not include patient data. Up to 500 characters.</div>
    ${fieldError("reason", reasonErrors)}
    <textarea class="nhsuk-textarea ${reasonErrors.length ? "nhsuk-textarea--error" : ""}" id="reason" name="reason" rows="4"
      maxlength="500" aria-describedby="reason-hint${reasonErrors.length ? " reason-error" : ""}">${reason}</textarea>
  </div>`;
}

/** Shows the reason only for Reject; sends `{ decision }` or `{ decision, reason }`. */
export function wireDecision(formId: string, decide: (decision: Schema<"ReviewForm">) => Promise<void>,
  undecided: (problem: Problem) => Promise<void>): void {
  const form = document.getElementById(formId) as HTMLFormElement | null;
  const group = document.getElementById("reason-group");
  form?.querySelectorAll<HTMLInputElement>("input[name=decision]").forEach((radio) =>
    radio.addEventListener("change", () => { if (group) group.hidden = radio.value !== "reject" || !radio.checked; }));
  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = values(form);
    if (chosen["decision"] !== "approve" && chosen["decision"] !== "reject") {
      void undecided(new Problem(422, "/problems/validation", "Check your decision", "",
        [{ pointer: "/decision", detail: "Choose whether to approve or reject" }]));
      return;
    }
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    void decide(chosen["decision"] === "reject" ? { decision: "reject", reason: chosen["reason"] ?? "" } : { decision: "approve" });
  });
}

/** Runs a form's submit as a change: a refusal shows again with its problem; anything else is the service's problem. */
export function onSubmit(id: string, act: (form: Record<string, string>, element: HTMLFormElement) => Promise<void>,
  refused: (problem: Problem) => Promise<void>): void {
  const form = document.getElementById(id) as HTMLFormElement | null;
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await act(values(form), form);
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await refused(failure);
    }
  });
}

export function textarea(pointer: string, label: string, value: string, problem: Problem | null, hint = ""): Html {
  const id = fieldId(pointer);
  const errors = errorsAt(problem, pointer);
  const described = [hint ? `${id}-hint` : "", errors.length ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
    <label class="nhsuk-label" for="${id}">${label}</label>
    ${hint ? html`<div class="nhsuk-hint" id="${id}-hint">${hint}</div>` : ""}
    ${fieldError(id, errors)}
    <textarea class="nhsuk-textarea ${errors.length ? "nhsuk-textarea--error" : ""}" id="${id}" name="${id}" rows="3"
      ${described ? html`aria-describedby="${described}"` : ""}>${value}</textarea>
  </div>`;
}

export function select(pointer: string, label: string, options: Array<[string, string]>, chosen: string, problem: Problem | null): Html {
  const id = fieldId(pointer);
  const errors = errorsAt(problem, pointer);
  return html`<div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
    <label class="nhsuk-label" for="${id}">${label}</label>
    ${fieldError(id, errors)}
    <select class="nhsuk-select ${errors.length ? "nhsuk-select--error" : ""}" id="${id}" name="${id}" ${errors.length ? html`aria-describedby="${id}-error"` : ""}>
      ${options.map(([value, text]) => html`<option value="${value}" ${value === chosen ? "selected" : ""}>${text}</option>`)}
    </select>
  </div>`;
}

export function notice(text: string): Html {
  return text ? html`<div class="nhsuk-inset-text" id="notice" tabindex="-1"><span class="nhsuk-u-visually-hidden">Information: </span><p>${text}</p></div>` : html``;
}
