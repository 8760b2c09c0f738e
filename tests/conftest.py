"""Shared helpers for the integration tests: they run over HTTP against the
local stack (`python infra/local.py test` starts it and writes .local/stack.json).
Sign in as a role, register a person, read the outbox — defined once, here."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import re
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import boto3
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
STACK_FILE = ROOT / ".local" / "stack.json"
sys.path.insert(0, str(ROOT / "infra"))

import authenticator  # noqa: E402

#: The roles whose holders sign in with an authenticator app as well as a password.
AUTHENTICATOR_ROLES = {"finance", "approver_tier1", "approver_tier2", "commissioning_administrator", "service_desk"}


@dataclass
class Stack:
    settings: dict

    def __getitem__(self, key: str) -> Any:
        return self.settings[key]

    def client(self, service: str):
        return boto3.client(
            service,
            endpoint_url=self["emulatorEndpoint"],
            region_name=self["region"],
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )


@pytest.fixture(scope="session")
def stack() -> Stack:
    if not STACK_FILE.exists():
        pytest.exit("The local stack is not running: run the README's test command", returncode=2)
    return Stack(json.loads(STACK_FILE.read_text()))


# ------------------------------------------------------------------ the API
class Api:
    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def call(self, method: str, path: str, token: str | None = None, json_body: Any = None,
             raw: bytes | str | None = None, headers: dict | None = None) -> requests.Response:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if json_body is not None:
            return self.http.request(method, self.base + path, json=json_body, headers=all_headers, timeout=60)
        return self.http.request(method, self.base + path, data=raw, headers=all_headers, timeout=60)

    def get(self, path: str, token: str | None = None, **kw) -> requests.Response:
        return self.call("GET", path, token, **kw)

    def post(self, path: str, body: Any = None, token: str | None = None, **kw) -> requests.Response:
        return self.call("POST", path, token, json_body=body, **kw)


@pytest.fixture(scope="session")
def api(stack: Stack) -> Api:
    return Api(stack["apiUrl"])


def problem(response: requests.Response, status: int) -> dict:
    """Asserts a problem+json answer with this status and returns its body."""
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body["type"].startswith("/problems/") and body["detail"]
    return body


def field_errors(body: dict) -> dict[str, str]:
    return {e["pointer"]: e["detail"] for e in body.get("errors", [])}


# ------------------------------------------------------------------ identity
class Identity:
    def __init__(self, stack: Stack):
        self.stack = stack
        self.cognito = stack.client("cognito-idp")
        self.cache: dict[str, str] = {}
        #: Authenticator-app keys, by email: the demo users' and those set up by tests.
        self.keys: dict[str, str] = {u["email"]: u["authenticatorKey"] for u in stack["demoUsers"]
                                     if u.get("authenticatorKey")}

    def sign_in(self, email: str, password: str | None = None, kind: str = "AccessToken") -> str:
        """A token, answering the authenticator-app challenge for those who have one."""
        password = password or next(u["password"] for u in self.stack["demoUsers"] if u["email"] == email)
        key = f"{email}|{password}|{kind}"
        if key not in self.cache:
            self.cache[key] = authenticator.sign_in(self.cognito, self.stack["userPoolClientId"], email, password,
                                                    self.keys.get(email), kind)
        return self.cache[key]

    def set_up_authenticator(self, api: "Api", email: str, password: str) -> str:
        """Sets up an authenticator app as the person would (the web client's
        calls, then `POST /me/mfa`), and answers a token of a sign-in with a code."""
        token = self.sign_in(email, password)
        self.keys[email] = authenticator.set_up(self.cognito, token)
        recorded = api.post("/me/mfa", {}, token)
        assert recorded.status_code == 200, recorded.text
        self.cache = {k: v for k, v in self.cache.items() if not k.startswith(f"{email}|")}
        return self.sign_in(email, password)

    def as_role(self, who: str) -> str:
        return self.sign_in(DEMO[who])


#: Demo users by the part they play (infra/demo-data.json).
DEMO = {
    "service_desk": "sam.patel@servicedesk.example.nhs.uk",
    "qhm_admin": "aisha.khan@qhm.example.nhs.uk",
    "qhm_admin_2": "ben.carter@qhm.example.nhs.uk",
    "qoq_admin": "tom.hughes@qoq.example.nhs.uk",
    "practice_user": "priya.shah@a81001.example.nhs.uk",
    "tier1": "tess.walker@qhm.example.nhs.uk",
    "tier2": "uma.reid@qhm.example.nhs.uk",
    "finance": "fay.morgan@qhm.example.nhs.uk",
    "practice_approver": "omar.ali@a81001.example.nhs.uk",
}


@pytest.fixture(scope="session")
def identity(stack: Stack) -> Identity:
    return Identity(stack)


# ------------------------------------------------------------------ mail
class Outbox:
    """Emails the emulator's SES accepted (HTML body only, as moto stores it),
    read from the local emulator's `/_local/outbox` (infra/emulator.py)."""

    def __init__(self, stack: Stack):
        self.url = f"{stack['emulatorEndpoint']}/_local/outbox"

    def all(self) -> list[dict]:
        return requests.get(self.url, timeout=30).json()

    def to(self, address: str) -> list[dict]:
        return requests.get(self.url, params={"to": address}, timeout=30).json()

    def wait_for(self, address: str, count: int = 1, timeout: float = 30) -> list[dict]:
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.3)
        raise AssertionError(f"expected {count} email(s) to {address}, found {len(self.to(address))}")

    def titled(self, address: str, subject: str, timeout: float = 30) -> dict:
        """The latest email to `address` with this subject, waiting for it."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [m for m in self.to(address) if m["subject"] == subject]
            if found:
                return found[-1]
            time.sleep(0.3)
        raise AssertionError(f"no email {subject!r} to {address}")


@pytest.fixture(scope="session")
def outbox(stack: Stack) -> Outbox:
    return Outbox(stack)


def completion_secret(message: dict) -> str:
    match = re.search(r"complete-registration#token=([A-Za-z0-9_-]{43})", message["body"])
    assert match, f"no completion link in: {message['body']}"
    return match.group(1)


def token_key(secret: str) -> dict:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return {"PK": {"S": f"TOKEN#{digest}"}, "SK": {"S": "TOKEN"}}


# ------------------------------------------------------------------ unique test data
#: Test data is unique by construction, never by chance: one serial for the
#: whole run (codes, names, emails), and this run's own mark in emails so a
#: stack that is reused by a second run does not meet the first run's people.
_SERIAL = itertools.count(1)
#: Letters only: with the serial after it, a mark of digits could make ten in
#: a row that read as an NHS number, which the API rightly refuses in an email.
RUN = uuid.uuid4().hex[:6].translate(str.maketrans("0123456789", "ghijklmnop"))


def serial() -> int:
    """A number no other caller in this test run gets."""
    return next(_SERIAL)


def unique_code(prefix: str = "P") -> str:
    """An ODS code no other test of this run uses: the prefix and a serial."""
    return f"{prefix}{serial():05d}"


def unique_word(prefix: str = "") -> str:
    """Letters only (for names that refuse digits), different for every call of this run."""
    number, letters = serial(), ""
    while True:
        number, digit = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
        if number == 0:
            return prefix + letters


def created_once(make: Callable[[str], Any], name: Callable[[], str], attempts: int = 5):
    """`make(name())`, with a fresh name whenever the one tried is already taken
    (409) — which happens only on a stack a previous run left its data in."""
    for _ in range(attempts):
        response = make(name())
        if response.status_code != 409:
            return response
    return response


# ------------------------------------------------------------------ people
def unique_email(first: str = "jo", last: str = "bloggs", domain: str = "a81001.example.nhs.uk") -> str:
    local = f"{first}.{last}".replace(" ", "-").replace("'", "")
    return f"{local}.{RUN}{serial()}@{domain}".lower()


@pytest.fixture(scope="session")
def register(api: Api) -> Callable[..., dict]:
    """Registers a person (a practice user at A81001 unless told otherwise)."""

    def make(email: str | None = None, first: str = "Jo", last: str = "Bloggs",
             organisation: str = "A81001", role: str = "provider_user") -> dict:
        email = email or unique_email(first, last)
        form = {"email": email, "firstName": first, "lastName": last,
                "organisationCode": organisation, "role": role}
        response = api.post("/registrations", form)
        assert response.status_code == 201, response.text
        return {**form, "id": response.json()["id"]}

    return make


@pytest.fixture(scope="session")
def table(stack: Stack):
    return stack.client("dynamodb")


def audit_entries(table, stack: Stack, organisation: str, target: str) -> list[dict]:
    items = table.query(
        TableName=stack["tableName"],
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"AUDIT#{organisation}"}},
        ConsistentRead=True,
    )["Items"]
    return [i for i in items if i["target"]["S"] == target]


def moto_private_jwk() -> dict:
    """The emulator's own signing key, to forge tokens that differ in one claim only."""
    import moto.cognitoidp

    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    with gzip.open(path, "rt") as handle:
        data = json.load(handle)
    return data["keys"][0] if "keys" in data else data


