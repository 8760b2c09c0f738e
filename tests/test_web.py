"""The web client in a real browser (Debian's Chromium driven by Playwright)
against the local stack: the guides' claim journeys, with axe-core checking
every screen for WCAG 2.2 AA and a screenshot of each saved. Requests to any
host but this machine are refused, so nothing is fetched from outside."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from conftest import PASSWORD, RUN, completion_secret, unique_email, unique_word
from test_catalogue import new_practice
from test_claims import SERVICES, claim_world, this_year_and_quarter
from test_evidence_scanning import queue_depth, wait_until

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))
import authenticator  # noqa: E402
import clamav  # noqa: E402
from sample_files import pdf  # noqa: E402

# A function's first request on a fresh stack starts its process: give screens time.
expect.set_options(timeout=15_000)

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / ".local" / "screens"
#: The screens shown in the README, refreshed with LOCAL_CLAIMS_UPDATE_SCREENS=1 bash infra/test.sh.
DOCUMENTED = {"sign-in", "claims", "claim-screen", "claim-summary", "pending-actions", "register", "view-user",
              "invite-preview", "disable-account", "set-up-authenticator", "sign-in-code", "submit-confirmation",
              "reports", "narrow-audit", "narrow-reviews", "remittance", "audit-trail", "services", "service",
              "import-practices", "component-payment", "component-check", "component-evidence-rule", "service-offers", "service-standing",
              "icbs", "icb-added", "window-change", "add-organisation", "service-new", "narrow-services"}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("chromium is not installed: bash infra/setup.sh installs it")
    return found


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


class Watch:
    """Every answer the page gets from the API or the evidence bucket, and every
    console error: a test fails on any failing answer it did not say it expects
    (`allow`), and on any error in the console."""

    def __init__(self) -> None:
        # A page opened without a session asks for one, and is told there is none.
        self.allowed: list[tuple[int, str]] = [(401, "/api/session/refresh")]
        self.unexpected: list[str] = []
        self.errors: list[str] = []

    def allow(self, status: int, fragment: str) -> None:
        """An answer of `status` to an address containing `fragment` is part of this test."""
        self.allowed.append((status, fragment))

    def answered(self, response) -> None:
        url = response.url
        ours = "/api/" in url or urlparse(url).port == 4566
        if ours and response.status >= 400 and not any(
                response.status == status and fragment in url for status, fragment in self.allowed):
            self.unexpected.append(f"{response.request.method} {url} → {response.status}")

    def logged(self, message) -> None:
        # A failed request logs "Failed to load resource": the answer itself is judged above.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)


def watching(opened) -> Watch:
    watch = Watch()
    opened.on("response", watch.answered)
    opened.on("console", watch.logged)
    opened.on("pageerror", lambda error: watch.errors.append(str(error)))
    return watch


def only_this_machine(route):
    host = urlparse(route.request.url).hostname
    if host in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(base_url=stack["appUrl"], viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.route("**/*", only_this_machine)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    opened.watch = watching(opened)
    yield opened
    context.close()
    assert not opened.watch.unexpected, f"answers the test did not expect: {opened.watch.unexpected}"
    assert not opened.watch.errors, f"console errors: {opened.watch.errors}"


def check(page: Page, name: str) -> None:
    """axe-core finds nothing at WCAG 2.2 AA on this screen; the screen is saved."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, { runOnly: { type: 'tag', values: tags } })", WCAG)
    problems = [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})" for v in result["violations"]]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if name in DOCUMENTED and os.environ.get("LOCAL_CLAIMS_UPDATE_SCREENS"):  # refresh docs/screens on purpose only
        (ROOT / "docs" / "screens").mkdir(parents=True, exist_ok=True)
        shutil.copy(SHOTS / f"{name}.png", ROOT / "docs" / "screens" / f"{name}.png")
    assert not problems, f"{name}: {problems}"


