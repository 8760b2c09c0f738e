// Errors as the design system shows them: a summary at the top of the form
// with a link to each field, and each message again at its field.

import { FieldProblem, Problem } from "./api";
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
