// The page frame: NHS.UK header with the service name and navigation, the
// main column, and the footer.

import * as auth from "./auth";
import { html, Html, mount } from "./html";

const logo = html`<svg class="nhsuk-logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
  <title>NHS</title>
  <path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"/>
</svg>`;

/** The header's menu for the signed-in person's roles. */
let menu: Array<[string, string]> = [["/claims", "Claims"]];

export function setMenu(roles: Set<string>): void {
  const administers = roles.has("commissioning_administrator") || roles.has("service_desk");
  const provides = roles.has("provider_user") || roles.has("provider_approver");
  const reviews = ["approver_tier1", "approver_tier2", "finance", "provider_approver"].some((r) => roles.has(r));
  const commissions = ["commissioning_administrator", "approver_tier1", "approver_tier2", "finance"].some((r) => roles.has(r));
  // The Service Desk runs the ICBs; it has no claims of its own to list.
  const claims = [...roles].some((r) => r !== "service_desk");
  menu = [
    ...(administers ? [["/pending-actions", "Pending Actions"], ["/users", "Users"], ["/invitations", "Invitations"], ["/audit", "Audit trail"]] as Array<[string, string]> : []),
    ...(commissions ? [["/services", "Services"]] as Array<[string, string]> : []),
    ...(administers ? [["/organisations", roles.has("commissioning_administrator") ? "Organisations" : "ICBs"]] as Array<[string, string]> : []),
    ...(roles.has("commissioning_administrator") ? [["/settings", "Claim settings"]] as Array<[string, string]> : []),
    ...(reviews ? [["/reviews", "Reviews"]] as Array<[string, string]> : []),
    ...(roles.has("approver_tier1") ? [["/bulk-claims", "Bulk claims"]] as Array<[string, string]> : []),
    ...(roles.has("finance") || roles.has("approver_tier2") ? [["/payments", "Payments"]] as Array<[string, string]> : []),
    ...(["commissioning_administrator", "approver_tier1", "approver_tier2", "finance"].some((r) => roles.has(r))
      ? [["/reports", "Reports"]] as Array<[string, string]> : []),
    ...(claims ? [["/claims", "Claims"]] as Array<[string, string]> : []),
    ...(provides ? [["/offers", "Offers"], ["/claim-windows", "Claim windows"], ["/remittances", "Remittances"]] as Array<[string, string]> : []),
  ];
}

/** Every table as the design system's responsive table: on a narrow screen
 * each row stacks, each cell labelled with its column's heading, so no page
 * scrolls sideways. Done once here for every screen's tables. */
function responsiveTables(root: Element): void {
  root.querySelectorAll<HTMLTableElement>("table.nhsuk-table").forEach((table) => {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
    table.classList.replace("nhsuk-table", "nhsuk-table-responsive");
    table.querySelectorAll("tbody tr").forEach((row) =>
      [...row.children].forEach((cell, i) => {
        if (!headings[i] || cell.querySelector(".nhsuk-table-responsive__heading")) return;
        const label = document.createElement("span");
        label.className = "nhsuk-table-responsive__heading";
        label.setAttribute("aria-hidden", "true");
        label.textContent = `${headings[i]} `;
        cell.prepend(label);
      }));
  });
}

export function page(title: string, content: Html, options: { wide?: boolean } = {}): void {
  // While an error summary shows, the title says so first (screen readers announce it).
  const erring = content.text.includes("nhsuk-error-summary") && !title.startsWith("Error: ");
  document.title = `${erring ? "Error: " : ""}${title} – Local Claims`;
  const session = auth.current();
  const target = document.getElementById("app");
  if (!target) return;
  mount(target, html`
    <header class="nhsuk-header" role="banner">
      <div class="nhsuk-header__container nhsuk-width-container">
        <div class="nhsuk-header__service">
          <a class="nhsuk-header__service-logo" href="/" aria-label="Local Claims homepage">
            ${logo}
            <span class="nhsuk-header__service-name">Local Claims</span>
          </a>
        </div>
        ${session ? html`<nav class="nhsuk-header__account" aria-label="Account">
          <ul class="nhsuk-header__account-list">
            <li class="nhsuk-header__account-item"><a class="nhsuk-header__account-link" href="/profile">My Profile<span class="nhsuk-u-visually-hidden"> (${session.email})</span></a></li>
            <li class="nhsuk-header__account-item"><a class="nhsuk-header__account-link" href="/sign-out">Sign out</a></li>
          </ul>
        </nav>` : ""}
      </div>
      ${session ? html`<nav class="nhsuk-header__navigation" aria-label="Menu">
        <div class="nhsuk-header__navigation-container nhsuk-width-container">
          <ul class="nhsuk-header__navigation-list">
            ${menu.map(([href, label]) => html`<li class="nhsuk-header__navigation-item"><a class="nhsuk-header__navigation-link" href="${href}"
              ${location.pathname.startsWith(href) ? html`aria-current="page"` : ""}>${label}</a></li>`)}
          </ul>
        </div>
      </nav>` : ""}
    </header>
    <div class="nhsuk-width-container">
      <main class="nhsuk-main-wrapper" id="maincontent" role="main">
        <div class="nhsuk-grid-row">
          <div class="${options.wide ? "nhsuk-grid-column-full" : "nhsuk-grid-column-two-thirds"}">
            ${content}
          </div>
        </div>
      </main>
    </div>
    <footer role="contentinfo">
      <div class="nhsuk-footer">
        <div class="nhsuk-width-container">
          <p class="nhsuk-body-s">Local Claims — locally commissioned services for NHS commissioners and GP practices.</p>
        </div>
      </div>
    </footer>`);
  responsiveTables(target);
}

/** A new screen is announced from its start: focus on its error summary, if
 * it has one, else on its main heading — never left on what is gone. */
export function focusNewScreen(): void {
  const summary = document.querySelector<HTMLElement>(".nhsuk-error-summary");
  if (summary) {
    summary.focus();
    return;
  }
  const heading = document.querySelector<HTMLElement>("main h1");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus();
}

/** A status as a tag, coloured by where the claim is. */
export function statusTag(status: { code: string; label: string }): Html {
  const colour: Record<string, string> = {
    draft: "nhsuk-tag--grey",
    pending_system_review: "nhsuk-tag--yellow",
    pending_tier1_review: "nhsuk-tag--blue",
    pending_tier2_review: "nhsuk-tag--blue",
    pending_finance_approval: "nhsuk-tag--blue",
    approved: "nhsuk-tag--green",
    paid: "nhsuk-tag--green",
    returned: "nhsuk-tag--orange",
    rejected: "nhsuk-tag--red",
  };
  return html`<strong class="nhsuk-tag ${colour[status.code] ?? ""}">${status.label}</strong>`;
}
