"""Soak test of the local AWS emulator's DynamoDB: does it hold up under load?

Starts the emulator (`infra/emulator.py`) on its own port, creates the table
from template.yaml, writes ITEMS items, then runs TRANSACTIONS three-item
transactions (a conditional put, a versioned update, an audit put — the shape of
every state change here), one in ten built to fail its condition. It prints, for
each slice of the run, the time per transaction and the emulator's resident
memory, and checks:

- resident memory stays under 1 GB;
- the time per transaction stays flat (the last slice's mean within 2x the first's);
- all or nothing: no item of a failed transaction was written, every item of a
  committed one was.

    .venv/bin/python infra/bench/soak_emulator.py [ITEMS] [TRANSACTIONS] [--as-moto]

`--as-moto` runs moto without the launcher's corrections, to see what they fix
(use small numbers: it slows and grows with the table). Exits 1 if a check fails.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import boto3
import requests
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra"))

import cfn  # noqa: E402

SLICES = 10
MEMORY_LIMIT_MB = 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def create_table(dynamodb, name: str) -> None:
    props = cfn.load_template()["Resources"]["Table"]["Properties"]
    dynamodb.create_table(
        TableName=name,
        KeySchema=props["KeySchema"],
        AttributeDefinitions=props["AttributeDefinitions"],
        GlobalSecondaryIndexes=props["GlobalSecondaryIndexes"],
        BillingMode="PAY_PER_REQUEST",
    )


def claim_item(n: int) -> dict:
    provider = f"A{n % 500:05d}"
    return {
        "PK": {"S": f"CLAIM#{n}"}, "SK": {"S": "CLAIM"},
        "GSI1PK": {"S": f"CLAIMS#{provider}"}, "GSI1SK": {"S": f"2026-11-27T10:00:00.{n:06d}Z#{n}"},
        "provider": {"S": provider}, "status": {"S": "draft"}, "version": {"N": "1"},
        "notes": {"S": "x" * 300},
    }


def write_items(dynamodb, table: str, count: int) -> None:
    for start in range(0, count, 25):
        requests_ = [{"PutRequest": {"Item": claim_item(n)}} for n in range(start, min(start + 25, count))]
        pending = {table: requests_}
        while pending:
            pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None


def transaction(table: str, n: int, fail: bool) -> list[dict]:
    counter_key = {"PK": {"S": f"ORG#A{n % 500:05d}"}, "SK": {"S": "COUNTER"}}
    return [
        {"Put": {"TableName": table, "Item": {**claim_item(1_000_000 + n), "status": {"S": "submitted"}},
                 "ConditionExpression": "attribute_not_exists(PK)"}},
        {"Update": {"TableName": table, "Key": counter_key,
                    "UpdateExpression": "SET claims = if_not_exists(claims, :zero) + :one",
                    "ConditionExpression": "attribute_not_exists(blocked)" if not fail else "attribute_exists(blocked)",
                    "ExpressionAttributeValues": {":zero": {"N": "0"}, ":one": {"N": "1"}}}},
        {"Put": {"TableName": table, "Item": {"PK": {"S": f"AUDIT#A{n % 500:05d}"},
                                              "SK": {"S": f"2026-11-27T10:00:00Z#{n}"}, "action": {"S": "submit"}}}},
    ]


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    as_moto = "--as-moto" in sys.argv
    items = int(args[0]) if args else 20_000
    transactions = int(args[1]) if len(args) > 1 else 5_000
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    command = [sys.executable, str(ROOT / "infra" / "emulator.py"), str(port)] + (["--as-moto"] if as_moto else [])
    emulator = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                if requests.get(f"{endpoint}/moto-api/", timeout=1).ok:
                    break
            except requests.RequestException:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        dynamodb = boto3.client(
            "dynamodb", endpoint_url=endpoint, region_name="eu-west-2", aws_access_key_id="test",
            aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}),
        )
        table = "soak"
        create_table(dynamodb, table)
        started = time.time()
        write_items(dynamodb, table, items)
        print(f"emulator: {'moto as it is' if as_moto else 'infra/emulator.py (corrected)'}")
        print(f"wrote {items} items in {time.time() - started:.1f} s; RSS {resident_mb(emulator.pid):.0f} MB")

        per_slice = max(1, transactions // SLICES)
        means: list[float] = []
        peak = 0.0
        committed, failed = [], []
        print(f"{'transactions':>14} {'mean ms':>8} {'p95 ms':>8} {'RSS MB':>8}")
        for first in range(0, transactions, per_slice):
            times = []
            for n in range(first, min(first + per_slice, transactions)):
                fail = n % 10 == 9
                begun = time.perf_counter()
                try:
                    dynamodb.transact_write_items(TransactItems=transaction(table, n, fail))
                    committed.append(n)
                except dynamodb.exceptions.TransactionCanceledException:
                    failed.append(n)
                times.append((time.perf_counter() - begun) * 1000)
            rss = resident_mb(emulator.pid)
            peak = max(peak, rss)
            means.append(statistics.mean(times))
            p95 = sorted(times)[int(len(times) * 0.95) - 1]
            print(f"{first + len(times):>14} {means[-1]:>8.2f} {p95:>8.2f} {rss:>8.0f}")

        problems = []
        expected_failures = {n for n in range(transactions) if n % 10 == 9}
        if set(failed) != expected_failures:
            problems.append(f"{len(set(failed) ^ expected_failures)} transactions did not end as built")
        for n in failed[:50] + committed[:50]:
            item = dynamodb.get_item(TableName=table, Key={"PK": {"S": f"CLAIM#{1_000_000 + n}"}, "SK": {"S": "CLAIM"}})
            audit = dynamodb.get_item(TableName=table, Key={"PK": {"S": f"AUDIT#A{n % 500:05d}"},
                                                            "SK": {"S": f"2026-11-27T10:00:00Z#{n}"}})
            landed = ("Item" in item, "Item" in audit)
            if landed != ((True, True) if n in committed else (False, False)):
                problems.append(f"transaction {n} was not all or nothing: {landed}")
        counters = sum(
            int(dynamodb.get_item(TableName=table, Key={"PK": {"S": f"ORG#A{p:05d}"}, "SK": {"S": "COUNTER"}})
                .get("Item", {}).get("claims", {}).get("N", "0"))
            for p in range(500)
        )
        if counters != len(committed):
            problems.append(f"counters add up to {counters}, {len(committed)} transactions committed")
        if peak > MEMORY_LIMIT_MB:
            problems.append(f"resident memory reached {peak:.0f} MB (limit {MEMORY_LIMIT_MB} MB)")
        if means[-1] > 2 * means[0]:
            problems.append(f"time per transaction grew from {means[0]:.2f} ms to {means[-1]:.2f} ms")
        print(f"\n{len(committed)} committed, {len(failed)} cancelled (as built); "
              f"first slice {means[0]:.2f} ms, last {means[-1]:.2f} ms per transaction; peak RSS {peak:.0f} MB; "
              f"total {time.time() - started:.0f} s")
        for problem in problems:
            print(f"FAIL: {problem}")
        if not problems:
            print("OK: memory bounded, time per transaction flat, all or nothing")
        return 1 if problems else 0
    finally:
        emulator.terminate()
        try:
            emulator.wait(timeout=10)
        except subprocess.TimeoutExpired:
            emulator.kill()


if __name__ == "__main__":
    os.environ.setdefault("NO_PROXY", "127.0.0.1")
    sys.exit(main())
