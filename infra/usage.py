"""What AWS would bill for the requests the emulator answers: every request
counted by service and operation, and DynamoDB's read and write capacity units
worked out as DynamoDB meters them (on-demand):

- a read: per item (GetItem, BatchGetItem, TransactGetItems) or per page of
  items (Query, Scan), one unit per 4 KB, half for an eventually consistent
  read, twice for a transactional one; a key that finds nothing still costs one;
- a write: one unit per 1 KB of the larger of the item before and after
  (PutItem, UpdateItem, DeleteItem, BatchWriteItem), twice in a transaction
  (TransactWriteItems, a ConditionCheck included), plus a write to every global
  secondary index the item is on before or after (what the index projects).

Item sizes are moto's (names plus values, as DynamoDB counts them). A Query is
metered on the items it answers, so one with a filter reads a little more in
AWS than here. Served at `GET /_local/usage` (`?reset=1` starts again), for
infra/bench/cost.py.
"""

from __future__ import annotations

import io
import json
import math
import threading
from collections import Counter
from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType
from werkzeug.wrappers import Request, Response

READ_UNIT, WRITE_UNIT = 4096, 1024


class Usage:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests: Counter[str] = Counter()
        self.read_units: Counter[str] = Counter()
        self.write_units: Counter[str] = Counter()

    def as_json(self) -> dict:
        return {"requests": dict(sorted(self.requests.items())), "dynamodb": {
            "readUnits": round(sum(self.read_units.values()), 1),
            "writeUnits": round(sum(self.write_units.values()), 1),
            "byTable": {table: {"readUnits": self.read_units[table], "writeUnits": self.write_units[table]}
                        for table in sorted(set(self.read_units) | set(self.write_units))}}}


USAGE = Usage()


def item_size(attributes: dict[str, Any] | None) -> int:
    if not attributes:
        return 0
    return sum(len(name.encode()) + DynamoType(value).size() for name, value in attributes.items())


def units(size: int, unit: int) -> int:
    return max(1, math.ceil(size / unit))


def _region(environ: dict) -> str:
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    try:
        return authorization.split("Credential=", 1)[1].split("/")[2]
    except IndexError:
        return "eu-west-2"


