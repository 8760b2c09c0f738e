"""Claims over HTTP, as the guides "Claim Submission Multi Service" and "Single
Service" tell them: +New Claim and its three reasons, the three panes, Add All
and Add+, units and values, supplementary answers, Remove All, Delete, Submit
with every problem at once, and who sees what.

Each test builds its own practice with the guides' three services (Complex
Care Plans with a retainer, Ear Irrigation with its evidence rule, Depot
Antipsychotic Injections with its must-be-Yes question) and a window open now,
so tests do not claim each other's periods."""

import threading
import time
from urllib.parse import parse_qs, urlparse
from datetime import date, timedelta

import pytest

from conftest import field_errors, problem
from test_catalogue import item, new_practice

EAR_EVIDENCE = {"requiredFromUnits": 1,
                "guidance": "Please could you provide the name of the registered practice the patient belongs to. "
                            "Please do not include any PID.",
                "accepted": [{"extension": "pdf", "contentType": "application/pdf"}], "maxBytes": 5242880}

SERVICES = {
    "Complex Care Plans": [
        {"name": "Complex Care Plans", "payment": {"type": "per_unit", "unitPrice": "193.42", "unitLabel": "Care plan"},
         "questions": [{"id": "clinician", "text": "Which clinician led the reviews?",
                        "answer": {"type": "short_text", "maxLength": 80}, "required": False}]},
        {"name": "Service retainer", "payment": {"type": "retainer", "amount": "250.00",
                                                 "information": "Paid each quarter to practices signed up."}},
    ],
    "Ear Irrigation": [
        {"name": "Ear Irrigation", "payment": {"type": "per_unit", "unitPrice": "28.50", "unitLabel": "Patient"},
         "evidence": EAR_EVIDENCE},
    ],
    "Depot Antipsychotic Injections": [
        {"name": "Depot Antipsychotic Injections",
         "payment": {"type": "per_unit", "unitPrice": "15.00", "unitLabel": "Injection"},
         "questions": [{"id": "qualified", "text": "Were all injections administered by a qualified member of staff?",
                        "answer": {"type": "yes_no", "mustBeYes": True}}]},
    ],
}


def this_year_and_quarter() -> tuple[str, str, date]:
    today = date.today()
    start = today.year if today.month >= 4 else today.year - 1
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[today.month]
    return f"{start}/{(start + 1) % 100:02d}", f"Q{quarter}", today


def claim_world(api, identity, active_user, commissioner="QHM", admin_role="qhm_admin", window="open",
                services=tuple(SERVICES), catalogue=SERVICES, practice_name=None):
    """A new practice of `commissioner`, a user of it, and the guides' services
    (or those of `catalogue`) offered, accepted and (unless told) open for claims now."""
    admin = identity.as_role(admin_role)
    code = new_practice(api, admin, commissioner, name=practice_name)
    user = active_user(organisation=code, reviewer=admin_role)
    year, quarter, today = this_year_and_quarter()
    made = {}
    for name in services:
        service = api.post("/services", {"name": f"{name} {code}", "financialYear": year,
                                         "claimPeriods": "quarterly"}, admin)
        assert service.status_code == 201, service.text
        sid = service.json()["id"]
        for component in catalogue[name]:
            added = api.post(f"/services/{sid}/components", component, admin)
            assert added.status_code == 201, added.text
        if window == "open":
            times = {"period": quarter, "opens": today.isoformat(), "closes": (today + timedelta(days=5)).isoformat()}
        elif window == "later":
            times = {"period": quarter, "opens": (today + timedelta(days=3)).isoformat(),
                     "closes": (today + timedelta(days=9)).isoformat()}
        else:  # missed: the window of the first quarter closed long ago
            times = {"period": "Q1", "opens": f"{year[:4]}-07-01", "closes": f"{year[:4]}-07-14"}
        assert api.post(f"/services/{sid}/windows", times, admin).status_code == 201
        assert api.post(f"/services/{sid}/offers", {"providers": [code]}, admin).status_code == 200
        assert api.post(f"/offers/{sid}.{code}/accept", None, user["token"]).status_code == 200
        made[name] = sid
    return {"code": code, "user": user, "token": user["token"], "admin": admin, "services": made}


