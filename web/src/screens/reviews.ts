// Reviews: a reviewer's work lists — the claims waiting for them at each stage
// they decide (the practice's own approval, Tier 1, Tier 2, Finance), oldest
// first, with how long each has waited. A claim opens on the claim screen,
// where the decision is made.

import * as api from "../api";
import { date } from "../format";
import { headings, html } from "../html";
import { page, statusTag } from "../layout";
import { navigate } from "../navigation";
import { WorkList } from "../types";

/** The stages, in the order a claim meets them, with the role that decides each. */
export const STAGES: Array<{ code: string; label: string; role: string }> = [
  { code: "provider", label: "Practice approval", role: "provider_approver" },
  { code: "tier1", label: "Tier 1", role: "approver_tier1" },
  { code: "tier2", label: "Tier 2", role: "approver_tier2" },
  { code: "finance", label: "Finance", role: "finance" },
];

export function stagesFor(roles: Set<string>) {
  return STAGES.filter((s) => roles.has(s.role));
}

export async function reviewsPage(): Promise<void> {
  const stages = stagesFor(await api.rolesOf());
  if (stages.length === 0) {
    page("Reviews", html`<h1>Reviews</h1><p>You do not review claims. Reviewers are the commissioner's approvers
      (Tier 1, Tier 2 and Finance) and a practice's own approvers.</p>`);
    return;
  }
  const query = new URLSearchParams(location.search);
  const stage = stages.find((s) => s.code === query.get("stage")) ?? stages[0];
  const provider = query.get("provider") ?? "";
  const cursor = query.get("cursor");
  const list = await api.get("/reviews", { query: { stage: stage.code as "provider" | "tier1" | "tier2" | "finance", limit: 25,
    ...(provider && stage.code !== "provider" ? { provider } : {}), ...(cursor ? { cursor } : {}) } }) as WorkList;
  const next = new URLSearchParams({ stage: stage.code, ...(provider ? { provider } : {}), ...(list.nextCursor ? { cursor: list.nextCursor } : {}) });
  page("Reviews", html`
    <h1>Reviews</h1>
    ${stages.length > 1 ? html`<nav aria-label="Work lists"><ul class="nhsuk-list lc-inline-list">
      ${stages.map((s) => html`<li><a href="/reviews?stage=${s.code}" ${s === stage ? html`aria-current="page"` : ""}>${s.label}</a></li>`)}
    </ul></nav>` : ""}
    <h2>Waiting for ${stage.label}</h2>
    ${stage.code !== "provider" ? html`<form class="lc-filters" id="work-list-filter" novalidate>
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="provider">Practice ODS code</label>
        <input class="nhsuk-input nhsuk-input--width-10" id="provider" name="provider" type="text" value="${provider}" spellcheck="false">
      </div>
      <button class="nhsuk-button nhsuk-button--secondary" type="submit">Filter</button>
    </form>` : ""}
    ${list.items.length === 0 ? html`<p id="work-list-empty">There are no claims waiting for ${stage.label}.</p>` : html`
    <table class="nhsuk-table" id="work-list">
      <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Claims waiting for ${stage.label}, oldest first</caption>
      ${headings("Claim ID", "Practice", "Services", { heading: "Total", numeric: true }, "Submitted",
        { heading: "Days waiting", numeric: true })}
      <tbody class="nhsuk-table__body">
        ${list.items.map((claim) => html`<tr class="nhsuk-table__row">
          <td class="nhsuk-table__cell"><a href="/claims/${claim.id}">${claim.id}</a></td>
          <td class="nhsuk-table__cell">${claim.provider.name} (${claim.provider.code})</td>
          <td class="nhsuk-table__cell">${claim.services.map((s) => html`${s.name} (${s.periodLabel})<br>`)} ${statusTag(claim.status)}</td>
          <td class="nhsuk-table__cell nhsuk-table__cell--numeric">${claim.total?.display ?? ""}</td>
          <td class="nhsuk-table__cell">${date(claim.submittedAt)}</td>
          <td class="nhsuk-table__cell nhsuk-table__cell--numeric">${claim.daysWaiting ?? ""}</td>
        </tr>`)}
      </tbody>
    </table>`}
    ${list.nextCursor ? html`<p><a href="/reviews?${next.toString()}">Next page<span class="nhsuk-u-visually-hidden"> of claims waiting for ${stage.label}</span></a></p>` : ""}`,
  { wide: true });
  document.getElementById("work-list-filter")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = (document.getElementById("provider") as HTMLInputElement).value.trim().toUpperCase();
    const target = new URLSearchParams({ stage: stage.code, ...(code ? { provider: code } : {}) });
    navigate(`/reviews?${target}`);
  });
}
