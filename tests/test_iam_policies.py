"""No call that AWS would refuse: every AWS call each function made while the
whole suite ran (recorded by the emulator, infra/aws_calls.py) is held to that
function's own policy in template.yaml as IAM would judge it (infra/iam.py) —
per-item actions inside transactions and batches, table and index ARNs,
`dynamodb:LeadingKeys`, S3 keys and versions, queues, SES identities. The
emulator enforces no IAM, so without this a missing grant shows only in AWS."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "infra"))

import cfn  # noqa: E402
import iam  # noqa: E402
import provision  # noqa: E402

TABLE = "arn:aws:dynamodb:eu-west-2:123456789012:table/t"


def statement(effect: str, actions: list[str], resource: str, leading: list[str] | None = None,
              quantifier: str = "ForAllValues") -> dict:
    found = {"Effect": effect, "Action": actions, "Resource": resource}
    if leading is not None:
        found["Condition"] = {f"{quantifier}:StringLike": {"dynamodb:LeadingKeys": leading}}
    return found


def test_a_transaction_needs_the_action_of_each_item_and_the_item_family_it_touches():
    policy = [statement("Allow", ["dynamodb:UpdateItem", "dynamodb:PutItem"], TABLE, ["CLAIM#*", "AUDIT#*"])]
    assert iam.decide(policy, iam.Call("submit-claim", "dynamodb:UpdateItem", TABLE, ("CLAIM#35929",)))
    assert not iam.decide(policy, iam.Call("submit-claim", "dynamodb:ConditionCheckItem", TABLE, ("CLAIM#35929",))), \
        "a ConditionCheck needs dynamodb:ConditionCheckItem"
    assert not iam.decide(policy, iam.Call("submit-claim", "dynamodb:PutItem", TABLE, ("ORG#A81001",))), \
        "an item family the policy does not name"
    batch = iam.Call("f", "dynamodb:PutItem", TABLE, ("CLAIM#1", "ORG#A81001"))
    assert not iam.decide(policy, batch), "ForAllValues: every key must match"


def test_a_read_of_a_missing_object_is_a_list_bucket_call_as_s3_judges_it():
    """S3 answers 404 for a missing object only to a caller that may list the
    bucket (403 to anyone else), so the recorder counts that answer as one."""
    import aws_calls
    with aws_calls.CALLS.lock:
        aws_calls.CALLS.seen.clear()
    statuses = []
    for status in ("200 OK", "404 Not Found"):
        answered = aws_calls._missing_object_needs_list_bucket(
            lambda s, h, e=None: statuses.append(s), "submit-claim", "/bucket/evidence/claims/1/lines/l/a")
        answered(status, [])
    calls = [(c["function"], c["action"], c["resource"]) for c in aws_calls.CALLS.as_json()]
    assert calls == [("submit-claim", "s3:ListBucket", "arn:aws:s3:::bucket")], calls
    assert statuses == ["200 OK", "404 Not Found"], "the answer itself is passed on"
    policy = [statement("Allow", ["s3:GetObject"], "arn:aws:s3:::bucket/evidence/*")]
    assert not iam.decide(policy, iam.Call("submit-claim", "s3:ListBucket", "arn:aws:s3:::bucket"))
    assert iam.decide(policy + [statement("Allow", ["s3:ListBucket"], "arn:aws:s3:::bucket")],
                      iam.Call("submit-claim", "s3:ListBucket", "arn:aws:s3:::bucket"))


def test_indexes_are_their_own_resources_and_an_explicit_deny_wins():
    query = iam.Call("f", "dynamodb:Query", f"{TABLE}/index/GSI1", ("CLAIMS#A81001",))
    assert not iam.decide([statement("Allow", ["dynamodb:Query"], TABLE)], query)
    assert iam.decide([statement("Allow", ["dynamodb:Query"], f"{TABLE}/index/*")], query)
    deny = statement("Deny", ["dynamodb:UpdateItem"], TABLE, ["AUDIT#*"], quantifier="ForAnyValue")
    allow = statement("Allow", ["dynamodb:*"], TABLE)
    assert not iam.decide([allow, deny], iam.Call("f", "dynamodb:UpdateItem", TABLE, ("AUDIT#QHM",)))
    assert iam.decide([allow, deny], iam.Call("f", "dynamodb:UpdateItem", TABLE, ("CLAIM#1",)))


def test_s3_grants_are_by_prefix_and_a_version_needs_its_own_action():
    policy = [statement("Allow", ["s3:GetObject"], "arn:aws:s3:::b/evidence/*")]
    assert iam.decide(policy, iam.Call("f", "s3:GetObject", "arn:aws:s3:::b/evidence/claims/1/lines/l/a"))
    assert not iam.decide(policy, iam.Call("f", "s3:GetObjectVersion", "arn:aws:s3:::b/evidence/claims/1/lines/l/a"))
    assert not iam.decide(policy, iam.Call("f", "s3:GetObject", "arn:aws:s3:::b/quarantine/claims/1/lines/l/a"))


def presigners() -> dict[str, set[str]]:
    """Which functions give out presigned URLs, by the method the URL is for."""
    found: dict[str, set[str]] = {"PUT": set(), "GET": set()}
    for main in (ROOT / "functions").glob("*/*/src/main.rs"):
        text = main.read_text(encoding="utf-8")
        if re.search(r"\.presign_upload\(", text):
            found["PUT"].add(main.parent.parent.name)
        if re.search(r"\.presign_download\(", text):
            found["GET"].add(main.parent.parent.name)
    return found


def denied_calls(stack) -> tuple[list[str], list]:
    """Every call the functions made so far that IAM would refuse them in AWS, and the calls."""
    recorded = requests.get(f"{stack['emulatorEndpoint']}/_local/calls", timeout=30).json()
    calls = [iam.Call(c["function"], c["action"], c["resource"],
                      None if c["leadingKeys"] is None else tuple(c["leadingKeys"])) for c in recorded]
    template = cfn.load_template()
    resolver = cfn.Resolver(template, pseudo={"AWS::Region": provision.REGION, "AWS::AccountId": provision.ACCOUNT,
                                              "AWS::StackName": provision.STACK, "AWS::Partition": "aws",
                                              "AWS::URLSuffix": "amazonaws.com"})
    resolver.physical.update(stack["resolved"]["physical"])
    resolver.attributes.update({tuple(k.split(".", 1)): v for k, v in stack["resolved"]["attributes"].items()})
    return iam.denied(template, resolver, calls, presigners()), calls


@pytest.mark.after_everything
def test_no_function_made_a_call_its_policy_in_the_template_does_not_grant(stack):
    problems, calls = denied_calls(stack)
    assert not problems, "IAM would deny these calls in AWS:\n" + "\n".join(problems)
    functions = {c.function for c in calls if not c.function.startswith("presigned:")}
    assert len(functions) >= 60, f"the suite's calls were recorded for only {sorted(functions)}"
    assert {c.function for c in calls if c.function.startswith("presigned:")} == {"presigned:PUT", "presigned:GET"}
