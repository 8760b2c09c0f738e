"""Faults on demand: what AWS does to every system every day, made to happen
here at a chosen rate, so the chaos run (infra/bench/chaos.py) and the tests
can show that none of it loses a claim or pays one twice.

Off by default. Switched on by `LOCAL_CLAIMS_FAULTS` (a JSON plan) when the
emulator starts, or at any time by `POST /_local/faults` with a plan
(`DELETE` switches them off; `GET` answers the plan and what was injected).

    {"seed": 7, "rate": 0.07, "latencyMs": 40,
     "kinds": ["dynamodb:ThrottlingException", "sqs:duplicate", ...]}

`kinds` defaults to all of `KINDS`. A call a function makes (its user agent
says `app/<function>`) meets at most one fault, chosen for the n-th call of
its service and operation from a hash of (seed, service, operation, n): the
same seed makes the same decisions in the same order, so a failure can be
replayed (under concurrency, which request is n-th follows arrival order).

- DynamoDB: `ProvisionedThroughputExceededException`, `ThrottlingException`
  (400), `InternalServerError` (500), and — on a transaction only —
  `TransactionCanceledException` with a `ThrottlingError` or
  `TransactionConflict` reason among `None`s, as DynamoDB answers them.
- S3: `SlowDown` (503) and `InternalError` (500), XML as S3 writes them.
- SES v2: `TooManyRequestsException` (429) and a 500.
- SQS: `duplicate` — a message received (by the dispatcher, as Lambda's
  poller receives it) is delivered again a moment later, as SQS's at-least-once
  delivery may; `delayed` — a message a function sends arrives 1–3 s late.
- Latency: every function call waits up to `latencyMs` first.

Nothing the tests do themselves (boto3 reads of the table, the outbox) is
touched: only the functions' own calls, and the queues' deliveries.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import time
from collections import Counter
from typing import Any
from urllib.parse import parse_qs

from werkzeug.wrappers import Request, Response

from aws_calls import _function

#: Every fault this can inject, as `service:kind`.
KINDS = [
    "dynamodb:ProvisionedThroughputExceededException",
    "dynamodb:ThrottlingException",
    "dynamodb:InternalServerError",
    "dynamodb:TransactionCanceledException/ThrottlingError",
    "dynamodb:TransactionCanceledException/TransactionConflict",
    "s3:SlowDown",
    "s3:InternalError",
    "ses:TooManyRequestsException",
    "ses:InternalFailure",
    "sqs:duplicate",
    "sqs:delayed",
]

_TRANSACTIONS = ("TransactWriteItems", "TransactGetItems")


class Faults:
    """The plan in force and what it has done."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.plan: dict[str, Any] | None = None
        self.calls: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()

    def configure(self, plan: dict[str, Any] | None) -> None:
        if plan is not None:
            unknown = set(plan.get("kinds", KINDS)) - set(KINDS)
            if unknown:
                raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
            rate = float(plan.get("rate", 0.05))
            if not 0 <= rate <= 1:
                raise ValueError("rate is a chance between 0 and 1")
            plan = {"seed": int(plan.get("seed", 1)), "rate": rate, "latencyMs": int(plan.get("latencyMs", 0)),
                    "kinds": list(plan.get("kinds", KINDS))}
        with self.lock:
            self.plan = plan
            self.calls.clear()
            self.injected.clear()

    def report(self) -> dict[str, Any]:
        with self.lock:
            return {"plan": self.plan, "calls": dict(self.calls), "injected": dict(self.injected)}

    def draw(self, service: str, operation: str) -> tuple[str | None, float]:
        """The fault (a `KINDS` entry) for this call, if any, and the seconds to wait first."""
        with self.lock:
            plan = self.plan
            if plan is None:
                return None, 0.0
            slot = f"{service}:{operation}"
            n = self.calls[slot]
            self.calls[slot] += 1
        digest = hashlib.sha256(f"{plan['seed']}:{slot}:{n}".encode()).digest()
        chance = int.from_bytes(digest[:4], "big") / 2**32
        wait = int.from_bytes(digest[8:12], "big") / 2**32 * plan["latencyMs"] / 1000
        fitting = [k for k in plan["kinds"] if k.startswith(f"{service}:") and _fits(k, operation)]
        if not fitting or chance >= plan["rate"]:
            return None, wait
        kind = fitting[int.from_bytes(digest[4:8], "big") % len(fitting)]
        with self.lock:
            self.injected[kind] += 1
        return kind, wait


def _fits(kind: str, operation: str) -> bool:
    """Whether this fault can meet this operation."""
    if kind.startswith("dynamodb:TransactionCanceledException"):
        return operation in _TRANSACTIONS
    if kind == "sqs:duplicate":
        return operation == "ReceiveMessage"
    if kind == "sqs:delayed":
        return operation in ("SendMessage", "SendMessageBatch")
    if kind.startswith("ses:"):
        return operation == "SendEmail"
    return True


FAULTS = Faults()


