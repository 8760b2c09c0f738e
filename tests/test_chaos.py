"""A small chaos run (infra/chaos.py) in the test command: four practices of a
new ICB take claims through evidence, approval, returns, Tier 1, Tier 2,
Finance and a payment run while a quarter of the functions' AWS calls fail as AWS
fails them (infra/faults.py) and a submit's, the run start's and a decision's
processes end after their change,
and every invariant still holds. It runs last:
the faults are on for its money path only, and nothing else runs meanwhile.
The full run, with figures, is infra/bench/chaos.py."""

import json
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import ROOT, problem
from test_claims import claim_world
from test_iam_policies import denied_calls
from test_review import drafted_claim, submitted_claim

sys.path.insert(0, str(ROOT / "infra"))
import chaos  # noqa: E402
from faults import Faults  # noqa: E402

pytestmark = pytest.mark.last_of_all


def test_the_money_path_holds_while_aws_fails_some_calls(stack):
    # A quarter of the calls fail: the SDK's own retries absorb most, so some reach the client as 503s.
    outcome = chaos.run(stack.settings, practices=4, seed=2026, rate=0.25, latency_ms=10, crashes=3,
                        say=lambda _: None)
    report = "\n".join(outcome.lines())
    print(report)
    assert outcome.held(), report
    assert sum(outcome.faults.values()) >= 10, f"faults were injected: {report}"
    kinds = {kind.split(":")[0] for kind in outcome.faults}
    assert {"dynamodb", "sqs"} <= kinds, report
    # How many calls fail all three of the SDK's tries (and so reach the client as
    # 503s) follows the order requests arrive in: held() checks each one that
    # came had Retry-After and was cleared, without counting on one coming.
    assert outcome.ended == (3, 3) and outcome.retries.get("no answer", 0) >= 3, \
        "a submit, the run's start and a decision each ended after their change, and their retries finished them"
    assert requests.get(f"{stack['emulatorEndpoint']}/_local/faults", timeout=10).json()["plan"] is None


def test_a_fault_plan_is_checked_before_it_is_taken(stack):
    faults = f"{stack['emulatorEndpoint']}/_local/faults"
    refused = requests.post(faults, json={"kinds": ["dynamodb:Gremlins"]}, timeout=10)
    assert refused.status_code == 400 and "Gremlins" in refused.text
    assert requests.post(faults, json={"rate": 2}, timeout=10).status_code == 400
    assert requests.get(faults, timeout=10).json()["plan"] is None, "a refused plan leaves faults off"


CALLS = [("dynamodb", "TransactWriteItems"), ("dynamodb", "GetItem"), ("s3", "PUT"), ("ses", "SendEmail"),
         ("sqs", "ReceiveMessage"), ("sqs", "SendMessage")] * 60


def decisions(seed: int, rate: float = 0.3) -> list:
    faults = Faults()
    faults.configure({"seed": seed, "rate": rate, "latencyMs": 50})
    return [faults.draw(service, operation) for service, operation in CALLS]


def test_the_same_seed_makes_the_same_faults_and_each_fits_its_call():
    first = decisions(7)
    assert first == decisions(7), "a failure can be replayed from its seed"
    assert first != decisions(8)
    made = [kind for kind, _ in first if kind]
    assert 0.15 < len(made) / len(first) < 0.45, "about the rate asked for"
    assert all(0 <= wait <= 0.05 for _, wait in first)
    met: dict[tuple, set] = {}
    for (kind, _), call in zip(first, CALLS):
        if kind:
            met.setdefault(call, set()).add(kind)
    assert all(kind.startswith(f"{service}:") for (service, _), kinds in met.items() for kind in kinds)
    assert {k for k in met[("dynamodb", "TransactWriteItems")] if "TransactionCanceled" in k}, \
        "a transaction meets cancellations"
    assert not {k for k in met[("dynamodb", "GetItem")] if "TransactionCanceled" in k}, "a read never does"
    assert met[("sqs", "ReceiveMessage")] == {"sqs:duplicate"} and met[("sqs", "SendMessage")] == {"sqs:delayed"}
    assert met[("ses", "SendEmail")] <= {"ses:TooManyRequestsException", "ses:InternalFailure"}


