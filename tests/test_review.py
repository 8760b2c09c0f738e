"""Reviewers' decisions over HTTP: Tier 1, Tier 2 and Finance, returns and
resubmission of the same claim, the reasons practices are sent, separation of
duties and two reviewers deciding at once."""

import re
import threading

import pytest

from conftest import problem
from test_claims import claim_world, edit, new_claim

CARE_PLANS = "Complex Care Plans"


@pytest.fixture(scope="module")
def reviewers(active_user):
    """QHM's reviewers: two at Tier 1, two at Tier 2, one in Finance (registered, approved by its administrator)."""
    def person(role, first):
        return active_user(organisation="QHM", role=role, reviewer="qhm_admin", first=first, last="Reviewer")
    return {"tier1": person("approver_tier1", "Tess"), "tier1b": person("approver_tier1", "Toby"),
            "tier2": person("approver_tier2", "Uma"), "tier2b": person("approver_tier2", "Umar"),
            "finance": person("finance", "Fay")}


def submitted_claim(api, identity, active_user, units=12):
    """A practice's Complex Care Plans claim, submitted: Pending Tier 1 Review."""
    world = claim_world(api, identity, active_user, services=(CARE_PLANS,))
    claim = new_claim(api, world)
    api.post(f"/claims/{claim['id']}/services", {"all": True}, world["token"])
    screen = api.post(f"/claims/{claim['id']}/lines", {"all": True}, world["token"]).json()
    plans = next(l for l in screen["claimPane"]["lines"] if l["name"] == CARE_PLANS)
    assert edit(api, world, claim["id"], plans["id"], {"units": units}, screen["version"]).status_code == 200
    sent = api.post(f"/claims/{claim['id']}/submit", {"confirm": True}, world["token"])
    assert sent.status_code == 200 and sent.json()["status"]["code"] == "pending_tier1_review", sent.text
    return world, claim["id"], plans["id"]


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
    assert first.json()["notification"] == "none", "a step between tiers is not news to the practice"
    done = decide(api, reviewers["tier2"], cid, "tier2", "approve")
    assert done.status_code == 200, done.text
    summary = done.json()
    assert summary["status"]["code"] == "approved"
    assert [h["action"] for h in summary["history"]] == ["started", "submitted", "approved", "approved"]
    assert "is now Approved" in outbox.titled(practice["email"], f"Claim {cid}: Approved")["body"]


def test_a_return_reaches_the_practice_which_resubmits_the_same_claim(api, identity, active_user, reviewers, outbox):
    world, cid, line_id = submitted_claim(api, identity, active_user)
    no_reason = problem(decide(api, reviewers["tier1"], cid, "tier1", "return"), 422)
    assert "/reason" in [e["pointer"] for e in no_reason["errors"]]
    patient = problem(decide(api, reviewers["tier1"], cid, "tier1", "return", "NHS 943 476 5919 is wrong"), 422)
    assert patient["errors"][0]["pointer"] == "/reason"
    back = decide(api, reviewers["tier1"], cid, "tier1", "return", "12 care plans, but the list shows 11")
    assert back.status_code == 200, back.text
    assert back.json()["status"]["code"] == "returned"
    returned = outbox.titled(world["user"]["email"], f"Claim {cid}: Returned for amendment")
    assert "12 care plans, but the list shows 11" in returned["body"]

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
    own = problem(decide(api, submitter, cid, "tier1", "approve"), 403)
    assert own["detail"] == "You submitted this claim, so someone else must decide it"
