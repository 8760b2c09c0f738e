"""Each function's policy in template.yaml, and whether IAM would allow a call
under it: the statements of its managed and inline policies, Allow and Deny,
matched on action (wildcards), resource ARN (wildcards, `…/index/*`, S3
prefixes) and the conditions the template uses (`dynamodb:LeadingKeys` with
`ForAllValues:`/`ForAnyValue:` and `StringLike`/`StringEquals`). An explicit
Deny wins; with no Allow the call is denied, as IAM decides.

Used by tests/test_iam_policies.py on the calls the emulator recorded
(infra/aws_calls.py) while the whole test suite ran.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

import cfn


@dataclass(frozen=True)
class Call:
    function: str
    action: str
    resource: str
    leading_keys: tuple[str, ...] | None = None

    def __str__(self) -> str:
        keys = "" if self.leading_keys is None else f" with dynamodb:LeadingKeys {list(self.leading_keys)}"
        return f"{self.function}: {self.action} on {self.resource}{keys}"


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _like(value: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern)


def _condition_holds(operator: str, values: list[str], wanted: list[str]) -> bool:
    quantifier, _, test = operator.rpartition(":")
    match = {"StringLike": _like, "StringEquals": str.__eq__}.get(test.removesuffix("IfExists"))
    if match is None:
        raise ValueError(f"a condition operator this check does not know: {operator}")
    hits = [any(match(v, w) for w in wanted) for v in values]
    if quantifier == "ForAllValues":
        return all(hits)  # true when the key is absent, as in IAM
    if quantifier == "ForAnyValue":
        return any(hits)
    if not values:
        return test.endswith("IfExists")
    return len(values) == 1 and hits[0]


def _conditions_hold(conditions: dict, call: Call) -> bool:
    for operator, tests in conditions.items():
        for key, wanted in tests.items():
            if key != "dynamodb:LeadingKeys":
                return False  # a key no function call carries: the statement does not apply
            values = list(call.leading_keys or [])
            if not _condition_holds(operator, values, [str(w) for w in _as_list(wanted)]):
                return False
    return True


def _applies(statement: dict, call: Call) -> bool:
    actions = [a.lower() for a in _as_list(statement.get("Action", []))]
    if not any(_like(call.action.lower(), a) for a in actions):
        return False
    if not any(_like(call.resource, str(r)) for r in _as_list(statement.get("Resource", []))):
        return False
    return _conditions_hold(statement.get("Condition", {}), call)


def decide(statements: list[dict], call: Call) -> bool:
    """Whether IAM allows the call under these statements."""
    applying = [s for s in statements if _applies(s, call)]
    if any(s.get("Effect") == "Deny" for s in applying):
        return False
    return any(s.get("Effect") == "Allow" for s in applying)


def function_policies(template: dict, resolver: cfn.Resolver) -> dict[str, list[dict]]:
    """Binary name → every statement of its policies, resolved to local names.
    A statement naming what exists only in AWS (resolves to nothing here) is left out."""
    found: dict[str, list[dict]] = {}
    for spec in cfn.functions(template).values():
        statements: list[dict] = []
        for policy in spec["Properties"].get("Policies", []):
            if isinstance(policy, dict) and "Ref" in policy:
                document = template["Resources"][policy["Ref"]]["Properties"]["PolicyDocument"]
            elif isinstance(policy, dict) and "Statement" in policy:
                document = policy
            else:
                raise ValueError(f"a policy this check cannot read: {policy}")
            for statement in _as_list(document["Statement"]):
                try:
                    statements.append(resolver.resolve(statement))
                except KeyError:
                    continue
        found[cfn.binary(spec)] = statements
    return found


def _family(call: Call) -> str:
    """A call as one line of a report: item families (`CLAIM#*`) rather than
    every key, an object's first two folders rather than every file."""
    resource = call.resource
    if resource.startswith("arn:aws:s3:::"):
        parts = resource.split("/")
        resource = "/".join(parts[:3]) + ("/*" if len(parts) > 3 else "")
    if call.leading_keys is None:
        return f"{call.function}: {call.action} on {resource}"
    families = sorted({key.split("#", 1)[0] + "#*" for key in call.leading_keys})
    return f"{call.function}: {call.action} on {resource} with dynamodb:LeadingKeys {families}"


def denied(template: dict, resolver: cfn.Resolver, calls: list[Call], presigners: dict[str, set[str]]) -> list[str]:
    """Every kind of call IAM would deny, said with its function and what is
    missing (one line per function, action, resource and item family).
    A presigned request (`presigned:<METHOD>`) is held to the policy of each
    function that presigns that method (`presigners`)."""
    policies = function_policies(template, resolver)
    problems: set[str] = set()
    for call in calls:
        if call.function.startswith("presigned:"):
            owners = sorted(presigners.get(call.function.partition(":")[2], set()))
            if not owners:
                problems.add(f"{_family(call)}: no function presigns {call.function}")
            for owner in owners:
                as_owner = Call(owner, call.action, call.resource, call.leading_keys)
                if not decide(policies.get(owner, []), as_owner):
                    problems.add(f"{_family(as_owner)} (a presigned URL it gives): not granted by its policy")
            continue
        if call.function not in policies:
            problems.add(f"{_family(call)}: no such function in template.yaml")
        elif not decide(policies[call.function], call):
            problems.add(f"{_family(call)}: not granted by its policy in template.yaml")
    return sorted(problems)