def _service(environ: dict) -> tuple[str, str] | None:
    """(service, operation) of an AWS request, for the services faults reach."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target.startswith("DynamoDB_"):
        return "dynamodb", target.split(".", 1)[1]
    if target.startswith("AmazonSQS."):
        return "sqs", target.split(".", 1)[1]
    path = environ.get("PATH_INFO", "")
    if path.startswith("/v2/email/outbound-emails"):
        return "ses", "SendEmail"
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if "/sqs/aws4_request" in authorization:
        action = parse_qs(environ.get("QUERY_STRING", "")).get("Action", [""])[0]
        return "sqs", action
    if "/s3/aws4_request" in authorization:
        return "s3", environ.get("REQUEST_METHOD", "GET")
    return None


def _dynamodb_error(kind: str, body: bytes) -> Response:
    name = kind.split(":", 1)[1]
    if name.startswith("TransactionCanceledException/"):
        reason = name.split("/", 1)[1]
        try:
            count = len(json.loads(body or b"{}").get("TransactItems", [])) or 1
        except ValueError:
            count = 1
        reasons = [{"Code": "None"} for _ in range(count)]
        reasons[count // 2] = {"Code": reason, "Message": "Transaction is ongoing for the item" if
                               reason == "TransactionConflict" else "Throughput exceeds the current capacity"}
        codes = ", ".join(r["Code"] for r in reasons)
        error = {"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                 "Message": f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
                 "CancellationReasons": reasons}
        status = 400
    elif name == "InternalServerError":
        error = {"__type": f"com.amazonaws.dynamodb.v20120810#{name}", "message": "Internal server error"}
        status = 500
    else:
        error = {"__type": f"com.amazonaws.dynamodb.v20120810#{name}",
                 "message": "Rate of requests exceeds the allowed throughput."}
        status = 400
    return Response(json.dumps(error), status=status, mimetype="application/x-amz-json-1.0")


def _s3_error(kind: str) -> Response:
    code, status, message = {
        "s3:SlowDown": ("SlowDown", 503, "Please reduce your request rate."),
        "s3:InternalError": ("InternalError", 500, "We encountered an internal error. Please try again."),
    }[kind]
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
           f"<RequestId>local-fault</RequestId></Error>")
    return Response(xml, status=status, mimetype="application/xml")


def _ses_error(kind: str) -> Response:
    name, status = {"ses:TooManyRequestsException": ("TooManyRequestsException", 429),
                    "ses:InternalFailure": ("InternalFailure", 500)}[kind]
    response = Response(json.dumps({"message": "Too many requests" if status == 429 else "Internal failure"}),
                        status=status, mimetype="application/json")
    response.headers["x-amzn-ErrorType"] = name
    return response


def _delayed(body: bytes, operation: str, seconds: int) -> bytes:
    """A send whose messages (that set no delay of their own) arrive `seconds` late."""
    request = json.loads(body or b"{}")
    if operation == "SendMessage":
        request.setdefault("DelaySeconds", seconds)
    else:
        for entry in request.get("Entries", []):
            entry.setdefault("DelaySeconds", seconds)
    return json.dumps(request).encode()


def _deliver_again(environ: dict, request_body: bytes, answer: bytes) -> None:
    """Each message just received is delivered once more, a moment later (a
    duplicate as SQS's at-least-once delivery makes one)."""
    from moto.sqs.models import sqs_backends

    try:
        queue_url = json.loads(request_body or b"{}").get("QueueUrl", "")
        messages = json.loads(answer or b"{}").get("Messages", [])
    except ValueError:
        return
    queue_name = queue_url.rstrip("/").rsplit("/", 1)[-1]
    region = _region(environ)
    for message in messages:
        def again(body=message["Body"], attributes=message.get("MessageAttributes") or None):
            for account in sqs_backends.values():
                backend = account.get(region)
                if backend is not None and queue_name in backend.queues:
                    backend.send_message(queue_name, body, message_attributes=attributes)
                    return
        timer = threading.Timer(0.5, again)
        timer.daemon = True
        timer.start()


def _region(environ: dict) -> str:
    try:
        return environ.get("HTTP_AUTHORIZATION", "").split("Credential=", 1)[1].split("/")[2]
    except IndexError:
        return os.environ.get("AWS_REGION", "eu-west-2")


def injected(app):
    """WSGI middleware: the faults of the plan in force, and `/_local/faults`."""

    def middleware(environ, start_response):
        if environ.get("PATH_INFO") == "/_local/faults":
            return _control(environ, start_response)
        call = _service(environ)
        if call is None:
            return app(environ, start_response)
        service, operation = call
        from_function = _function(environ) is not None
        if not from_function and not (service == "sqs" and operation == "ReceiveMessage"):
            return app(environ, start_response)
        kind, wait = FAULTS.draw(service, operation)
        if wait and from_function:
            time.sleep(wait)
        if kind is None:
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        if service == "dynamodb":
            return _dynamodb_error(kind, body)(environ, start_response)
        if service == "s3":
            return _s3_error(kind)(environ, start_response)
        if service == "ses":
            return _ses_error(kind)(environ, start_response)
        if kind == "sqs:delayed":
            try:
                body = _delayed(body, operation, 1 + int(wait * 1000) % 3)
            except ValueError:
                pass
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return app(environ, start_response)
        # sqs:duplicate: answer as usual, then deliver what was received once more.
        answer = b"".join(app(environ, start_response))
        _deliver_again(environ, body, answer)
        return [answer]

    return middleware


def _control(environ, start_response):
    request = Request(environ)
    if request.method == "DELETE":
        FAULTS.configure(None)
    elif request.method == "POST":
        try:
            FAULTS.configure(json.loads(request.get_data() or b"{}"))
        except (ValueError, TypeError) as error:
            return Response(json.dumps({"error": str(error)}), status=400,
                            mimetype="application/json")(environ, start_response)
    return Response(json.dumps(FAULTS.report()), mimetype="application/json")(environ, start_response)


def configure_from_environment() -> None:
    """The plan in `LOCAL_CLAIMS_FAULTS`, if any, from the start."""
    plan = os.environ.get("LOCAL_CLAIMS_FAULTS")
    if plan:
        FAULTS.configure(json.loads(plan))
