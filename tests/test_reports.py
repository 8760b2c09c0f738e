"""Claims reports over HTTP: counts and values from the running totals, by
service, status, period and practice, spend against plan with a service's
budget, the same as CSV, and nothing of one ICB's claims in another's."""

import csv
import io

from conftest import problem
from test_claims import this_year_and_quarter
from test_review import decide, patch, submitted_claim


def report(api, token, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    answer = api.get(f"/reports/claims?{params}", token)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_claim_moves_through_the_totals_as_it_is_decided(api, identity, active_user):
    admin = identity.as_role("qhm_admin")
    world, cid, _ = submitted_claim(api, identity, active_user, units=3)  # 3 × £193.42 + £250.00 = £830.26
    sid = world["services"]["Complex Care Plans"]
    year, quarter, _ = this_year_and_quarter()
    budget = patch(api, f"/services/{sid}", {"budget": "5000.00", "vatCode": "os", "costCentre": "cc-100"}, admin)
    assert budget.status_code == 200 and budget.json()["budget"] == "5000.00", budget.text
    assert budget.json()["vatCode"] == "OS" and budget.json()["costCentre"] == "CC-100"

    waiting = report(api, admin, service=sid)
    assert waiting["year"] == year and len(waiting["rows"]) == 1
    row = waiting["rows"][0]
    assert (row["label"], row["claims"], row["value"]) == (f"Complex Care Plans {world['code']}", 1, "830.26")
    assert row["spend"] == {"budget": "5000.00", "approved": "0.00", "paid": "0.00", "committed": "830.26",
                            "left": "4169.74"}

    tier1, tier2 = identity.as_role("tier1"), identity.as_role("tier2")
    assert decide(api, {"token": tier1}, cid, "tier1", "approve").status_code == 200
    assert decide(api, {"token": tier2}, cid, "tier2", "approve").json()["status"]["code"] == "approved"
    approved = report(api, identity.as_role("finance"), service=sid)["rows"][0]
    assert approved["spend"]["approved"] == "830.26" and approved["spend"]["committed"] == "0.00"
    assert approved["claims"] == 1, "a move changes the status, not the count"

    statuses = report(api, admin, service=sid, groupBy="status")["rows"]
    assert [(r["key"], r["claims"], r["value"]) for r in statuses] == [("approved", 1, "830.26")]
    periods = report(api, admin, service=sid, groupBy="period")["rows"]
    assert [r["key"] for r in periods] == [f"{year[:4]}-{year[5:]}-{quarter}"]
    period_key = periods[0]["key"]
    practices = report(api, admin, service=sid, groupBy="provider")["rows"]
    assert [(r["key"], r["value"]) for r in practices] == [(world["code"], "830.26")]
    in_period = report(api, admin, groupBy="provider", period=period_key)["rows"]
    assert (world["code"], "830.26") in [(r["key"], r["value"]) for r in in_period]
    nothing_pending = report(api, admin, service=sid, status="pending_tier1_review")
    assert nothing_pending["rows"] == [] and nothing_pending["total"]["claims"] == 0

    sheet = api.get(f"/reports/claims?service={sid}&format=csv", admin)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sheet.text)))
    assert rows[0] == ["Group", "Key", "Claims", "Value", "Budget", "Approved", "Paid", "Committed", "Left"]
    assert rows[1][2:] == ["1", "830.26", "5000.00", "830.26", "0.00", "0.00", "4169.74"]
    assert rows[-1][:4] == ["Total", "", "1", "830.26"]

    other_icb = report(api, identity.as_role("qoq_admin"), service=sid)
    assert other_icb["commissioner"] == "QOQ" and other_icb["rows"] == []
    problem(api.get(f"/reports/claims?commissioner=QHM", identity.as_role("qoq_admin")), 403)
    problem(api.get("/reports/claims?groupBy=colour", admin), 422)
    problem(api.get("/reports/claims?year=2026/27&period=2025-26-Q1", admin), 422)
    problem(patch(api, f"/services/{sid}", {"budget": "lots"}, admin), 422)
