// A yes/no page before a change that matters (revoke, disable, submit, delete):
// the question, what will happen, Confirm, and the way back.

import { Problem } from "./api";
import { html } from "./html";
import { page } from "./layout";

export interface Confirmation {
  question: string;
  detail: string;
  /** Red, for changes that take something away. */
  warning?: boolean;
  confirm?: string;
  back?: string;
  change: () => Promise<unknown>;
  done: () => Promise<void> | void;
  failed: (problem: Problem) => Promise<void>;
}

export function confirmPage(c: Confirmation): void {
  page(c.question, html`<h1>${c.question}</h1>${c.detail.split("\n").map((line) => html`<p>${line}</p>`)}
    <div class="lc-actions">
      <button class="nhsuk-button ${c.warning ? "nhsuk-button--warning" : ""}" type="button" id="confirm">${c.confirm ?? "Confirm"}</button>
      <a href="${location.pathname}">${c.back ?? "Cancel"}</a>
    </div>`);
  document.getElementById("confirm")?.addEventListener("click", async (event) => {
    (event.currentTarget as HTMLButtonElement).disabled = true;
    try {
      await c.change();
      await c.done();
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      await c.failed(failure);
    }
  });
}