@pytest.fixture
def world(api, identity, active_user):
    return claim_world(api, identity, active_user)


def new_claim(api, world) -> dict:
    created = api.post("/claims", {"provider": world["code"]}, world["token"])
    assert created.status_code == 201, created.text
    return created.json()


def lines_by_name(screen: dict) -> dict:
    return {line["name"]: line for line in screen["claimPane"]["lines"]}


def edit(api, world, claim_id, line_id, body, version):
    return api.call("PATCH", f"/claims/{claim_id}/lines/{line_id}", world["token"], json_body=body,
                    headers={"If-Match": f'"{version}"'})


def test_the_guides_worked_example_multi_service(api, world, outbox, table, stack):
    """12 Complex Care Plans at £193.42 come to £2,321.04; the claim goes to Tier 1."""
    availability = api.get(f"/providers/{world['code']}/claims/availability", world["token"]).json()
    assert availability["canStartClaim"] is True and len(availability["claimable"]) == 3
    claim = new_claim(api, world)
    assert isinstance(claim["id"], int) and claim["status"]["code"] == "draft"
    cid = claim["id"]

    screen = api.get(f"/claims/{cid}", world["token"]).json()
    pane = {s["name"]: s for s in screen["servicesPane"]}
    assert {n.rsplit(" ", 1)[0]: s["componentCount"] for n, s in pane.items()} == {
        "Complex Care Plans": 2, "Ear Irrigation": 1, "Depot Antipsychotic Injections": 1}
    assert not any(s["inClaim"] for s in screen["servicesPane"])

    screen = api.post(f"/claims/{cid}/services", {"all": True}, world["token"]).json()
    assert all(s["inClaim"] for s in screen["servicesPane"]), "the green ticks"
    assert sum(len(s["components"]) for s in screen["componentsPane"]) == 4
    assert screen["claimPane"]["lines"] == []

    screen = api.post(f"/claims/{cid}/lines", {"all": True}, world["token"]).json()
    lines = lines_by_name(screen)
    assert set(lines) == {"Complex Care Plans", "Service retainer", "Ear Irrigation", "Depot Antipsychotic Injections"}
    retainer = lines["Service retainer"]
    assert retainer["paymentType"] == "retainer" and retainer["units"] is None
    assert retainer["retainer"]["information"] == "Paid each quarter to practices signed up."
    assert retainer["value"]["display"] == "£250.00"
    assert lines["Depot Antipsychotic Injections"]["questions"][0]["answer"] is False, "the toggle starts at No"
    assert lines["Ear Irrigation"]["evidence"]["needed"] is False

    plans = edit(api, world, cid, lines["Complex Care Plans"]["id"], {"units": 12}, screen["version"])
    assert plans.status_code == 200, plans.text
    assert plans.json()["line"]["value"] == {"amount": "2321.04", "display": "£2,321.04"}

    version = plans.json()["version"]
    for name, body in [("Ear Irrigation", {"units": 0}),
                       ("Depot Antipsychotic Injections", {"units": 4, "answers": {"qualified": True}})]:
        edited = edit(api, world, cid, lines[name]["id"], body, version)
        assert edited.status_code == 200, edited.text
        version = edited.json()["version"]

    emails_before = len(outbox.to(world["user"]["email"]))
    submitted = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"])
    assert submitted.status_code == 200, submitted.text
    summary = submitted.json()
    assert summary["status"] == {"code": "pending_tier1_review", "label": "Pending Tier 1 Review"}
    assert summary["claimPane"]["totals"]["total"]["display"] == "£2,631.04"  # 2,321.04 + 250.00 + 0 + 60.00
    assert [h["action"] for h in summary["history"]] == ["started", "submitted"]
    mail = outbox.wait_for(world["user"]["email"], count=emails_before + 1)
    assert any(f"Claim {cid} submitted" == m["subject"] for m in mail)

    for name, sid in world["services"].items():
        period = summary["services"][0]["period"]
        assert item(table, stack, f"ORG#{world['code']}", f"CLAIMED#{sid}#{period}"), f"claim marker for {name}"
    listed = api.get(f"/claims?provider={world['code']}", world["token"]).json()["items"]
    assert [c["id"] for c in listed if c["status"]["code"] == "pending_tier1_review"] == [cid]


