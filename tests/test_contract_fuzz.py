"""schemathesis over every operation of docs/openapi.yaml, against the local
stack, signed in as the demo user each operation is for: no server errors, every
answer as documented (status, content type, schema, headers), every 4xx
problem+json; and the document says exactly what the server does — a request
the document allows is not refused as invalid (positive data acceptance), one
it forbids is refused (negative data rejection). Runs after everything else: it
changes demo data at random."""

from __future__ import annotations

import datetime
import itertools
import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, assume, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    status_code_conformance,
)

from conftest import ROOT

pytestmark = pytest.mark.last_of_all

#: Methods a route does not have are answered by API Gateway (or the local
#: router) before any function runs: not ours to test.
CONFIG = schemathesis.Config.from_str(
    '[generation]\nmode = "all"\n[phases.coverage]\nunexpected-methods = []\n')
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
    if tag in ("payments", "reports"):
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


#: A demo organisation where each role can be held.
ORGANISATION_FOR_ROLE = {"provider_user": "A81001", "provider_approver": "A81001", "service_desk": "X26"}
#: What each demo organisation is: a change to one is judged by its kind.
KINDS = {o["code"]: o["kind"] for o in json.loads((ROOT / "infra" / "demo-data.json").read_text())["organisations"]}
#: Settings only one kind of organisation has.
ONLY_FOR = {"commissioner": ("claimSubmission", "financeThreshold"), "provider": ("claimsAnyTime", "claimsNeedApproval")}
#: A practice file as the import takes it: code, name and commissioner.
PRACTICE_FILE = "Z99901,Fuzz Surgery,QHM\n"


def only_what_the_records_allow(case) -> None:
    """A valid request the document allows, made one the records allow too —
    values only they can judge, which the document says in words: a page link
    (`cursor`) is one an earlier answer gave; a report's period is in its year; an organisation is one on record
    and a role one it can hold (a service is shared with a commissioner on
    record); a payment run is paid today or later; a new person's invitation
    names them; the settings of an organisation are those of its kind; an
    uploaded practice file is one. Invalid (negative) cases go
    as generated."""
    generation = getattr(case.meta, "generation", None)
    if generation is not None and generation.mode.is_negative:
        return
    method, path = case.operation.method.upper(), case.operation.path
    if isinstance(case.query, dict):
        case.query.pop("cursor", None)
        period, year = case.query.get("period"), case.query.get("year")
        if isinstance(period, str) and isinstance(year, str):
            case.query["year"] = period[:4] + "/" + period[5:7]
    if path == "/organisations/import":
        case.body = PRACTICE_FILE
    body = case.body
    if not isinstance(body, dict):
        return
    role = body.get("role")
    if isinstance(role, str) and isinstance(body.get("organisationCode"), str):
        body["organisationCode"] = ORGANISATION_FOR_ROLE.get(role, "QHM")
    if isinstance(body.get("paymentDate"), str) and body["paymentDate"] < datetime.date.today().isoformat():
        body["paymentDate"] = datetime.date.today().isoformat()
    if (method, path) == ("POST", "/invitations"):
        body.setdefault("firstName", "Jo")
        body.setdefault("lastName", "Bloggs")
    if (method, path) == ("POST", "/organisations") and "commissioner" in body:
        body["commissioner"] = "QHM"
    if (method, path) == ("PATCH", "/organisations/{code}"):
        kind = KINDS.get(str((case.path_parameters or {}).get("code", "")).upper())
        for other, fields in ONLY_FOR.items():
            if kind != other:
                for field in fields:
                    body.pop(field, None)
        if not {"name", *ONLY_FOR["commissioner"], *ONLY_FOR["provider"]} & set(body):
            body["name"] = "The Densham Surgery" if kind == "provider" else "NHS North East and North Cumbria ICB"
    if isinstance(body.get("sharedWith"), list) and body["sharedWith"]:
        body["sharedWith"] = ["QOQ"]


KEYS_SENT = itertools.count()


def one_key_per_request(case) -> None:
    """A client makes a new Idempotency-Key for each request (the same key
    with another body is refused, rightly): a generated key ("0", say) is
    made this case's own, keeping its form, unless the case is about a bad
    header."""
    headers = case.headers or {}
    name = next((n for n in headers if n.lower() == "idempotency-key"), None)
    if name is not None and not invalid_in(case, ParameterLocation.HEADER):
        headers[name] = f"{str(headers[name])[:80]}-{next(KEYS_SENT)}"


def invalid_in(case, location) -> bool:
    component = (getattr(case.meta, "components", None) or {}).get(location)
    return component is not None and component.mode.is_negative


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
    # A header value that is not ASCII is answered 500 by the local router
    # itself (no function runs); API Gateway hands such a value over as it is.
    assume(all(str(value).isascii() for value in (case.headers or {}).values()))
    # Whatever is sent as text/csv is text: a practice file "of another type"
    # arrives as a file of odd rows, which are reported (200), rightly.
    assume(not (operation.path == "/organisations/import" and invalid_in(case, ParameterLocation.BODY)))
    only_what_the_records_allow(case)
    one_key_per_request(case)
    tags = (operation.definition.raw.get("tags") or ["?"])
    who = actor_for(operation.method.upper(), operation.path, tags[0])
    token = fuzz_tokens.get(who) or identity.as_role(who)
    # A case made invalid in its headers (the Authorization missing, say) is
    # sent as made: signed in for it, it would be a valid request.
    signed_in = operation.definition.raw.get("security") != [] and not invalid_in(case, ParameterLocation.HEADER)
    headers = {"Authorization": f"Bearer {token}"} if signed_in else {}
    case.call_and_validate(
        base_url=stack["apiUrl"],
        headers=headers,
        checks=[not_a_server_error, positive_data_acceptance, negative_data_rejection, status_code_conformance, content_type_conformance,
                response_headers_conformance, response_schema_conformance, problem_json_for_every_4xx],
    )