def test_a_submit_whose_function_ended_after_its_change_is_finished_by_its_retry(api, stack, identity, active_user,
                                                                                outbox):
    world = claim_world(api, identity, active_user, services=("Complex Care Plans",))
    cid, _ = drafted_claim(api, world, units=3)
    crash_file = Path(stack["crashFile"])
    crash_file.write_text(json.dumps([{"function": "submit-claim", "point": "after-transaction"}]))
    key = {"Idempotency-Key": f"submit-{cid}-{uuid.uuid4()}"}
    try:
        # The person never gets an answer: the process ended before writing one.
        with pytest.raises(requests.exceptions.ReadTimeout):
            api.http.post(f"{stack['apiUrl']}/claims/{cid}/submit", json={"confirm": True}, timeout=10,
                          headers={**key, "Authorization": f"Bearer {world['token']}"})
    finally:
        left = json.loads(crash_file.read_text())
        crash_file.unlink()
    assert left == [], "the function reached the point and ended there"
    screen = api.get(f"/claims/{cid}", world["token"]).json()
    assert screen["status"]["code"] == "pending_tier1_review", "the change was made before the process ended"
    subject = f"Claim {cid} submitted"
    time.sleep(1)
    assert not [m for m in outbox.to(world["user"]["email"]) if m["subject"] == subject], "nothing after the point"

    again = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"], headers=key)
    assert again.status_code == 200, again.text
    assert again.json()["status"]["code"] == "pending_tier1_review"
    outbox.titled(world["user"]["email"], subject)
    once_more = api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"], headers=key)
    assert once_more.status_code == 200 and once_more.json()["status"] == again.json()["status"]
    time.sleep(2)  # room for a second email, which must not come
    assert len([m for m in outbox.to(world["user"]["email"]) if m["subject"] == subject]) == 1
    history = api.get(f"/claims/{cid}", world["token"]).json()["history"]
    assert [h["action"] for h in history] == ["started", "submitted"], "submitted once"

    refused = problem(api.post(f"/claims/{cid}/submit", {"confirm": True}, world["token"],
                               headers={"Idempotency-Key": f"another-{uuid.uuid4()}"}), 409)
    assert refused["type"].endswith("claim-submitted")
    # These run after the suite's own IAM check: the retries' calls are held to the template here.
    denied, _ = denied_calls(stack)
    assert not denied, "IAM would deny these calls in AWS:\n" + "\n".join(denied)


def test_a_decision_whose_function_ended_after_its_change_is_finished_by_its_retry(api, stack, identity,
                                                                                  active_user, outbox):
    """Tier 1 approves; the process ends after the claim moved and before the
    practice was emailed. The browser sends the decision again with its key:
    it is answered 200 with the claim, and the email goes, once."""
    world, cid, _ = submitted_claim(api, identity, active_user)
    tier1 = identity.as_role("tier1")
    crash_file = Path(stack["crashFile"])
    crash_file.write_text(json.dumps([{"function": "decide-claim", "point": "after-decision"}]))
    key = {"Idempotency-Key": f"decide-{cid}-{uuid.uuid4()}"}
    body = {"stage": "tier1", "decision": "approve"}
    try:
        with pytest.raises(requests.exceptions.ReadTimeout):
            api.http.post(f"{stack['apiUrl']}/claims/{cid}/decisions", json=body, timeout=10,
                          headers={**key, "Authorization": f"Bearer {tier1}"})
    finally:
        left = json.loads(crash_file.read_text())
        crash_file.unlink()
    assert left == [], "the function reached the point and ended there"
    subject = f"Claim {cid}: Pending Tier 2 Review"
    time.sleep(1)
    assert not [m for m in outbox.to(world["user"]["email"]) if m["subject"] == subject], "nothing after the point"
    again = api.post(f"/claims/{cid}/decisions", body, tier1, headers=key)
    assert again.status_code == 200 and again.json()["status"]["code"] == "pending_tier2_review", again.text
    assert again.json()["notification"] == "queued"
    outbox.titled(world["user"]["email"], subject)
    history = api.get(f"/claims/{cid}", world["token"]).json()["history"]
    assert [h["action"] for h in history] == ["started", "submitted", "approved"], "decided once"
