"""Reviewers' decisions over HTTP: the work lists, the practice's own approval,
Tier 1, Tier 2 and Finance (at the threshold and a penny under), returns and
resubmission of the same claim, the reasons practices are sent, separation of
duties, two reviewers deciding at once, and evidence downloads."""

import re
import threading
import time
import uuid

import pytest

from conftest import field_errors, problem
from test_claims import claim_world, edit, new_claim, this_year_and_quarter

CARE_PLANS = "Complex Care Plans"


@pytest.fixture(scope="module")
def reviewers(active_user):
    """QHM's reviewers: two at Tier 1, two at Tier 2, one in Finance (registered, approved by its administrator)."""
    def person(role, first):
        return active_user(organisation="QHM", role=role, reviewer="qhm_admin", first=first, last="Reviewer")
    return {"tier1": person("approver_tier1", "Tess"), "tier1b": person("approver_tier1", "Toby"),
            "tier2": person("approver_tier2", "Uma"), "tier2b": person("approver_tier2", "Umar"),
            "finance": person("finance", "Fay")}


def drafted_claim(api, world, units, line_name=CARE_PLANS):
    """A claim of `world`'s practice with every service and component, `units` on one line."""
    claim = new_claim(api, world)
    api.post(f"/claims/{claim['id']}/services", {"all": True}, world["token"])
    screen = api.post(f"/claims/{claim['id']}/lines", {"all": True}, world["token"]).json()
    line = next(l for l in screen["claimPane"]["lines"] if l["name"] == line_name)
    assert edit(api, world, claim["id"], line["id"], {"units": units}, screen["version"]).status_code == 200
    return claim["id"], line["id"]


def submitted_claim(api, identity, active_user, units=12, world=None, line_name=CARE_PLANS,
                    status="pending_tier1_review"):
    """A practice's Complex Care Plans claim (or `world`'s), submitted: Pending Tier 1 Review."""
    world = world or claim_world(api, identity, active_user, services=(CARE_PLANS,))
    claim_id, line_id = drafted_claim(api, world, units, line_name)
    sent = api.post(f"/claims/{claim_id}/submit", {"confirm": True}, world["token"])
    assert sent.status_code == 200 and sent.json()["status"]["code"] == status, sent.text
    return world, claim_id, line_id


def patch(api, path, body, token):
    return api.call("PATCH", path, token, json_body=body)


def every_waiting(api, who, stage) -> list:
    """Every page of a work list, in order."""
    rows, cursor = [], None
    while True:
        page = work_list(api, who, stage, limit=100, **({"cursor": cursor} if cursor else {}))
        rows += page["items"]
        cursor = page["nextCursor"]
        if not cursor:
            return rows


def work_list(api, who, stage, **query):
    params = "&".join(f"{k}={v}" for k, v in {"stage": stage, **query}.items())
    answer = api.get(f"/reviews?{params}", who["token"] if isinstance(who, dict) else who)
    assert answer.status_code == 200, answer.text
    return answer.json()


def decide(api, who, claim_id, stage, decision, reason=None):
    body = {"stage": stage, "decision": decision, **({"reason": reason} if reason is not None else {})}
    return api.post(f"/claims/{claim_id}/decisions", body, who["token"])


