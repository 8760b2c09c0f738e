// The client's routes. Links inside the app change the page without a reload;
// a signed-out visitor is sent to sign in and then back to where they were.

import * as auth from "./auth";
import * as api from "./api";
import { Problem, ServiceProblem } from "./api";
import { onScreen } from "./address";
import { html } from "./html";
import { focusNewScreen, page, setMenu } from "./layout";
import { beginScreen, navigate, onNavigate } from "./navigation";
import { claimsPage } from "./screens/claims";
import { claimScreen } from "./screens/claim";
import { bulkClaimsPage } from "./screens/bulkClaims";
import { reviewsPage } from "./screens/reviews";
import { settingsPage } from "./screens/settings";
import { paymentRunPage, paymentsPage, remittancePage, remittancesPage, reportsPage } from "./screens/payments";
import { completeRegistrationPage } from "./screens/completeRegistration";
import { acceptInvitationPage, invitationsPage, inviteStep } from "./screens/invite";
import { offersPage, windowsPage } from "./screens/offers";
import { reviewAccessPage, userPage, usersPage } from "./screens/users";
import { auditPage } from "./screens/audit";
import { profilePage } from "./screens/profile";
import { pendingActionsPage, reviewUserPage } from "./screens/pendingActions";
import { registerPage } from "./screens/register";
import { signInCodePage, signInPage } from "./screens/signIn";
import { authenticatorPage } from "./screens/authenticator";
import { editServicePage, newServicePage, serviceScreen, servicesPage } from "./screens/services";
import { componentPage, componentStep, Step } from "./screens/components";
import { changeWindowPage, newWindowPage, standingPage } from "./screens/serviceWindows";
import { serviceOffersPage } from "./screens/serviceOffers";
import { importPage, inviteAdministratorPage, newOrganisationPage, organisationsPage } from "./screens/organisations";

type Route = { pattern: RegExp; show: (...params: string[]) => Promise<void>; public?: boolean };

const routes: Route[] = [
  { pattern: /^\/sign-in$/, show: async () => signInPage(afterSignIn, () => navigate("/sign-in/code")), public: true },
  { pattern: /^\/sign-in\/code$/, show: async () => signInCodePage(afterSignIn, () => navigate("/sign-in")), public: true },
  { pattern: /^\/set-up-authenticator$/, show: () => authenticatorPage(() => navigate("/sign-in")) },
  { pattern: /^\/sign-out$/, show: async () => { await auth.signOut(); navigate("/sign-in"); }, public: true },
  { pattern: /^\/register$/, show: async () => registerPage(), public: true },
  { pattern: /^\/complete-registration$/, show: async () => completeRegistrationPage(), public: true },
  { pattern: /^\/$/, show: () => home() },
  { pattern: /^\/pending-actions$/, show: () => pendingActionsPage() },
  { pattern: /^\/pending-actions\/([\w-]+)$/, show: (id) => reviewUserPage(id) },
  { pattern: /^\/accept-invitation$/, show: async () => acceptInvitationPage(), public: true },
  { pattern: /^\/profile$/, show: () => profilePage() },
  { pattern: /^\/audit$/, show: () => auditPage() },
  { pattern: /^\/users$/, show: () => usersPage() },
  { pattern: /^\/access-requests\/([\w-]+)$/, show: (id) => reviewAccessPage(id) },
  { pattern: /^\/users\/([\w-]+)$/, show: (id) => userPage(id) },
  { pattern: /^\/invite$/, show: () => inviteStep(Number(new URLSearchParams(location.search).get("step")) || 1) },
  { pattern: /^\/invitations$/, show: () => invitationsPage() },
  { pattern: /^\/offers$/, show: () => offersPage() },
  { pattern: /^\/claim-windows$/, show: () => windowsPage() },
  { pattern: /^\/claims$/, show: () => claimsPage() },
  { pattern: /^\/claims\/(\d+)$/, show: (id) => claimScreen(Number(id)) },
  { pattern: /^\/reviews$/, show: () => reviewsPage() },
  { pattern: /^\/bulk-claims$/, show: () => bulkClaimsPage() },
  { pattern: /^\/settings$/, show: () => settingsPage() },
  { pattern: /^\/services$/, show: () => servicesPage() },
  { pattern: /^\/services\/new$/, show: () => newServicePage() },
  { pattern: /^\/services\/([\w-]+)$/, show: (id) => serviceScreen(id) },
  { pattern: /^\/services\/([\w-]+)\/edit$/, show: (id) => editServicePage(id) },
  { pattern: /^\/services\/([\w-]+)\/components\/([\w-]+)$/, show: (id, component) => componentPage(id, component) },
  { pattern: /^\/services\/([\w-]+)\/components\/([\w-]+)\/(payment|evidence|questions|prices|check)$/,
    show: (id, component, step) => componentStep(id, component, step as Step) },
  { pattern: /^\/services\/([\w-]+)\/windows\/new$/, show: (id) => newWindowPage(id) },
  { pattern: /^\/services\/([\w-]+)\/windows\/([\w-]+)$/, show: (id, period) => changeWindowPage(id, period) },
  { pattern: /^\/services\/([\w-]+)\/standing$/, show: (id) => standingPage(id) },
  { pattern: /^\/services\/([\w-]+)\/offers$/, show: (id) => serviceOffersPage(id) },
  { pattern: /^\/organisations$/, show: () => organisationsPage() },
  { pattern: /^\/organisations\/new$/, show: () => newOrganisationPage() },
  { pattern: /^\/organisations\/import$/, show: () => importPage() },
  { pattern: /^\/organisations\/([A-Za-z0-9]+)\/invite-administrator$/, show: (code) => inviteAdministratorPage(code) },
  { pattern: /^\/payments$/, show: () => paymentsPage() },
  { pattern: /^\/payments\/([\w-]+)$/, show: (id) => paymentRunPage(id) },
  { pattern: /^\/reports$/, show: () => reportsPage() },
  { pattern: /^\/remittances$/, show: () => remittancesPage() },
  { pattern: /^\/remittances\/([A-Za-z0-9]+)\/([\w-]+)$/, show: (code, run) => remittancePage(code, run) },
];

