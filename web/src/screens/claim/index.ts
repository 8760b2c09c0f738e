// The claim screen, as the guides lay it out: the Services pane (Add All), the
// Components pane (Add All, or Add+ for practices without claim windows) and
// the Claim pane — units with the value worked out as you type, retainers,
// evidence uploaded straight to S3 with a progress bar, supplementary
// questions — then Remove All, Delete and Submit with a confirmation, and the
// claim summary, whose status moves on without a reload.

import * as api from "../../api";
import { Problem } from "../../api";
import { askedToConfirm } from "../../confirm";
import { ClaimScreen, Me } from "../../types";
import { confirmDelete, confirmSubmit, showEditable } from "./editing";
import { EDITABLE } from "./screen";
import { showSummary, stopWatching } from "./summary";

export async function claimScreen(id: number, problem: Problem | null = null, notice = ""): Promise<void> {
  stopWatching();
  const redraw = (again: Problem | null = null, said = "") => claimScreen(id, again, said);
  const claim = await api.get("/claims/{id}", { path: { id } }) as ClaimScreen;
  if (EDITABLE.includes(claim.status.code) && isOwnPractice(claim, await api.whoAmI())) {
    showEditable(claim, redraw, problem, notice);
    const asked = askedToConfirm();
    if (asked === "submit") await confirmSubmit(claim, redraw);
    else if (asked === "delete" && claim.status.code === "draft") confirmDelete(claim, redraw);
  } else showSummary(claim, redraw, notice, problem);
}

/** Whether the signed-in person works at the practice that made the claim (and so edits it). */
function isOwnPractice(claim: ClaimScreen, me: Me): boolean {
  return me.memberships.some((m) => m.status === "active" && m.organisationCode === claim.provider.code);
}
