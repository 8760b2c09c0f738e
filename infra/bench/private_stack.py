"""A benchmark's own local stack: its own ports, settings and logs, so a
development stack already running is left alone. Call `use()` before anything
imports `local` or `clamav` (they read their ports when imported)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from datetime import date

import boto3
import requests

INFRA = Path(__file__).resolve().parents[1]


def use(name: str, emulator_port: int, api_port: int, clamd_port: int):
    """The `local` module, set up to run a stack under `.local/<name>` on these ports."""
    os.environ.setdefault("LOCAL_CLAIMS_EMULATOR_PORT", str(emulator_port))
    os.environ.setdefault("LOCAL_CLAIMS_API_PORT", str(api_port))
    os.environ.setdefault("LOCAL_CLAIMS_CLAMD_PORT", str(clamd_port))
    # The web client's port too, so a benchmark never takes the run command's 3000.
    os.environ.setdefault("LOCAL_CLAIMS_WEB_PORT", str(api_port - 6000))
    sys.path.insert(0, str(INFRA))
    import local

    local.LOCAL = local.ROOT / ".local" / name
    local.LOGS = local.LOCAL / "logs"
    return local


def emulated(started: dict, service: str):
    """A boto3 client of the stack's emulator."""
    return boto3.client(service, endpoint_url=started["emulatorEndpoint"], region_name=started["region"],
                        aws_access_key_id="test", aws_secret_access_key="test")


def api_caller(started: dict):
    """`call(method, path, token, **requests_kwargs)` against the stack's API, one session."""
    session = requests.Session()

    def call(method: str, path: str, token: str, **kw) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", **kw.pop("headers", {})}
        return session.request(method, started["apiUrl"] + path, headers=headers, timeout=300, **kw)

    return call


def accept_offers(started: dict, service_id: str, codes: list[str]) -> None:
    """Marks a service's offers to these practices accepted, straight in the
    table (set-up, not what is measured: no practice user is needed)."""
    table = emulated(started, "dynamodb")
    for code in codes:
        table.update_item(TableName=started["tableName"],
                          Key={"PK": {"S": f"SERVICE#{service_id}"}, "SK": {"S": f"OFFER#{code}"}},
                          UpdateExpression="SET #s = :a", ExpressionAttributeNames={"#s": "status"},
                          ExpressionAttributeValues={":a": {"S": "accepted"}})


def access_token(started: dict, email_prefix: str) -> str:
    """Signs a demo user in (password, and their authenticator's code if
    they have one) and returns the access token."""
    import authenticator

    cognito = emulated(started, "cognito-idp")
    user = next(u for u in started["demoUsers"] if u["email"].startswith(email_prefix))
    return authenticator.sign_in(cognito, started["userPoolClientId"], user["email"], user["password"],
                                 user.get("authenticatorKey"))


def access_tokens(started: dict, *email_prefixes: str) -> list[str]:
    """`access_token` for each demo user named, in the order named."""
    return [access_token(started, prefix) for prefix in email_prefixes]


def numbers(*defaults: int) -> list[int]:
    """The command line's whole numbers, in order; each one not given takes its default."""
    given = [int(arg) for arg in sys.argv[1:] if not arg.startswith("--")]
    return given[:len(defaults)] + list(defaults[len(given):])


def this_quarter() -> tuple[str, str]:
    today = date.today()
    start = today.year if today.month >= 4 else today.year - 1
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[today.month]
    return f"{start}/{(start + 1) % 100:02d}", f"Q{quarter}"
