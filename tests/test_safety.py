"""Where the local stack stops imitating AWS, the checks do not stop: the
presigned-upload door refuses what S3 refuses, who the caller is is settled
before anything else in a request is read, list cursors cannot be forged or
carried between lists, every browser call would pass the API's CORS, and the
template throttles, retains logs and protects the routes that send email."""

from __future__ import annotations

import base64
import json
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import boto3
import pytest

from conftest import problem
from test_authentication import claims as token_claims
from test_authentication import sign_with_emulator_key
from test_claims import ear_claim

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "infra"))

import cfn  # noqa: E402
from sample_files import pdf  # noqa: E402

PDF = pdf("Registered practices: The Densham Surgery")


# ------------------------------------------------------------------ the presigned-upload door
@pytest.fixture
def offered_upload(api, identity, active_user):
    world, cid, line_id = ear_claim(api, identity, active_user)
    offered = api.post(f"/claims/{cid}/lines/{line_id}/attachments",
                       {"fileName": "practices.pdf", "contentType": "application/pdf", "size": len(PDF)},
                       world["token"])
    assert offered.status_code == 201, offered.text
    return offered.json()["upload"]


def refused_at_the_door(response, code: str) -> None:
    assert response.status_code == 403, (response.status_code, response.text)
    assert f"<Code>{code}</Code>" in response.text, response.text


def test_the_upload_door_refuses_a_longer_body_another_type_or_another_key(api, offered_upload):
    url, headers = offered_upload["url"], offered_upload["headers"]
    refused_at_the_door(api.http.put(url, data=PDF + b"more", headers={"content-type": "application/pdf"}),
                        "SignatureDoesNotMatch")
    refused_at_the_door(api.http.put(url, data=PDF, headers={"content-type": "text/html"}), "SignatureDoesNotMatch")
    parsed = urlparse(url)
    elsewhere = parsed._replace(path=parsed.path.rsplit("/", 1)[0] + "/another-file").geturl()
    refused_at_the_door(api.http.put(elsewhere, data=PDF, headers=headers), "SignatureDoesNotMatch")
    altered = url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000")
    assert altered != url
    refused_at_the_door(api.http.put(altered, data=PDF, headers=headers), "SignatureDoesNotMatch")
    assert api.http.put(url, data=PDF, headers=headers).status_code == 200, "the upload as signed goes in"


def test_the_upload_door_refuses_an_expired_url(api, stack):
    s3 = boto3.client("s3", endpoint_url=stack["emulatorEndpoint"], region_name=stack["region"],
                      aws_access_key_id="test", aws_secret_access_key="test")
    key = "evidence/claims/1/lines/door-check/expired"
    url = s3.generate_presigned_url("put_object", Params={"Bucket": stack["bucketName"], "Key": key}, ExpiresIn=1)
    time.sleep(2)  # one second past its life: only ever more expired
    refused_at_the_door(api.http.put(url, data=b"late"), "AccessDenied")
    unknown = s3.generate_presigned_url("get_object", Params={"Bucket": stack["bucketName"], "Key": key})
    refused_at_the_door(api.http.get(unknown.replace("X-Amz-Credential=test", "X-Amz-Credential=someone")),
                        "InvalidAccessKeyId")


# ------------------------------------------------------------------ who before what
def protected_routes() -> list[cfn.Route]:
    return [route for route in cfn.routes(cfn.load_template()) if not route.public]


def with_junk_parameters(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "zz%20not-a-thing", path)


@pytest.mark.parametrize("route", protected_routes(), ids=lambda r: f"{r.method} {r.path}")
def test_every_protected_route_refuses_a_missing_or_forged_token_before_reading_anything(api, stack, route):
    path = with_junk_parameters(route.path) + "?limit=x&cursor=junk&year=junk&format=junk"
    forged = sign_with_emulator_key(token_claims(stack, iss="https://issuer.example"))
    for headers in ({}, {"Authorization": f"Bearer {forged}"}):
        response = api.call(route.method, path, raw=b"{not json", headers={**headers, "content-type": "text/plain"})
        body = problem(response, 401)
        assert body["type"] == "/problems/unauthenticated", (route, body)


# ------------------------------------------------------------------ list cursors
LISTS = [
    ("qhm_admin", "/audit?organisation=QHM"), ("qhm_admin", "/users?organisation=QHM"),
    ("qhm_admin", "/invitations?organisation=QHM"), ("qhm_admin", "/pending-actions"),
    ("qhm_admin", "/organisations"), ("qhm_admin", "/services?commissioner=QHM"),
    ("practice_user", "/claims?provider=A81001"), ("tier1", "/reviews?stage=tier1"),
    ("finance", "/payment-runs?commissioner=QHM"),
]