def test_tier1_then_tier2_approve_and_the_practice_is_told(api, identity, active_user, reviewers, outbox):
    world, cid, _ = submitted_claim(api, identity, active_user)
    practice = world["user"]
    refused = problem(decide(api, practice, cid, "tier1", "approve"), 403)
    assert "Approver – Tier 1" in refused["detail"]
    other_icb = problem(api.post(f"/claims/{cid}/decisions", {"stage": "tier1", "decision": "approve"},
                                 identity.as_role("qoq_admin")), 404)
    assert other_icb["status"] == 404
    early = problem(decide(api, reviewers["tier2"], cid, "tier2", "approve"), 409)
    assert "not waiting for Tier 2" in early["detail"]

    first = decide(api, reviewers["tier1"], cid, "tier1", "approve")
    assert first.status_code == 200, first.text
    assert first.json()["status"]["code"] == "pending_tier2_review"
    assert first.json()["notification"] == "queued"
    step = outbox.titled(practice["email"], f"Claim {cid}: Pending Tier 2 Review")["body"]
    assert "was approved at Tier 1" in step
    done = decide(api, reviewers["tier2"], cid, "tier2", "approve")
    assert done.status_code == 200, done.text
    summary = done.json()
    assert summary["status"]["code"] == "approved"
    assert [h["action"] for h in summary["history"]] == ["started", "submitted", "approved", "approved"]
    assert "is now Approved" in outbox.titled(practice["email"], f"Claim {cid}: Approved")["body"]

    # The ICB reviews its own staff's decisions in its own trail (the practice's has them too).
    admin = identity.as_role("qhm_admin")
    for who in ("tier1", "tier2"):
        trail = api.get(f"/audit?organisation=QHM&user={reviewers[who]['userId']}", admin).json()["items"]
        assert [(e["action"], e["target"]) for e in trail if e["target"] == f"CLAIM#{cid}"] == \
            [("claim.approved", f"CLAIM#{cid}")], who
    practice_trail = api.get(f"/audit?organisation={world['code']}&action=claim.approved", admin).json()["items"]
    assert len([e for e in practice_trail if e["target"] == f"CLAIM#{cid}"]) == 2


def test_a_decision_sent_again_with_its_key_is_answered_as_made_and_emails_once(api, identity, active_user,
                                                                             reviewers, outbox):
    """The reviewer's answer was lost and the browser sends the decision again
    with the same key: it is not refused as "moved on" but answered with the
    claim, decided once, and the practice is emailed once. The key sent with
    another decision is refused at the key."""
    world, cid, _ = submitted_claim(api, identity, active_user)
    key = {"Idempotency-Key": f"decide-{uuid.uuid4()}"}
    body = {"stage": "tier1", "decision": "approve"}
    first = api.post(f"/claims/{cid}/decisions", body, reviewers["tier1"]["token"], headers=key)
    assert first.status_code == 200 and first.json()["status"]["code"] == "pending_tier2_review", first.text
    again = api.post(f"/claims/{cid}/decisions", body, reviewers["tier1"]["token"], headers=key)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == first.json()["status"] and again.json()["history"] == first.json()["history"]
    other = problem(api.post(f"/claims/{cid}/decisions", {"stage": "tier1", "decision": "return", "reason": "No"},
                             reviewers["tier1"]["token"], headers=key), 422)
    assert "/Idempotency-Key" in field_errors(other)
    assert problem(decide(api, reviewers["tier1"], cid, "tier1", "approve"), 409)["status"] == 409
    subject = f"Claim {cid}: Pending Tier 2 Review"
    outbox.titled(world["user"]["email"], subject)
    time.sleep(1)  # room for a second email, which must not come
    assert len([m for m in outbox.to(world["user"]["email"]) if m["subject"] == subject]) == 1
    history = api.get(f"/claims/{cid}", world["token"]).json()["history"]
    assert [h["action"] for h in history] == ["started", "submitted", "approved"]