def test_single_service_claims_hold_one_service(api, identity, active_user):
    world = claim_world(api, identity, active_user, commissioner="QOQ", admin_role="qoq_admin",
                        services=("Complex Care Plans", "Ear Irrigation"))
    claim = new_claim(api, world)
    assert claim["submission"] == "single_service"
    refused = problem(api.post(f"/claims/{claim['id']}/services", {"all": True}, world["token"]), 422)
    assert "asks for one service per claim" in field_errors(refused)["/services"]
    first, second = world["services"]["Complex Care Plans"], world["services"]["Ear Irrigation"]
    assert api.post(f"/claims/{claim['id']}/services", {"services": [first]}, world["token"]).status_code == 200
    again = problem(api.post(f"/claims/{claim['id']}/services", {"services": [second]}, world["token"]), 422)
    assert "start a new claim for Ear Irrigation" in field_errors(again)["/services"]
    screen = api.post(f"/claims/{claim['id']}/lines", {"all": True}, world["token"]).json()
    plans = lines_by_name(screen)["Complex Care Plans"]
    edited = edit(api, world, claim["id"], plans["id"], {"units": 12}, screen["version"])
    assert edited.json()["claimPane"]["totals"]["total"]["display"] == "£2,571.04"  # with the £250.00 retainer
    submitted = api.post(f"/claims/{claim['id']}/submit", {"confirm": True}, world["token"])
    assert submitted.status_code == 200, submitted.text
    other = new_claim(api, world)  # Ear Irrigation is still claimable: a claim of its own
    assert [c["serviceId"] for c in other["services"]] == [] and other["id"] > claim["id"]


def test_the_three_reasons_there_is_no_new_claim_button(api, identity, active_user):
    later = claim_world(api, identity, active_user, window="later", services=("Ear Irrigation",))
    found = api.get(f"/providers/{later['code']}/claims/availability", later["token"]).json()
    assert found["canStartClaim"] is False
    [reason] = found["reasons"]
    assert reason["reason"] == "not_open_yet" and "has not opened yet: it opens on" in reason["message"]
    assert problem(api.post("/claims", {"provider": later["code"]}, later["token"]), 409)["type"] == \
        "/problems/nothing-to-claim"

    missed = claim_world(api, identity, active_user, window="missed", services=("Ear Irrigation",))
    [reason] = api.get(f"/providers/{missed['code']}/claims/availability", missed["token"]).json()["reasons"]
    assert reason["reason"] == "missed"
    assert reason["message"].endswith("Please contact your Primary Care Team at NHS North East and North Cumbria ICB")

    done = claim_world(api, identity, active_user, services=("Depot Antipsychotic Injections",))
    claim = new_claim(api, done)
    screen = api.post(f"/claims/{claim['id']}/services", {"all": True}, done["token"]).json()
    screen = api.post(f"/claims/{claim['id']}/lines", {"all": True}, done["token"]).json()
    depot = screen["claimPane"]["lines"][0]
    edit(api, done, claim["id"], depot["id"], {"units": 1, "answers": {"qualified": True}}, screen["version"])
    assert api.post(f"/claims/{claim['id']}/submit", {"confirm": True}, done["token"]).status_code == 200
    [reason] = api.get(f"/providers/{done['code']}/claims/availability", done["token"]).json()["reasons"]
    assert reason["reason"] == "all_claimed"


