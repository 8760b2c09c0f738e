"""Every AWS call the functions make, recorded by the emulator as IAM would
see it, so the tests can hold each call to its function's own policy in
template.yaml (tests/test_iam_policies.py, with infra/iam.py).

moto checks no policy at all by default, and with its own IAM switched on
looks at actions only — never at resources or conditions such as
`dynamodb:LeadingKeys`. Here each request becomes the authorisation requests
AWS would make of it: one per item inside a transaction (`PutItem`,
`UpdateItem`, `DeleteItem`, `ConditionCheckItem`, `GetItem`), the table or
`…/index/<name>` a query reads, the partition keys it touches (the
`dynamodb:LeadingKeys` values), the object (and version) an S3 request names,
the queue, the SES identity and configuration set, the user pool.

The function is told by its user agent (`app/<function>`: `App` sets it from
`AWS_LAMBDA_FUNCTION_NAME`). A presigned S3 request comes from a browser, so
it is recorded as presigned, by method, and held to the policy of the
functions that presign. Served at `GET /_local/calls` (`?reset=1` clears).
"""

from __future__ import annotations

import io
import json
import re
import threading
from typing import Any
from urllib.parse import parse_qs, unquote
from xml.etree import ElementTree

from werkzeug.wrappers import Request, Response

ACCOUNT = "123456789012"
_APP = re.compile(r"(?:^|\s)app/([A-Za-z0-9!#$%&'*+\-.^_`|~]+)")


class Calls:
    """Distinct calls: (function, action, resource, leading keys)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: set[tuple[str, str, str, tuple[str, ...] | None]] = set()

    def add(self, function: str, action: str, resource: str, leading: tuple[str, ...] | None = None) -> None:
        with self.lock:
            self.seen.add((function, action, resource, leading))

    def as_json(self) -> list[dict]:
        with self.lock:
            seen = sorted(self.seen, key=lambda c: (c[0], c[1], c[2], c[3] or ()))
        return [{"function": f, "action": a, "resource": r, "leadingKeys": None if k is None else list(k)}
                for f, a, r, k in seen]


CALLS = Calls()


def _function(environ: dict) -> str | None:
    for header in ("HTTP_X_AMZ_USER_AGENT", "HTTP_USER_AGENT"):
        found = _APP.search(environ.get(header, ""))
        if found:
            return found.group(1)
    return None


def _region(environ: dict, query: dict) -> str:
    credential = environ.get("HTTP_AUTHORIZATION", "").partition("Credential=")[2] or \
        (query.get("X-Amz-Credential") or [""])[0]
    parts = credential.split("/")
    return parts[2] if len(parts) > 2 else "eu-west-2"


# ------------------------------------------------------------------ DynamoDB
_TRANSACT_ACTIONS = {"ConditionCheck": "ConditionCheckItem", "Put": "PutItem", "Update": "UpdateItem",
                     "Delete": "DeleteItem", "Get": "GetItem"}


def _partition_value(attribute: dict | None) -> str:
    if not attribute:
        return ""
    return next(iter(attribute.values())) if isinstance(attribute, dict) else str(attribute)


def _query_partition(request: dict, hash_key: str) -> str:
    """The value a Query's key condition gives its partition key."""
    names = request.get("ExpressionAttributeNames", {})
    values = request.get("ExpressionAttributeValues", {})
    condition = request.get("KeyConditionExpression", "")
    for name, placeholder in re.findall(r"(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)", condition):
        if names.get(name, name) == hash_key:
            return _partition_value(values.get(placeholder))
    return ""


