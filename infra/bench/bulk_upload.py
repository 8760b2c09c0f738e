"""A bulk claim upload of 500 rows: how long it takes and what it writes.

Starts a private local stack (its own ports, settings and logs, demo data), has
the demo ICB administrator make a service (two unit components and a
retainer) and 500 practices, offers it to all of them, marks the offers
accepted straight in the table (a user per practice would only slow the set-up
down), then, as the demo Tier 1 approver, downloads the template, fills in
every row and uploads it — twice (the second creates nothing). Prints the
upload times, the claims made, and the DynamoDB write units the claims cost,
from the items as stored: a transactional write costs 2 units per KB (rounded
up) per item, and each index the item is on 1 unit per KB (an upper bound for
the work-list index, which holds only some attributes), plus the three report
totals each claim moves (small items, 2 units each in the transaction).

    .venv/bin/python infra/bench/bulk_upload.py [rows]

Set LOCAL_CLAIMS_RELEASE=1 to time the optimised build Lambda runs.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import private_stack  # noqa: E402
from private_stack import this_quarter  # noqa: E402

local = private_stack.use("bench-bulk", emulator_port=4586, api_port=9020, clamd_port=3330)

from usage import item_size  # noqa: E402  (DynamoDB's own count of an item's bytes)

INDEXES = {"GSI1": "GSI1PK", "GSI2": "GSI1PK", "GSI3": "GSI1PK", "GSI4": "GSI4PK", "GSI5": "GSI5PK"}
INDEX_SORT = {"GSI1": "GSI1SK", "GSI2": "GSI2SK", "GSI3": "GSI3SK", "GSI4": "GSI4SK", "GSI5": "GSI5SK"}


def write_units(item: dict) -> int:
    """Units to write one item in a transaction, and to each index it is on."""
    kb = math.ceil(item_size(item) / 1024)
    on_indexes = sum(1 for index, key in INDEXES.items() if key in item and INDEX_SORT[index] in item)
    return 2 * kb + on_indexes * kb


def main() -> int:
    rows, = private_stack.numbers(500)
    stack = local.Stack()
    try:
        started = stack.start()
        admin, tier1 = private_stack.access_tokens(started, "aisha.khan", "tess.walker")
        call = private_stack.api_caller(started)

        year, quarter = this_quarter()
        service = call("POST", "/services", admin, json={"name": "Bulk benchmark", "financialYear": year,
                                                          "claimPeriods": "quarterly"})
        assert service.status_code == 201, service.text
        sid = service.json()["id"]
        for component in [
            {"name": "Care Plans", "payment": {"type": "per_unit", "unitPrice": "193.42", "unitLabel": "Care plan"}},
            {"name": "Reviews", "payment": {"type": "per_unit", "unitPrice": "20.00", "unitLabel": "Review"}},
            {"name": "Service retainer", "payment": {"type": "retainer", "amount": "250.00",
                                                     "information": "Paid each quarter."}},
        ]:
            assert call("POST", f"/services/{sid}/components", admin, json=component).status_code == 201
        codes = [f"Y{n:05d}" for n in range(10000, 10000 + rows)]

        def practice(code: str) -> None:
            made = call("POST", "/organisations", admin, json={"code": code, "name": f"Practice {code}",
                                                               "type": "gp_practice", "commissioner": "QHM"})
            assert made.status_code == 201, made.text

        print(f"Making {rows} practices and offers…", flush=True)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(practice, codes))
        for start in range(0, rows, 500):
            offered = call("POST", f"/services/{sid}/offers", admin, json={"providers": codes[start:start + 500]})
            assert offered.status_code == 200, offered.text
        private_stack.accept_offers(started, sid, codes)
        table = private_stack.emulated(started, "dynamodb")

        template = call("GET", f"/services/{sid}/bulk-claims?period={quarter}", tier1)
        assert template.status_code == 200, template.text
        sheet = list(csv.DictReader(io.StringIO(template.text)))
        assert len(sheet) == rows, f"the template has {len(sheet)} rows"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(sheet[0].keys()))
        writer.writeheader()
        for i, row in enumerate(sheet):
            writer.writerow({**row, "Care Plans": str(1 + i % 40), "Reviews": str(i % 7)})
        body = out.getvalue().encode()

        def upload():
            began = time.perf_counter()
            answer = call("POST", f"/services/{sid}/bulk-claims?period={quarter}", tier1, data=body,
                          headers={"content-type": "text/csv"})
            return answer, time.perf_counter() - began

        first, first_seconds = upload()
        assert first.status_code == 200, first.text
        report = first.json()
        again, again_seconds = upload()
        assert again.status_code == 200, again.text

        created = [r["claimId"] for r in report["rows"] if r["outcome"] == "created"]
        units = 0
        items = 0
        for claim_id in created:
            partition = table.query(TableName=started["tableName"], KeyConditionExpression="PK = :pk",
                                    ExpressionAttributeValues={":pk": {"S": f"CLAIM#{claim_id}"}})["Items"]
            items += len(partition)
            units += sum(write_units(item) for item in partition)
        for code in codes:
            marker = table.get_item(TableName=started["tableName"], Key={"PK": {"S": f"ORG#{code}"},
                                                                         "SK": {"S": f"CLAIMED#{sid}#{year[:4]}-{year[5:]}-{quarter}"}})
            if "Item" in marker:
                items += 1
                units += write_units(marker["Item"])
            audit = table.query(TableName=started["tableName"], KeyConditionExpression="PK = :pk",
                                FilterExpression="#a = :entered", ExpressionAttributeNames={"#a": "action"},
                                ExpressionAttributeValues={":pk": {"S": f"AUDIT#{code}"},
                                                           ":entered": {"S": "claim.entered"}})["Items"]
            items += len(audit)
            units += sum(write_units(item) for item in audit)
        units += 1  # the claim id counter, once for the whole upload
        # Each claim also moves three report totals (by service and period, by practice and service, by
        # practice for the period), each a small item (< 1 KB): 2 units apiece in the transaction.
        cells = 3 * len(created)
        units += 2 * cells
        items += cells
        print(f"\nRows: {rows}; first upload: {report['created']} claims created in {first_seconds:.2f} s "
              f"({rows / first_seconds:.0f} rows/s)")
        print(f"Second upload of the same file: {again.json()['created']} created, "
              f"{again.json()['alreadyClaimed']} already claimed, in {again_seconds:.2f} s")
        print(f"Items written: {items}; write units: {units} ({units / max(len(created), 1):.1f} per claim)")
        return 0 if report["created"] == rows and again.json()["created"] == 0 else 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