def test_submit_lists_every_problem_at_once_and_changes_nothing(api, world, table, stack):
    claim = new_claim(api, world)
    cid = claim["id"]
    empty = problem(api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"]), 422)
    assert "/services" in field_errors(empty)
    api.post(f"/claims/{cid}/services", {"all": True}, world["token"])
    screen = api.post(f"/claims/{cid}/lines", {"all": True}, world["token"]).json()
    lines = lines_by_name(screen)
    edit(api, world, cid, lines["Ear Irrigation"]["id"], {"units": 3}, screen["version"])
    before = api.get(f"/claims/{cid}", world["token"]).json()
    body = problem(api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"]), 422)
    errors = field_errors(body)
    assert errors[f"/lines/{lines['Complex Care Plans']['id']}/units"].startswith("Enter the number of units")
    assert errors[f"/lines/{lines['Ear Irrigation']['id']}/attachments"].startswith("Attach the evidence")
    assert errors[f"/lines/{lines['Depot Antipsychotic Injections']['id']}/units"]
    assert "to Yes before you submit" in errors[f"/lines/{lines['Depot Antipsychotic Injections']['id']}/answers/qualified"]
    assert f"/lines/{lines['Service retainer']['id']}/units" not in errors, "a retainer takes no units"
    after = api.get(f"/claims/{cid}", world["token"]).json()
    assert after["version"] == before["version"] and after["status"]["code"] == "draft"
    assert not item(table, stack, f"ORG#{world['code']}", f"CLAIMED#{world['services']['Ear Irrigation']}#"
                                                            f"{after['claimPane']['lines'][0]['period']}")
    unconfirmed = problem(api.post(f"/claims/{cid}/submit", {"confirm": False}, world["token"]), 422)
    assert "/confirm" in field_errors(unconfirmed)


def test_units_and_answers_are_checked_and_patient_data_refused(api, world):
    claim = new_claim(api, world)
    cid = claim["id"]
    api.post(f"/claims/{cid}/services", {"services": [world["services"]["Complex Care Plans"]]}, world["token"])
    screen = api.post(f"/claims/{cid}/lines", {"components": []}, world["token"])
    assert screen.status_code == 422
    screen = api.post(f"/claims/{cid}/lines", {"all": True}, world["token"]).json()
    plans = lines_by_name(screen)["Complex Care Plans"]
    version = screen["version"]
    for units in (-1, 2.5, "12"):
        body = problem(edit(api, world, cid, plans["id"], {"units": units}, version), 422)
        assert field_errors(body)[f"/lines/{plans['id']}/units"] == "Enter the number of units as a whole number, 0 or more"
    pid = problem(edit(api, world, cid, plans["id"], {"answers": {"clinician": "Dr Patel re 943 476 5919"}}, version), 422)
    assert "NHS number" in field_errors(pid)[f"/lines/{plans['id']}/answers/clinician"]
    retainer = lines_by_name(screen)["Service retainer"]
    assert problem(edit(api, world, cid, retainer["id"], {"units": 1}, version), 422)
    fine = edit(api, world, cid, plans["id"], {"units": 12, "answers": {"clinician": "Dr Patel"}}, version)
    assert fine.status_code == 200 and fine.json()["line"]["questions"][0]["answer"] == "Dr Patel"


def test_two_edits_from_the_same_version_one_wins_and_the_other_is_told(api, world):
    claim = new_claim(api, world)
    cid = claim["id"]
    api.post(f"/claims/{cid}/services", {"all": True}, world["token"])
    screen = api.post(f"/claims/{cid}/lines", {"all": True}, world["token"]).json()
    plans = lines_by_name(screen)["Complex Care Plans"]
    results = []
    threads = [threading.Thread(target=lambda u=u: results.append(
        edit(api, world, cid, plans["id"], {"units": u}, screen["version"]))) for u in (7, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(r.status_code for r in results)
    assert codes in ([200, 409], [200, 412]), [r.text for r in results]
    winner = next(r for r in results if r.status_code == 200).json()["line"]["units"]
    assert lines_by_name(api.get(f"/claims/{cid}", world["token"]).json())["Complex Care Plans"]["units"] == winner
    stale = problem(edit(api, world, cid, plans["id"], {"units": 1}, screen["version"]), 412)
    assert stale["type"] == "/problems/stale-version"


def test_remove_all_remove_one_and_delete_and_the_id_is_never_reused(api, world, table, stack):
    claim = new_claim(api, world)
    cid = claim["id"]
    api.post(f"/claims/{cid}/services", {"all": True}, world["token"])
    screen = api.post(f"/claims/{cid}/lines", {"all": True}, world["token"]).json()
    one = screen["claimPane"]["lines"][0]["id"]
    after_one = api.call("DELETE", f"/claims/{cid}/lines/{one}", world["token"]).json()
    assert len(after_one["claimPane"]["lines"]) == 3
    after_all = api.call("DELETE", f"/claims/{cid}/lines", world["token"]).json()
    assert after_all["claimPane"]["lines"] == [] and len(after_all["services"]) == 3
    again = api.post(f"/claims/{cid}/lines", {"components": [one]}, world["token"]).json()
    assert [l["id"] for l in again["claimPane"]["lines"]] == [one], "Add+ adds one component"
    deleted = api.call("DELETE", f"/claims/{cid}", world["token"])
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True
    problem(api.get(f"/claims/{cid}", world["token"]), 404)
    assert not item(table, stack, f"CLAIM#{cid}", f"LINE#{one}")
    assert new_claim(api, world)["id"] > cid


def test_double_submit_and_two_claims_for_the_same_service_and_period(api, identity, active_user):
    world = claim_world(api, identity, active_user, services=("Depot Antipsychotic Injections",))
    claims = []
    for _ in range(2):
        claim = new_claim(api, world)
        api.post(f"/claims/{claim['id']}/services", {"all": True}, world["token"])
        screen = api.post(f"/claims/{claim['id']}/lines", {"all": True}, world["token"]).json()
        depot = screen["claimPane"]["lines"][0]
        assert edit(api, world, claim["id"], depot["id"], {"units": 2, "answers": {"qualified": True}},
                    screen["version"]).status_code == 200
        claims.append(claim["id"])
    first = api.post(f"/claims/{claims[0]}/submit", {"confirm": True}, world["token"])
    assert first.status_code == 200, first.text
    twice = problem(api.post(f"/claims/{claims[0]}/submit", {"confirm": True}, world["token"]), 409)
    assert twice["type"] == "/problems/claim-submitted"
    assert api.get(f"/claims/{claims[0]}", world["token"]).json()["history"][-1]["action"] == "submitted"
    second = problem(api.post(f"/claims/{claims[1]}/submit", {"confirm": True}, world["token"]), 409)
    assert second["type"] == "/problems/already-claimed"
    assert api.get(f"/claims/{claims[1]}", world["token"]).json()["status"]["code"] == "draft"
    problem(api.call("DELETE", f"/claims/{claims[0]}", world["token"]), 409)


def test_a_retried_new_claim_with_the_same_key_makes_one_claim(api, world):
    headers = {"Idempotency-Key": f"retry-{world['code']}"}
    first = api.call("POST", "/claims", world["token"], json_body={"provider": world["code"]}, headers=headers)
    again = api.call("POST", "/claims", world["token"], json_body={"provider": world["code"]}, headers=headers)
    assert first.status_code == 201 and again.status_code == 201, "the retry is answered as the first was"
    assert first.json() == again.json()
    assert new_claim(api, world)["id"] != first.json()["id"], "two clicks without a key make two drafts"


def test_a_key_sent_again_with_another_request_is_refused_not_taken_for_a_retry(api, identity, active_user):
    """Someone at two practices starts a claim for one with a key, then sends
    the same key for the other: that is not the first request again, so it is
    refused at the key (422) and makes nothing; the first request sent again is
    still answered as it was."""
    first_world = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    second_world = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    person = first_world["user"]
    asked = api.post("/access-requests", {"organisationCode": second_world["code"], "role": "provider_user"},
                     person["token"])
    assert asked.status_code == 201, asked.text
    approved = api.post(f"/access-requests/{asked.json()['id']}/review", {"decision": "approve"},
                        identity.as_role("qhm_admin"))
    assert approved.status_code == 200, approved.text
    headers = {"Idempotency-Key": f"one-request-{first_world['code']}"}
    first = api.call("POST", "/claims", person["token"], json_body={"provider": first_world["code"]}, headers=headers)
    assert first.status_code == 201, first.text
    other = problem(api.call("POST", "/claims", person["token"], json_body={"provider": second_world["code"]},
                             headers=headers), 422)
    assert "/Idempotency-Key" in field_errors(other)
    assert api.get(f"/claims?provider={second_world['code']}", person["token"]).json()["items"] == []
    again = api.call("POST", "/claims", person["token"], json_body={"provider": first_world["code"]}, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()


def test_other_practices_and_icbs_see_nothing_and_the_commissioner_reads_only(api, identity, active_user, world):
    claim = new_claim(api, world)
    cid = claim["id"]
    neighbour = active_user(organisation="A81002")
    for token in (neighbour["token"], identity.as_role("qoq_admin"), identity.as_role("qhm_admin")):
        problem(api.get(f"/claims/{cid}", token), 404)
        problem(api.post(f"/claims/{cid}/services", {"all": True}, token), 404)
    problem(api.get(f"/providers/{world['code']}/claims/availability", neighbour["token"]), 404)
    api.post(f"/claims/{cid}/services", {"services": [world["services"]["Depot Antipsychotic Injections"]]},
             world["token"])
    screen = api.post(f"/claims/{cid}/lines", {"all": True}, world["token"]).json()
    depot = screen["claimPane"]["lines"][0]
    edit(api, world, cid, depot["id"], {"units": 1, "answers": {"qualified": True}}, screen["version"])
    assert api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"]).status_code == 200
    admin = identity.as_role("qhm_admin")
    assert api.get(f"/claims/{cid}", admin).json()["status"]["code"] == "pending_tier1_review"
    problem(api.post(f"/claims/{cid}/lines", {"all": True}, admin), 403)
    listed = api.get("/claims?commissioner=QHM&status=pending_tier1_review&limit=100", admin).json()
    assert cid in [c["id"] for c in listed["items"]]
    problem(api.get(f"/claims/{cid}", identity.as_role("qoq_admin")), 404)
    assert cid not in [c["id"] for c in api.get("/claims", identity.as_role("qoq_admin")).json()["items"]]


def ear_claim(api, identity, active_user):
    world = claim_world(api, identity, active_user, services=("Ear Irrigation",))
    claim = new_claim(api, world)
    api.post(f"/claims/{claim['id']}/services", {"all": True}, world["token"])
    screen = api.post(f"/claims/{claim['id']}/lines", {"all": True}, world["token"]).json()
    ear = screen["claimPane"]["lines"][0]
    assert edit(api, world, claim["id"], ear["id"], {"units": 2}, screen["version"]).status_code == 200
    return world, claim["id"], ear["id"]


def attachments_of(api, world, cid, line_id):
    screen = api.get(f"/claims/{cid}", world["token"]).json()
    return next(l for l in screen["claimPane"]["lines"] if l["id"] == line_id)["attachments"]


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_evidence_goes_straight_to_s3_with_a_url_for_that_file_only(api, identity, active_user):
    world, cid, line_id = ear_claim(api, identity, active_user)
    path = f"/claims/{cid}/lines/{line_id}/attachments"
    for body, field in [({"fileName": "names.docx", "contentType": "application/pdf", "size": 10}, "/fileName"),
                        ({"fileName": "names.pdf", "contentType": "image/png", "size": 10}, "/contentType"),
                        ({"fileName": "names.pdf", "contentType": "application/pdf", "size": 6 * 1024 * 1024}, "/size"),
                        ({"fileName": "NHS 943 476 5919.pdf", "contentType": "application/pdf", "size": 10}, "/fileName")]:
        refused = problem(api.post(path, body, world["token"]), 422)
        assert field in field_errors(refused), refused
    assert attachments_of(api, world, cid, line_id) == [], "nothing is recorded for a refused file"

    offered = api.post(path, {"fileName": "Registered practices.pdf", "contentType": "application/pdf",
                              "size": len(PDF)}, world["token"])
    assert offered.status_code == 201, offered.text
    upload = offered.json()["upload"]
    url = urlparse(upload["url"])
    query = parse_qs(url.query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    signed = query["X-Amz-SignedHeaders"][0].split(";")
    assert "content-type" in signed and "content-length" in signed, signed
    assert f"/evidence/claims/{cid}/lines/{line_id}/" in url.path, "the key is scoped to this claim line"
    assert upload["method"] == "PUT" and upload["headers"]["content-type"] == "application/pdf"
    attachment = offered.json()["attachment"]
    assert attachment["status"] == "awaiting_upload"

    early = problem(api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"]), 422)
    details = [e["detail"] for e in early["errors"] if e["pointer"] == f"/lines/{line_id}/attachments"]
    assert any("Registered practices.pdf has not finished uploading" in d for d in details), details

    download = problem(api.get(f"{path}/{attachment['id']}", world["token"]), 409)
    assert download["type"] == "/problems/file-not-checked", "nothing has arrived yet"

    put = api.http.put(upload["url"], data=PDF, headers=upload["headers"], timeout=30)
    assert put.status_code == 200, put.text
    deadline = time.time() + 30
    while attachments_of(api, world, cid, line_id)[0]["status"] != "clean" and time.time() < deadline:
        time.sleep(0.2)
    assert attachments_of(api, world, cid, line_id)[0]["status"] == "clean", "the upload was checked"

    download = api.get(f"{path}/{attachment['id']}", world["token"])
    assert download.status_code == 200, download.text
    assert api.http.get(download.json()["url"], timeout=30).content == PDF
    submitted = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"])
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"]["label"] == "Pending Tier 1 Review", "its evidence is already clean"
    problem(api.call("DELETE", f"{path}/{attachment['id']}", world["token"]), 409)


def test_a_file_is_deleted_from_its_line_and_from_the_bucket(api, identity, active_user, stack):
    world, cid, line_id = ear_claim(api, identity, active_user)
    path = f"/claims/{cid}/lines/{line_id}/attachments"
    offered = api.post(path, {"fileName": "list.pdf", "contentType": "application/pdf", "size": len(PDF)},
                       world["token"]).json()
    assert api.http.put(offered["upload"]["url"], data=PDF, headers=offered["upload"]["headers"],
                        timeout=30).status_code == 200
    key = urlparse(offered["upload"]["url"]).path.split("/", 2)[2]
    s3 = stack.client("s3")
    assert s3.head_object(Bucket=stack["bucketName"], Key=key)["ContentLength"] == len(PDF)
    neighbour = claim_world(api, identity, active_user, services=("Ear Irrigation",))
    problem(api.call("DELETE", f"{path}/{offered['attachment']['id']}", neighbour["token"]), 404)
    deleted = api.call("DELETE", f"{path}/{offered['attachment']['id']}", world["token"])
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True
    assert attachments_of(api, world, cid, line_id) == []
    with pytest.raises(Exception):
        s3.head_object(Bucket=stack["bucketName"], Key=key)
    liar = api.post(path, {"fileName": "short.pdf", "contentType": "application/pdf", "size": 5}, world["token"]).json()
    refused_at_the_door = api.http.put(liar["upload"]["url"], data=PDF, headers={"content-type": "application/pdf"},
                                       timeout=30)
    assert refused_at_the_door.status_code == 403 and "SignatureDoesNotMatch" in refused_at_the_door.text, \
        "S3 (and the local stack) refuse a body longer than the signed content-length"
    # Were the door ever to let it through, the check of the stored bytes still refuses it.
    liar_key = urlparse(liar["upload"]["url"]).path.split("/", 2)[2]
    s3.put_object(Bucket=stack["bucketName"], Key=liar_key, Body=PDF, ContentType="application/pdf")
    deadline = time.time() + 30
    while attachments_of(api, world, cid, line_id)[0]["status"] != "refused" and time.time() < deadline:
        time.sleep(0.5)
    [refused_file] = attachments_of(api, world, cid, line_id)
    assert refused_file["status"] == "refused" and "not the one described" in refused_file["refusal"]
    no_evidence = claim_world(api, identity, active_user, services=("Depot Antipsychotic Injections",))
    other = new_claim(api, no_evidence)
    api.post(f"/claims/{other['id']}/services", {"all": True}, no_evidence["token"])
    depot = api.post(f"/claims/{other['id']}/lines", {"all": True}, no_evidence["token"]).json()["claimPane"]["lines"][0]
    refused = problem(api.post(f"/claims/{other['id']}/lines/{depot['id']}/attachments",
                               {"fileName": "x.pdf", "contentType": "application/pdf", "size": 10},
                               no_evidence["token"]), 409)
    assert refused["type"] == "/problems/no-evidence-asked"


def test_a_practice_without_windows_claims_any_started_period_with_add_plus(api, identity, active_user):
    world = claim_world(api, identity, active_user, window="later", services=("Complex Care Plans",))
    marked = api.call("PATCH", f"/organisations/{world['code']}", world["admin"], json_body={"claimsAnyTime": True})
    assert marked.status_code == 200, marked.text
    found = api.get(f"/providers/{world['code']}/claims/availability", world["token"]).json()
    _, quarter, _ = this_year_and_quarter()
    periods = [c["period"] for c in found["claimable"]]
    assert found["canStartClaim"] and found["claimsAnyTime"]
    assert periods and periods[-1].endswith(quarter) and all(c["closesAt"] is None for c in found["claimable"])
    claim = new_claim(api, world)
    sid = world["services"]["Complex Care Plans"]
    if len(periods) > 1:
        which = problem(api.post(f"/claims/{claim['id']}/services", {"services": [sid]}, world["token"]), 422)
        assert field_errors(which)["/period"].startswith("Choose the period to claim")
    screen = api.post(f"/claims/{claim['id']}/services", {"services": [sid], "period": periods[0]},
                      world["token"]).json()
    [component] = [c for c in screen["componentsPane"][0]["components"] if c["name"] == "Complex Care Plans"]
    screen = api.post(f"/claims/{claim['id']}/lines", {"components": [component["componentId"]]}, world["token"]).json()
    assert [l["name"] for l in screen["claimPane"]["lines"]] == ["Complex Care Plans"], "Add+ adds just that one"
    edited = edit(api, world, claim["id"], screen["claimPane"]["lines"][0]["id"], {"units": 3}, screen["version"])
    assert edited.status_code == 200
    submitted = api.post(f"/claims/{claim['id']}/submit", {"confirm": True}, world["token"])
    assert submitted.status_code == 200, submitted.text
    again = api.get(f"/providers/{world['code']}/claims/availability", world["token"]).json()
    assert periods[0] not in [c["period"] for c in again["claimable"]], "a claimed period is claimable no more"