def dynamodb_calls(function: str, operation: str, request: dict, region: str, schema) -> None:
    """`schema(table, index)` answers the partition key's name."""
    def arn(table: str, index: str | None = None) -> str:
        base = f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{table}"
        return f"{base}/index/{index}" if index else base

    def key_of(table: str, item: dict) -> str:
        return _partition_value(item.get(schema(table, None)))

    if operation in ("GetItem", "PutItem", "UpdateItem", "DeleteItem"):
        table = request.get("TableName", "")
        item = request.get("Item") if operation == "PutItem" else request.get("Key", {})
        CALLS.add(function, f"dynamodb:{operation}", arn(table), (key_of(table, item or {}),))
    elif operation == "Query":
        table, index = request.get("TableName", ""), request.get("IndexName")
        CALLS.add(function, "dynamodb:Query", arn(table, index), (_query_partition(request, schema(table, index)),))
    elif operation == "Scan":
        CALLS.add(function, "dynamodb:Scan", arn(request.get("TableName", ""), request.get("IndexName")), None)
    elif operation == "BatchGetItem":
        for table, asked in request.get("RequestItems", {}).items():
            keys = tuple(sorted({key_of(table, k) for k in asked.get("Keys", [])}))
            CALLS.add(function, "dynamodb:BatchGetItem", arn(table), keys)
    elif operation == "BatchWriteItem":
        for table, entries in request.get("RequestItems", {}).items():
            keys = set()
            for entry in entries:
                item = entry.get("PutRequest", {}).get("Item") or entry.get("DeleteRequest", {}).get("Key") or {}
                keys.add(key_of(table, item))
            CALLS.add(function, "dynamodb:BatchWriteItem", arn(table), tuple(sorted(keys)))
    elif operation in ("TransactWriteItems", "TransactGetItems"):
        for entry in request.get("TransactItems", []):
            for kind, part in entry.items():
                table = part.get("TableName", "")
                item = part.get("Item") if kind == "Put" else part.get("Key", {})
                CALLS.add(function, f"dynamodb:{_TRANSACT_ACTIONS.get(kind, kind)}", arn(table),
                          (key_of(table, item or {}),))
    else:
        CALLS.add(function, f"dynamodb:{operation}", arn(request.get("TableName", "")), None)


# ------------------------------------------------------------------ S3 (path-style, as the local stack uses it)
def s3_calls(function: str, method: str, path: str, query: dict, headers: dict, body: bytes) -> None:
    bucket, _, key = unquote(path.lstrip("/")).partition("/")
    versioned = "versionId" in query
    if not key:
        if method == "POST" and "delete" in query:
            for entry in ElementTree.fromstring(body or b"<Delete/>").iter():
                if entry.tag.endswith("Object"):
                    name = next((c.text for c in entry if c.tag.endswith("Key")), "")
                    version = any(c.tag.endswith("VersionId") for c in entry)
                    CALLS.add(function, "s3:DeleteObjectVersion" if version else "s3:DeleteObject",
                              f"arn:aws:s3:::{bucket}/{name}")
        elif method == "GET":
            CALLS.add(function, "s3:ListBucketVersions" if "versions" in query else "s3:ListBucket",
                      f"arn:aws:s3:::{bucket}")
        return
    resource = f"arn:aws:s3:::{bucket}/{key}"
    if method in ("GET", "HEAD"):
        CALLS.add(function, "s3:GetObjectVersion" if versioned else "s3:GetObject", resource)
    elif method == "PUT":
        CALLS.add(function, "s3:PutObject", resource)
        source = headers.get("x-amz-copy-source")
        if source:
            source_path, _, source_query = unquote(source).partition("?")
            action = "s3:GetObjectVersion" if "versionId=" in source_query else "s3:GetObject"
            CALLS.add(function, action, f"arn:aws:s3:::{source_path.lstrip('/')}")
    elif method == "DELETE":
        CALLS.add(function, "s3:DeleteObjectVersion" if versioned else "s3:DeleteObject", resource)


# ------------------------------------------------------------------ SQS, SES v2, Cognito
_SQS_ACTIONS = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage",
                "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}


def sqs_call(function: str, operation: str, request: dict, region: str) -> None:
    name = request.get("QueueUrl", "").rstrip("/").rsplit("/", 1)[-1]
    CALLS.add(function, f"sqs:{_SQS_ACTIONS.get(operation, operation)}", f"arn:aws:sqs:{region}:{ACCOUNT}:{name}")


