"""The commissioner catalogue over HTTP: services, components and their
versions, offers, claim windows, the provider's views, and the scheduled
functions that open, close and remind."""

import sys
import time
from datetime import date

import requests

from conftest import ROOT, created_once, field_errors, problem, unique_code

sys.path.insert(0, str(ROOT / "infra"))
from together import at_once  # noqa: E402


def item(table, stack, pk: str, sk: str) -> dict | None:
    return table.get_item(TableName=stack["tableName"], Key={"PK": {"S": pk}, "SK": {"S": sk}},
                          ConsistentRead=True).get("Item")


new_code = unique_code


def next_year() -> str:
    """The financial year after the current one: every date in it is still to come."""
    today = date.today()
    start = today.year + (1 if today.month >= 4 else 0)
    return f"{start}/{(start + 1) % 100:02d}"


CARE_PLANS = {"name": "Complex Care Plans", "payment": {"type": "per_unit", "unitPrice": "193.42",
                                                        "unitLabel": "Care plan"}}


def new_service(api, admin, year: str | None = None, **extra) -> dict:
    created = created_once(
        lambda name: api.post("/services", {"name": name, "financialYear": year or next_year(), **extra}, admin),
        lambda: f"Service {new_code('S')}")
    assert created.status_code == 201, created.text
    return created.json()


def new_practice(api, admin, commissioner: str = "QHM", name: str | None = None) -> str:
    created = created_once(
        lambda code: api.post("/organisations", {"code": code, "name": name or f"Practice {code}",
                                                 "type": "gp_practice", "commissioner": commissioner}, admin),
        new_code)
    assert created.status_code == 201, created.text
    return created.json()["code"]


