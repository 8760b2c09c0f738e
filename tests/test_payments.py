"""Payment runs over HTTP: a run collects the commissioner's approved claims,
its export adds up to the penny, confirming pays each claim once (and not
twice), two runs started together share no claim, and a confirmation that
stopped halfway is resumed; a start or a confirmation sent again with its
`Idempotency-Key` is answered as the first was."""

import csv
import io
import threading
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
import requests

from conftest import field_errors, problem
from test_claims import claim_world
from test_review import CARE_PLANS, decide, submitted_claim


@pytest.fixture(scope="module")
def payers(identity):
    return {"finance": identity.as_role("finance"), "tier2": identity.as_role("tier2"),
            "tier1": identity.as_role("tier1")}


def approved_claim(api, identity, active_user, payers, units=4):
    """A new practice's Complex Care Plans claim, approved at Tier 1 and Tier 2."""
    world, cid, _ = submitted_claim(api, identity, active_user, units=units)
    assert decide(api, {"token": payers["tier1"]}, cid, "tier1", "approve").status_code == 200
    done = decide(api, {"token": payers["tier2"]}, cid, "tier2", "approve")
    assert done.json()["status"]["code"] == "approved", done.text
    return world, cid


def start_run(api, token):
    pay_on = (date.today() + timedelta(days=7)).isoformat()
    return api.post("/payment-runs", {"commissioner": "QHM", "paymentDate": pay_on}, token)


def claims_of(api, token, run_id) -> dict[int, dict]:
    found, cursor = {}, None
    while True:
        page = api.get(f"/payment-runs/{run_id}?limit=100" + (f"&cursor={cursor}" if cursor else ""), token).json()
        found.update({c["id"]: c for c in page["items"]})
        cursor = page["nextCursor"]
        if not cursor:
            return found


