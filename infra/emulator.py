"""The AWS emulator (moto server) on loopback, with three corrections.

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

It also serves the emails SES accepted at `GET /_local/outbox[?to=ADDRESS]`
(JSON, newest last): moto's own `/moto-api/data.json` dumps every object the
emulator ever made and grows to hundreds of megabytes in a test run.

    python infra/emulator.py [PORT] [--as-moto]

`--as-moto` leaves corrections 2 and 3 out, to measure what they fix
(`infra/bench/soak_emulator.py --as-moto`).
"""

from __future__ import annotations

import copy
import json
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
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.ses.models import ses_backends
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

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


def correct_moto() -> None:
    stop_tracking_model_objects()
    DynamoDBBackend.transact_write_items = transact_write_items


def serialise_dynamodb(app):
    def middleware(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with _dynamodb:
                return [b"".join(app(environ, start_response))]
        return app(environ, start_response)

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
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    port = int(args[0]) if args else 4566
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if "--as-moto" not in sys.argv:
        correct_moto()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, outbox(serialise_dynamodb(app)), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
