"""schemathesis over every operation of docs/openapi.yaml, against the local
stack, signed in as the demo user each operation is for: no server errors, every
answer as documented (status, content type, schema, headers), every 4xx
problem+json. Runs after everything else: it changes demo data at random."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, assume, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import ROOT

pytestmark = pytest.mark.last_of_all

#: Methods a route does not have are answered by API Gateway (or the local
#: router) before any function runs: not ours to test.
CONFIG = schemathesis.Config.from_str("[phases.coverage]\nunexpected-methods = []\n")
SCHEMA = schemathesis.openapi.from_path(ROOT / "docs" / "openapi.yaml", config=CONFIG)
#: Examples per operation (and as many again for its examples and edge cases).
EXAMPLES = int(os.environ.get("LOCAL_CLAIMS_FUZZ_EXAMPLES", "12"))


def actor_for(method: str, path: str, tag: str) -> str:
    """The demo user an operation is meant for, so it gets past the role check."""
    if path.startswith(("/offers", "/providers", "/claims")) and "/decisions" not in path:
        return "practice_user"
    if path in ("/me", "/me/disable") or path.startswith("/access-requests") and method == "POST":
        return "fuzz_person"
    if "/decisions" in path or path.startswith("/reviews") or "/bulk-claims" in path:
        return "tier1"
    if tag == "Payments":
        return "finance"
    if path == "/organisations" and method == "GET":
        return "service_desk"
    return "qhm_admin"


@schemathesis.serializer("application/vnd.ms-excel")
def sheet_as_windows_labels_it(ctx, value):
    """A CSV file as Windows labels it: sent as the text it is."""
    if isinstance(value, bytes):
        return {"data": value}
    return {"data": (value if isinstance(value, str) else json.dumps(value)).encode()}


def utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def problem_json_for_every_4xx(ctx, response, case):
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/problem+json"), \
            f"{response.status_code} answered as {content_type!r}, not problem+json"
        body = response.json()
        assert body["status"] == response.status_code and body["detail"], body


@pytest.fixture(scope="module")
def fuzz_tokens(identity, active_user):
    """Demo users' tokens, and a person of their own for the routes that change
    the caller's own account (disabling it, asking for access)."""
    return {"fuzz_person": active_user()["token"]}


@SCHEMA.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_the_contract(case, stack, identity, fuzz_tokens):
    operation = case.operation
    # A body that is not UTF-8 never reaches a function locally (cargo-lambda's
    # router answers 500 itself); API Gateway hands it over base64 and the
    # function answers 400 (tested with that event: edge::request).
    assume(not isinstance(case.body, bytes) or utf8(case.body))
    # A made-up Transfer-Encoding is refused by the HTTP server in front of the
    # functions (API Gateway, or the local router) before any function runs.
    assume("transfer-encoding" not in {name.lower() for name in (case.headers or {})})
    tags = (operation.definition.raw.get("tags") or ["?"])
    who = actor_for(operation.method.upper(), operation.path, tags[0])
    token = fuzz_tokens.get(who) or identity.as_role(who)
    headers = {} if operation.definition.raw.get("security") == [] else {"Authorization": f"Bearer {token}"}
    case.call_and_validate(
        base_url=stack["apiUrl"],
        headers=headers,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                response_headers_conformance, response_schema_conformance, problem_json_for_every_4xx],
    )