def fill_sign_in(page: Page, email: str, password: str, key: str | None = None) -> None:
    """The sign-in form, then — for those with an authenticator app (`key`) — the code it shows now."""
    expect(page.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if key:
        page.get_by_label("Enter the code from your authenticator app").fill(authenticator.code_now(key))
        page.get_by_role("button", name="Continue").click()


def sign_in_from_the_link(page: Page, email: str, password: str) -> None:
    """"Sign in to Local Claims" from a screen that says the account is ready,
    then in, to the Claims screen."""
    page.get_by_role("link", name="Sign in to Local Claims").click()
    fill_sign_in(page, email, password)
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/claims")
    fill_sign_in(page, email, password)
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()


def line(page: Page, name: str):
    return page.locator("section.lc-line", has=page.get_by_role("heading", name=name, exact=True))


def claim_units(page: Page, name: str, units: str):
    """Types the units of one line and leaves the box, as a person tabbing on
    does (which saves them); the line, for what follows."""
    found = line(page, name)
    found.get_by_label("Number of units").fill(units)
    found.get_by_label("Number of units").blur()
    return found


def test_sign_in_refuses_a_wrong_password_then_signs_in_and_out(page, stack):
    page.watch.allow(401, "/api/session")
    page.goto("/sign-in")
    check(page, "sign-in")
    page.get_by_label("Email address").fill("priya.shah@a81001.example.nhs.uk")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The email address or password is not right")
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    check(page, "sign-in-error")
    demo = next(u for u in stack["demoUsers"] if u["email"].startswith("priya.shah"))
    page.get_by_label("Password").fill(demo["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    sign_out(page)
    page.goto("/claims")
    expect(page.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible(), "tokens were in memory only"


def test_the_guides_claim_example_in_the_browser(page, api, identity, active_user, stack, outbox):
    """+New Claim, Add All twice, 12 × £193.42 = £2,321.04 as it is typed, the
    retainer's information, the must-be-Yes toggle, an evidence upload with its
    progress bar, Submit with a confirmation, and the summary's status moving
    from Pending System Review to Pending Tier 1 Review without a reload."""
    world = claim_world(api, identity, active_user)
    sign_in(page, world["user"]["email"], world["user"]["password"])
    check(page, "claims")
    page.get_by_role("button", name="+New Claim").click()
    expect(page.get_by_role("heading", name="Claim ID")).to_be_visible()
    page.get_by_role("button", name="Add All services").click()
    expect(page.get_by_text("✓ Added")).to_have_count(3)
    page.get_by_role("button", name="Add All components").click()
    expect(page.locator("section.lc-line")).to_have_count(4)

    plans = line(page, "Complex Care Plans")
    units = plans.get_by_label("Number of units")
    units.press_sequentially("12")
    expect(plans.locator(".lc-value")).to_have_text("£2,321.04")  # before it is saved
    units.blur()
    expect(page.locator("#claim-total")).to_have_text("£2,571.04")  # saved: with the £250.00 retainer
    retainer = line(page, "Service retainer")
    retainer.get_by_text("About this payment").click()
    expect(retainer.get_by_text("Paid each quarter")).to_be_visible()

    depot = claim_units(page, "Depot Antipsychotic Injections", "4")
    expect(depot.get_by_label("No")).to_be_checked()
    check(page, "claim-screen")

    page.watch.allow(422, "/submit")  # the must-be-Yes answer is still No
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Yes, submit the claim").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text('Switch "Were all injections administered by a qualified member of staff?" to Yes')
    check(page, "claim-screen-errors")
    summary.get_by_role("link", name="Switch").click()
    depot = line(page, "Depot Antipsychotic Injections")
    depot.get_by_label("Yes").check()
    expect(depot.get_by_label("Yes")).to_be_checked()

    ear = claim_units(page, "Ear Irrigation", "1")
    expect(page.locator("#claim-total")).to_have_text("£2,659.54")
    clamav.stop()  # so the claim waits in Pending System Review, then moves on while watched
    try:
        evidence = ROOT / ".local" / "practices.pdf"
        evidence.write_bytes(pdf("Registered practices: The Densham Surgery"))
        with page.expect_response(lambda r: "/attachments" in r.url and r.request.method == "POST"):
            ear.get_by_label("Add Attachment").set_input_files(str(evidence))
        expect(line(page, "Ear Irrigation").get_by_text("Being checked")).to_be_visible(timeout=20_000)
        page.get_by_role("button", name="Submit").click()
        page.get_by_role("button", name="Yes, submit the claim").click()
        expect(page.get_by_role("heading", name="Claim submitted")).to_be_visible()
        status = page.locator("#claim-status")
        expect(status).to_have_text("Pending System Review")
        check(page, "claim-summary")
        wait_until(lambda: queue_depth(stack, "EvidenceUploadDeadLetterQueue") > 0,
                   "the retried upload event to reach the dead-letter queue")
    finally:
        if not clamav.answers():
            clamav.start(ROOT / ".local" / "logs" / "clamd.log")
    subprocess.run([sys.executable, str(ROOT / "infra" / "redrive.py"), "EvidenceUploadDeadLetterQueue"],
                   check=True, capture_output=True, cwd=ROOT, timeout=60)
    page_url = page.url
    expect(status).to_have_text("Pending Tier 1 Review", timeout=20_000)
    assert page.url == page_url, "the page was not reloaded"


def test_registration_review_completion_and_sign_in(page, stack, outbox):
    """A practice manager registers; the ICB's administrator finds them in
    Pending Actions and approves; the emailed link sets a password; they sign in."""
    email = unique_email("sam", "o'neill")
    last = "O'Neill-" + unique_word(RUN.translate(str.maketrans("0123456789", "ghijklmnop"))).capitalize()  # one of its kind, on a reused stack too
    page.goto("/register")
    page.watch.allow(422, "/api/registrations")  # the empty form, then a password too short
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    check(page, "register-errors")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Organisation code").fill("a81001")
    page.get_by_label("User", exact=True).check()
    check(page, "register")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Registration received")).to_be_visible()
    check(page, "registration-received")

    sign_in_as_admin(page, stack)
    # Newest first, so this registration is on the first page however many are waiting.
    page.get_by_role("link", name=re.compile(r"^Date\b.*sort descending")).click()
    expect(page).to_have_url(re.compile(r"sort=submittedAt&order=desc"))
    check(page, "pending-actions")
    page.get_by_role("link", name=f"Sam {last}").click()
    expect(page.get_by_role("heading", name="Review user")).to_be_visible()
    expect(page.get_by_label("Approve", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Reject", exact=True)).not_to_be_checked()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose whether to approve or reject")
    page.get_by_label("Reject", exact=True).check()
    page.watch.allow(422, "/review")  # a rejection needs its reason
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("reason")
    check(page, "review-user-errors")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Pending Actions")).to_be_visible()
    expect(page.get_by_role("link", name=f"Sam {last}")).to_have_count(0)
    sign_out(page)

    secret = completion_secret(outbox.wait_for(email)[0])
    page.goto(f"/complete-registration#token={secret}")
    page.get_by_label("Password", exact=True).fill("too short")
    page.get_by_label("Confirm password").fill("too short")
    page.get_by_role("button", name="Set password").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check(page, "complete-registration-errors")
    password = "Correct-Horse-42-battery"
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Your account is ready")).to_be_visible()
    check(page, "account-ready")
    sign_in_from_the_link(page, email, password)


def test_a_practice_answers_its_offers_and_sees_its_claim_windows(page, api, identity, active_user):
    admin = identity.as_role("qhm_admin")
    code = new_practice(api, admin)
    user = active_user(organisation=code)
    year, quarter, today = this_year_and_quarter()
    offered = {}
    for name in ("Ear Irrigation", "Depot Antipsychotic Injections"):
        service = api.post("/services", {"name": f"{name} {code}", "financialYear": year, "claimPeriods": "quarterly"},
                           admin).json()
        for component in SERVICES[name]:
            assert api.post(f"/services/{service['id']}/components", component, admin).status_code == 201
        assert api.post(f"/services/{service['id']}/windows", {"period": quarter, "opens": today.isoformat(),
                                                                "closes": today.isoformat()}, admin).status_code == 201
        assert api.post(f"/services/{service['id']}/offers", {"providers": [code]}, admin).status_code == 200
        offered[name] = service["id"]
    sign_in(page, user["email"], user["password"])
    page.get_by_role("link", name="Offers").click()
    expect(page.get_by_role("heading", name="Offers")).to_be_visible()
    expect(page.get_by_text("Waiting for your answer")).to_have_count(2)
    check(page, "offers")
    page.get_by_role("button", name=f"Accept Ear Irrigation {code}").click()
    page.get_by_role("button", name=f"Decline Depot Antipsychotic Injections {code}").click()
    expect(page.get_by_text("Accepted", exact=True)).to_have_count(1)
    check(page, "offers-answered")
    expect(page.get_by_text("Declined", exact=True)).to_have_count(1)
    page.get_by_role("link", name="Claim windows").click()
    expect(page.get_by_role("heading", name="Open now")).to_be_visible()
    expect(page.get_by_role("cell", name=f"Ear Irrigation {code}")).to_be_visible()
    check(page, "claim-windows")


def sign_in_as_admin(page: Page, stack) -> None:
    admin = next(u for u in stack["demoUsers"] if u["email"].startswith("aisha.khan"))
    page.goto("/sign-in")
    fill_sign_in(page, admin["email"], admin["password"], admin["authenticatorKey"])
    expect(page.get_by_role("heading", name="Pending Actions")).to_be_visible()


def test_invite_in_six_steps_then_accept(page, api, identity, stack, outbox):
    code = new_practice(api, identity.as_role("qhm_admin"))
    email = unique_email("alex", "invited", f"{code.lower()}.example.nhs.uk")
    sign_in_as_admin(page, stack)
    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="Invite").click()
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter an email address")
    check(page, "invite-email-errors")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("First name").fill("Alex")
    page.get_by_label("Last name").fill("Invited")
    check(page, "invite-names")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Which organisation are you inviting them to?")).to_be_visible()
    check(page, "invite-organisation")
    page.get_by_label("Organisation", exact=True).select_option(code)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("User", exact=True).check()
    check(page, "invite-role")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Check the invitation")).to_be_visible()
    expect(page.get_by_text("Aisha Khan has invited you to Local Claims as User")).to_be_visible()
    check(page, "invite-preview")
    assert not outbox.to(email), "the preview sends nothing"
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Invitation sent")).to_be_visible()
    page.get_by_role("link", name="See pending invitations").click()
    expect(page.get_by_role("table")).to_contain_text(email)
    outbox.wait_for(email)
    page.get_by_role("button", name=re.compile(rf"^Resend\s+to {re.escape(email)}")).click()
    expect(page.get_by_text("A new link has been sent. The old one no longer works.")).to_be_visible()
    check(page, "invitations")
    sign_out(page)

    newest = outbox.wait_for(email, count=2)[-1]
    link = re.search(r"accept-invitation#token=([A-Za-z0-9_-]+)", newest["body"])
    assert link, "the email carries the link"
    page.goto(f"/accept-invitation#token={link.group(1)}")
    check(page, "accept-invitation")
    password = "Another-Good-Pass-77"
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("heading", name="Invitation accepted")).to_be_visible()
    check(page, "invitation-accepted")
    sign_in_from_the_link(page, email, password)


def test_a_finance_officer_sets_up_an_authenticator_app_then_signs_in_with_its_code(page, api, identity, register,
                                                                                    outbox):
    """People who move money or manage accounts sign in with a code from an
    authenticator app: the first sign-in sets the app up (a QR code, and the
    key as text), then they sign in again — this time with a code."""
    person = register(email=unique_email("fin", "ance", "qhm.example.nhs.uk"), first="Fin", last="Ance",
                      organisation="QHM", role="finance")
    reviewed = api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, identity.as_role("qhm_admin"))
    assert reviewed.status_code == 200, reviewed.text
    secret = completion_secret(outbox.wait_for(person["email"])[0])
    assert api.post("/registrations/complete", {"token": secret, "password": PASSWORD}).status_code == 200

    page.goto("/payments")
    fill_sign_in(page, person["email"], PASSWORD)
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check(page, "set-up-authenticator")
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#authenticator-key").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the 6-digit code")
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, "set-up-authenticator-error")
    page.get_by_label("Code from your authenticator app").fill(authenticator.code_now(key))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Your authenticator app is set up. Sign in again, with a code from the app.")).to_be_visible()

    page.get_by_label("Email address").fill(person["email"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Enter the code from your authenticator app")).to_be_visible()
    check(page, "sign-in-code")
    page.get_by_label("Enter the code from your authenticator app").fill(authenticator.code_now(key))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Payments", exact=True)).to_be_visible()


def test_revoke_then_reenable_and_disable_with_other(page, api, identity, active_user, stack):
    code = new_practice(api, identity.as_role("qhm_admin"))
    person = active_user(organisation=code, first="Robin", last="Revoked")
    sign_in_as_admin(page, stack)
    page.get_by_role("link", name="Users").click()
    page.get_by_label("Organisation code").fill(code)
    page.get_by_label("Status").select_option("active")
    page.get_by_role("button", name="Show users").click()
    expect(page).to_have_url(re.compile(f"organisation={code}&status=active"))
    check(page, "users")
    page.get_by_role("link", name=re.compile(r"^View\s+Robin Revoked")).click()
    expect(page.get_by_role("heading", name="Robin Revoked")).to_be_visible()
    check(page, "view-user")
    page.get_by_role("button", name=f"Revoke access to Practice {code}").click()
    check(page, "revoke-confirm")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Access revoked.")).to_be_visible()
    page.get_by_role("button", name=f"Enable Account at Practice {code}").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Access enabled again.")).to_be_visible()

    page.get_by_role("button", name="Disable Account").click()
    page.watch.allow(422, "/disable")  # no reason chosen
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    page.get_by_label("Other").check()
    detail = page.get_by_label("Tell us more")
    detail.fill("x" * 251)
    expect(page.get_by_text("You have 1 character too many")).to_be_visible()
    check(page, "disable-account")
    detail.fill("Moved to a practice outside this ICB")
    expect(page.get_by_text("You have 214 characters remaining")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Account disabled.")).to_be_visible()
    expect(page.locator("#account-status")).to_contain_text("Disabled")
    page.get_by_role("button", name="Enable Account").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Account enabled.")).to_be_visible()
    assert api.get("/me", identity.sign_in(person["email"], person["password"])).status_code == 200


def test_my_profile_names_access_request_and_disabling_my_own_account(page, api, identity, active_user, stack):
    code = new_practice(api, identity.as_role("qhm_admin"))
    person = active_user(organisation=code, first="Kim", last="Own")
    sign_in(page, person["email"], person["password"])
    page.get_by_role("link", name="My Profile").click()
    expect(page.get_by_role("heading", name="My Profile")).to_be_visible()
    check(page, "my-profile")
    page.get_by_label("First name").fill("Kimberley")
    page.get_by_role("button", name="Save your name").click()
    expect(page.get_by_text("Your name has been saved.")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Kimberley")
    page.get_by_label("Organisation code").fill("A81002")
    page.get_by_label("User (at a practice or other provider)").check()
    page.get_by_role("button", name="Ask for access").click()
    expect(page.get_by_text("You have asked for access to A81002")).to_be_visible()
    page.get_by_role("button", name="Disable my account").click()
    page.get_by_label("No longer requires access").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible()
    page.get_by_label("Email address").fill(person["email"])
    page.get_by_label("Password").fill(person["password"])
    page.watch.allow(403, "/api/session")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Your account has been disabled")


def test_the_audit_trail_filters_by_organisation_and_action(page, api, identity, active_user, stack):
    code = new_practice(api, identity.as_role("qhm_admin"))
    active_user(organisation=code, first="Ari", last="Audited")
    sign_in_as_admin(page, stack)
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    page.get_by_label("Organisation code").fill(code)
    page.get_by_label("Action").select_option("registration.approved")
    page.get_by_role("button", name="Show entries").click()
    expect(page).to_have_url(re.compile(f"organisation={code}&action=registration.approved"))
    cells = page.locator("tbody td:nth-child(2)")
    expect(cells).to_have_count(1)
    expect(cells).to_contain_text("Registration approved")
    check(page, "audit-trail")


def test_an_access_request_is_reviewed_from_users(page, api, identity, active_user, stack):
    admin = identity.as_role("qhm_admin")
    home, other = new_practice(api, admin), new_practice(api, admin)
    person = active_user(organisation=home, first="Drew", last="Asking")
    asked = api.post("/access-requests", {"organisationCode": other, "role": "provider_user"}, person["token"])
    assert asked.status_code == 201, asked.text
    sign_in_as_admin(page, stack)
    page.get_by_role("link", name="Users").click()
    page.get_by_label("Organisation code").fill(other)
    page.get_by_label("Status").select_option("pending")
    page.get_by_role("button", name="Show users").click()
    page.get_by_role("link", name=re.compile(r"^Review\s+Drew Asking")).click()
    expect(page.get_by_role("heading", name="Review access request")).to_be_visible()
    expect(page.get_by_text(f"User at Practice {other} ({other})")).to_be_visible()
    check(page, "review-access-request")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Drew Asking")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(f"Practice {other}.*Active"))).to_be_visible()


def test_a_session_is_renewed_before_its_token_runs_out_and_one_that_cannot_be_says_so(page, stack):
    page.clock.install()
    demo = next(u for u in stack["demoUsers"] if u["email"].startswith("priya.shah"))
    sign_in(page, demo["email"], demo["password"])
    with page.expect_response(lambda r: r.url.endswith("/session/refresh") and r.status == 200):
        page.clock.fast_forward("01:00:05")  # the pool's access tokens last an hour: renewed a minute before
    page.get_by_role("link", name="Claim windows").click()
    expect(page.get_by_role("heading", name="Claim windows")).to_be_visible()
    page.context.clear_cookies()  # the session's own end (12 hours), or the cookie gone
    page.clock.fast_forward("01:00:05")
    expect(page.get_by_text("Your session has expired. Sign in again to carry on.")).to_be_visible()
    check(page, "session-expired")


def test_a_single_service_claim_in_the_browser(page, api, identity, active_user):
    """QOQ takes one service per claim: each service is added on its own."""
    world = claim_world(api, identity, active_user, commissioner="QOQ", admin_role="qoq_admin",
                        services=("Depot Antipsychotic Injections", "Complex Care Plans"))
    sign_in(page, world["user"]["email"], world["user"]["password"])
    page.get_by_role("button", name="+New Claim").click()
    expect(page.get_by_text("Your commissioner takes one service per claim.")).to_be_visible()
    expect(page.get_by_role("button", name="Add All services")).to_have_count(0)
    page.get_by_role("button", name=re.compile(r"^Add\s+Depot Antipsychotic Injections")).click()
    expect(page.get_by_text("✓ Added")).to_have_count(1)
    page.get_by_role("button", name="Add All components").click()
    depot = claim_units(page, "Depot Antipsychotic Injections", "3")
    expect(depot.locator(".lc-value")).to_have_text("£45.00")
    depot.get_by_label("Yes").check()
    expect(page.locator("#claim-total")).to_have_text("£45.00")
    check(page, "claim-screen-single-service")
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Yes, submit the claim").click()
    expect(page.get_by_role("heading", name="Claim submitted")).to_be_visible()
    expect(page.locator("#claim-status")).to_have_text("Pending Tier 1 Review")


def test_a_participation_only_component_asks_for_nothing_and_says_so(page, api, identity, active_user):
    catalogue = {"Flu Clinics": [{"name": "Flu clinic held", "payment": {"type": "participation_only"}}]}
    world = claim_world(api, identity, active_user, services=("Flu Clinics",), catalogue=catalogue)
    sign_in(page, world["user"]["email"], world["user"]["password"])
    page.get_by_role("button", name="+New Claim").click()
    page.get_by_role("button", name="Add All components").click()
    held = line(page, "Flu clinic held")
    expect(held.get_by_text("Participation: there is nothing to enter.")).to_be_visible()
    expect(held.get_by_label(re.compile("Number of units"))).to_have_count(0)
    expect(page.locator("#claim-total")).to_have_text("£0.00")


def test_an_invitation_is_cancelled_and_the_keyboard_alone_signs_in(page, api, identity, stack):
    admin_token = identity.as_role("qhm_admin")
    code = new_practice(api, admin_token)
    email = unique_email("casey", "cancelled", f"{code.lower()}.example.nhs.uk")
    sent = api.post("/invitations", {"email": email, "firstName": "Casey", "lastName": "Cancelled",
                                      "organisationCode": code, "role": "provider_user"}, admin_token)
    assert sent.status_code == 201, sent.text
    admin = next(u for u in stack["demoUsers"] if u["email"].startswith("aisha.khan"))
    page.goto("/sign-in")
    page.keyboard.press("Tab")  # the skip link first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(admin["email"])
    page.keyboard.press("Tab")
    page.keyboard.type(admin["password"])
    page.keyboard.press("Enter")
    code_field = page.get_by_label("Enter the code from your authenticator app")
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_focused()
    page.keyboard.press("Tab")
    expect(code_field).to_be_focused()
    page.keyboard.type(authenticator.code_now(admin["authenticatorKey"]))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Pending Actions")).to_be_visible()
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Organisation code").fill(code)
    page.get_by_role("button", name="Show invitations").click()
    page.get_by_role("button", name=re.compile(rf"^Cancel\s+the invitation to {re.escape(email)}")).click()
    expect(page.get_by_text("The invitation has been cancelled. Its link no longer works.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(email)


def test_add_plus_remove_all_and_delete_for_a_practice_without_windows(page, api, identity, active_user):
    world = claim_world(api, identity, active_user, window="later", services=("Complex Care Plans",))
    marked = api.call("PATCH", f"/organisations/{world['code']}", world["admin"], json_body={"claimsAnyTime": True})
    assert marked.status_code == 200, marked.text
    sign_in(page, world["user"]["email"], world["user"]["password"])
    page.get_by_role("button", name="+New Claim").click()
    page.get_by_role("button", name=re.compile(r"^Add\s+Complex Care Plans")).first.click()
    page.get_by_role("button", name=re.compile(r"^Add\+\s+Complex Care Plans")).click()
    expect(page.locator("section.lc-line")).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile(r"^Add\+\s+Service retainer"))).to_be_visible()
    check(page, "claim-screen-add-plus")
    page.get_by_role("button", name=re.compile(r"^Add\+\s+Service retainer")).click()
    expect(page.locator("section.lc-line")).to_have_count(2)
    page.get_by_role("button", name=re.compile(r"^Remove\s+Service retainer")).click()
    expect(page.locator("section.lc-line")).to_have_count(1)
    page.get_by_role("button", name="Remove All").click()
    expect(page.locator("section.lc-line")).to_have_count(0)
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name=re.compile("Are you sure you want to delete claim"))).to_be_visible()
    check(page, "delete-claim")
    page.get_by_role("button", name="Yes, delete the claim").click()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    expect(page.get_by_text("There are no claims yet.")).to_be_visible()


def test_a_button_says_it_is_waiting_and_a_double_click_sends_once(page, api, identity, active_user):
    world = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    sign_in(page, world["user"]["email"], world["user"]["password"])
    made = []
    page.on("request", lambda r: made.append(r) if r.method == "POST" and urlparse(r.url).path == "/api/claims" else None)
    held = []
    page.route("**/api/claims", lambda route: held.append(route) if route.request.method == "POST" else route.fallback())
    new_claim = page.get_by_role("button", name="+New Claim")
    new_claim.dblclick()
    for _ in range(200):  # the page's events arrive while Playwright is asked something
        if held:
            break
        page.wait_for_timeout(50)
    expect(new_claim).to_have_attribute("aria-disabled", "true")  # waiting, and announced as unavailable
    new_claim.dispatch_event("click")  # and a third press, while it waits
    held[0].fallback()
    expect(page.get_by_role("heading", name=re.compile(r"^Claim ID \d+$"))).to_be_visible()
    page.unroute("**/api/claims")
    assert len(made) == 1, [r.url for r in made]
    claims = api.get(f"/claims?provider={world['code']}", world["token"]).json()
    assert len(claims["items"]) == 1, claims


def test_a_new_claim_whose_answer_was_lost_is_sent_again_and_makes_one_claim(page, api, identity, active_user):
    """The claim is made but its answer never arrives (the network drops it):
    the client sends the same request again, with the same Idempotency-Key,
    and the API answers as it did the first time — one claim, and the person
    is on it. Then a read that meets a 503 (AWS failing for a moment) is tried
    again after its Retry-After, and the screen shows as if nothing happened."""
    world = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    sign_in(page, world["user"]["email"], world["user"]["password"])
    sent: list[tuple[str, str]] = []

    def lose_the_first_answer(route):
        sent.append((route.request.method, route.request.header_value("idempotency-key") or ""))
        if route.request.method != "POST":
            return route.fallback()
        if len(sent) == 1:
            route.fetch()  # the API makes the claim ...
            return route.abort("connectionreset")  # ... and its answer is lost on the way
        return route.fallback()

    page.route("**/api/claims", lose_the_first_answer)
    page.get_by_role("button", name="+New Claim").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Claim ID \d+$"))).to_be_visible()
    page.unroute("**/api/claims")
    assert [method for method, _ in sent] == ["POST", "POST"], sent
    assert sent[0][1] and sent[0][1] == sent[1][1], "the retry carries the first request's key"
    claims = api.get(f"/claims?provider={world['code']}", world["token"]).json()
    assert len(claims["items"]) == 1, claims
    assert page.get_by_role("heading", name=f"Claim ID {claims['items'][0]['id']}").is_visible()

    unavailable = {"type": "/problems/temporarily-unavailable", "title": "Service temporarily unavailable",
                   "status": 503, "detail": "Please try again"}
    failed_once: list[str] = []

    def fail_the_first_read(route):
        if failed_once:
            return route.fallback()
        failed_once.append(route.request.url)
        return route.fulfill(status=503, headers={"retry-after": "1", "content-type": "application/problem+json"},
                             body=json.dumps(unavailable))

    page.watch.allow(503, "/api/claims")
    page.route("**/api/claims?*", fail_the_first_read)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Claims", exact=True).click()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name=str(claims["items"][0]["id"]))).to_be_visible()
    page.unroute("**/api/claims?*")
    assert len(failed_once) == 1, failed_once


def test_a_screen_whose_answer_comes_late_does_not_draw_over_the_next_one(page, api, identity, active_user):
    world = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    sign_in(page, world["user"]["email"], world["user"]["password"])
    held = {}
    asks = {"list": "**/api/claims?*", "availability": "**/api/providers/*/claims/availability"}

    def hold(name: str):
        return lambda route: held.setdefault(name, route) if route.request.method == "GET" else route.fallback()

    for name, pattern in asks.items():
        page.route(pattern, hold(name))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Claims", exact=True).click()
    for _ in range(200):
        if len(held) == len(asks):
            break
        page.wait_for_timeout(50)
    assert set(held) == set(asks), f"the Claims screen asked for its list and what can be claimed: {held}"
    page.get_by_role("link", name=re.compile(r"^My Profile")).click()
    expect(page.get_by_role("heading", name="My Profile", exact=True)).to_be_visible()
    for name, pattern in asks.items():
        with page.expect_response(lambda answer: "/claims" in urlparse(answer.url).path):
            held[name].fallback()
        page.unroute(pattern)
    # Both late answers have been read and set aside (counted on the page), not drawn.
    expect(page.locator("body")).to_have_attribute("data-answers-set-aside", str(len(asks)))
    expect(page.get_by_role("heading", name="My Profile", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_have_count(0)
    assert urlparse(page.url).path == "/profile"


def sign_out(page: Page) -> None:
    """Sign out, as a person does: the sign-in page says it is done."""
    page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible()


def sign_in_at(page: Page, stack, path: str, email_prefix: str, heading: str) -> None:
    demo = next(u for u in stack["demoUsers"] if u["email"].startswith(email_prefix))
    page.goto(path)
    fill_sign_in(page, demo["email"], demo["password"], demo.get("authenticatorKey"))
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def test_a_tier1_reviewer_works_through_the_list_returns_one_claim_and_approves_another(
        page, api, identity, active_user, stack, outbox):
    from test_review import submitted_claim
    world, returned_id, _ = submitted_claim(api, identity, active_user, units=12)
    second = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    _, approved_id, _ = submitted_claim(api, identity, active_user, units=5, world=second)
    sign_in_at(page, stack, "/reviews", "tess.walker", "Reviews")
    expect(page.get_by_role("heading", name="Waiting for Tier 1")).to_be_visible()
    page.get_by_label("Practice ODS code").fill(world["code"])
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#work-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("£2,571.04")
    expect(rows.first).to_contain_text(world["code"])
    check(page, "work-list")

    page.get_by_role("link", name=str(returned_id), exact=True).click()
    expect(page.get_by_role("heading", name="Your decision (Tier 1)")).to_be_visible()
    check(page, "review-claim")
    page.get_by_label("Return for amendment").check()
    page.watch.allow(422, "/decisions")  # a return needs its reason
    page.get_by_role("button", name="Confirm decision").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Give the reason the practice will be sent")
    expect(summary).to_be_focused()
    check(page, "review-claim-error")
    page.get_by_label("Return for amendment").check()
    page.get_by_label("Reason (needed to reject or return)").fill("The care plan list shows 11, not 12")
    page.get_by_text("Add notes on particular lines (for a return)").click()
    page.get_by_label("Note on Complex Care Plans").fill("Enter 11 care plans")
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.locator("#decision-notice")).to_contain_text("You returned this claim. It is now Returned for amendment.")
    expect(page.locator("#claim-history")).to_contain_text("returned by Tess Walker — The care plan list shows 11, not 12")
    expect(page.locator("#claim-history")).to_contain_text("On Complex Care Plans: Enter 11 care plans")
    expect(page.get_by_role("heading", name="Your decision (Tier 1)")).to_have_count(0)
    assert "The care plan list shows 11, not 12" in outbox.titled(
        world["user"]["email"], f"Claim {returned_id}: Returned for amendment")["body"]

    # The practice sees the reason, and the note at its line.
    sign_out(page)
    page.goto(f"/claims/{returned_id}")
    fill_sign_in(page, world["user"]["email"], PASSWORD)
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("The care plan list shows 11, not 12")
    expect(line(page, "Complex Care Plans")).to_contain_text("Reviewer's note: Enter 11 care plans")
    check(page, "returned-claim")
    # The practice puts it right and submits it again, under the same id.
    units = line(page, "Complex Care Plans").get_by_label("Number of units")
    units.fill("11")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("You are claiming £2,377.62")).to_be_visible()  # 11 × £193.42 + £250.00
    page.get_by_role("button", name="Yes, submit the claim").click()
    expect(page.locator("#claim-status")).to_have_text("Pending Tier 1 Review")
    sign_out(page)
    sign_in_at(page, stack, "/reviews", "tess.walker", "Reviews")
    page.get_by_label("Practice ODS code").fill(second["code"])
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=str(approved_id), exact=True).click()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.locator("#decision-notice")).to_contain_text("It is now Pending Tier 2 Review")
    check(page, "review-decided")
    # Tier 2 approves it (and someone else than Tier 1: Uma).
    sign_out(page)
    sign_in_at(page, stack, f"/claims/{approved_id}", "uma.reid", f"Claim ID {approved_id}")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.locator("#decision-notice")).to_contain_text("It is now Approved")


