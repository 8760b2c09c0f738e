"""The AWS emulator (moto server) on loopback, with five corrections.

1. moto applies a DynamoDB transaction's writes one at a time, so two
   transactions racing on its request threads can interleave or undo each
   other. DynamoDB serialises them. This launcher runs DynamoDB requests one at
   a time (everything else stays concurrent, so SQS long polls do not block),
   giving the concurrency tests the guarantees the code relies on in AWS; the
   functions themselves still race.
2. moto undoes a failed transaction by restoring a deep copy of the whole table,
   taken once per item of every transaction: each transaction costs time and
   memory in proportion to the table. Here a transaction keeps an undo record
   of only the items it touches, so it costs what it touches, and still commits
   all or nothing.
3. moto appends every model object it ever makes (every stored item, every copy
   of one) to a class-level list for its `/moto-api/data.json` dashboard, and
   never frees them: memory grows for good with traffic. Here nothing is
   tracked (the outbox below replaces the dashboard for the emails tests read).
4. moto answers every Query by reading every item of the table: a query of one
   partition, or of one key of an index, costs time in proportion to the whole
   table, so a table of 10,000 claims makes each request take seconds. Here a
   Query reads only its partition, and an index query only the items with that
   index key (a map per index, brought up to date with the keys written since
   the last query). Everything after the lookup (order, key conditions, paging,
   filters, projection) is moto's own.
5. moto has no Cognito RevokeToken (the web client's Sign out), so a signed-out
   session's refresh token went on making tokens. Here RevokeToken revokes it
   as Cognito does: the pool's refresh flow refuses it from then on.
6. moto answers a sign-in challenge's response with a session it never gave
   (or one long gone) ResourceNotFoundException; Cognito refuses it
   NotAuthorizedException, "Invalid session for the user, session is expired.",
   and so does this.

It refuses a presigned S3 request S3 would refuse (infra/presigned.py: its
signature, expiry and signed headers), records every call a function makes as
IAM would judge it (infra/aws_calls.py, `GET /_local/calls`), counts what AWS
would bill for the requests it answers (infra/usage.py,
`GET /_local/usage`), and serves the emails SES accepted at `GET /_local/outbox[?to=ADDRESS]`
(JSON, newest last): moto's own `/moto-api/data.json` dumps every object the
emulator ever made and grows to hundreds of megabytes in a test run.

    python infra/emulator.py [PORT] [--as-moto]

`--as-moto` leaves corrections 2, 3 and 4 out, to measure what they fix
(`infra/bench/soak_emulator.py --as-moto`).
"""

from __future__ import annotations

import copy
import inspect
import io
import json
import os
import signal
import sys
import threading
from typing import Any

from moto.core.common_models import BaseModel
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.cognitoidp.models import cognitoidp_backends
from moto.ses.models import ses_backends
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

import presigned
from faults import configure_from_environment, injected
from aws_calls import recorded, table_schema
from usage import metered

_dynamodb = threading.Lock()


def _untracked(cls, *args, **kwargs):
    return object.__new__(cls)