def test_a_run_collects_approved_claims_exports_to_the_penny_and_pays_them_once(api, identity, active_user, payers,
                                                                              outbox):
    first, first_id = approved_claim(api, identity, active_user, payers, units=4)
    second, second_id = approved_claim(api, identity, active_user, payers, units=7)
    problem(start_run(api, payers["tier1"]), 403)
    started = start_run(api, payers["finance"])
    assert started.status_code == 201, started.text
    run = started.json()
    assert run["status"]["code"] == "ready" and run["paymentDate"] == (date.today() + timedelta(days=7)).isoformat()
    run_id = run["id"]
    in_run = claims_of(api, payers["finance"], run_id)
    assert {first_id, second_id} <= set(in_run)
    assert in_run[first_id]["total"]["amount"] == "1023.68"  # 4 × £193.42 + £250.00
    assert run["claims"] == len(in_run)
    by_provider = {p["code"]: p for p in run["providers"]}
    assert by_provider[first["code"]]["total"]["amount"] == "1023.68"
    one = api.get(f"/payment-runs/{run_id}?provider={second['code']}", payers["tier2"]).json()["items"]
    assert [c["id"] for c in one] == [second_id]

    export = api.get(f"/payment-runs/{run_id}/export", payers["finance"])
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv"), export.text
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert sum(Decimal(r["Value"]) for r in rows) == Decimal(run["total"]["amount"]), "the file adds up to the run"
    ours = [r for r in rows if r["Claim ID"] == str(first_id)]
    plans = next(r for r in ours if r["Component"] == CARE_PLANS)
    assert (plans["Provider ODS code"], plans["Units"], plans["Unit price"], plans["Value"]) == \
        (first["code"], "4", "193.42", "773.68")
    assert plans["VAT code"] == "OS" and plans["Payment date"] == run["paymentDate"]
    assert sum(Decimal(r["Value"]) for r in ours) == Decimal("1023.68")

    problem(api.post(f"/payment-runs/{run_id}/confirm", {"confirm": False}, payers["finance"]), 422)
    confirmed = api.post(f"/payment-runs/{run_id}/confirm", {"confirm": True}, payers["finance"])
    assert confirmed.status_code == 200 and confirmed.json()["status"]["code"] == "confirmed", confirmed.text
    claim = api.get(f"/claims/{first_id}", first["token"]).json()
    assert claim["status"]["code"] == "paid"
    assert [h["action"] for h in claim["history"]].count("paid") == 1
    again = problem(api.post(f"/payment-runs/{run_id}/confirm", {"confirm": True}, payers["finance"]), 409)
    assert again["type"].endswith("run-confirmed")
    assert all(c["paid"] for c in claims_of(api, payers["finance"], run_id).values())
    listed = api.get("/payment-runs?commissioner=QHM", payers["tier2"]).json()["items"]
    assert run_id in [r["id"] for r in listed]
    later = start_run(api, payers["finance"]).json()
    assert not {first_id, second_id} & set(claims_of(api, payers["finance"], later["id"])), "paid once only"

    # The remittance: only that practice's lines, to its own people, and an email to say so.
    pay_on = date.today() + timedelta(days=7)
    told = outbox.titled(first["user"]["email"], f"Payment of £1,023.68 on {pay_on.day} {pay_on:%B %Y}")
    assert f"/remittances/{first['code']}/{run_id}" in told["body"]
    mine = api.get(f"/providers/{first['code']}/remittances", first["token"]).json()["items"]
    assert [(r["runId"], r["total"]["amount"], r["claims"]) for r in mine] == [(run_id, "1023.68", 1)]
    advice = api.get(f"/providers/{first['code']}/remittances/{run_id}", first["token"]).json()
    assert [c["id"] for c in advice["claims"]] == [first_id] and advice["total"]["amount"] == "1023.68"
    sheet = list(csv.reader(io.StringIO(
        api.get(f"/providers/{first['code']}/remittances/{run_id}?format=csv", first["token"]).text)))
    assert sheet[-1] == ["Total", "", "", "", "", "1023.68"]
    assert sum(Decimal(r[5]) for r in sheet[1:-1]) == Decimal("1023.68")
    page = api.get(f"/providers/{first['code']}/remittances/{run_id}?format=html", first["token"])
    assert page.headers["content-type"].startswith("text/html") and "<script" not in page.text
    assert "Remittance advice" in page.text and "£1,023.68" in page.text and "£773.68" in page.text
    problem(api.get(f"/providers/{first['code']}/remittances/{run_id}", second["token"]), 404)
    assert api.get(f"/providers/{first['code']}/remittances", payers["finance"]).status_code == 200

    problem(api.get(f"/payment-runs/{run_id}", first["token"]), 404)
    problem(api.get(f"/payment-runs/{run_id}", identity.as_role("qhm_admin")), 404)