def test_a_return_reaches_the_practice_which_resubmits_the_same_claim(api, identity, active_user, reviewers, outbox):
    world, cid, line_id = submitted_claim(api, identity, active_user)
    no_reason = problem(decide(api, reviewers["tier1"], cid, "tier1", "return"), 422)
    assert "/reason" in [e["pointer"] for e in no_reason["errors"]]
    patient = problem(decide(api, reviewers["tier1"], cid, "tier1", "return", "NHS 943 476 5919 is wrong"), 422)
    assert patient["errors"][0]["pointer"] == "/reason"
    body = {"stage": "tier1", "decision": "return", "reason": "12 care plans, but the list shows 11"}
    stranger_line = problem(api.post(f"/claims/{cid}/decisions", {**body, "lines": [{"lineId": "nope", "reason": "x"}]},
                                     reviewers["tier1"]["token"]), 422)
    assert [e["pointer"] for e in stranger_line["errors"]] == ["/lines/0/lineId"]
    back = api.post(f"/claims/{cid}/decisions", {**body, "lines": [{"lineId": line_id, "reason": "Enter 11"}]},
                    reviewers["tier1"]["token"])
    assert back.status_code == 200, back.text
    assert back.json()["status"]["code"] == "returned"
    assert back.json()["history"][-1]["lines"] == [{"lineId": line_id, "reason": "Enter 11"}]
    returned = outbox.titled(world["user"]["email"], f"Claim {cid}: Returned for amendment")
    assert "12 care plans, but the list shows 11" in returned["body"]
    assert "On Complex Care Plans: Enter 11" in returned["body"]

    screen = api.get(f"/claims/{cid}", world["token"]).json()
    assert edit(api, world, cid, line_id, {"units": 11}, screen["version"]).status_code == 200
    again = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"])
    assert again.status_code == 200, again.text
    history = again.json()["history"]
    assert [h["action"] for h in history] == ["started", "submitted", "returned", "resubmitted"]
    assert again.json()["id"] == cid and again.json()["status"]["code"] == "pending_tier1_review"
    reject = decide(api, reviewers["tier1b"], cid, "tier1", "reject", "Not commissioned for this practice")
    assert reject.status_code == 200 and reject.json()["status"]["code"] == "rejected"
    final = problem(decide(api, reviewers["tier1"], cid, "tier1", "approve"), 409)
    assert final["type"].endswith("claim-moved-on")


def test_a_claim_s_history_names_each_move_for_whoever_may_see_the_claim(api, identity, active_user, reviewers):
    world, cid, line_id = submitted_claim(api, identity, active_user)
    back = api.post(f"/claims/{cid}/decisions", {"stage": "tier1", "decision": "return", "reason": "Count again",
                                                 "lines": [{"lineId": line_id, "reason": "Enter 11"}]},
                    reviewers["tier1"]["token"])
    assert back.status_code == 200, back.text
    screen = api.get(f"/claims/{cid}", world["token"]).json()
    practice = f"{world['user']['firstName']} {world['user']['lastName']}"
    for who in (world["user"], reviewers["tier1"], reviewers["tier2"]):
        answer = api.get(f"/claims/{cid}/history", who["token"])
        assert answer.status_code == 200, answer.text
        told = answer.json()
        assert (told["id"], told["status"], told["version"]) == \
            (cid, {"code": "returned", "label": "Returned for amendment"}, screen["version"])
        assert [(step["action"], step["to"], step["byName"]) for step in told["history"]] == [
            ("started", "draft", practice), ("submitted", "pending_tier1_review", practice),
            ("returned", "returned", "Tess Reviewer")]
        assert told["history"][-1]["reason"] == "Count again"
        assert told["history"][-1]["lines"] == [{"lineId": line_id, "reason": "Enter 11"}]
        assert told["history"] == screen["history"], "the screen and its history say the same"
    problem(api.get(f"/claims/{cid}/history", identity.as_role("qoq_admin")), 404)
    problem(api.get("/claims/999999999/history", world["token"]), 404)