def stop_tracking_model_objects() -> None:
    """moto keeps every model object it makes in `instances_tracked` (correction 3)."""
    BaseModel.__new__ = staticmethod(_untracked)


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    """moto's TransactWriteItems with an undo record of the touched items only
    (correction 2). Same checks, same errors, same all-or-nothing result."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    undo: list[tuple[Any, Any, Any, Any]] = []  # (table, hash key, range key, item before or None)
    touched: set[tuple[str, str]] = set()
    errors: list[tuple[Any, Any, Any]] = []

    def remember(table_name: str, key: dict[str, Any]) -> None:
        table = self.get_table(table_name)
        hash_key, range_key = self.get_keys_value(table, key)
        undo.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))

    def roll_back() -> None:
        for table, hash_key, range_key, before in reversed(undo):
            _written(table, hash_key, range_key)
            if before is None:
                table.delete_item(hash_key, range_key)
            elif range_key is not None:
                table.items[hash_key][range_key] = before
            else:
                table.items[hash_key] = before

    for entry in transact_items:
        original_item = None
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(entry.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            condition = op.get("ConditionExpression")
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            if op_type == "Put":
                table = self.get_table(table_name)
                key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = op["Item"][table.range_key_attr]
            else:
                key = op["Key"]
            unique = (str(table_name), str(dict(sorted(key.items()))))
            if unique in touched:
                raise MultipleTransactionsException()
            touched.add(unique)

            current = self.get_item(table_name, key)
            if condition is not None and not get_filter_expression(condition, names, values).expr(current):
                if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                    original_item = current.to_json()["Attributes"]
                raise ConditionalCheckFailed(item=original_item)

            if op_type != "ConditionCheck":
                remember(table_name, key)
            if op_type == "Put":
                self.put_item(table_name, op["Item"], condition_expression=condition,
                              expression_attribute_names=names, expression_attribute_values=values)
            elif op_type == "Delete":
                self.delete_item(table_name, key, condition_expression=condition,
                                 expression_attribute_names=names, expression_attribute_values=values)
            elif op_type == "Update":
                self.update_item(table_name, key, update_expression=op["UpdateExpression"],
                                 condition_expression=condition, expression_attribute_names=names,
                                 expression_attribute_values=values)
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            roll_back()
            raise
        except ConditionalCheckFailed as failed:
            errors.append(("ConditionalCheckFailed", str(failed.message), original_item))
        except Exception as failed:  # noqa: BLE001 — reported per item, as moto does
            errors.append((type(failed).__name__, str(failed), original_item))

    if any(code is not None for code, _, _ in errors):
        roll_back()
        raise TransactionCanceledException(errors)


class IndexKeys:
    """For each index of a table, its items by the values of the index's hash
    key (correction 4). Writes only mark keys; the next index query re-reads
    those items, so a write costs nothing extra and a query what it returns."""

    def __init__(self, table: Table) -> None:
        self.hash_names = {index.name: [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
                           for index in table.all_indexes()}
        self.items: dict[str, dict[tuple, dict[tuple, Any]]] = {name: {} for name in self.hash_names}
        self.placed: dict[tuple, list[tuple[str, tuple]]] = {}
        self.written: set[tuple] = set()
        for item in table.all_items():
            self._place(item)

    @staticmethod
    def _key(hash_key: Any, range_key: Any) -> tuple:
        return (hash_key, range_key)

    def _place(self, item: Any) -> None:
        key = self._key(item.hash_key, item.range_key)
        places = []
        for name, attributes in self.hash_names.items():
            values = tuple(item.attrs.get(a) for a in attributes)
            if all(v is not None for v in values):
                self.items[name].setdefault(values, {})[key] = item
                places.append((name, values))
        self.placed[key] = places

    def refresh(self, table: Table) -> None:
        for key in self.written:
            for name, values in self.placed.pop(key, []):
                bucket = self.items[name].get(values)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del self.items[name][values]
            current = table.get_item(*key)
            if current is not None:
                self._place(current)
        self.written.clear()

    def matching(self, index_name: str, conditions: dict[str, Any]) -> list[Any] | None:
        attributes = self.hash_names.get(index_name)
        if not attributes or any(a not in conditions for a in attributes):
            return None
        return list(self.items[index_name].get(tuple(conditions[a] for a in attributes), {}).values())


def _written(table: Table, hash_key: Any, range_key: Any) -> None:
    keys = getattr(table, "_local_index_keys", None)
    if keys is not None:
        keys.written.add(IndexKeys._key(hash_key, range_key))


def _marking_writes(method, key_of):
    def write(self: DynamoDBBackend, table_name: str, *args, **kwargs):
        try:
            return method(self, table_name, *args, **kwargs)
        finally:
            table = self.tables.get(table_name)
            if table is not None:
                try:
                    _written(table, *self.get_keys_value(table, key_of(*args, **kwargs)))
                except MockValidationException:
                    pass  # no key, no write

    return write


_moto_query = Table.query
_query_parameters = inspect.signature(_moto_query)


def query_what_it_can_return(self: Table, *args, **kwargs):
    """moto's Query over only the items it could return (correction 4)."""
    asked = _query_parameters.bind(self, *args, **kwargs).arguments
    if asked.get("index_name"):
        keys = getattr(self, "_local_index_keys", None)
        if keys is None:
            keys = self._local_index_keys = IndexKeys(self)
        keys.refresh(self)
        candidates = keys.matching(asked["index_name"], dict(asked.get("hash_key_conditions") or []))
    elif asked.get("hash_key") is not None:
        partition = self.items.get(asked["hash_key"])
        if partition is None:
            candidates = []
        else:
            candidates = list(partition.values()) if self.range_key_attr else [partition]
    else:
        candidates = None
    if candidates is None:
        return _moto_query(self, *args, **kwargs)
    self.all_items = lambda: candidates  # DynamoDB requests run one at a time (correction 1)
    try:
        return _moto_query(self, *args, **kwargs)
    finally:
        del self.all_items


