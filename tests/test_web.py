"""The web client in a real browser (Debian's Chromium driven by Playwright)
against the local stack: the guides' claim journeys, with axe-core checking
every screen for WCAG 2.2 AA and a screenshot of each saved. Requests to any
host but this machine are refused, so nothing is fetched from outside."""

import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from test_claims import claim_world

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))
import clamav  # noqa: E402
from sample_files import pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / ".local" / "screens"
#: The screens shown in the README.
DOCUMENTED = {"sign-in", "claims", "claim-screen", "claim-summary"}
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


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(base_url=stack["appUrl"], viewport={"width": 1280, "height": 900})

    def only_this_machine(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_this_machine)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def check(page: Page, name: str) -> None:
    """axe-core finds nothing at WCAG 2.2 AA on this screen; the screen is saved."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, { runOnly: { type: 'tag', values: tags } })", WCAG)
    problems = [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})" for v in result["violations"]]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if name in DOCUMENTED:
        (ROOT / "docs" / "screens").mkdir(parents=True, exist_ok=True)
        shutil.copy(SHOTS / f"{name}.png", ROOT / "docs" / "screens" / f"{name}.png")
    assert not problems, f"{name}: {problems}"


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/claims")
    expect(page.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()


def line(page: Page, name: str):
    return page.locator("section.lc-line", has=page.get_by_role("heading", name=name, exact=True))


def test_sign_in_refuses_a_wrong_password_then_signs_in_and_out(page, stack):
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
    page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Local Claims")).to_be_visible()
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

    depot = line(page, "Depot Antipsychotic Injections")
    depot.get_by_label("Number of units").fill("4")
    depot.get_by_label("Number of units").blur()
    expect(depot.get_by_label("No")).to_be_checked()
    check(page, "claim-screen")

    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Yes, submit the claim").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text('Switch "Were all injections administered by a qualified member of staff?" to Yes')
    check(page, "claim-screen-errors")
    summary.get_by_role("link", name="Switch").click()
    depot = line(page, "Depot Antipsychotic Injections")
    depot.get_by_label("Yes").check()
    expect(depot.get_by_label("Yes")).to_be_checked()

    ear = line(page, "Ear Irrigation")
    ear.get_by_label("Number of units").fill("1")
    ear.get_by_label("Number of units").blur()
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
        dead_letters = stack["queues"]["EvidenceUploadDeadLetterQueue"]
        sqs = stack.client("sqs")
        deadline = time.time() + 30
        while time.time() < deadline and int(sqs.get_queue_attributes(
                QueueUrl=dead_letters, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
                ["ApproximateNumberOfMessages"]) == 0:
            time.sleep(0.3)
    finally:
        if not clamav.answers():
            clamav.start(ROOT / ".local" / "logs" / "clamd.log")
    subprocess.run([sys.executable, str(ROOT / "infra" / "redrive.py"), "EvidenceUploadDeadLetterQueue"],
                   check=True, capture_output=True, cwd=ROOT, timeout=60)
    page_url = page.url
    expect(status).to_have_text("Pending Tier 1 Review", timeout=20_000)
    assert page.url == page_url, "the page was not reloaded"