def invoke(stack, function: str, scheduled_time: str) -> dict:
    response = requests.post(f"{stack['apiUrl']}/2015-03-31/functions/{function}/invocations",
                             json={"scheduledTime": scheduled_time}, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def twice_at_once(stack, function: str, scheduled_time: str) -> list[dict]:
    return at_once(lambda: invoke(stack, function, scheduled_time))


def test_only_the_commissioners_administrators_change_its_catalogue(api, identity):
    admin = identity.as_role("qhm_admin")
    service = new_service(api, admin, description="Care plans for complex needs")
    assert service["commissioner"] == "QHM" and service["claimPeriods"] == "quarterly"
    added = api.post(f"/services/{service['id']}/components", CARE_PLANS, admin)
    assert added.status_code == 201, added.text
    component = added.json()
    assert component["inForce"]["payment"] == {"type": "per_unit", "unitPrice": "193.42", "unitLabel": "Care plan"}
    assert api.get(f"/services/{service['id']}", admin).json()["componentCount"] == 1

    other_icb = identity.as_role("qoq_admin")
    for path in (f"/services/{service['id']}", f"/services/{service['id']}/components",
                 f"/services/{service['id']}/windows", f"/services/{service['id']}/offers"):
        problem(api.get(path, other_icb), 404)
    problem(api.call("PATCH", f"/services/{service['id']}", other_icb, json_body={"name": "Mine"}), 404)
    problem(api.post(f"/services/{service['id']}/components", CARE_PLANS, other_icb), 404)
    assert service["id"] not in {s["id"] for s in api.get("/services?limit=100", other_icb).json()["items"]}

    practice = identity.as_role("practice_user")
    problem(api.get(f"/services/{service['id']}", practice), 404)
    problem(api.post("/services", {"name": "X", "financialYear": next_year()}, practice), 403)

    new_name = f"Complex Care {new_code('C')}"
    renamed = api.call("PATCH", f"/services/{service['id']}", admin, json_body={"name": new_name,
                                                                                 "sharedWith": ["QOQ"]})
    assert renamed.status_code == 200, renamed.text
    shared = api.get(f"/services/{service['id']}", other_icb)
    assert shared.status_code == 200 and shared.json()["name"] == new_name
    listed = api.get(f"/services?year={next_year()}&limit=100", other_icb).json()["items"]
    assert {"id": service["id"], "shared": True} .items() <= next(s for s in listed if s["id"] == service["id"]).items()
    problem(api.post(f"/services/{service['id']}/components", CARE_PLANS, other_icb), 403)


def test_catalogue_input_is_explained(api, identity):
    admin = identity.as_role("qhm_admin")
    service = new_service(api, admin)
    components = f"/services/{service['id']}/components"

    negative = problem(api.post(components, {"name": "X", "payment": {"type": "per_unit", "unitPrice": "-1.00",
                                                                      "unitLabel": "Patient"}}, admin), 422)
    assert "negative" in field_errors(negative)["/payment/unitPrice"]
    pence = problem(api.post(components, {"name": "X", "payment": {"type": "per_unit", "unitPrice": "1.005",
                                                                   "unitLabel": "Patient"}}, admin), 422)
    assert "2 decimal places" in field_errors(pence)["/payment/unitPrice"]
    float = problem(api.post(components, {"name": "X", "payment": {"type": "per_unit", "unitPrice": 1.5,
                                                                   "unitLabel": "Patient"}}, admin), 422)
    assert "as text" in field_errors(float)["/payment/unitPrice"]
    retainer = problem(api.post(components, {"name": "X", "payment": {
        "type": "retainer", "amount": "500.00", "information": "Read me", "unitPrice": "1.00", "maxUnits": 4}},
        admin), 422)
    assert set(field_errors(retainer)) == {"/payment/unitPrice", "/payment/maxUnits"}
    question = problem(api.post(components, {**CARE_PLANS, "questions": [{"answer": {"type": "yes_no"}}]},
                                admin), 422)
    assert field_errors(question)["/questions/0/text"] == "Enter the question the practice must answer"
    evidence = problem(api.post(components, {**CARE_PLANS, "evidence": {"guidance": "The letter", "accepted": []}},
                                admin), 422)
    assert "at least one file type" in field_errors(evidence)["/evidence/accepted"]
    unknown = problem(api.post(components, {**CARE_PLANS, "tariffs": [{"provider": "ZZ999", "price": "1.00"}]},
                               admin), 422)
    assert "no organisation with the ODS code ZZ999" in field_errors(unknown)["/tariffs/0/provider"]
    not_ours = problem(api.post(components, {**CARE_PLANS, "tariffs": [{"provider": "B81001", "price": "1.00"}]},
                                admin), 422)
    assert "not a provider commissioned by QHM" in field_errors(not_ours)["/tariffs/0/provider"]
    offer = problem(api.post(f"/services/{service['id']}/offers", {"providers": ["ZZ999"]}, admin), 422)
    assert "ZZ999" in field_errors(offer)["/providers/0"]
    share = problem(api.call("PATCH", f"/services/{service['id']}", admin, json_body={"sharedWith": ["A81001"]}), 422)
    assert "not a commissioner" in field_errors(share)["/sharedWith/0"]
    body = problem(api.post("/services", {}, admin), 422)
    assert set(field_errors(body)) == {"/name", "/financialYear"}
    monthly = new_service(api, admin, claimPeriods="monthly")
    too_long = problem(api.post(f"/services/{monthly['id']}/windows/generate", {"openForDays": 40}, admin), 422)
    assert "would overlap" in field_errors(too_long)["/openForDays"]
    assert api.get(f"/services/{monthly['id']}/windows", admin).json()["items"] == []

    start = int(next_year()[:4])
    windows = f"/services/{service['id']}/windows"
    backwards = problem(api.post(windows, {"period": "Q1", "opens": f"{start}-07-14", "closes": f"{start}-07-01"},
                                 admin), 422)
    assert field_errors(backwards)["/closes"] == "The window must close after it opens"
    first = api.post(windows, {"period": "Q1", "opens": f"{start}-07-01", "closes": f"{start}-07-20"}, admin)
    assert first.status_code == 201, first.text
    overlap = problem(api.post(windows, {"period": "Q2", "opens": f"{start}-07-15", "closes": f"{start}-10-14"},
                               admin), 422)
    assert "overlaps the window for Q1" in field_errors(overlap)["/opens"]
    again = problem(api.post(windows, {"period": "Q1", "opens": f"{start}-08-01", "closes": f"{start}-08-14"},
                             admin), 422)
    assert "already has a claim window" in field_errors(again)["/period"]
    assert [w["period"] for w in api.get(windows, admin).json()["items"]] == [f"{start}-{(start + 1) % 100:02d}-Q1"]


def test_quarters_of_2026_27_and_the_october_clock_change(api, identity):
    admin = identity.as_role("qhm_admin")
    service = new_service(api, admin, year="2026/27")
    generated = api.post(f"/services/{service['id']}/windows/generate", {}, admin)
    assert generated.status_code == 201, generated.text
    periods = [(w["label"], w["firstDay"], w["lastDay"]) for w in generated.json()["created"]]
    assert periods == [("Q1 2026/27", "2026-04-01", "2026-06-30"), ("Q2 2026/27", "2026-07-01", "2026-09-30"),
                       ("Q3 2026/27", "2026-10-01", "2026-12-31"), ("Q4 2026/27", "2027-01-01", "2027-03-31")]
    q1 = generated.json()["created"][0]
    assert (q1["opensAt"], q1["closesAt"]) == ("2026-06-30T23:00:00Z", "2026-07-14T22:59:00Z")
    repeat = api.post(f"/services/{service['id']}/windows/generate", {}, admin)
    assert repeat.status_code == 200 and repeat.json()["created"] == [] and len(repeat.json()["skipped"]) == 4

    october = new_service(api, admin, year="2026/27")
    entered = api.post(f"/services/{october['id']}/windows",
                       {"period": "Q2", "opens": "2026-10-01", "closes": "2026-10-25T23:59"}, admin)
    assert entered.status_code == 201, entered.text
    assert entered.json()["closesAt"] == "2026-10-25T23:59:00Z"
    assert entered.json()["closesAtLocal"] == "25 October 2026 at 23:59"
    assert entered.json()["opensAt"] == "2026-09-30T23:00:00Z"


def offer_emails(outbox, person: dict) -> list[dict]:
    return [m for m in outbox.to(person["email"]) if " has offered " in m["subject"]]


def assert_tallied(api, admin, service: dict, counts: dict) -> None:
    """The Services list and the service's page show the offers as the offers list counts them."""
    whole = api.get(f"/services/{service['id']}", admin).json()
    assert (whole["offers"], whole["stage"]["code"]) == (counts, "offered")
    year = service["financialYear"]
    listed = [s for s in api.get(f"/services?commissioner=QHM&year={year}&limit=100", admin).json()["items"]
              if s["id"] == service["id"]]
    assert [(s["offers"], s["stage"]["label"]) for s in listed] == [(counts, "Offered")]


def test_offers_accept_decline_reoffer_and_counts(api, identity, active_user, outbox):
    admin = identity.as_role("qhm_admin")
    service = new_service(api, admin)
    assert api.post(f"/services/{service['id']}/components", CARE_PLANS, admin).status_code == 201
    first, second = new_practice(api, admin), new_practice(api, admin)
    alice = active_user(organisation=first, first="Alice")
    bob = active_user(organisation=second, first="Bob")
    offers = f"/services/{service['id']}/offers"

    before = api.get(f"/services/{service['id']}", admin).json()
    assert (before["stage"]["code"], before["componentCount"], before["windowCount"]) == ("add_windows", 1, 0)
    assert [c["name"] for c in before["components"]] == ["Complex Care Plans"] and before["administrator"] is True
    made = api.post(offers, {"providers": [first, second]}, admin)
    assert made.status_code == 200, made.text
    assert made.json()["counts"] == {"offered": 2, "accepted": 0, "declined": 0}
    assert_tallied(api, admin, service, made.json()["counts"])
    assert made.json()["notification"] == "queued"
    told = outbox.wait_for(alice["email"], count=2)[-1]
    assert told["subject"] == f"NHS North East and North Cumbria ICB has offered Practice {first} {service['name']} " \
        f"for {next_year()}"
    problem(api.post(offers, {"providers": ["B81001"]}, admin), 422)
    assert [o["service"]["id"] for o in api.get("/offers", alice["token"]).json()["items"]] == [service["id"]]
    assert api.get(f"/providers/{first}/services", alice["token"]).json()["items"] == []
    assert api.get(f"/services/{service['id']}", alice["token"]).status_code == 200

    problem(api.post(f"/offers/{service['id']}.{first}/accept", None, bob["token"]), 404)
    problem(api.post(f"/offers/{service['id']}.{first}/accept", None, identity.as_role("practice_user")), 404)
    accepted = api.post(f"/offers/{service['id']}.{first}/accept", None, alice["token"])
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    problem(api.post(f"/offers/{service['id']}.{first}/decline", None, alice["token"]), 409)
    assert api.post(f"/offers/{service['id']}.{second}/decline", None, bob["token"]).json()["status"] == "declined"
    listed = api.get(offers, admin).json()
    assert listed["counts"] == {"offered": 0, "accepted": 1, "declined": 1}
    assert_tallied(api, admin, service, listed["counts"])
    assert [o["provider"]["code"] for o in api.get(f"{offers}?status=declined", admin).json()["items"]] == [second]

    again = api.post(offers, {"providers": [first, second]}, admin).json()
    assert {r["provider"]: r["outcome"] for r in again["results"]} == {first: "already_accepted",
                                                                       second: "reoffered"}
    assert again["counts"] == {"offered": 1, "accepted": 1, "declined": 0}
    outbox.wait_for(bob["email"], count=3)
    time.sleep(2)
    assert (len(offer_emails(outbox, alice)), len(offer_emails(outbox, bob))) == (1, 2)

    both = at_once(lambda: api.post(f"/offers/{service['id']}.{second}/accept", None, bob["token"]).status_code)
    assert sorted(both) == [200, 409]
    assert api.get(offers, admin).json()["counts"] == {"offered": 0, "accepted": 2, "declined": 0}
    assert_tallied(api, admin, service, {"offered": 0, "accepted": 2, "declined": 0})

    claimable = api.get(f"/providers/{first}/services", alice["token"]).json()
    assert [(s["id"], s["componentCount"]) for s in claimable["items"]] == [(service["id"], 1)]
    problem(api.get(f"/providers/{first}/services", bob["token"]), 404)
    problem(api.get(f"/providers/{first}/services", identity.as_role("qoq_admin")), 404)
    assert api.get(f"/providers/{first}/services", admin).status_code == 200
    provider_view = api.get(f"/services/{service['id']}/components", alice["token"]).json()["items"][0]
    assert "tariffs" not in provider_view["inForce"]


def test_a_price_change_from_a_date_leaves_earlier_versions_unchanged(api, identity, table, stack, active_user):
    admin = identity.as_role("qhm_admin")
    year = next_year()
    start = int(year[:4])
    service = new_service(api, admin, year=year)
    practice = new_practice(api, admin)
    component = api.post(f"/services/{service['id']}/components",
                         {**CARE_PLANS, "tariffs": [{"provider": practice, "price": "199.99"}]}, admin).json()
    path = f"/services/{service['id']}/components/{component['id']}"
    version_one = (f"SERVICE#{service['id']}", f"COMPONENT#{component['id']}#V0001")
    before = item(table, stack, *version_one)

    change = {**CARE_PLANS, "payment": {**CARE_PLANS["payment"], "unitPrice": "200.00"},
              "effectiveFrom": f"{start + 1}-01-01"}
    changed = api.call("PUT", path, admin, json_body=change)
    assert changed.status_code == 200, changed.text
    earlier = problem(api.call("PUT", path, admin, json_body={**change, "effectiveFrom": f"{start}-04-01"}), 422)
    assert "Version 2 already applies" in field_errors(earlier)["/effectiveFrom"]
    past = problem(api.call("PUT", path, admin, json_body={**change, "effectiveFrom": "2020-01-01"}), 422)
    assert "past" in field_errors(past)["/effectiveFrom"]

    versions = api.get(path, admin).json()["versions"]
    assert [(v["version"], v["effectiveFrom"], v["payment"]["unitPrice"]) for v in versions] == [
        (1, f"{start}-04-01", "193.42"), (2, f"{start + 1}-01-01", "200.00")]
    assert versions[0]["tariffs"] == [{"provider": practice, "price": "199.99"}]
    assert before is not None and item(table, stack, *version_one) == before
    listed = api.get(f"/services/{service['id']}/components", admin).json()["items"][0]
    assert listed["versionCount"] == 2 and [u["version"] for u in listed["upcoming"]] == [1, 2]
    audit = [e["action"] for e in api.get("/audit?organisation=QHM&limit=100", admin).json()["items"]]
    assert "component.changed" in audit

    api.post(f"/services/{service['id']}/offers", {"providers": [practice]}, admin)
    person = active_user(organisation=practice)
    assert api.post(f"/offers/{service['id']}.{practice}/accept", None, person["token"]).status_code == 200
    seen = api.get(path, person["token"]).json()["versions"]
    assert [v["payment"]["unitPrice"] for v in seen] == ["199.99", "200.00"]
    assert all("tariffs" not in v for v in seen)


def test_scheduled_functions_open_remind_and_close_once(api, identity, stack, table, outbox, active_user):
    admin = identity.as_role("qhm_admin")
    service = new_service(api, admin, year="2024/25")
    claimed, owing, any_time, undecided = (new_practice(api, admin) for _ in range(4))
    people = {code: active_user(organisation=code) for code in (claimed, owing, any_time)}
    api.post(f"/services/{service['id']}/offers", {"providers": [claimed, owing, any_time, undecided]}, admin)
    for code, person in people.items():
        assert api.post(f"/offers/{service['id']}.{code}/accept", None, person["token"]).status_code == 200
    marked = api.call("PATCH", f"/organisations/{any_time}", admin, json_body={"claimsAnyTime": True})
    assert marked.status_code == 200 and marked.json()["claimsAnyTime"] is True
    marker = {"PK": f"ORG#{claimed}", "SK": f"CLAIMED#{service['id']}#2024-25-Q1", "serviceId": service["id"],
              "periodKey": "2024-25-Q1", "claimId": "claim-1"}
    table.put_item(TableName=stack["tableName"], Item={k: {"S": v} for k, v in marker.items()})
    window = api.post(f"/services/{service['id']}/windows",
                      {"period": "Q1", "opens": "2024-07-01", "closes": "2024-07-14"}, admin)
    assert window.status_code == 201, window.text

    opened = twice_at_once(stack, "open-windows", "2024-07-01T00:00:00Z")
    assert sorted(r["opened"] for r in opened) in ([0, 1], [0, 0])
    assert invoke(stack, "open-windows", "2024-07-01T00:00:00Z")["opened"] == 0
    assert item(table, stack, f"SERVICE#{service['id']}", "WINDOW#2024-25-Q1")["progress"] == {"S": "open"}

    twice_at_once(stack, "remind-windows", "2024-07-12T08:00:00Z")
    invoke(stack, "remind-windows", "2024-07-12T08:00:00Z")
    outbox.wait_for(people[owing]["email"], count=3)  # registration, offer, reminder
    reminders = [m for m in outbox.to(people[owing]["email"]) if m["subject"].startswith("Claim for")]
    assert reminders[-1]["subject"].startswith(f"Claim for {service['name']} (Q1 2024/25)")
    time.sleep(3)
    owing_mail = [m for m in outbox.to(people[owing]["email"]) if m["subject"].startswith("Claim for")]
    assert len(owing_mail) == 1
    for code in (claimed, any_time):
        assert not [m for m in outbox.to(people[code]["email"]) if m["subject"].startswith("Claim for")]

    closed = twice_at_once(stack, "close-windows", "2024-07-15T00:00:00Z")
    assert sum(r["closed"] for r in closed) <= 1
    assert invoke(stack, "close-windows", "2024-07-15T00:00:00Z")["closed"] == 0
    windows = api.get(f"/services/{service['id']}/windows", admin).json()["items"]
    assert [(w["state"], w["missed"], w["closingRecorded"]) for w in windows] == [("closed", [owing], True)]
    standing = {p["code"]: p["windows"] for p in api.get(f"/services/{service['id']}/windows", admin).json()["providers"]}
    assert standing == {claimed: {"2024-25-Q1": "claimed"}, owing: {"2024-25-Q1": "missed"},
                        any_time: {"2024-25-Q1": "any_time"}}, "the practice that never answered has no standing"
    as_practice = api.get(f"/services/{service['id']}/windows", people[claimed]["token"]).json()
    assert [w["state"] for w in as_practice["items"]] == ["closed"] and "missed" not in as_practice["items"][0]
    assert "providers" not in as_practice, "a practice never sees where other practices stand"
    seen = api.get(f"/providers/{owing}/windows", people[owing]["token"]).json()["items"]
    assert [(w["period"], w["state"]) for w in seen] == [("2024-25-Q1", "missed")]
    done = api.get(f"/providers/{claimed}/windows", people[claimed]["token"]).json()["items"]
    assert [(w["period"], w["state"], w["claimed"]) for w in done] == [("2024-25-Q1", "closed", True)]
    free = api.get(f"/providers/{any_time}/windows", people[any_time]["token"]).json()
    assert free["claimsAnyTime"] is True and free["items"] == []



def test_a_double_click_sets_up_one_service_and_one_component(api, identity):
    admin = identity.as_role("qhm_admin")
    name = f"Minor Surgery {new_code('M')}"
    body = {"name": name, "financialYear": next_year()}
    created = at_once(lambda: api.post("/services", body, admin))
    assert sorted(r.status_code for r in created) == [201, 409]
    service = next(r.json() for r in created if r.status_code == 201)
    same = problem(api.post("/services", {**body, "name": f"  {name.upper()} "}, admin), 409)
    assert same["detail"] == f"QHM already has a service called {name.upper()} in {next_year()}"
    other_icb = api.post("/services", body, identity.as_role("qoq_admin"))
    assert other_icb.status_code == 201, "names are unique per commissioner"

    components = f"/services/{service['id']}/components"
    added = at_once(lambda: api.post(components, CARE_PLANS, admin))
    assert sorted(r.status_code for r in added) == [201, 409]
    assert len(api.get(components, admin).json()["items"]) == 1
    assert api.get(f"/services/{service['id']}", admin).json()["componentCount"] == 1
    second = api.post(components, {**CARE_PLANS, "name": "Retainer", "payment": {
        "type": "retainer", "amount": "250.00", "information": "Nothing to enter"}}, admin).json()
    start = int(next_year()[:4])
    rename = {**CARE_PLANS, "effectiveFrom": f"{start}-06-01"}
    taken = problem(api.call("PUT", f"{components}/{second['id']}", admin, json_body=rename), 409)
    assert "already has a component called Complex Care Plans" in taken["detail"]
    renamed = api.call("PUT", f"{components}/{second['id']}", admin,
                       json_body={**rename, "name": "Quarterly retainer", "payment": {
                           "type": "retainer", "amount": "300.00", "information": "Nothing to enter"}})
    assert renamed.status_code == 200, renamed.text
    assert api.get(f"{components}/{second['id']}", admin).json()["name"] == "Quarterly retainer"


def this_quarter() -> tuple[str, str]:
    """The current financial year and quarter, as a service's set-up names them."""
    today = date.today()
    start = today.year if today.month >= 4 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}", f"Q{((today.month - 4) % 12) // 3 + 1}"


def test_a_window_changes_until_it_closes_and_never_onto_another(api, identity, stack):
    admin = identity.as_role("qhm_admin")
    later = new_service(api, admin)
    start = int(later["financialYear"][:4])
    windows = f"/services/{later['id']}/windows"
    assert api.post(windows, {"period": "Q1", "opens": f"{start}-07-01", "closes": f"{start}-07-14"},
                    admin).status_code == 201
    assert api.post(windows, {"period": "Q2", "opens": f"{start}-10-01", "closes": f"{start}-10-14"},
                    admin).status_code == 201

    moved = api.call("PATCH", f"{windows}/Q1", admin, json_body={"opens": f"{start}-07-02", "closes": f"{start}-07-20"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["period"], moved.json()["opensAtLocal"]) == (f"{start}-{(start + 1) % 100:02d}-Q1",
                                                                     f"2 July {start} at 00:00")
    listed = api.get(windows, admin).json()["items"]
    assert [w["closesAtLocal"] for w in listed] == [f"20 July {start} at 23:59", f"14 October {start} at 23:59"]
    onto_q2 = api.call("PATCH", f"{windows}/{listed[0]['period']}", admin,
                       json_body={"opens": f"{start}-07-02", "closes": f"{start}-10-05"})
    assert "Q2" in " ".join(field_errors(problem(onto_q2, 422)).values())
    problem(api.call("PATCH", f"{windows}/Q3", admin, json_body={"opens": f"{start + 1}-01-02",
                                                                "closes": f"{start + 1}-01-20"}), 404)
    problem(api.call("PATCH", f"{windows}/Q1", identity.as_role("practice_user"),
                     json_body={"opens": f"{start}-07-02", "closes": f"{start}-07-21"}), 404)  # never offered it
    problem(api.call("PATCH", f"{windows}/Q1", identity.as_role("qoq_admin"),
                     json_body={"opens": f"{start}-07-02", "closes": f"{start}-07-21"}), 404)

    past = new_service(api, admin, year="2024/25")
    assert api.post(f"/services/{past['id']}/windows", {"period": "Q1", "opens": "2024-07-01", "closes": "2024-07-14"},
                    admin).status_code == 201
    closed = api.call("PATCH", f"/services/{past['id']}/windows/Q1", admin,
                      json_body={"opens": "2024-07-01", "closes": "2024-07-20"})
    assert problem(closed, 409)["type"].endswith("/window-closed")

    year, quarter = this_quarter()
    current = new_service(api, admin, year=year)
    today, soon = date.today(), date.fromordinal(date.today().toordinal() + 30)
    now_windows = f"/services/{current['id']}/windows"
    assert api.post(now_windows, {"period": quarter, "opens": today.isoformat(), "closes": soon.isoformat()},
                    admin).status_code == 201
    invoke(stack, "open-windows", f"{today.isoformat()}T{time.strftime('%H:%M:%S', time.gmtime())}Z")
    reopened = api.call("PATCH", f"{now_windows}/{quarter}", admin,
                        json_body={"opens": soon.isoformat(), "closes": soon.isoformat()})
    assert "/opens" in field_errors(problem(reopened, 422)), "an open window keeps the time it opened"
    longer = date.fromordinal(soon.toordinal() + 7)
    extended = api.call("PATCH", f"{now_windows}/{quarter}", admin,
                        json_body={"opens": today.isoformat(), "closes": longer.isoformat()})
    assert extended.status_code == 200, extended.text
    assert (extended.json()["state"], extended.json()["closesAt"][:10]) == ("open", longer.isoformat())
