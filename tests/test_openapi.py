"""docs/openapi.yaml is the API's contract, generated from the code
(infra/openapi.py): it must be what the code says now (a change to an answer is
seen in review), valid OpenAPI 3.1, name exactly the routes template.yaml
deploys, and document every problem type the code can answer. (schemathesis
runs it against the stack: test_contract_fuzz.py.)"""

import re
import sys
from pathlib import Path

import yaml
from openapi_spec_validator import validate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))

import cfn  # noqa: E402
import openapi  # noqa: E402

ROOT = cfn.ROOT
DOCUMENT_PATH = ROOT / "docs" / "openapi.yaml"
DOCUMENT = yaml.safe_load(DOCUMENT_PATH.read_text())
METHODS = {"get", "put", "post", "patch", "delete"}


def test_the_committed_document_is_what_the_code_says():
    generated = openapi.render(openapi.generate())
    if DOCUMENT_PATH.read_text() != generated:
        import difflib
        diff = "".join(list(difflib.unified_diff(DOCUMENT_PATH.read_text().splitlines(True), generated.splitlines(True),
                                                 "docs/openapi.yaml", "generated"))[:80])
        raise AssertionError(f"docs/openapi.yaml is not what the code says: run python3 infra/openapi.py\n{diff}")


def test_the_document_is_valid_openapi_3_1():
    assert DOCUMENT["openapi"].startswith("3.1")
    validate(DOCUMENT)


def test_the_document_names_exactly_the_template_routes():
    documented = {(method.upper(), path) for path, item in DOCUMENT["paths"].items() for method in item
                  if method in METHODS}
    deployed = {(route.method, route.path) for route in cfn.routes(cfn.load_template())}
    for method, path in sorted(deployed - documented):
        raise AssertionError(f"{method} {path} is in template.yaml but not in docs/openapi.yaml")
    for method, path in sorted(documented - deployed):
        raise AssertionError(f"docs/openapi.yaml describes {method} {path}, which template.yaml does not deploy")


def test_public_routes_and_only_they_need_no_token():
    template = cfn.load_template()
    for route in cfn.routes(template):
        operation = DOCUMENT["paths"][route.path][route.method.lower()]
        open_to_all = operation.get("security") == []
        assert open_to_all == route.public, f"{route.method} {route.path}: security differs from the template's"
        if not route.public:
            assert "401" in operation["responses"], f"{route.method} {route.path} does not document 401"


def test_every_operation_has_an_id_a_summary_and_its_refusals():
    ids = set()
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            assert operation.get("operationId") and operation["operationId"] not in ids, where
            ids.add(operation["operationId"])
            assert operation.get("summary"), where
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), f"{where} documents no success"
            assert "503" in responses, f"{where} must document 503"
            if "requestBody" in operation or operation.get("parameters") or "{" in path:
                assert "422" in responses, f"{where} takes input, so must document 422"
            if "requestBody" in operation:
                for code in ("400", "413", "415"):
                    assert code in responses, f"{where} takes a body but does not document {code}"


def problem_types_in_code() -> set[str]:
    """Every `/problems/<slug>` the functions can answer: the fixed ones in
    edge::problem and the conflict kinds (`error::ConflictKind`, one closed
    list: a 409 names one of them or does not compile)."""
    slugs = set(re.findall(r'problem\(\s*"([a-z-]+)"', (ROOT / "shared/src/edge/problem.rs").read_text()))
    kinds = (ROOT / "shared/src/error.rs").read_text().split("pub enum ConflictKind {", 1)[1].split("}", 1)[0]
    slugs |= set(re.findall(r'=\s*"([a-z-]+)",', kinds))
    return slugs


def test_every_problem_type_the_code_answers_is_documented():
    slugs = problem_types_in_code()
    assert {"validation", "not-found", "unauthenticated", "link-used"} <= slugs, "the code scan found too little"
    text = DOCUMENT_PATH.read_text()
    missing = sorted(slug for slug in slugs if f"/problems/{slug}`" not in text)
    assert not missing, f"docs/openapi.yaml never names these problem types: {missing}"