def ses_call(function: str, path: str, request: dict, region: str) -> None:
    if not path.startswith("/v2/email/outbound-emails"):
        return
    sender = request.get("FromEmailAddress", "")
    domain = sender.rpartition("@")[2].strip(">").strip()
    CALLS.add(function, "ses:SendEmail", f"arn:aws:ses:{region}:{ACCOUNT}:identity/{domain}")
    if request.get("ConfigurationSetName"):
        CALLS.add(function, "ses:SendEmail",
                  f"arn:aws:ses:{region}:{ACCOUNT}:configuration-set/{request['ConfigurationSetName']}")


def cognito_call(function: str, operation: str, request: dict, region: str) -> None:
    pool = request.get("UserPoolId")
    if pool:  # the calls without a pool (sign-in, a user's own MFA set-up) need no IAM permission
        CALLS.add(function, f"cognito-idp:{operation}", f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{pool}")


# ------------------------------------------------------------------ the middleware
def recorded(app, schema):
    """WSGI middleware: records the calls functions make (and presigned S3
    requests) before the emulator answers them; serves them at /_local/calls.
    `schema(table, index)` gives a table's or index's partition key name."""

    def middleware(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_local/calls":
            if Request(environ).args.get("reset"):
                with CALLS.lock:
                    CALLS.seen.clear()
            return Response(json.dumps(CALLS.as_json()), mimetype="application/json")(environ, start_response)
        if path.startswith(("/_local", "/moto-api")):
            return app(environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        function = _function(environ)
        presigned = "X-Amz-Signature" in query
        if function is None and not presigned:
            return app(environ, start_response)
        if presigned:
            function = f"presigned:{environ.get('REQUEST_METHOD', 'GET')}"
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            _record(environ, function, path, query, body, schema)
        except (ValueError, KeyError, ElementTree.ParseError):
            pass  # a request the emulator will refuse anyway
        if _reads_an_object(environ, path):
            return app(environ, _missing_object_needs_list_bucket(start_response, function, path))
        return app(environ, start_response)

    return middleware


def _reads_an_object(environ: dict, path: str) -> bool:
    """An S3 GET or HEAD of an object (not of a bucket)."""
    if environ.get("HTTP_X_AMZ_TARGET") or path.startswith("/v2/email"):
        return False
    _, _, key = path.lstrip("/").partition("/")
    return bool(key) and environ.get("REQUEST_METHOD") in ("GET", "HEAD")


def _missing_object_needs_list_bucket(start_response, function: str, path: str):
    """S3 answers a read of a missing object 404 only to a caller that may
    list the bucket (s3:ListBucket), and 403 to anyone else: so a 404 the
    emulator gives is a ListBucket call too, which the caller's policy must allow."""

    def answered(status: str, headers, exc_info=None):
        if status.startswith("404"):
            bucket = unquote(path.lstrip("/")).partition("/")[0]
            CALLS.add(function, "s3:ListBucket", f"arn:aws:s3:::{bucket}")
        return start_response(status, headers, exc_info)

    return answered


def _record(environ: dict, function: str, path: str, query: dict, body: bytes, schema) -> None:
    region = _region(environ, query)
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    service, _, operation = target.partition(".")
    as_json = (lambda: json.loads(body or b"{}"))
    if service.startswith("DynamoDB_"):
        dynamodb_calls(function, operation, as_json(), region, schema)
    elif service == "AmazonSQS":
        sqs_call(function, operation, as_json(), region)
    elif service == "AWSCognitoIdentityProviderService":
        cognito_call(function, operation, as_json(), region)
    elif path.startswith("/v2/email"):
        ses_call(function, path, as_json(), region)
    elif not target:
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        s3_calls(function, environ.get("REQUEST_METHOD", "GET"), path, query, headers, body)


def table_schema():
    """A `schema(table, index)` over moto's own tables: the partition key names."""
    def schema(table_name: str, index: str | None) -> str:
        from moto.dynamodb.models import dynamodb_backends

        for regions in dynamodb_backends.values():
            for backend in regions.values():
                table = backend.tables.get(table_name)
                if table is None:
                    continue
                if index is None:
                    return table.hash_key_attr
                for candidate in table.all_indexes():
                    if candidate.name == index:
                        return next(k["AttributeName"] for k in candidate.schema if k["KeyType"] == "HASH")
        return "PK"

    return schema