def correct_moto() -> None:
    stop_tracking_model_objects()
    DynamoDBBackend.transact_write_items = transact_write_items
    DynamoDBBackend.put_item = _marking_writes(DynamoDBBackend.put_item, lambda item, *a, **k: item)
    DynamoDBBackend.update_item = _marking_writes(DynamoDBBackend.update_item, lambda key, *a, **k: key)
    DynamoDBBackend.delete_item = _marking_writes(DynamoDBBackend.delete_item, lambda key, *a, **k: key)
    Table.query = query_what_it_can_return


def serialise_dynamodb(app):
    def middleware(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with _dynamodb:
                return [b"".join(app(environ, start_response))]
        return app(environ, start_response)

    return middleware


def revoking_tokens(app):
    """Cognito's RevokeToken (correction 5): the refresh token, for its own
    app client, made unusable; moto's refresh flow refuses a revoked one."""
    def middleware(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET") != "AWSCognitoIdentityProviderService.RevokeToken":
            return app(environ, start_response)
        asked = json.loads(Request(environ).get_data() or b"{}")
        token, client_id = asked.get("Token"), asked.get("ClientId")
        for account in cognitoidp_backends.values():
            for backend in account.values():
                for pool in backend.user_pools.values():
                    held = pool.refresh_tokens.get(token)
                    if held is None:
                        continue
                    if held[0] != client_id:
                        refused = {"__type": "UnauthorizedException", "message": "Client is not authorized"}
                        return Response(json.dumps(refused), status=400,
                                        mimetype="application/x-amz-json-1.1")(environ, start_response)
                    pool.refresh_tokens[token] = None
        # Cognito answers an unknown or already revoked token as it does a revoked one: done.
        return Response("{}", mimetype="application/x-amz-json-1.1")(environ, start_response)

    return middleware


def refusing_unknown_sessions(app):
    """A challenge answered with a session the pool never gave is refused as
    Cognito refuses it (correction 6)."""
    def middleware(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET") != "AWSCognitoIdentityProviderService.RespondToAuthChallenge":
            return app(environ, start_response)
        body = Request(environ).get_data()
        # Read here, so handed on afresh for moto to read.
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        asked = json.loads(body or b"{}")
        known = any(asked.get("Session") in backend.sessions
                    for account in cognitoidp_backends.values() for backend in account.values())
        if known:
            return app(environ, start_response)
        refused = {"__type": "NotAuthorizedException", "message": "Invalid session for the user, session is expired."}
        return Response(json.dumps(refused), status=400,
                        mimetype="application/x-amz-json-1.1")(environ, start_response)

    return middleware


def outbox(app):
    def middleware(environ, start_response):
        if environ.get("PATH_INFO") != "/_local/outbox":
            return app(environ, start_response)
        wanted = Request(environ).args.get("to")
        sent = []
        for account in ses_backends.values():
            for backend in account.values():
                for message in list(backend.sent_messages):
                    recipients = [a for field in ("ToAddresses", "CcAddresses", "BccAddresses")
                                  for a in (getattr(message, "destinations", None) or {}).get(field, [])]
                    if wanted and wanted not in recipients:
                        continue
                    sent.append({
                        "id": message.id,
                        "source": getattr(message, "source", None),
                        "subject": getattr(message, "subject", None),
                        "body": getattr(message, "body", None),
                        "destinations": getattr(message, "destinations", None),
                    })
        return Response(json.dumps(sent), mimetype="application/json")(environ, start_response)

    return middleware


def main() -> None:
    # The user pool checks authenticator-app codes (TOTP) as Cognito does, against the key it gave.
    os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    port = int(args[0]) if args else 4566
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if "--as-moto" not in sys.argv:
        correct_moto()
    app = DomainDispatcherApplication(create_backend_app)
    configure_from_environment()
    app = serialise_dynamodb(metered(app))
    app = recorded(outbox(injected(refusing_unknown_sessions(revoking_tokens(app)))), table_schema())
    run_simple("127.0.0.1", port, presigned.checked(app), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