let returnTo = "/";

/** Administrators start at Pending Actions; everyone else at Claims. */
async function home(): Promise<void> {
  const roles = await api.rolesOf();
  const reviews = ["approver_tier1", "approver_tier2", "finance", "provider_approver"].some((r) => roles.has(r));
  navigate(roles.has("commissioning_administrator") || roles.has("service_desk") ? "/pending-actions"
    : reviews ? "/reviews" : "/claims");
}

/** Someone whose roles need an authenticator app and has none sets one up first. */
async function afterSignIn(): Promise<void> {
  const me = await api.whoAmI().catch(() => null);
  navigate(me?.mfa.required && !me.mfa.enabled ? "/set-up-authenticator" : returnTo);
}


async function show(): Promise<void> {
  beginScreen();
  const path = location.pathname;
  onScreen.path = path + location.search;
  const route = routes.find((r) => r.pattern.test(path));
  if (!route) {
    page("Page not found", html`<h1>Page not found</h1><p>If you typed the web address, check it is correct.</p>`);
    return;
  }
  if (!route.public && !auth.current() && !(await auth.resume())) {
    returnTo = path + location.search;
    navigate("/sign-in");
    return;
  }
  try {
    // The old page never stays under the new address: say what is happening while the screen loads.
    if (!route.public && !firstScreen) page("Loading", html`<p class="nhsuk-body-l" role="status">Loading…</p>`);
    if (!route.public) setMenu(await api.rolesOf());
    await route.show(...(route.pattern.exec(path)?.slice(1) ?? []));
    if (onScreen.path === path + location.search && !firstScreen) focusNewScreen();
    firstScreen = false;
  } catch (error) {
    if (error instanceof Problem && error.status === 401) {
      returnTo = path;
      navigate("/sign-in");
      return;
    }
    if (error instanceof Problem && error.type === "/problems/mfa-required") {
      returnTo = path;
      navigate("/set-up-authenticator");
      return;
    }
    if (error instanceof Problem && error.status < 500) {
      page("There is a problem", html`<h1>There is a problem</h1><p>${error.detail || error.title}</p>
        <p><a href="/">Go to your home page</a></p>`);
      return;
    }
    servicePage(error);
  }
}

/** The NHS "Sorry, there is a problem with the service" page, for anything the
 * screen could not have expected; what happened goes to the console, for us. */
export function servicePage(error: unknown): void {
  if (!(error instanceof ServiceProblem)) console.error("The screen failed", error);
  page("Sorry, there is a problem with the service", html`<h1>Sorry, there is a problem with the service</h1>
    <p>Try again later.</p>
    <p>Anything you had saved is still there. If you were part way through a change, check it before you carry on.</p>
    <p><a href="/" id="service-problem-home">Go to your home page</a></p>`);
}

window.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  servicePage(event.reason);
});

/** The page as loaded: the browser starts at its top, as for any page. */
let firstScreen = true;

document.addEventListener("click", (event) => {
  const link = (event.target as Element | null)?.closest("a");
  // A screen's own handler (Download, Delete) has already acted on the click.
  if (!link || event.defaultPrevented || link.target || link.hasAttribute("download") || event.metaKey || event.ctrlKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.hash && url.pathname === location.pathname) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
// A jump to a fragment (an error summary's link) is not a new page.
window.addEventListener("popstate", () => {
  if (location.pathname + location.search !== onScreen.path) void show();
});
auth.onExpiry(() => {
  returnTo = location.pathname + location.search;
  navigate("/sign-in");
});
onNavigate(show);
void show();
