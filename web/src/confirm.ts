// A yes/no page before a change that matters (revoke, disable, submit, delete):
// the question, what will happen, Confirm, and the way back.

import { Problem } from "./api";
import { stepDone, stepTo } from "./address";
import { html } from "./html";
import { focusNewScreen, page } from "./layout";

/** The confirmation a screen's address asks for (`?confirm=<step>`), if any. */
export function askedToConfirm(): string | null {
  return new URLSearchParams(location.search).get("confirm");
}

export interface Confirmation {
  /** Names the confirmation in its address (`?confirm=submit`), so Back and a reload find it. */
  step: string;
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
  stepTo(`${location.pathname}?confirm=${encodeURIComponent(c.step)}`);
  page(c.question, html`<h1>${c.question}</h1>${c.detail.split("\n").map((line) => html`<p>${line}</p>`)}
    <div class="lc-actions">
      <button class="nhsuk-button ${c.warning ? "nhsuk-button--warning" : ""}" type="button" id="confirm">${c.confirm ?? "Confirm"}</button>
      <a href="${location.pathname}">${c.back ?? "Cancel"}</a>
    </div>`);
  focusNewScreen();
  document.getElementById("confirm")?.addEventListener("click", async (event) => {
    (event.currentTarget as HTMLButtonElement).disabled = true;
    try {
      await c.change();
      stepDone();
      await c.done();
    } catch (failure) {
      if (!(failure instanceof Problem)) throw failure;
      stepDone(); // back at the screen, which shows what stopped it
      await c.failed(failure);
    }
  });
}