def test_large_claims_need_finance_and_two_reviewers_at_once_make_one_decision(api, identity, active_user, reviewers):
    _, cid, _ = submitted_claim(api, identity, active_user, units=100)  # 100 × £193.42 + £250.00 ≥ £15,000.00
    answers = []
    threads = [threading.Thread(target=lambda who=who: answers.append(decide(api, reviewers[who], cid, "tier1", "approve")))
               for who in ("tier1", "tier1b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    told = next(a for a in answers if a.status_code == 409).json()
    assert told["type"].endswith(("claim-decided", "claim-moved-on"))
    to_finance = decide(api, reviewers["tier2b"], cid, "tier2", "approve")
    assert to_finance.status_code == 200, to_finance.text
    assert to_finance.json()["status"]["code"] == "pending_finance_approval"
    approved = decide(api, reviewers["finance"], cid, "finance", "approve")
    assert approved.status_code == 200 and approved.json()["status"]["code"] == "approved"
    history = approved.json()["history"]
    assert [h["to"] for h in history][-3:] == ["pending_tier2_review", "pending_finance_approval", "approved"]


def test_nobody_decides_a_claim_they_submitted(api, identity, active_user, outbox):
    """A practice manager who is also a Tier 1 approver at the ICB cannot approve their own claim."""
    world, cid, _ = submitted_claim(api, identity, active_user)
    submitter = world["user"]
    invited = api.post("/invitations", {"email": submitter["email"], "organisationCode": "QHM",
                                        "role": "approver_tier1"}, identity.as_role("qhm_admin"))
    assert invited.status_code == 201, invited.text
    invitation = outbox.titled(submitter["email"], "You have been invited to Local Claims for "
                             "NHS North East and North Cumbria ICB (QHM)")
    token = re.search(r"accept-invitation#token=([A-Za-z0-9_-]+)", invitation["body"]).group(1)
    accepted = api.post("/invitations/accept", {"token": token}, submitter["token"])
    assert accepted.status_code == 200, accepted.text
    refused = problem(decide(api, submitter, cid, "tier1", "approve"), 403)
    assert refused["type"] == "/problems/mfa-required", "a Tier 1 approver signs in with an authenticator app"
    with_code = {"token": identity.set_up_authenticator(api, submitter["email"], submitter["password"])}
    own = problem(decide(api, with_code, cid, "tier1", "approve"), 403)
    assert own["detail"] == "You submitted this claim, so someone else must decide it"


def test_work_lists_show_each_stage_oldest_first_to_its_own_reviewers_only(api, identity, active_user, reviewers):
    world, older, _ = submitted_claim(api, identity, active_user, units=3)
    _, newer, _ = submitted_claim(api, identity, active_user, units=4)
    everything = every_waiting(api, reviewers["tier1"], "tier1")
    assert [row["id"] for row in everything if row["id"] in (older, newer)] == [older, newer], "oldest first"
    tier1 = work_list(api, reviewers["tier1"], "tier1", provider=world["code"])
    assert tier1["commissioner"] == "QHM" and tier1["stageLabel"] == "Tier 1"
    first = tier1["items"][0]
    assert first["id"] == older
    assert first["provider"]["code"] == world["code"] and first["services"][0]["name"].startswith(CARE_PLANS)
    assert first["total"]["amount"] == "830.26"  # 3 × £193.42 + £250.00
    assert first["daysWaiting"] == 0 and first["submittedAt"] and first["periods"]
    _, quarter, _ = this_year_and_quarter()
    assert all(row["provider"]["code"] == world["code"] for row in tier1["items"])

    assert not [r for r in work_list(api, reviewers["tier2"], "tier2", provider=world["code"])["items"]]
    assert decide(api, reviewers["tier1"], older, "tier1", "approve").status_code == 200
    tier1_after = [r["id"] for r in work_list(api, reviewers["tier1"], "tier1", provider=world["code"])["items"]]
    assert tier1_after == [], "a decided claim leaves the list it was on"
    tier2 = [r["id"] for r in work_list(api, reviewers["tier2"], "tier2", provider=world["code"])["items"]]
    assert tier2 == [older]
    page = work_list(api, reviewers["tier1"], "tier1", limit=1)
    assert len(page["items"]) == 1 and page["nextCursor"]

    other_icb = problem(api.get("/reviews?stage=tier1", identity.as_role("qoq_admin")), 403)
    assert "Approver – Tier 1" in other_icb["detail"]
    problem(api.get("/reviews?stage=tier1&commissioner=QOQ", reviewers["tier1"]["token"]), 403)
    problem(api.get("/reviews?stage=tier2", reviewers["tier1"]["token"]), 403)
    no_stage = problem(api.get("/reviews", reviewers["tier1"]["token"]), 422)
    assert no_stage["errors"][0]["pointer"] == "/stage"


def test_a_practice_that_asks_for_approval_sees_its_users_claims_first(api, identity, active_user, reviewers, outbox):
    world = claim_world(api, identity, active_user, services=(CARE_PLANS,))
    code, admin = world["code"], world["admin"]
    approver = active_user(organisation=code, role="provider_approver", reviewer="qhm_admin", first="Olu", last="Approver")
    asked = patch(api, f"/organisations/{code}", {"claimsNeedApproval": True}, admin)
    assert asked.status_code == 200 and asked.json()["claimsNeedApproval"] is True, asked.text
    _, cid, line_id = submitted_claim(api, identity, active_user, world=world, status="pending_provider_approval")
    asked = outbox.titled(approver["email"], f"Claim {cid} is waiting for your approval")["body"]
    assert "has submitted claim" in asked and "Approve it, or return it with a reason" in asked
    waiting = work_list(api, approver, "provider")
    assert waiting["provider"] == code and [r["id"] for r in waiting["items"]] == [cid]
    assert not [r for r in work_list(api, reviewers["tier1"], "tier1", provider=code)["items"]]
    screen = api.get(f"/claims/{cid}", approver["token"]).json()
    assert screen["decide"] == {"stage": "provider", "stageLabel": "practice approval", "verdicts": ["approve", "return"]}
    assert api.get(f"/claims/{cid}", world["token"]).json()["decide"] is None

    problem(decide(api, world["user"], cid, "provider", "approve"), 403)
    problem(decide(api, approver, cid, "provider", "reject", "No"), 422)
    back = decide(api, approver, cid, "provider", "return", "Add the clinician's name")
    assert back.status_code == 200 and back.json()["status"]["code"] == "returned", back.text
    assert "Add the clinician's name" in outbox.titled(world["user"]["email"],
                                                       f"Claim {cid}: Returned for amendment")["body"]
    version = api.get(f"/claims/{cid}", world["token"]).json()["version"]
    assert edit(api, world, cid, line_id, {"answers": {"clinician": "Dr Lee"}}, version).status_code == 200
    again = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"])
    assert again.json()["status"]["code"] == "pending_provider_approval", again.text
    approved = decide(api, approver, cid, "provider", "approve")
    assert approved.status_code == 200 and approved.json()["status"]["code"] == "pending_tier1_review", approved.text
    assert cid in [r["id"] for r in work_list(api, reviewers["tier1"], "tier1", provider=code)["items"]]
    # An approver's own claim goes straight on.
    second = claim_world(api, identity, active_user, services=(CARE_PLANS,))
    assert patch(api, f"/organisations/{second['code']}", {"claimsNeedApproval": True}, admin).status_code == 200
    own_approver = active_user(organisation=second["code"], role="provider_approver", reviewer="qhm_admin")
    submitted_claim(api, identity, active_user, world={**second, "token": own_approver["token"]})


@pytest.mark.parametrize("unit_price,goes_to", [("15000.00", "pending_finance_approval"), ("14999.99", "approved")])
def test_tier2_sends_claims_at_or_above_the_threshold_to_finance(api, identity, active_user, reviewers,
                                                                 unit_price, goes_to):
    catalogue = {"Minor Surgery": [{"name": "Minor Surgery",
                                    "payment": {"type": "per_unit", "unitPrice": unit_price, "unitLabel": "Procedure"}}]}
    world = claim_world(api, identity, active_user, services=("Minor Surgery",), catalogue=catalogue)
    _, cid, _ = submitted_claim(api, identity, active_user, units=1, world=world, line_name="Minor Surgery")
    assert decide(api, reviewers["tier1"], cid, "tier1", "approve").status_code == 200
    tier2 = decide(api, reviewers["tier2"], cid, "tier2", "approve")
    assert tier2.status_code == 200 and tier2.json()["status"]["code"] == goes_to, tier2.text
    if goes_to == "pending_finance_approval":
        assert [r["id"] for r in work_list(api, reviewers["finance"], "finance", provider=world["code"])["items"]] == [cid]
        problem(decide(api, reviewers["tier2"], cid, "finance", "approve"), 403)
        back = decide(api, reviewers["finance"], cid, "finance", "return", "Split this across two quarters")
        assert back.json()["status"]["code"] == "returned"


def test_a_commissioner_s_own_threshold_applies_to_claims_submitted_after_it(api, identity, active_user, reviewers):
    admin = identity.as_role("qhm_admin")
    world = claim_world(api, identity, active_user, services=(CARE_PLANS,))
    try:
        bad = problem(patch(api, "/organisations/QHM", {"financeThreshold": "£2,000"}, admin), 422)
        assert bad["errors"][0]["pointer"] == "/financeThreshold"
        set_to = patch(api, "/organisations/QHM", {"financeThreshold": "830.26"}, admin)
        assert set_to.status_code == 200 and set_to.json()["financeThreshold"] == "830.26", set_to.text
        _, cid, _ = submitted_claim(api, identity, active_user, units=3, world=world)  # £830.26
    finally:
        patch(api, "/organisations/QHM", {"financeThreshold": "15000.00"}, admin)
    assert decide(api, reviewers["tier1"], cid, "tier1", "approve").status_code == 200
    tier2 = decide(api, reviewers["tier2"], cid, "tier2", "approve")
    assert tier2.json()["status"]["code"] == "pending_finance_approval", "the threshold in force at submission"


def test_only_the_commissioner_s_reviewers_download_clean_evidence_and_each_download_is_audited(
        api, identity, active_user, reviewers):
    from test_evidence_scanning import attach, decided, windows_program
    world = claim_world(api, identity, active_user, services=("Ear Irrigation",))
    claim_id, line_id = drafted_claim(api, world, 2, line_name="Ear Irrigation")
    file_id, _ = attach(api, world, claim_id, line_id, "list.pdf", "application/pdf",
                        b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    assert decided(api, world, claim_id, line_id, file_id)["status"] == "clean"
    sent = api.post(f"/claims/{claim_id}/submit", {"confirm": True}, world["token"])
    assert sent.json()["status"]["code"] == "pending_tier1_review", sent.text
    path = f"/claims/{claim_id}/lines/{line_id}/attachments/{file_id}"
    got = api.get(path, reviewers["tier1"]["token"])
    assert got.status_code == 200, got.text
    assert "X-Amz-Expires=300" in got.json()["url"]
    assert api.get(path, world["token"]).status_code == 200, "the practice's own users download their evidence"
    refused = problem(api.get(path, identity.as_role("qhm_admin")), 403)
    assert "reviewers" in refused["detail"]
    problem(api.get(path, identity.as_role("qoq_admin")), 404)
    trail = api.get("/audit?organisation=QHM&action=evidence.downloaded&limit=50", identity.as_role("qhm_admin"))
    assert trail.status_code == 200, trail.text
    assert any(e["target"] == f"CLAIM#{claim_id}" for e in trail.json()["items"]), trail.text

    # Returned, the practice adds a harmful file and one it never uploads: neither can be downloaded.
    assert decide(api, reviewers["tier1"], claim_id, "tier1", "return", "Add the second list").status_code == 200
    bad_id, _ = attach(api, world, claim_id, line_id, "second.pdf", "application/pdf", windows_program())
    assert decided(api, world, claim_id, line_id, bad_id)["status"] == "refused"
    offered = api.post(f"/claims/{claim_id}/lines/{line_id}/attachments",
                       {"fileName": "third.pdf", "contentType": "application/pdf", "size": 100}, world["token"])
    unscanned = offered.json()["attachment"]["id"]
    base = f"/claims/{claim_id}/lines/{line_id}/attachments"
    assert problem(api.get(f"{base}/{bad_id}", reviewers["tier1"]["token"]), 409)["type"].endswith("file-refused")
    assert problem(api.get(f"{base}/{unscanned}", reviewers["tier1"]["token"]), 409)["type"].endswith(
        "file-not-checked")


def test_another_icb_s_reviewers_see_nothing_of_these_claims(api, identity, active_user):
    world, cid, line_id = submitted_claim(api, identity, active_user, units=2)
    stranger = active_user(organisation="QOQ", role="approver_tier1", reviewer="qoq_admin", first="Quinn", last="Other")
    theirs = every_waiting(api, stranger, "tier1")
    assert cid not in [r["id"] for r in theirs] and all(r["provider"]["code"] != world["code"] for r in theirs)
    problem(api.get(f"/claims/{cid}", stranger["token"]), 404)
    problem(decide(api, stranger, cid, "tier1", "approve"), 404)
    problem(api.get(f"/reviews?stage=tier1&commissioner=QHM", stranger["token"]), 403)