def test_two_runs_started_together_share_no_claim(api, identity, active_user, payers):
    ids = [approved_claim(api, identity, active_user, payers, units=n)[1] for n in (1, 2, 3)]
    answers = []
    threads = [threading.Thread(target=lambda who=who: answers.append(start_run(api, payers[who])))
               for who in ("finance", "tier2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    runs = [set(claims_of(api, payers["finance"], a.json()["id"])) for a in answers]
    assert not runs[0] & runs[1], "no claim is in both runs"
    assert set(ids) <= runs[0] | runs[1]


def test_a_confirmation_that_stopped_halfway_is_resumed_and_pays_no_one_twice(api, identity, active_user, payers,
                                                                            stack, table):
    ids = [approved_claim(api, identity, active_user, payers, units=n)[1] for n in (5, 6)]
    run = start_run(api, payers["finance"]).json()
    # As if the confirming process died right after the run was marked as being confirmed.
    table.update_item(TableName=stack["tableName"], Key={"PK": {"S": f"RUN#{run['id']}"}, "SK": {"S": "RUN"}},
                      UpdateExpression="SET #s = :confirming", ExpressionAttributeNames={"#s": "status"},
                      ExpressionAttributeValues={":confirming": {"S": "confirming"}})
    shown = api.get(f"/payment-runs/{run['id']}", payers["finance"]).json()
    assert shown["status"]["code"] == "confirming"
    resumed = [None, None]
    threads = [threading.Thread(target=lambda i=i: resumed.__setitem__(i, api.post(
        f"/payment-runs/{run['id']}/confirm", {"confirm": True}, payers["finance"]))) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 200 in [r.status_code for r in resumed], [r.text for r in resumed]
    for cid in ids:
        history = api.get(f"/claims/{cid}", payers["tier1"]).json()["history"]
        assert [h["action"] for h in history].count("paid") == 1
    final = api.get(f"/payment-runs/{run['id']}", payers["finance"]).json()
    assert final["status"]["code"] == "confirmed"


def test_a_run_started_and_confirmed_again_with_its_keys_is_the_first_run_paid_once(api, identity, active_user,
                                                                                   payers):
    """Finance's answer is lost and the browser sends the same request again:
    the start answers the run the first one started (never a second run); the
    confirmation answers the confirmed run (not "confirmed already"). A key
    sent with another request is refused at the key."""
    world, cid = approved_claim(api, identity, active_user, payers, units=2)
    pay_on = (date.today() + timedelta(days=7)).isoformat()
    body = {"commissioner": "QHM", "paymentDate": pay_on}
    started = {"Idempotency-Key": f"start-{uuid.uuid4()}"}
    first = api.post("/payment-runs", body, payers["finance"], headers=started)
    again = api.post("/payment-runs", body, payers["finance"], headers=started)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json()["id"] == first.json()["id"] and again.json()["status"]["code"] == "ready"
    run_id = first.json()["id"]
    assert cid in claims_of(api, payers["finance"], run_id)
    other_day = (date.today() + timedelta(days=8)).isoformat()
    refused = problem(api.post("/payment-runs", {**body, "paymentDate": other_day}, payers["finance"],
                               headers=started), 422)
    assert "/Idempotency-Key" in field_errors(refused)
    runs = api.get("/payment-runs?commissioner=QHM&limit=100", payers["finance"]).json()["items"]
    assert [r["id"] for r in runs].count(run_id) == 1 and not [r for r in runs if r["paymentDate"] == other_day]

    problem(api.post(f"/payment-runs/{run_id}/confirm", {"confirm": True}, payers["finance"], headers=started), 422)
    confirmed = {"Idempotency-Key": f"confirm-{uuid.uuid4()}"}
    done = api.post(f"/payment-runs/{run_id}/confirm", {"confirm": True}, payers["finance"], headers=confirmed)
    assert done.status_code == 200 and done.json()["status"]["code"] == "confirmed", done.text
    retried = api.post(f"/payment-runs/{run_id}/confirm", {"confirm": True}, payers["finance"], headers=confirmed)
    assert retried.status_code == 200 and retried.json() == done.json()
    assert problem(api.post(f"/payment-runs/{run_id}/confirm", {"confirm": True}, payers["finance"]),
                   409)["type"].endswith("run-confirmed")
    history = api.get(f"/claims/{cid}", world["token"]).json()["history"]
    assert [h["action"] for h in history].count("paid") == 1


def test_a_keyed_run_start_that_meets_contention_to_the_end_is_told_so(api, stack, payers):
    """Every transaction cancelled for a conflict (the emulator's faults, on
    transactions only): the start tries again, then tells Finance someone was
    changing the same thing (409) — a refusal its key does not turn into a
    500 — and no run is left behind."""
    faults = f"{stack['emulatorEndpoint']}/_local/faults"
    before = api.get("/payment-runs?commissioner=QHM&limit=100", payers["finance"]).json()["items"]
    plan = {"seed": 3, "rate": 1.0, "kinds": ["dynamodb:TransactionCanceledException/TransactionConflict"]}
    assert requests.post(faults, json=plan, timeout=10).status_code == 200
    try:
        pay_on = (date.today() + timedelta(days=9)).isoformat()
        answer = api.post("/payment-runs", {"commissioner": "QHM", "paymentDate": pay_on}, payers["finance"],
                          headers={"Idempotency-Key": f"contended-{uuid.uuid4()}"})
    finally:
        requests.delete(faults, timeout=10)
    assert problem(answer, 409)["type"].endswith("concurrent-update")
    after = api.get("/payment-runs?commissioner=QHM&limit=100", payers["finance"]).json()["items"]
    assert [r["id"] for r in after] == [r["id"] for r in before], "no run was started"
