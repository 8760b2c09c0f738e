"""Bulk claims over HTTP: a commissioner's Tier 1 downloads the template for a
service and period, fills it in and uploads it; good rows become claims at
Pending Tier 2 Review, bad rows are reported one by one, and the same file
sent twice creates nothing the second time; sent again with its
Idempotency-Key, even after its function ended partway, it is answered as
the first was."""

import csv
import io
import json
import uuid
from pathlib import Path

import pytest
import requests

from conftest import field_errors, problem
from test_catalogue import new_practice
from test_claims import this_year_and_quarter

CATALOGUE = [
    {"name": "Care Plans", "payment": {"type": "per_unit", "unitPrice": "193.42", "unitLabel": "Care plan",
                                       "maxUnits": 500}},
    {"name": "Reviews", "payment": {"type": "per_unit", "unitPrice": "20.00", "unitLabel": "Review"}},
    {"name": "Service retainer", "payment": {"type": "retainer", "amount": "250.00",
                                             "information": "Paid each quarter to practices signed up."}},
]


@pytest.fixture(scope="module")
def bulk(api, identity, active_user):
    return bulk_service(api, identity, active_user)


def bulk_service(api, identity, active_user):
    """A QHM service with two unit columns and a retainer, offered to three new
    practices of which two accepted, for this quarter."""
    admin = identity.as_role("qhm_admin")
    year, quarter, _ = this_year_and_quarter()
    service = api.post("/services", {"name": f"Bulk Care {new_practice(api, admin)}", "financialYear": year,
                                     "claimPeriods": "quarterly"}, admin)
    assert service.status_code == 201, service.text
    sid = service.json()["id"]
    for component in CATALOGUE:
        assert api.post(f"/services/{sid}/components", component, admin).status_code == 201
    practices = [new_practice(api, admin) for _ in range(3)]
    assert api.post(f"/services/{sid}/offers", {"providers": practices}, admin).status_code == 200
    for code in practices[:2]:
        user = active_user(organisation=code, reviewer="qhm_admin")
        assert api.post(f"/offers/{sid}.{code}/accept", None, user["token"]).status_code == 200
    return {"service": sid, "period": quarter, "accepted": practices[:2], "offered": practices[2],
            "tier1": identity.as_role("tier1"), "tier2": identity.as_role("tier2")}


def upload(api, bulk, text, content_type="text/csv", headers=None):
    return api.call("POST", f"/services/{bulk['service']}/bulk-claims?period={bulk['period']}", bulk["tier1"],
                    raw=text.encode(), headers={"content-type": content_type, **(headers or {})})


def template_rows(api, bulk) -> list[dict]:
    got = api.get(f"/services/{bulk['service']}/bulk-claims?period={bulk['period']}", bulk["tier1"])
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(got.text)))


def test_the_template_lists_practices_yet_to_claim_with_a_column_per_unit_component(api, bulk):
    rows = template_rows(api, bulk)
    assert sorted(r["ODS code"] for r in rows) == sorted(bulk["accepted"])
    assert list(rows[0].keys()) == ["ODS code", "Practice", "Care Plans", "Reviews"], "no column for the retainer"
    assert all(r["Care Plans"] == "" and r["Practice"].startswith("Practice ") for r in rows)
    wrong_period = problem(api.get(f"/services/{bulk['service']}/bulk-claims?period=M05", bulk["tier1"]), 422)
    assert wrong_period["errors"][0]["pointer"] == "/period"
    problem(api.get(f"/services/{bulk['service']}/bulk-claims", bulk["tier1"]), 422)


