"""Spreadsheets and reports say what happened, and nothing in them runs.

Practice, service and component names are typed by people and go into the CSV
files finance staff and practices open in Excel: every cell that would start a
formula (`=`, `+`, `-`, `@`, a tab or a carriage return) is written inert, in
every CSV the service writes (the bulk-claim template, the finance export, the
claims report, the remittance). Reports count claims, not services: a claim of
two services is one claim, its value each service's own."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from conftest import problem
from test_claims import SERVICES, claim_world, edit, new_claim, this_year_and_quarter
from test_payments import start_run
from test_review import decide

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PRACTICE = '=HYPERLINK("http://x","Click")'
CATALOGUE = {
    "@SUM(1) Care": SERVICES["Complex Care Plans"],
    "-1+1 Depot": SERVICES["Depot Antipsychotic Injections"],
    "+1 Ear": [{"name": "+1 Ear Irrigation", "payment": {"type": "per_unit", "unitPrice": "28.50",
                                                          "unitLabel": "Patient"}}],
}


def cells_that_would_run(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]


def as_csv(response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv"), response.headers
    return response.text


def report_row(api, token, code, **query):
    params = "&".join(f"{k}={v}" for k, v in {"groupBy": "provider", **query}.items())
    rows = api.get(f"/reports/claims?{params}", token).json()["rows"]
    return next(r for r in rows if r["key"] == code)


def test_no_csv_cell_runs_as_a_formula_and_a_claim_of_two_services_counts_once(api, identity, active_user):
    world = claim_world(api, identity, active_user, services=tuple(CATALOGUE), catalogue=CATALOGUE,
                        practice_name=PRACTICE)
    code, services = world["code"], world["services"]
    admin, tier1, tier2 = (identity.as_role(r) for r in ("qhm_admin", "tier1", "tier2"))
    finance = identity.as_role("finance")

    claim = new_claim(api, world)
    cid = claim["id"]
    chosen = [services["@SUM(1) Care"], services["-1+1 Depot"]]
    api.post(f"/claims/{cid}/services", {"services": chosen}, world["token"])
    screen = api.post(f"/claims/{cid}/lines", {"all": True}, world["token"]).json()
    lines = {line["name"]: line for line in screen["claimPane"]["lines"]}
    version = screen["version"]
    for name, body in [("Complex Care Plans", {"units": 12}),
                       ("Depot Antipsychotic Injections", {"units": 4, "answers": {"qualified": True}})]:
        edited = edit(api, world, cid, lines[name]["id"], body, version)
        assert edited.status_code == 200, edited.text
        version = edited.json()["version"]
    assert api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"]).status_code == 200
    assert decide(api, {"token": tier1}, cid, "tier1", "approve").status_code == 200
    assert decide(api, {"token": tier2}, cid, "tier2", "approve").json()["status"]["code"] == "approved"

    # One claim, two services: counted once by practice; each service its own value.
    row = report_row(api, admin, code)
    assert (row["claims"], row["value"]) == (1, "2631.04"), row  # 12 × 193.42 + 250.00 + 4 × 15.00
    assert [(s["status"]["code"], s["claims"]) for s in row["byStatus"]] == [("approved", 1)]
    by_service = {r["key"]: r for r in api.get(f"/reports/claims?groupBy=service", admin).json()["rows"]}
    care, depot = by_service[services["@SUM(1) Care"]], by_service[services["-1+1 Depot"]]
    assert (care["claims"], care["value"], depot["claims"], depot["value"]) == (1, "2571.04", 1, "60.00")
    problem(api.get("/reports/claims?format=xlsx", admin), 422)

    # The finance export and the remittance, after a payment run.
    started = start_run(api, finance)
    assert started.status_code == 201, started.text
    run_id = started.json()["id"]
    export = as_csv(api.get(f"/payment-runs/{run_id}/export", finance))
    ours = [r for r in csv.DictReader(io.StringIO(export)) if r["Claim ID"] == str(cid)]
    assert ours and all(r["Provider name"] == "'" + PRACTICE for r in ours), ours[:1]
    assert sum(Decimal(r["Value"]) for r in ours) == Decimal("2631.04")
    assert api.post(f"/payment-runs/{run_id}/confirm", {"confirm": True}, finance).status_code == 200
    remittance = as_csv(api.get(f"/providers/{code}/remittances/{run_id}?format=csv", world["token"]))
    paid = report_row(api, admin, code)
    assert [(s["status"]["code"], s["claims"]) for s in paid["byStatus"]] == [("paid", 1)], "Paid 1, not Paid 2"

    # The claims report as a file, and the bulk-claim template of the service not claimed.
    report = as_csv(api.get("/reports/claims?groupBy=provider&format=csv", admin))
    assert f"'{PRACTICE} ({code})" in {cell for r in csv.reader(io.StringIO(report)) for cell in r}
    _, quarter, _ = this_year_and_quarter()
    template = as_csv(api.get(f"/services/{services['+1 Ear']}/bulk-claims?period={quarter}", tier1))
    heading, *rows = list(csv.reader(io.StringIO(template)))
    assert heading == ["ODS code", "Practice", "'+1 Ear Irrigation"] and [code, "'" + PRACTICE, ""] in rows

    for name, text in [("finance export", export), ("remittance", remittance), ("claims report", report),
                       ("bulk-claim template", template)]:
        assert not cells_that_would_run(text), f"{name}: {cells_that_would_run(text)[:5]}"
