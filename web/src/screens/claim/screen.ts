// What the parts of the claim screen share: how it is drawn again after an
// action, the statuses it tells apart, and the edits still being saved.

import { Problem } from "../../api";

export const EDITABLE = ["draft", "returned"];
/** The notice after Submit, which the summary shows as the guides' confirmation panel. */
export const SUBMITTED = "Your claim has been submitted.";

/** Draws the claim screen again, as the server now holds the claim, with a problem or a notice. */
export type Redraw = (problem?: Problem | null, notice?: string) => Promise<void>;

/** The claim screen's edits: still being saved (one after another), and the
 * claim's version as this screen last changed it (each save sends it in If-Match). */
export const edits = { saving: Promise.resolve() as Promise<void>, version: 0 };

/** After a failed action: the screen again, with the problem in its summary. */
export async function afterFailure(redraw: Redraw, failure: unknown): Promise<void> {
  if (!(failure instanceof Problem)) throw failure;
  if (failure.status === 412) {
    await redraw(null, "This claim was changed in another window, so it has been refreshed. Make your change again.");
    return;
  }
  await redraw(failure);
}
