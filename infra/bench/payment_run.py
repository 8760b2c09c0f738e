"""A payment run of 10,000+ claim lines, and a claims report over 10,000 claims.

Starts a private local stack (its own ports, settings and logs, demo data). The
demo ICB administrator makes SERVICES services of three components each (two
paid per unit and a retainer: three claim lines a claim) and PRACTICES
practices, offers every service to every practice and marks the offers
accepted straight in the table; the demo Tier 1 approver bulk-uploads a claim
for every practice and service (SERVICES × PRACTICES claims, each moving the
report totals as it is entered). The claims of the first RUN_SERVICES services
are then approved by the demo Tier 2 approver (the enterer may not). Then,
timed:

- the claims report by service and by status (a handful of queries of the
  running totals, whatever the number of claims);
- POST /payment-runs as the demo Finance user, until the run is ready (what the
  request cannot collect goes on from the payment run queue);
- POST /payment-runs/{id}/confirm, until every claim is paid;
- the finance export, whose total must equal the run's.

    .venv/bin/python infra/bench/payment_run.py [practices] [services] [run services]

The defaults (500 × 20, 7 paid: 10,000 claims, 10,500 lines in the run) are the
issue's figures; the set-up takes about 25 minutes on 2 cores (the emulator
serialises DynamoDB calls), the timed part about 7. Smaller runs (say 100 × 10,
5 paid) finish in minutes. Exits non-zero unless every claim was paid and the
export's total is the run's to the penny.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import private_stack  # noqa: E402
from private_stack import this_quarter  # noqa: E402

local = private_stack.use("bench-pay", emulator_port=4546, api_port=9050, clamd_port=3360)


def main() -> int:
    practices, services, run_services = private_stack.numbers(500, 20, 7)
    stack = local.Stack()
    try:
        started = stack.start()
        admin, tier1, finance, tier2 = private_stack.access_tokens(
            started, "aisha.khan", "tess.walker", "fay.morgan", "uma.reid")
        call = private_stack.api_caller(started)

        year, quarter = this_quarter()
        codes = [f"Y{n:05d}" for n in range(20000, 20000 + practices)]
        print(f"Making {practices} practices and {services} services…", flush=True)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda code: call("POST", "/organisations", admin, json={
                "code": code, "name": f"Practice {code}", "type": "gp_practice", "commissioner": "QHM"}), codes))
        service_ids = []
        for s in range(services):
            made = call("POST", "/services", admin, json={"name": f"Benchmark service {s:02d}", "financialYear": year,
                                                          "claimPeriods": "quarterly"})
            sid = made.json()["id"]
            service_ids.append(sid)
            for component in [
                {"name": "Care Plans", "payment": {"type": "per_unit", "unitPrice": "193.42", "unitLabel": "Plan"}},
                {"name": "Reviews", "payment": {"type": "per_unit", "unitPrice": "20.00", "unitLabel": "Review"}},
                {"name": "Retainer", "payment": {"type": "retainer", "amount": "250.00", "information": "Quarterly."}},
            ]:
                assert call("POST", f"/services/{sid}/components", admin, json=component).status_code == 201
            assert call("POST", f"/services/{sid}/offers", admin, json={"providers": codes}).status_code == 200
            private_stack.accept_offers(started, sid, codes)
        print(f"Bulk-uploading {practices * services} claims…", flush=True)
        entered: dict[str, list[int]] = {}
        for i, sid in enumerate(service_ids):
            sheet = "ODS code,Care Plans,Reviews\n" + "".join(f"{c},{1 + n % 40},{n % 7}\n" for n, c in enumerate(codes))
            report = call("POST", f"/services/{sid}/bulk-claims?period={quarter}", tier1, data=sheet.encode(),
                          headers={"content-type": "text/csv"}).json()
            entered[sid] = [r["claimId"] for r in report["rows"] if r["outcome"] == "created"]
            assert len(entered[sid]) == practices, report
        payable = [cid for sid in service_ids[:run_services] for cid in entered[sid]]
        print(f"Approving {len(payable)} claims at Tier 2…", flush=True)

        def approve(cid: int) -> None:
            decided = call("POST", f"/claims/{cid}/decisions", tier2, json={"stage": "tier2", "decision": "approve"})
            assert decided.status_code == 200, decided.text

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(approve, payable))

        timings = {}
        for label, query in [("report by service", "groupBy=service"), ("report by status", "groupBy=status"),
                             ("report by practice", "groupBy=provider")]:
            began = time.perf_counter()
            answer = call("GET", f"/reports/claims?{query}", admin)
            timings[label] = time.perf_counter() - began
            assert answer.status_code == 200, answer.text
            claims = answer.json()["total"]["claims"]
        print(f"Reports over {claims} claims: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items()))

        pay_on = (date.today() + timedelta(days=7)).isoformat()
        began = time.perf_counter()
        run = call("POST", "/payment-runs", finance, json={"commissioner": "QHM", "paymentDate": pay_on}).json()
        first_answer = time.perf_counter() - began
        while run["status"]["code"] == "collecting":
            time.sleep(1)
            run = call("GET", f"/payment-runs/{run['id']}?limit=1", finance).json()
        collected = time.perf_counter() - began
        print(f"Run: {run['claims']} claims, {run['lines']} lines, {run['total']['display']}; first answer in "
              f"{first_answer:.1f} s, ready in {collected:.1f} s", flush=True)
        began = time.perf_counter()
        confirm = call("POST", f"/payment-runs/{run['id']}/confirm", finance, json={"confirm": True}).json()
        while confirm["status"]["code"] == "confirming":
            time.sleep(1)
            confirm = call("GET", f"/payment-runs/{run['id']}?limit=1", finance).json()
        confirmed = time.perf_counter() - began
        print(f"Confirmed (every claim paid) in {confirmed:.1f} s", flush=True)
        began = time.perf_counter()
        export = call("GET", f"/payment-runs/{run['id']}/export", finance)
        exported = time.perf_counter() - began
        rows = list(csv.DictReader(io.StringIO(export.text)))
        total = sum(Decimal(r["Value"]) for r in rows)
        print(f"Export: {len(rows)} rows in {exported:.1f} s; total {total} (run {run['total']['amount']})")
        paid = call("GET", "/reports/claims?groupBy=status", admin).json()["rows"]
        print("Report after: " + ", ".join(f"{r['key']} {r['claims']}" for r in paid))
        ok = confirm["status"]["code"] == "confirmed" and total == Decimal(run["total"]["amount"])
        return 0 if ok and run["lines"] >= 10_000 else 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
