"""A commissioner's year set up in the browser (web client, part 3): the
Service Desk adds an ICB and invites its first administrator; the
administrator adds practices (one by hand, more from the NHS ODS practice
file), sets up the guides' three services — components, an evidence rule, a
must-be-Yes question, claim windows — and offers them; a practice accepts and
makes the guides' worked claim. Every screen on the way is checked by axe; the
lists at 375 pixels; one long form is filled with the keyboard alone."""

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from conftest import PASSWORD, unique_code, unique_email
from test_claims import this_year_and_quarter
from test_organisations import practice_file_row
from test_web import ROOT, browser, check, fill_sign_in, line, narrow, page, sign_out  # noqa: F401 (fixtures)
from test_web import authenticator, pdf


class Actions:
    """Counts what the person does: each fill, click, tick, choice or key sequence is one action."""

    def __init__(self) -> None:
        self.done: list[str] = []

    def __call__(self, what: str, do) -> None:
        self.done.append(what)
        do()


def demo_user(stack, prefix: str) -> dict:
    return next(u for u in stack["demoUsers"] if u["email"].startswith(prefix))


def keyboard_to(page: Page, element_id: str, limit: int = 80) -> None:
    """Tabs forward until the element with this id has focus, as a keyboard user does."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def typed(page: Page, element_id: str, text: str) -> None:
    keyboard_to(page, element_id)
    page.keyboard.type(text)


def accept_invitation(page: Page, outbox, email: str, password: str) -> None:
    mail = outbox.wait_for(email)[-1]
    token = re.search(r"accept-invitation#token=([A-Za-z0-9_-]+)", mail["body"])
    assert token, "the invitation carries its link"
    page.goto(f"/accept-invitation#token={token.group(1)}")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("heading", name="Invitation accepted")).to_be_visible()


def invite(page: Page, email: str, first: str, last: str, organisation: str | None, role: str | None) -> None:
    """The six steps; the organisation and role are chosen unless the invitation started with them."""
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_role("button", name="Next").click()
    if organisation:
        page.get_by_label("Organisation", exact=True).select_option(organisation)
    page.get_by_role("button", name="Next").click()
    if role:
        page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Check the invitation")).to_be_visible()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Invitation sent")).to_be_visible()


def add_window(page: Page, act: Actions, quarter: str, opens: date, closes: date, screen: str | None = None) -> None:
    act("Add a claim window", lambda: page.get_by_role("link", name="Add a claim window").click())
    if screen:
        check(page, screen)
    act("period", lambda: page.get_by_label("Period").select_option(quarter))
    act("opens", lambda: page.get_by_label("Opens").fill(opens.isoformat()))
    act("closes", lambda: page.get_by_label("Closes").fill(closes.isoformat()))
    act("Add window", lambda: page.get_by_role("button", name="Add window").click())
    expect(page.get_by_text("The claim window is saved.")).to_be_visible()


def create_service(page: Page, act: Actions, name: str, screen: str | None = None) -> None:
    act("Services", lambda: page.get_by_role("link", name="Services", exact=True).click())
    act("Create a service", lambda: page.get_by_role("button", name="Create a service").click())
    if screen:
        check(page, screen)
    act("name", lambda: page.get_by_label("Service name").fill(name))
    act("Create service", lambda: page.get_by_role("button", name="Create service").click())
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def per_unit(page: Page, act: Actions, name: str, price: str, unit: str) -> None:
    act("Add a component", lambda: page.get_by_role("button", name="Add a component").click())
    act("name", lambda: page.get_by_label("Component name").fill(name))
    act("price", lambda: page.get_by_label("Price per unit, in pounds").fill(price))
    act("unit", lambda: page.get_by_label("What a unit is").fill(unit))


#: The component's steps after "What is paid", each one thing on a page.
STEP_HEADINGS = ["Does a claim need evidence?", "What must practices answer?", "Prices for particular practices",
                 "Check the component"]


def continue_to(page: Page, act: Actions, heading: str) -> None:
    act("Continue", lambda: page.get_by_role("button", name="Continue").click())
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def add_component(page: Page, act: Actions, then: str = "The component is saved.") -> None:
    act("Add component", lambda: page.get_by_role("button", name="Add component").click())
    expect(page.get_by_text(then)).to_be_visible()


def offer_to(page: Page, act: Actions, practice_name: str, search: str = "", every: int = 0) -> None:
    """Offers the service to the practice (found by a search first if given), or to all `every` practices."""
    act("Offer to practices", lambda: page.get_by_role("link", name="Offer to practices, and see their answers").click())
    if every:
        act("all practices", lambda: page.get_by_label(f"All {every} practices not offered yet").check())
    else:
        if search:
            act("search", lambda: page.get_by_label("Search your practices").fill(search))
            expect(page.get_by_label("HILLTOP MEDICAL PRACTICE", exact=False)).to_be_hidden()
        act("tick the practice", lambda: page.get_by_label(re.compile(rf"^{re.escape(practice_name)}")).check())
    act("Offer", lambda: page.get_by_role("button", name="Offer to chosen practices").click())
    offered = every or 1
    expect(page.get_by_text(f"is offered to {offered} practice{'s' if offered > 1 else ''}. Each is emailed.")).to_be_visible()
    expect(page.locator("#offer-counts")).to_have_text(f"0 accepted, 0 declined, {offered} waiting.")


def test_a_new_icb_sets_up_the_guides_services_in_the_browser_and_a_practice_claims(page, stack, outbox, tmp_path):
    year, quarter, today = this_year_and_quarter()
    icb, practice, imported = unique_code("Q"), unique_code("P"), unique_code("P")
    icb_name, practice_name = f"NHS Test ICB {icb}", f"The Densham Surgery {practice}"

    # The Service Desk adds the ICB and invites its first administrator.
    desk = demo_user(stack, "sam.patel")
    page.goto("/organisations")
    fill_sign_in(page, desk["email"], desk["password"], desk["authenticatorKey"])
    expect(page.get_by_role("heading", name="ICBs")).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Claims")).to_have_count(0)
    check(page, "icbs")
    page.get_by_role("button", name="Add an ICB").click()
    page.watch.allow(422, "/api/organisations")
    page.get_by_role("button", name="Add ICB").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the organisation's ODS code")
    check(page, "add-icb-errors")
    page.get_by_label("ODS code").fill(icb)
    page.get_by_label("Name").fill(icb_name)
    page.get_by_label("Several services in one claim").check()
    page.get_by_role("button", name="Add ICB").click()
    expect(page.get_by_role("heading", name="ICB added")).to_be_visible()
    check(page, "icb-added")
    page.get_by_role("button", name="Invite a Commissioning Administrator").click()
    admin_email = unique_email("nia", "grant", f"{icb.lower()}.example.nhs.uk")
    invite(page, admin_email, "Nia", "Grant", organisation=None, role=None)
    sign_out(page)

    # The administrator accepts, sets up an authenticator app, and signs in.
    accept_invitation(page, outbox, admin_email, PASSWORD)
    page.get_by_role("link", name="Sign in to Local Claims").click()
    fill_sign_in(page, admin_email, PASSWORD)
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#authenticator-key").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(authenticator.code_now(key))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Your authenticator app is set up. Sign in again, with a code from the app.")).to_be_visible()
    fill_sign_in(page, admin_email, PASSWORD, key)
    expect(page.get_by_role("heading", name="Pending Actions")).to_be_visible()

    # The set-up, counted from here.
    act = Actions()
    act("Organisations", lambda: page.get_by_role("link", name="Organisations", exact=True).click())
    expect(page.get_by_text("There are none yet.")).to_be_visible()
    act("Add an organisation", lambda: page.get_by_role("button", name="Add an organisation").click())
    check(page, "add-organisation")
    act("code", lambda: page.get_by_label("ODS code").fill(practice))
    act("name", lambda: page.get_by_label("Name").fill(practice_name))
    act("Add organisation", lambda: page.get_by_role("button", name="Add organisation").click())
    expect(page.get_by_text(f"{practice} is added.")).to_be_visible()

    practice_file = tmp_path / "epraccur.csv"
    practice_file.write_text("\n".join([
        practice_file_row(imported, "HILLTOP MEDICAL PRACTICE", icb),
        practice_file_row(practice, practice_name.upper(), icb),
        practice_file_row(unique_code("P"), "A SURGERY ELSEWHERE", "QOQ", commissioner="02Y"),
    ]) + "\n")
    page.get_by_role("button", name="Add practices from the ODS practice file").click()
    page.get_by_label("Practice file").set_input_files(str(practice_file))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#import-summary")).to_contain_text("1 practice added, 1 already here")
    expect(page.locator("#import-report table").first).to_contain_text("HILLTOP MEDICAL PRACTICE")
    check(page, "import-practices")
    page.get_by_role("link", name="Back to organisations").click()
    expect(page.get_by_role("table")).to_contain_text("HILLTOP MEDICAL PRACTICE")
    page.set_viewport_size({"width": 375, "height": 800})
    narrow(page)
    check(page, "narrow-organisations")
    page.set_viewport_size({"width": 1280, "height": 900})

    opens, closes = today, today + timedelta(days=5)
    # Complex Care Plans: £193.42 a care plan, and a £250 retainer.
    create_service(page, act, "Complex Care Plans", screen="create-service")
    check(page, "service-new")
    act("Change budget", lambda: page.get_by_role("link", name="Change budget").click())
    check(page, "service-edit")
    act("budget", lambda: page.get_by_label("Budget for the year, in pounds (optional)").fill("25000.00"))
    act("VAT code", lambda: page.get_by_label("VAT code").select_option("OS"))
    act("cost centre", lambda: page.get_by_label("Cost centre (optional)").fill("CC-4410"))
    act("subjective code", lambda: page.get_by_label("Subjective code (optional)").fill("52190"))
    act("Save changes", lambda: page.get_by_role("button", name="Save changes").click())
    expect(page.get_by_text("The service's details are saved.")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("£25,000.00")
    per_unit(page, act, "Complex Care Plans", "193.42", "Care plan")
    check(page, "component-payment")
    for heading, screen in zip(STEP_HEADINGS, ["component-evidence", "component-questions", "component-prices",
                                               "component-check"]):
        continue_to(page, act, heading)
        check(page, screen)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("£193.42 a care plan")
    add_component(page, act)
    act("Add a component", lambda: page.get_by_role("button", name="Add a component").click())
    act("name", lambda: page.get_by_label("Component name").fill("Service retainer"))
    act("As a retainer", lambda: page.get_by_label("As a retainer").check())
    act("amount", lambda: page.get_by_label("Retainer, in pounds").fill("250.00"))
    act("information", lambda: page.get_by_label("Information for practices").fill("Paid each quarter to practices signed up."))
    for heading in STEP_HEADINGS:
        continue_to(page, act, heading)
    add_component(page, act)
    expect(page.get_by_role("cell", name="Retainer of £250.00")).to_be_visible()
    add_window(page, act, quarter, opens, closes, screen="window-new")
    check(page, "service")
    offer_to(page, act, practice_name)
    check(page, "service-offers")

    # Ear Irrigation: £28.50 a patient, evidence from the first unit, PDF only.
    create_service(page, act, "Ear Irrigation")
    per_unit(page, act, "Ear Irrigation", "28.50", "Patient")
    continue_to(page, act, STEP_HEADINGS[0])
    act("needs evidence", lambda: page.get_by_label("Claims need evidence attached").check())
    act("PDF", lambda: page.get_by_label("PDF").check())
    act("guidance", lambda: page.get_by_label("Guidance for practices").fill("The list of patients seen, with no names"))
    check(page, "component-evidence-rule")
    for heading in STEP_HEADINGS[1:]:
        continue_to(page, act, heading)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("From 1 unit: PDF, up to 10 MB")
    add_component(page, act)
    expect(page.get_by_role("cell", name="From 1 unit")).to_be_visible()
    add_window(page, act, quarter, opens, closes + timedelta(days=1))
    act("Change the window", lambda: page.get_by_role("link", name=re.compile(r"^Change\s+the .* window")).click())
    check(page, "window-change")
    act("closes", lambda: page.get_by_label("Closes").fill(closes.isoformat()))
    act("Save window", lambda: page.get_by_role("button", name="Save window").click())
    expect(page.get_by_text("The claim window is saved.")).to_be_visible()
    offer_to(page, act, practice_name, search="densham")

    # Depot Antipsychotic Injections: £15.00 an injection, and a question that must be answered Yes —
    # its component's steps filled with the keyboard alone.
    create_service(page, act, "Depot Antipsychotic Injections")
    act("Add a component", lambda: page.get_by_role("button", name="Add a component").click())
    expect(page.get_by_role("heading", name="What is paid")).to_be_visible()
    act("name", lambda: typed(page, "name", "Depot Antipsychotic Injections"))
    act("price", lambda: typed(page, "payment-unitPrice", "15.00"))
    act("unit", lambda: typed(page, "payment-unitLabel", "Injection"))
    enter = lambda heading: (keyboard_to(page, "component-submit"), page.keyboard.press("Enter"),  # noqa: E731
                             expect(page.get_by_role("heading", name=heading)).to_be_visible())
    act("Continue", lambda: enter(STEP_HEADINGS[0]))
    act("Continue", lambda: enter(STEP_HEADINGS[1]))
    act("question", lambda: typed(page, "questions-0-text",
                                  "Were all injections administered by a qualified member of staff?"))
    act("must be Yes", lambda: (keyboard_to(page, "questions-0-answer-mustBeYes"), page.keyboard.press("Space")))
    act("Continue", lambda: enter(STEP_HEADINGS[2]))
    act("Continue", lambda: enter(STEP_HEADINGS[3]))
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("(must be Yes)")
    act("Add component", lambda: enter("Depot Antipsychotic Injections"))
    expect(page.get_by_role("cell", name="1 question")).to_be_visible()
    add_window(page, act, quarter, opens, closes)
    offer_to(page, act, practice_name, every=2)

    act("Services", lambda: page.get_by_role("link", name="Services", exact=True).click())
    services = page.get_by_role("table")
    for name, waiting in (("Complex Care Plans", 1), ("Ear Irrigation", 1), ("Depot Antipsychotic Injections", 2)):
        expect(services.get_by_role("row", name=re.compile(name))).to_contain_text(
            f"0 accepted, 0 declined, {waiting} waiting")
    expect(services).to_contain_text("Offered")
    check(page, "services")
    page.set_viewport_size({"width": 375, "height": 800})
    narrow(page)
    check(page, "narrow-services")
    page.set_viewport_size({"width": 1280, "height": 900})
    set_up_actions = len(act.done)

    # The practice's user is invited, and accepts.
    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="Invite").click()
    user_email = unique_email("priya", "shah", f"{practice.lower()}.example.nhs.uk")
    invite(page, user_email, "Priya", "Shah", organisation=practice, role="User")
    sign_out(page)
    accept_invitation(page, outbox, user_email, PASSWORD)

    # The practice accepts the three offers and makes the worked claim.
    page.get_by_role("link", name="Sign in to Local Claims").click()
    fill_sign_in(page, user_email, PASSWORD)
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    page.get_by_role("link", name="Offers").click()
    for name in ("Complex Care Plans", "Ear Irrigation", "Depot Antipsychotic Injections"):
        page.get_by_role("button", name=f"Accept {name}").click()
        expect(page.get_by_role("row", name=re.compile(name))).to_contain_text("Accepted")
    evidence = ROOT / ".local" / "ear irrigation list.pdf"
    evidence.write_bytes(pdf("Patients seen: 1"))
    page.get_by_role("link", name="Claims", exact=True).click()
    page.get_by_role("button", name="+New Claim").click()
    page.get_by_role("button", name="Add All components").click()
    expect(page.locator("section.lc-line")).to_have_count(4)
    line(page, "Complex Care Plans").get_by_label("Number of units").fill("12")
    expect(line(page, "Complex Care Plans").locator(".lc-value")).to_have_text("£2,321.04")
    line(page, "Depot Antipsychotic Injections").get_by_label("Number of units").fill("4")
    line(page, "Depot Antipsychotic Injections").get_by_label("Yes").check()
    line(page, "Ear Irrigation").get_by_label("Number of units").fill("1")
    line(page, "Ear Irrigation").get_by_label("Add Attachment").set_input_files(str(evidence))
    expect(line(page, "Ear Irrigation").locator("[data-attachment]")).to_have_count(1)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("You are claiming £2,659.54")).to_be_visible()
    page.get_by_role("button", name="Yes, submit the claim").click()
    expect(page.get_by_role("heading", name="Claim submitted")).to_be_visible()
    sign_out(page)

    # The administrator sees the offers taken up and where the practice stands — once the
    # page signing in leads to is on the screen (the client does not yet stop a slower
    # earlier screen from drawing over a later one: a click before then could be undone).
    fill_sign_in(page, admin_email, PASSWORD, key)
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    expect(page.get_by_text("Loading…")).to_have_count(0)
    page.get_by_role("link", name="Services", exact=True).click()
    expect(page.get_by_role("row", name=re.compile("Ear Irrigation"))).to_contain_text("1 accepted, 0 declined, 0 waiting")
    page.get_by_role("link", name="Ear Irrigation").click()
    page.get_by_role("link", name="Each practice's standing in these windows").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(practice_name)))).to_contain_text("Claimed")
    check(page, "service-standing")
    page.set_viewport_size({"width": 375, "height": 800})
    narrow(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    print(f"set-up actions: {set_up_actions}: {act.done}")
    assert set_up_actions <= 100, act.done


def test_the_readme_says_what_the_menu_offers_and_shows_screens_that_exist():
    """"What works today" names every section of the menu, and every screenshot it shows is in docs/screens."""
    readme = (ROOT / "README.md").read_text()
    works = " ".join(readme[readme.index("What works today"):readme.index("## The two commands")].lower().split())
    layout = (ROOT / "web" / "src" / "layout.ts").read_text()
    menu = re.findall(r'\["/[\w-]+", "([^"]+)"\]', layout)
    menu += [label for pair in re.findall(r'\? "([^"]+)" : "([^"]+)"\]', layout) for label in pair]
    words = {"Pending Actions": "pending actions", "Users": "users", "Invitations": "invitations",
             "Audit trail": "audit trail", "Services": "services", "Organisations": "practices", "ICBs": "icbs",
             "Claim settings": "finance threshold", "Reviews": "tier 1", "Bulk claims": "bulk claims",
             "Payments": "payment runs", "Reports": "reports", "Claims": "claims", "Offers": "offers",
             "Claim windows": "claim windows", "Remittances": "remittances"}
    assert set(menu) <= set(words), f"a menu section the README does not know: {set(menu) - set(words)}"
    missing = [label for label in set(menu) if words[label] not in works]
    assert not missing, f"README's 'What works today' does not mention {missing}"
    for image in re.findall(r"\(docs/screens/([\w-]+\.png)\)", readme):
        assert (ROOT / "docs" / "screens" / image).exists(), f"README shows docs/screens/{image}, which is not there"


def test_the_client_stays_small_and_reaches_the_api_only_through_the_typed_client():
    """The bundle stays under 60 KB gzipped; no screen calls fetch or writes an API address itself."""
    import gzip

    bundle = ROOT / "web" / "dist" / "app.js"
    size = len(gzip.compress(bundle.read_bytes(), 9))
    assert size < 60 * 1024, f"web/dist/app.js is {size} bytes gzipped"
    for screen in (ROOT / "web" / "src" / "screens").glob("*.ts"):
        text = screen.read_text()
        assert "fetch(" not in text, f"{screen.name} calls fetch itself"
        assert not re.search(r"api\.\w+\(`", text), f"{screen.name} builds an API address from a string"