def test_good_rows_become_claims_at_tier2_bad_rows_are_reported_and_twice_creates_nothing(api, identity, bulk):
    first, second = bulk["accepted"]
    other_icb = new_practice(api, identity.as_role("qoq_admin"), "QOQ")
    sheet = "\n".join([
        "ODS code,Practice,Care Plans,Reviews",
        f"{first},Anything,12,3",
        f"{second},,501,twelve",
        f"{bulk['offered']},,1,",
        "Y99999,,1,",
        f"{other_icb},,1,",
        f"{first},,1,1",
        ",,1,",
        "",
    ])
    report = upload(api, bulk, sheet)
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["created"], body["invalid"], body["alreadyClaimed"], body["skipped"]) == (1, 6, 0, 0), body
    rows = {r["row"]: r for r in body["rows"]}
    assert rows[2]["outcome"] == "created"
    details = {n: rows[n]["problems"][0]["detail"] for n in range(3, 9)}
    cells = {p["column"]: p["detail"] for p in rows[3]["problems"]}
    assert cells["Care Plans"] == "Enter 500 units or fewer"
    assert "\"twelve\" is not a number of units" in cells["Reviews"]
    assert details[4] == f"{bulk['offered']} has not accepted this service"
    assert details[5] == "There is no practice with the ODS code Y99999"
    assert details[6] == f"{other_icb} is not one of your practices offered this service"
    assert "earlier row" in details[7]
    assert details[8] == "Enter the practice's ODS code"

    claim_id = rows[2]["claimId"]
    claim = api.get(f"/claims/{claim_id}", bulk["tier2"]).json()
    assert claim["status"]["code"] == "pending_tier2_review" and claim["provider"]["code"] == first
    assert claim["claimPane"]["totals"]["total"]["amount"] == "2631.04"  # 12 × £193.42 + 3 × £20.00 + £250.00
    assert [h["action"] for h in claim["history"]] == ["entered"]
    assert claim["history"][0]["byName"] == "Tess Walker"
    listed = api.get(f"/claims?provider={first}", bulk["tier2"]).json()["items"]
    assert [s["closesAt"] for c in listed if c["id"] == claim_id for s in c["services"]] == [None], \
        "entered after its window: no closing time, said as null"
    tess = api.get("/me", bulk["tier1"]).json()["id"]
    entered = api.get(f"/audit?organisation=QHM&user={tess}&action=claim.entered", identity.as_role("qhm_admin"))
    assert f"CLAIM#{claim_id}" in [e["target"] for e in entered.json()["items"]], "in the ICB's own trail"
    waiting = api.get(f"/reviews?stage=tier2&provider={first}", bulk["tier2"]).json()["items"]
    assert [r["id"] for r in waiting] == [claim_id]
    own = problem(api.post(f"/claims/{claim_id}/decisions", {"stage": "tier2", "decision": "approve"},
                           bulk["tier1"]), 403)
    assert "submitted this claim" in own["detail"] or "Approver – Tier 2" in own["detail"]

    again = upload(api, bulk, sheet).json()
    assert again["created"] == 0 and again["alreadyClaimed"] == 1, again
    assert next(r for r in again["rows"] if r["row"] == 2)["claimId"] == claim_id
    assert [r["ODS code"] for r in template_rows(api, bulk)] == [second], "a claimed practice leaves the template"
    fixed = upload(api, bulk, f"ODS code,Care Plans,Reviews\n{second},4,\n").json()
    assert fixed["created"] == 1, fixed
    assert template_rows(api, bulk) == []


def test_a_file_that_is_not_the_template_is_refused_whole(api, bulk):
    no_column = problem(upload(api, bulk, "ODS code,Care Plans\nA81001,1\n"), 422)
    assert no_column["errors"][0]["pointer"] == "/file" and "\"Reviews\"" in no_column["errors"][0]["detail"]
    stranger = problem(upload(api, bulk, "ODS code,Care Plans,Reviews,Bonus\nA81001,1,1,1\n"), 422)
    assert "Bonus" in stranger["errors"][0]["detail"]
    problem(upload(api, bulk, "ODS code,Care Plans,Reviews\n"), 422)
    wrong_type = problem(upload(api, bulk, "{}", content_type="application/json"), 422)
    assert "CSV" in wrong_type["errors"][0]["detail"]


def test_a_file_sent_again_with_its_key_after_the_function_ended_is_answered_as_entered(api, identity, active_user,
                                                                                       stack):
    """The upload's process ends after its claims were entered, before it
    answered. Sent again with its key, the report says the rows were entered
    (with the claims that request made), not "already claimed", and no claim
    is made twice; the key with another file is refused."""
    bulk = bulk_service(api, identity, active_user)
    first, second = bulk["accepted"]
    sheet = f"ODS code,Care Plans,Reviews\n{first},2,1\n{second},3,\n"
    key = {"Idempotency-Key": f"bulk-{uuid.uuid4()}"}
    crash_file = Path(stack["crashFile"])
    crash_file.write_text(json.dumps([{"function": "bulk-claim-upload", "point": "after-claims-entered"}]))
    try:
        try:
            answered = api.http.post(
                f"{stack['apiUrl']}/services/{bulk['service']}/bulk-claims?period={bulk['period']}",
                data=sheet.encode(), timeout=10,
                headers={**key, "content-type": "text/csv", "Authorization": f"Bearer {bulk['tier1']}"})
        except requests.exceptions.ReadTimeout:
            answered = None  # the process ended before writing an answer
        assert answered is None, f"answered {answered.status_code}: {answered.text[:300]}"
    finally:
        left = json.loads(crash_file.read_text())
        crash_file.unlink()
    assert left == [], "the function reached the point and ended there"
    retried = upload(api, bulk, sheet, headers=key)
    assert retried.status_code == 200, retried.text
    body = retried.json()
    assert (body["created"], body["alreadyClaimed"]) == (2, 0), body
    claims = {r["row"]: r["claimId"] for r in body["rows"]}
    again = upload(api, bulk, sheet, headers=key).json()
    assert again == body, "every retry is answered as the first"
    for code, row in ((first, 2), (second, 3)):
        listed = api.get(f"/claims?provider={code}&limit=100", bulk["tier2"]).json()["items"]
        assert [c["id"] for c in listed if c["provider"]["code"] == code] == [claims[row]], "one claim per practice"
    other = problem(upload(api, bulk, f"ODS code,Care Plans,Reviews\n{first},9,1\n", headers=key), 422)
    assert "/Idempotency-Key" in field_errors(other)
    unkeyed = upload(api, bulk, sheet).json()
    assert (unkeyed["created"], unkeyed["alreadyClaimed"]) == (0, 2), "without the key it is another upload"