def test_finance_approves_a_claim_at_or_above_the_threshold_in_the_browser(page, api, identity, active_user, stack):
    from test_review import decide, submitted_claim
    world, claim_id, _ = submitted_claim(api, identity, active_user, units=80)  # 80 × £193.42 + £250.00 = £15,723.60
    assert decide(api, {"token": identity.as_role("tier1")}, claim_id, "tier1", "approve").status_code == 200
    moved = decide(api, {"token": identity.as_role("tier2")}, claim_id, "tier2", "approve")
    assert moved.json()["status"]["code"] == "pending_finance_approval", moved.text
    sign_in_at(page, stack, f"/claims/{claim_id}", "fay.morgan", f"Claim ID {claim_id}")
    expect(page.get_by_role("heading", name="Your decision (Finance)")).to_be_visible()
    check(page, "finance-decision")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.locator("#decision-notice")).to_contain_text("It is now Approved")


def test_bulk_claims_template_and_upload_in_the_browser(page, api, identity, active_user, stack, tmp_path):
    world = claim_world(api, identity, active_user, services=("Ear Irrigation",))
    service_id = world["services"]["Ear Irrigation"]
    _, quarter, _ = this_year_and_quarter()
    sign_in_at(page, stack, "/bulk-claims", "tess.walker", "Bulk claims")
    page.get_by_label("Service").select_option(service_id)
    page.get_by_label("Period").select_option(quarter)
    check(page, "bulk-claims")
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Download template").click()
    template = Path(downloaded.value.path()).read_text()
    assert template.splitlines()[0] == "ODS code,Practice,Ear Irrigation"
    assert f"{world['code']},Practice {world['code']}," in template
    filled = tmp_path / "filled.csv"
    filled.write_text(f"ODS code,Practice,Ear Irrigation\n{world['code']},,7\nY99999,,3\n")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the filled template to upload")
    page.get_by_label("CSV file").set_input_files(str(filled))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#bulk-summary")).to_contain_text("1 claim made, 1 row to correct")
    expect(page.locator("#bulk-report h2")).to_contain_text(f"{quarter} ")
    expect(page.locator("#bulk-report")).to_contain_text("There is no practice with the ODS code Y99999")
    check(page, "bulk-report")
    page.locator("#bulk-report").get_by_role("link", name=re.compile(r"^Claim \d+$")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Claim ID \d+$"))).to_be_visible()
    expect(page.locator("#claim-status")).to_contain_text("Pending Tier 2 Review")


def test_an_administrator_sets_the_finance_threshold_and_a_practice_s_own_approval(page, api, identity, stack):
    admin = identity.as_role("qhm_admin")
    code = new_practice(api, admin)
    try:
        sign_in_at(page, stack, "/settings", "aisha.khan", "Claim settings")
        threshold = page.get_by_label("Finance threshold, in pounds")
        expect(threshold).to_have_value("15000.00")
        threshold.fill("£20,000")
        page.watch.allow(422, "/organisations/QHM")
        page.get_by_role("button", name="Save threshold").click()
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the threshold in pounds, like 15000.00")
        check(page, "claim-settings-error")
        page.get_by_label("Finance threshold, in pounds").fill("20000")
        page.get_by_role("button", name="Save threshold").click()
        expect(page.locator("#settings-notice")).to_contain_text("The Finance threshold is now £20,000.00.")
        page.get_by_label("Practice ODS code").fill(code.lower())
        page.get_by_role("button", name="Find practice").click()
        page.get_by_label("Yes").check()
        page.get_by_role("button", name=f"Save for {code}").click()
        expect(page.locator("#settings-notice")).to_contain_text("claims now wait for one of its approvers")
        check(page, "claim-settings")
        assert api.get(f"/organisations/{code}", admin).json()["claimsNeedApproval"] is True
    finally:
        api.call("PATCH", "/organisations/QHM", admin, json_body={"financeThreshold": "15000.00"})


def test_finance_runs_and_confirms_a_payment_and_the_practice_reads_its_remittance(
        page, api, identity, active_user, stack):
    from datetime import date as day, timedelta
    from test_payments import approved_claim
    payers = {"tier1": identity.as_role("tier1"), "tier2": identity.as_role("tier2")}
    world, cid = approved_claim(api, identity, active_user, payers, units=2)  # 2 × £193.42 + £250.00
    sign_in_at(page, stack, "/payments", "fay.morgan", "Payments")
    check(page, "payments")
    page.get_by_label("Payment date").fill((day.today() + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Start payment run").click()
    expect(page.locator("#run-status")).to_have_text("Ready to confirm")
    expect(page.get_by_role("table", name="Totals by practice")).to_contain_text(world["code"])
    check(page, "payment-run")
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Download finance export").click()
    assert f"{world['code']},Practice {world['code']},{cid}," in Path(downloaded.value.path()).read_text()
    page.get_by_role("button", name="Confirm payment run").click()
    check(page, "payment-run-confirm")
    page.get_by_role("button", name="Confirm payment run").click()
    expect(page.locator("#run-status")).to_have_text("Confirmed")
    run_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Claims report"))).to_be_visible()
    check(page, "reports")
    sign_out(page)
    page.goto(f"/remittances/{world['code']}/{run_id}")
    fill_sign_in(page, world["user"]["email"], PASSWORD)
    expect(page.locator("#remittance-total")).to_have_text("£636.84")
    year, quarter, _ = this_year_and_quarter()
    expect(page.locator("main")).to_contain_text(f"{quarter} {year}")  # the period as people say it, not its key
    check(page, "remittance")
    with page.context.expect_page() as printed:
        page.get_by_role("button", name="Printable version").click()
    expect(printed.value.get_by_role("heading", name="Remittance advice")).to_be_visible()
    expect(printed.value.locator("body")).to_contain_text("£636.84")


def test_a_practice_and_a_tier1_reviewer_download_the_evidence_and_the_practice_deletes_a_file(
        page, api, identity, active_user, stack):
    """Download gives the very bytes uploaded (for the practice, and for the
    Tier 1 reviewer approving the claim); Delete takes a file off its line."""
    world = claim_world(api, identity, active_user, services=("Ear Irrigation",))
    sign_in(page, world["user"]["email"], world["user"]["password"])
    page.get_by_role("button", name="+New Claim").click()
    page.get_by_role("button", name="Add All components").click()
    claim_units(page, "Ear Irrigation", "2")
    expect(page.locator("#claim-total")).to_have_text("£57.00")
    first, second = ROOT / ".local" / "first list.pdf", ROOT / ".local" / "second list.pdf"
    first.write_bytes(pdf("Registered practices: The Densham Surgery"))
    second.write_bytes(pdf("Registered practices: Queens Park"))
    for evidence in (first, second):
        line(page, "Ear Irrigation").get_by_label("Add Attachment").set_input_files(str(evidence))
        expect(page.locator("[data-attachment]", has_text=evidence.name).get_by_text("Checked")).to_be_visible()
    with page.expect_download() as downloaded:
        page.locator("[data-attachment]", has_text="first list.pdf").get_by_role("link", name="Download").click()
    assert Path(downloaded.value.path()).read_bytes() == first.read_bytes(), "the practice downloads what it uploaded"
    page.locator("[data-attachment]", has_text="second list.pdf").get_by_role("link", name="Delete").click()
    expect(page.locator("[data-attachment]")).to_have_count(1)
    expect(page.get_by_text("second list.pdf")).to_have_count(0)
    claim_id = page.get_by_role("heading", name="Claim ID").inner_text().split()[-1]
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Yes, submit the claim").click()
    expect(page.locator("#claim-status")).to_have_text("Pending Tier 1 Review")

    sign_out(page)
    sign_in_at(page, stack, f"/claims/{claim_id}", "tess.walker", f"Claim ID {claim_id}")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download first list.pdf").click()
    assert Path(downloaded.value.path()).read_bytes() == first.read_bytes(), "the reviewer reads what was checked"


def test_submit_waits_for_the_last_edit_and_confirms_the_amount_the_server_holds(page, api, identity, active_user):
    world = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    sign_in(page, world["user"]["email"], world["user"]["password"])
    page.get_by_role("button", name="+New Claim").click()
    page.get_by_role("button", name="Add All components").click()
    line(page, "Complex Care Plans").get_by_label("Number of units").fill("12")
    page.get_by_role("button", name="Submit").click()  # straight from the box: its change is still being saved
    expect(page.get_by_text("You are claiming £2,571.04")).to_be_visible()  # 12 × £193.42 + the £250.00 retainer
    assert "?confirm=submit" in page.url, "the confirmation has its own address"
    check(page, "submit-confirmation")
    page.go_back()
    expect(page.get_by_role("heading", name="Claim ID")).to_be_visible()
    expect(line(page, "Complex Care Plans").get_by_label("Number of units")).to_have_value("12")
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Yes, submit the claim").click()
    expect(page.get_by_role("heading", name="Claim submitted")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list").get_by_text("£2,571.04")).to_be_visible()


def test_a_reload_or_a_new_tab_keeps_the_session_and_signing_out_ends_it_in_every_tab(page, stack):
    demo = next(u for u in stack["demoUsers"] if u["email"].startswith("priya.shah"))
    sign_in(page, demo["email"], demo["password"])
    cookie = next(c for c in page.context.cookies() if c["name"] == "lc_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict", cookie
    assert "lc_session" not in page.evaluate("document.cookie"), "no script can read the session's token"
    page.reload()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    other = page.context.new_page()
    other.watch = watching(other)
    other.goto("/claim-windows")
    expect(other.get_by_role("heading", name="Claim windows")).to_be_visible()
    sign_out(page)
    expect(other.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible()
    expect(other.get_by_text("You signed out in another window.")).to_be_visible()
    other.goto("/claims")
    expect(other.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible()
    assert not other.watch.unexpected and not other.watch.errors, (other.watch.unexpected, other.watch.errors)


def narrow(page) -> None:
    """Nothing on the screen makes a 375-pixel-wide page scroll sideways."""
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 375, f"{page.url} is {wide}px wide at 375px"


def test_at_375_pixels_no_page_scrolls_sideways(browser, stack, api, identity, active_user):
    """The Claims list, the claim screen and its summary, and the lists
    administrators, reviewers and Finance use, on a phone-sized screen."""
    from test_review import submitted_claim

    world, claim_id, _ = submitted_claim(api, identity, active_user, units=3)
    context = browser.new_context(base_url=stack["appUrl"], viewport={"width": 375, "height": 800})
    context.route("**/*", only_this_machine)
    small = context.new_page()
    small.set_default_timeout(20_000)
    small.watch = watching(small)
    try:
        sign_in(small, world["user"]["email"], world["user"]["password"])
        narrow(small)
        small.get_by_role("link", name=str(claim_id)).click()
        expect(small.get_by_role("heading", name=f"Claim ID {claim_id}")).to_be_visible()
        narrow(small)
        small.goto("/claim-windows")
        expect(small.get_by_role("heading", name="Claim windows")).to_be_visible()
        narrow(small)
        year = this_year_and_quarter()[0]
        for prefix, path, heading in [("aisha.khan", "/pending-actions", "Pending Actions"), ("aisha.khan", "/users", "Users"),
                                      ("aisha.khan", "/audit", "Audit trail"), ("tess.walker", "/reviews", "Reviews"),
                                      ("fay.morgan", "/reports", f"Claims report {year}"), ("fay.morgan", "/payments", "Payments")]:
            small.get_by_role("link", name="Sign out").click()
            expect(small.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible()
            sign_in_at(small, stack, path, prefix, heading)
            narrow(small)
            check(small, f"narrow-{path.strip('/')}")
        assert not small.watch.unexpected and not small.watch.errors, (small.watch.unexpected, small.watch.errors)
    finally:
        context.close()


def test_the_guides_worked_claim_takes_twelve_actions_from_sign_in_to_the_summary(page, api, identity, active_user):
    """Everything the guides show (Add All, 12 care plans, the retainer, the
    must-be-Yes question, Ear Irrigation with its evidence, Submit and its
    confirmation), counted: each fill, click, toggle or file chosen is one action."""
    world = claim_world(api, identity, active_user)
    actions: list[str] = []

    def act(what: str, do) -> None:
        actions.append(what)
        do()

    evidence = ROOT / ".local" / "worked example.pdf"
    evidence.write_bytes(pdf("Registered practices: The Densham Surgery"))
    page.goto("/claims")
    act("email", lambda: page.get_by_label("Email address").fill(world["user"]["email"]))
    act("password", lambda: page.get_by_label("Password").fill(world["user"]["password"]))
    act("Sign in", lambda: page.get_by_role("button", name="Sign in").click())
    act("+New Claim", lambda: page.get_by_role("button", name="+New Claim").click())
    act("Add All", lambda: page.get_by_role("button", name="Add All components").click())
    expect(page.locator("section.lc-line")).to_have_count(4)
    act("12 care plans", lambda: line(page, "Complex Care Plans").get_by_label("Number of units").fill("12"))
    expect(line(page, "Complex Care Plans").locator(".lc-value")).to_have_text("£2,321.04")
    act("4 injections", lambda: line(page, "Depot Antipsychotic Injections").get_by_label("Number of units").fill("4"))
    act("Yes", lambda: line(page, "Depot Antipsychotic Injections").get_by_label("Yes").check())
    act("1 ear irrigation", lambda: line(page, "Ear Irrigation").get_by_label("Number of units").fill("1"))
    act("the evidence", lambda: line(page, "Ear Irrigation").get_by_label("Add Attachment").set_input_files(str(evidence)))
    expect(line(page, "Ear Irrigation").locator("[data-attachment]")).to_have_count(1)
    act("Submit", lambda: page.get_by_role("button", name="Submit").click())
    expect(page.get_by_text("You are claiming £2,659.54")).to_be_visible()  # 2,321.04 + 250.00 + 60.00 + 28.50
    act("Yes, submit", lambda: page.get_by_role("button", name="Yes, submit the claim").click())
    expect(page.get_by_role("heading", name="Claim submitted")).to_be_visible()
    assert len(actions) <= 12, actions