def unsigned(listing: str) -> str:
    """A cursor as this service used to make them: base64 JSON of raw keys, here empty ones."""
    body = json.dumps({"l": listing, "k": {"PK": "", "SK": ""}}).encode()
    return base64.urlsafe_b64encode(body).decode().rstrip("=")


@pytest.mark.after_everything  # every list has pages by then (payment runs included); it changes nothing
def test_a_forged_altered_or_foreign_cursor_is_refused_on_every_list(api, identity):
    finance = identity.as_role("finance")
    runs = api.get("/payment-runs?commissioner=QHM&limit=1", finance).json()["items"]
    assert runs, "the payment tests left a run"
    lists = LISTS + [("finance", f"/payment-runs/{runs[0]['id']}")]
    audit = api.get("/audit?organisation=QHM&limit=1", identity.as_role("qhm_admin")).json()
    assert audit["nextCursor"], "the trail has more than one entry"
    for who, path in lists:
        token = identity.as_role(who)
        join = "&" if "?" in path else "?"
        for cursor in ["junk", unsigned("audit"), audit["nextCursor"][:-2] + "AA", audit["nextCursor"]]:
            if path.startswith("/audit") and cursor == audit["nextCursor"]:
                continue  # its own list: it works
            answer = api.get(f"{path}{join}limit=1&cursor={cursor}", token)
            body = problem(answer, 400)
            assert "page link" in body["detail"], (path, body)
    own = api.get(f"/audit?organisation=QHM&limit=1&cursor={audit['nextCursor']}", identity.as_role("qhm_admin"))
    assert own.status_code == 200 and own.json()["items"], own.text
    other_icb = api.get(f"/audit?organisation=QOQ&limit=1&cursor={audit['nextCursor']}", identity.as_role("qoq_admin"))
    problem(other_icb, 400)


# ------------------------------------------------------------------ CORS, throttling, logs
def headers_the_api_reads() -> set[str]:
    found = set()
    for source in list((ROOT / "shared" / "src").rglob("*.rs")) + list((ROOT / "functions").glob("*/*/src/*.rs")):
        text = source.read_text(encoding="utf-8")
        found |= set(re.findall(r'headers\(\)\s*\.get\("([a-z0-9-]+)"\)', text))
        # A header a step takes as a part of its request (edge::parts::Header<H>).
        found |= set(re.findall(r'impl HeaderName for \w+ \{\s*const NAME: &\'static str = "([a-z0-9-]+)";', text))
    return found


def test_every_route_and_every_header_the_api_reads_passes_the_browsers_cors_preflight():
    template = cfn.load_template()
    cors = template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
    allowed_methods = {m.upper() for m in cors["AllowMethods"]}
    methods = {route.method for route in cfn.routes(template)}
    assert methods <= allowed_methods, f"routes whose preflight would fail: {sorted(methods - allowed_methods)}"
    allowed_headers = {h.lower() for h in cors["AllowHeaders"]}
    # The session cookie is read only by the session routes, which the browser reaches on its own
    # origin (CloudFront sends /session* to the API), so it is never a cross-origin request's header.
    read = headers_the_api_reads() - {"cookie"}
    assert {"authorization", "content-type", "if-match", "idempotency-key"} <= read, read
    assert read <= allowed_headers, f"headers the API reads that CORS would refuse: {sorted(read - allowed_headers)}"
    assert cors["AllowOrigins"] == [{"Ref": "AppUrl"}], "only the web client's own origin"


def test_the_api_is_throttled_and_the_public_routes_that_send_email_far_more():
    api = cfn.load_template()["Resources"]["HttpApi"]["Properties"]
    default = api["DefaultRouteSettings"]
    assert 0 < default["ThrottlingRateLimit"] <= 1000 and 0 < default["ThrottlingBurstLimit"] <= 2000
    public = {f"{r.method} {r.path}" for r in cfn.routes(cfn.load_template()) if r.public}
    sending_email = {"POST /registrations", "POST /registrations/complete", "POST /invitations/accept"}
    assert public == sending_email | {"POST /session", "POST /session/refresh", "DELETE /session"}
    for route in sending_email | {"POST /session"}:
        tight = api["RouteSettings"][route]
        assert tight["ThrottlingRateLimit"] <= default["ThrottlingRateLimit"] / 10, route
        assert tight["ThrottlingBurstLimit"] <= default["ThrottlingBurstLimit"] / 10, route


def test_every_function_logs_to_a_group_with_a_retention():
    template = cfn.load_template()
    logging = template["Globals"]["Function"]["LoggingConfig"]
    assert logging["LogFormat"] == "JSON"
    group = template["Resources"][logging["LogGroup"]["Ref"]]
    assert group["Type"] == "AWS::Logs::LogGroup" and group["Properties"]["RetentionInDays"] in (90, 180, 365)
    for name, spec in cfn.functions(template).items():
        assert "LoggingConfig" not in spec["Properties"], f"{name} logs elsewhere, without the retention"