class Tables:
    """The stored items and index definitions, read while the request holds the
    emulator's DynamoDB lock (so before and after are this request's own)."""

    def __init__(self, region: str) -> None:
        self.backend = next((regions[region] for regions in dynamodb_backends.values() if region in regions), None)

    def table(self, name: str):
        try:
            return self.backend.get_table(name) if self.backend else None
        except Exception:  # noqa: BLE001 - an unknown table is DynamoDB's error to answer, not ours
            return None

    def key_of(self, name: str, item: dict) -> dict:
        table = self.table(name)
        if table is None:
            return {}
        names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
        return {n: item[n] for n in names if n in item}

    def stored(self, name: str, key: dict) -> dict | None:
        if self.backend is None or not key:
            return None
        try:
            found = self.backend.get_item(name, key)
        except Exception:  # noqa: BLE001 - as above
            return None
        return found.to_json()["Attributes"] if found is not None else None

    def index_writes(self, name: str, before: dict | None, after: dict | None) -> int:
        table = self.table(name)
        if table is None:
            return 0
        total = 0
        for index in getattr(table, "global_indexes", []):
            hash_name = next(k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH")
            projected = [self._projected(table, index, item) for item in (before, after) if item and hash_name in item]
            if projected:
                total += units(max(projected), WRITE_UNIT)
                if before and after and hash_name in before and hash_name in after and \
                        any(before.get(k["AttributeName"]) != after.get(k["AttributeName"]) for k in index.schema):
                    total += units(item_size(before), WRITE_UNIT)  # moved: out of its old place, into the new
        return total

    @staticmethod
    def _projected(table, index, item: dict) -> int:
        projection = index.projection or {}
        kind = projection.get("ProjectionType", "ALL")
        if kind == "ALL":
            return item_size(item)
        keys = {table.hash_key_attr, table.range_key_attr} | {k["AttributeName"] for k in index.schema}
        if kind == "INCLUDE":
            keys |= set(projection.get("NonKeyAttributes", []))
        return item_size({k: v for k, v in item.items() if k in keys})


def _reads(operation: str, request: dict, answer: dict) -> Counter[str]:
    """Read units by table."""
    read: Counter[str] = Counter()
    factor = 1.0 if request.get("ConsistentRead") else 0.5
    table = request.get("TableName", "")
    if operation == "GetItem":
        read[table] += factor * units(item_size(answer.get("Item")), READ_UNIT)
    elif operation in ("Query", "Scan"):
        read[table] += factor * units(sum(item_size(i) for i in answer.get("Items", [])), READ_UNIT)
    elif operation == "BatchGetItem":
        for name, asked in request.get("RequestItems", {}).items():
            found = answer.get("Responses", {}).get(name, [])
            consistent = 1.0 if asked.get("ConsistentRead") else 0.5
            missing = max(0, len(asked.get("Keys", [])) - len(found))
            read[name] += consistent * (sum(units(item_size(i), READ_UNIT) for i in found) + missing)
    elif operation == "TransactGetItems":
        for asked, found in zip(request.get("TransactItems", []), answer.get("Responses", [])):
            read[asked.get("Get", {}).get("TableName", "")] += 2.0 * units(item_size(found.get("Item")), READ_UNIT)
    return read


def _writes_of(operation: str, request: dict, tables: Tables) -> list[tuple[str, dict, dict | None, float]]:
    """(table, key, item sent or None, factor) for every item the request writes."""
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        name = request.get("TableName", "")
        item = request.get("Item")
        key = tables.key_of(name, item) if item else request.get("Key", {})
        return [(name, key, item, 1.0)]
    writes = []
    if operation == "BatchWriteItem":
        for name, entries in request.get("RequestItems", {}).items():
            for entry in entries:
                if "PutRequest" in entry:
                    item = entry["PutRequest"]["Item"]
                    writes.append((name, tables.key_of(name, item), item, 1.0))
                elif "DeleteRequest" in entry:
                    writes.append((name, entry["DeleteRequest"]["Key"], None, 1.0))
    if operation == "TransactWriteItems":
        for entry in request.get("TransactItems", []):
            for kind, part in entry.items():
                name = part.get("TableName", "")
                item = part.get("Item") if kind == "Put" else None
                writes.append((name, tables.key_of(name, item) if item else part.get("Key", {}), item, 2.0))
    return writes


def meter_dynamodb(environ: dict, operation: str, body: bytes, call) -> list[bytes]:
    """Calls the emulator and adds up what DynamoDB would bill for the call."""
    request = json.loads(body or b"{}")
    tables = Tables(_region(environ))
    writes = _writes_of(operation, request, tables)
    before = [tables.stored(name, key) for name, key, _, _ in writes]
    status, chunks = call()
    answer_text = b"".join(chunks)
    if not status.startswith("200"):
        return [answer_text]  # refused (a condition, a cancelled transaction): DynamoDB bills little; counted once below
    try:
        answer = json.loads(answer_text or b"{}")
    except ValueError:
        answer = {}
    read = _reads(operation, request, answer)
    written: Counter[str] = Counter()
    for (name, key, sent, factor), old in zip(writes, before):
        new = tables.stored(name, key)
        if sent is not None and new is None:
            new = sent
        base = units(max(item_size(old), item_size(new)), WRITE_UNIT)
        written[name] += factor * (base + tables.index_writes(name, old, new))
    with USAGE.lock:
        USAGE.read_units.update(read)
        USAGE.write_units.update(written)
    return [answer_text]


def _service_and_operation(environ: dict) -> tuple[str, str]:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        service, _, operation = target.partition(".")
        return {"DynamoDB_20120810": "dynamodb", "AmazonSQS": "sqs"}.get(service, service.lower()), operation
    path = environ.get("PATH_INFO", "")
    if path.endswith("/.well-known/jwks.json"):
        return "cognito", "SigningKeys"  # the user pool's public keys: not a billed request
    if path.startswith("/v2/email"):
        return "ses", "SendEmail" if "outbound-emails" in path else path
    form_action = Request(environ).args.get("Action")
    if form_action:
        return "other", form_action
    method = environ.get("REQUEST_METHOD", "GET")
    return "s3", {"GET": "GET", "HEAD": "GET"}.get(method, "PUT" if method in ("PUT", "POST") else method)


def metered(app):
    """WSGI middleware: counts every request; meters DynamoDB's; serves the totals."""

    def middleware(environ, start_response):
        if environ.get("PATH_INFO") == "/_local/usage":
            if Request(environ).args.get("reset"):
                with USAGE.lock:
                    USAGE.reset()
            with USAGE.lock:
                totals = USAGE.as_json()
            return Response(json.dumps(totals), mimetype="application/json")(environ, start_response)
        if environ.get("PATH_INFO", "").startswith("/_local") or environ.get("PATH_INFO", "").startswith("/moto-api"):
            return app(environ, start_response)
        service, operation = _service_and_operation(environ)
        with USAGE.lock:
            USAGE.requests[f"{service}.{operation}"] += 1
        if service != "dynamodb":
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        seen: dict[str, str] = {}

        def remember(status, headers, exc_info=None):
            seen["status"] = status
            return start_response(status, headers, exc_info)

        def call():
            chunks = list(app(environ, remember))
            return seen.get("status", "500"), chunks

        return meter_dynamodb(environ, operation, body, call)

    return middleware