PASSWORD = "Densham#Surgery2026"


@pytest.fixture(scope="session")
def active_user(api, identity, outbox, register):
    """A person registered, approved and signed up: {'id', 'email', 'token', ...}."""

    def make(organisation: str = "A81001", role: str = "provider_user", reviewer: str = "qhm_admin",
             first: str = "Jo", last: str = "Bloggs") -> dict:
        domain = f"{organisation.lower()}.example.nhs.uk"
        person = register(email=unique_email(first, last, domain), first=first, last=last,
                          organisation=organisation, role=role)
        reviewed = api.post(f"/registrations/{person['id']}/review", {"decision": "approve"}, identity.as_role(reviewer))
        assert reviewed.status_code == 200, reviewed.text
        secret = completion_secret(outbox.wait_for(person["email"])[0])
        done = api.post("/registrations/complete", {"token": secret, "password": PASSWORD})
        assert done.status_code == 200, done.text
        token = (identity.set_up_authenticator(api, person["email"], PASSWORD) if role in AUTHENTICATOR_ROLES
                 else identity.sign_in(person["email"], PASSWORD))
        me = api.get("/me", token).json()
        return {**person, "userId": me["id"], "token": token, "password": PASSWORD}

    return make


def user_id_of(api, token: str) -> str:
    return api.get("/me", token).json()["id"]


# ------------------------------------------------------------------ order
def pytest_collection_modifyitems(items):
    """Tests marked `after_everything` read what the whole run left behind
    (the functions' completion lines), so they run last; then `last_of_all`,
    which changes demo data at random."""
    items.sort(key=lambda item: (item.get_closest_marker("last_of_all") is not None,
                                 item.get_closest_marker("after_everything") is not None))


def pytest_configure(config):
    config.addinivalue_line("markers", "after_everything: runs after every other test of the session")
    config.addinivalue_line("markers", "last_of_all: runs after the after_everything tests")
