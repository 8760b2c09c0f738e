"""What 1,000 claims cost in AWS, end to end, from what one claim's journey is
measured to use (docs/COST.md).

Starts a private local stack and takes one claim through everything the guides
describe — the practice manager finds what can be claimed, starts a claim, adds
its services and lines, enters units and answers, attaches a PDF (uploaded to
S3 and checked by scan-evidence), submits and views the list; Tier 1 and Tier 2
open their work lists and the claim (Tier 1 downloads the evidence) and approve;
Finance starts a payment run, waits for it, confirms it and exports it; the
practice opens its remittance. Every email the steps send goes through the mail
queue and SES.

Measured for the journey:
- Lambda: each request's and each queue batch's own duration (the completion
  lines' `duration_ms`), billed per ms at the memory template.yaml gives the
  function, and one request charge each;
- API Gateway: one HTTP API request per API call;
- DynamoDB: read and write capacity units as DynamoDB meters them, worked out by
  the emulator from the items each call read and wrote, indexes included
  (infra/usage.py); the table's growth in bytes;
- SQS, S3 and SES: the requests the functions and the browser made (each queued
  message also costs the poller's receive and delete); the evidence kept;
- CloudWatch Logs: the bytes the functions logged.

Then multiplied by 1,000 at eu-west-2 list prices (PRICES: check them against
the AWS pricing pages before relying on the figure). Durations come from debug
builds on this machine against the emulator: slower than release builds on
Graviton, so the Lambda figure is an upper bound.

    .venv/bin/python infra/bench/cost.py [CLAIMS=1000]
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import private_stack  # noqa: E402

local = private_stack.use("cost", emulator_port=4586, api_port=9020, clamd_port=3330)

import cfn  # noqa: E402
import sample_files  # noqa: E402
from together import wait_until  # noqa: E402
from usage import item_size  # noqa: E402

#: eu-west-2 (London) list prices in US dollars, on-demand, without free tiers.
PRICES = {
    "lambda_gb_second_arm64": 0.0000133334,
    "lambda_request": 0.20 / 1e6,
    "http_api_request": 1.11 / 1e6,
    "dynamodb_write_unit": 0.7425 / 1e6,
    "dynamodb_read_unit": 0.1485 / 1e6,
    "dynamodb_gb_month": 0.2975,
    "sqs_request": 0.40 / 1e6,
    "s3_put_request": 0.0053 / 1000,
    "s3_get_request": 0.00042 / 1000,
    "s3_gb_month": 0.024,
    "ses_email": 0.10 / 1000,
    "logs_ingested_gb": 0.5985,
    # Fixed, per month (730 hours), whatever the number of claims.
    "fargate_arm64_vcpu_hour": 0.03725,
    "fargate_arm64_gb_hour": 0.00409,
    "interface_endpoint_az_hour": 0.011,
    "alarm_month": 0.10,
}
HOURS_A_MONTH = 730


def fixed_monthly() -> list[tuple[str, float]]:
    """What runs whatever the claims, from template.yaml: the malware engine's
    Fargate tasks, the interface endpoints its private subnets use, the alarms."""
    resources = cfn.load_template()["Resources"]
    items = []
    for name, spec in resources.items():
        props = spec.get("Properties", {})
        if spec["Type"] == "AWS::ECS::Service":
            task = next(r for r in resources.values() if r["Type"] == "AWS::ECS::TaskDefinition")["Properties"]
            vcpu, gb = int(task["Cpu"]) / 1024, int(task["Memory"]) / 1024
            hourly = vcpu * PRICES["fargate_arm64_vcpu_hour"] + gb * PRICES["fargate_arm64_gb_hour"]
            count = props.get("DesiredCount", 1)
            items.append((f"{name}: {count} Fargate tasks of {vcpu:g} vCPU, {gb:g} GB (arm64)",
                          count * hourly * HOURS_A_MONTH))
        if spec["Type"] == "AWS::EC2::VPCEndpoint" and props.get("VpcEndpointType") == "Interface":
            zones = len(props.get("SubnetIds", []))
            items.append((f"{name}: interface endpoint in {zones} zones",
                          zones * PRICES["interface_endpoint_az_hour"] * HOURS_A_MONTH))
    alarms = sum(1 for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm")
    items.append((f"{alarms} CloudWatch alarms", alarms * PRICES["alarm_month"]))
    return items


def memory_of_functions() -> dict[str, int]:
    template = cfn.load_template()
    default = template["Globals"]["Function"]["MemorySize"]
    return {cfn.binary(spec): spec["Properties"].get("MemorySize", default)
            for spec in cfn.functions(template).values()}


class Journey:
    def __init__(self, started: dict):
        self.started = started
        self.api = started["apiUrl"]
        self.session = requests.Session()
        self.tokens = {who: private_stack.access_token(started, who)
                       for who in ("priya.shah", "tess.walker", "uma.reid", "fay.morgan")}
        self.calls = 0
        self.usage_url = f"{started['emulatorEndpoint']}/_local/usage"
        #: DynamoDB units each API call used, by route (what its own request read and wrote).
        self.steps: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])

    def units(self) -> tuple[float, float]:
        dynamodb = requests.get(self.usage_url, timeout=10).json()["dynamodb"]
        return dynamodb["readUnits"], dynamodb["writeUnits"]

    def call(self, who: str, method: str, path: str, body=None, headers=None, expect=(200, 201)) -> dict:
        self.calls += 1
        read, written = self.units()
        response = self.session.request(method, self.api + path, json=body, timeout=120,
                                        headers={"Authorization": f"Bearer {self.tokens[who]}", **(headers or {})})
        read_after, written_after = self.units()
        step = self.steps[f"{method} {cfn.route_of(method, path)}"]
        step[0] += 1
        step[1] += read_after - read
        step[2] += written_after - written
        if response.status_code not in expect:
            raise SystemExit(f"{method} {path} answered {response.status_code}: {response.text}")
        return response.json() if "json" in response.headers.get("content-type", "") else {}

    def one_claim(self) -> dict:
        practice = "priya.shah"
        self.call(practice, "GET", "/providers/A81001/claims/availability")
        claim = self.call(practice, "POST", "/claims", {"provider": "A81001"})
        cid = claim["id"]
        self.call(practice, "POST", f"/claims/{cid}/services", {"all": True})
        screen = self.call(practice, "POST", f"/claims/{cid}/lines", {"all": True})
        version = screen["version"]
        lines = {line["name"]: line for line in screen["claimPane"]["lines"]}
        for name, body in [("Complex Care Plans", {"units": 12}), ("Ear Irrigation", {"units": 3}),
                           ("Depot Antipsychotic Injections", {"units": 4, "answers": {"q1": True}})]:
            version = self.call(practice, "PATCH", f"/claims/{cid}/lines/{lines[name]['id']}", body,
                                {"If-Match": f'"{version}"'})["version"]
        evidence = sample_files.pdf("Registered practice: The Densham Surgery. 3 patients.")
        line_id = lines["Ear Irrigation"]["id"]
        offered = self.call(practice, "POST", f"/claims/{cid}/lines/{line_id}/attachments",
                            {"fileName": "ear-irrigation.pdf", "contentType": "application/pdf", "size": len(evidence)})
        upload = offered["upload"]
        put = self.session.put(upload["url"], data=evidence, headers={"content-type": "application/pdf"}, timeout=60)
        put.raise_for_status()
        attachment = offered["attachment"]["id"]

        def clean():
            line = next(li for li in self.call(practice, "GET", f"/claims/{cid}")["claimPane"]["lines"]
                        if li["id"] == line_id)
            return next((f for f in line["attachments"] if f["status"] == "clean"), None)

        wait_until(clean, "the evidence to be checked", timeout=60, every=0.5)
        self.call(practice, "POST", f"/claims/{cid}/submit", {"confirm": True})
        self.call(practice, "GET", "/claims?provider=A81001")
        for stage, reviewer in (("tier1", "tess.walker"), ("tier2", "uma.reid")):
            self.call(reviewer, "GET", f"/reviews?stage={stage}")
            self.call(reviewer, "GET", f"/claims/{cid}")
            if stage == "tier1":
                self.call(reviewer, "GET", f"/claims/{cid}/lines/{line_id}/attachments/{attachment}")
            self.call(reviewer, "POST", f"/claims/{cid}/decisions", {"stage": stage, "decision": "approve"})
        finance = "fay.morgan"
        pay_on = (date.today() + timedelta(days=7)).isoformat()
        run = self.call(finance, "POST", "/payment-runs", {"commissioner": "QHM", "paymentDate": pay_on})
        run_id = run["id"]
        wait_until(lambda: self.call(finance, "GET", f"/payment-runs/{run_id}")["status"]["code"] == "ready",
                   "the run to be ready", timeout=60, every=0.5)
        self.call(finance, "POST", f"/payment-runs/{run_id}/confirm", {"confirm": True})
        wait_until(lambda: self.call(finance, "GET", f"/payment-runs/{run_id}")["status"]["code"] == "confirmed",
                   "the run to be confirmed", timeout=60, every=0.5)
        self.call(finance, "GET", f"/payment-runs/{run_id}/export")
        self.call(practice, "GET", "/providers/A81001/remittances")
        self.call(practice, "GET", f"/providers/A81001/remittances/{run_id}")
        return {"claim": cid, "run": run, "evidenceBytes": len(evidence)}


def completion_lines(log: Path, offset: int) -> tuple[list[dict], int]:
    with open(log, encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        text = handle.read()
    lines = []
    for line in text.splitlines():
        if '"request completed"' in line or '"batch completed"' in line:
            try:
                lines.append(json.loads(line[line.index("{"):]))
            except ValueError:
                continue
    return lines, len(text.encode())


def table_bytes(started: dict) -> int:
    dynamodb = private_stack.emulated(started, "dynamodb")
    total = 0
    for page in dynamodb.get_paginator("scan").paginate(TableName=started["tableName"]):
        total += sum(item_size(item) for item in page["Items"])
    return total


def quiet(usage_url: str, seconds: float = 3.0) -> None:
    """Waits until the emulator has seen no request but the queue pollers' for a while."""
    before = None
    while True:
        now = requests.get(usage_url, timeout=10).json()["requests"]
        busy = {k: v for k, v in now.items() if k not in ("sqs.ReceiveMessage", "sqs.GetQueueAttributes")}
        if busy == before:
            return
        before = busy
        time.sleep(seconds)


def main() -> int:
    claims, = private_stack.numbers(1000)
    stack = local.Stack()
    try:
        started = stack.start()
        usage_url = f"{started['emulatorEndpoint']}/_local/usage"
        log = local.LOGS / "functions.log"
        journey = Journey(started)
        quiet(usage_url)
        bytes_before = table_bytes(started)
        requests.get(usage_url, params={"reset": 1}, timeout=10)
        offset = log.stat().st_size
        outcome = journey.one_claim()
        quiet(usage_url)
        usage = requests.get(usage_url, timeout=10).json()
        lines, logged_bytes = completion_lines(log, offset)
        grown = table_bytes(started) - bytes_before
        report(claims, outcome, usage, lines, logged_bytes, grown, journey.calls)
        print(f"\n{'DynamoDB units by API call':<52} {'calls':>5} {'read':>7} {'write':>7}")
        for step, (count, read, written) in sorted(journey.steps.items(), key=lambda kv: -kv[1][2]):
            print(f"{step:<52} {count:>5} {read:>7.1f} {written:>7.1f}")
        stepped = [sum(v[i] for v in journey.steps.values()) for i in (1, 2)]
        print(f"{'(queues: mail, evidence check, payment run)':<52} {'':>5} "
              f"{usage['dynamodb']['readUnits'] - stepped[0]:>7.1f} {usage['dynamodb']['writeUnits'] - stepped[1]:>7.1f}")
        return 0
    finally:
        stack.stop()


def report(claims: int, outcome: dict, usage: dict, lines: list[dict], logged_bytes: int, grown: int,
           api_calls: int) -> None:
    memory = memory_of_functions()
    routes = cfn.route_matchers()
    invocations: Counter[str] = Counter()
    gb_seconds: defaultdict[str, float] = defaultdict(float)
    queued_messages = 0
    for entry in lines:
        fields, span = entry.get("fields", {}), entry.get("span", {})
        function = fields.get("function")
        if not function:
            path = span.get("path", "")
            function = next((f for m, rx, f, _ in routes if m == span.get("method") and rx.match(path)), "?")
        else:
            queued_messages += int(fields.get("messages", 0))
        invocations[function] += 1
        gb_seconds[function] += memory.get(function, 256) / 1024 * math.ceil(float(fields.get("duration_ms", 0)) or 1) / 1000
    requests_made = usage["requests"]
    sqs_sent = sum(v for k, v in requests_made.items() if k in ("sqs.SendMessage", "sqs.SendMessageBatch"))
    s3_puts = sum(v for k, v in requests_made.items() if k.startswith("s3.") and k != "s3.GET")
    s3_gets = requests_made.get("s3.GET", 0)
    emails = requests_made.get("ses.SendEmail", 0)
    per_claim = {
        "Lambda compute (GB-s)": (sum(gb_seconds.values()), PRICES["lambda_gb_second_arm64"]),
        "Lambda requests": (sum(invocations.values()), PRICES["lambda_request"]),
        "API Gateway HTTP requests": (api_calls, PRICES["http_api_request"]),
        "DynamoDB write units": (usage["dynamodb"]["writeUnits"], PRICES["dynamodb_write_unit"]),
        "DynamoDB read units": (usage["dynamodb"]["readUnits"], PRICES["dynamodb_read_unit"]),
        "SQS requests (sent, then received and deleted)": (sqs_sent + 2 * queued_messages, PRICES["sqs_request"]),
        "S3 PUT/COPY/DELETE requests": (s3_puts, PRICES["s3_put_request"]),
        "S3 GET requests": (s3_gets, PRICES["s3_get_request"]),
        "SES emails": (emails, PRICES["ses_email"]),
        "CloudWatch Logs ingested (GB)": (logged_bytes / 1e9, PRICES["logs_ingested_gb"]),
    }
    print(f"One claim's journey (claim {outcome['claim']}, run {outcome['run']['id']}): {api_calls} API calls, "
          f"{sum(invocations.values())} Lambda invocations, table grew {grown} bytes, "
          f"evidence {outcome['evidenceBytes']} bytes\n")
    print(f"{'function':<28} {'invocations':>11} {'GB-s':>10}")
    for function, count in invocations.most_common():
        print(f"{function:<28} {count:>11} {gb_seconds[function]:>10.4f}")
    print(f"\nAWS requests seen by the emulator: {json.dumps(requests_made)}\n")
    print(f"{'item':<48} {'per claim':>12} {f'x {claims:,}':>14} {'USD':>10}")
    total = 0.0
    for item, (quantity, price) in per_claim.items():
        cost = quantity * claims * price
        total += cost
        print(f"{item:<48} {quantity:>12.4f} {quantity * claims:>14.2f} {cost:>10.4f}")
    stored_gb = (grown + outcome["evidenceBytes"]) * claims / 1e9
    storage = grown * claims / 1e9 * PRICES["dynamodb_gb_month"] + \
        outcome["evidenceBytes"] * claims / 1e9 * PRICES["s3_gb_month"]
    print(f"{'one-off total':<48} {'':>12} {'':>14} {total:>10.4f}")
    print(f"{'then kept, per month (DynamoDB + S3 evidence)':<48} {'':>12} {stored_gb:>13.4f}G {storage:>10.4f}")
    print("\nFixed, per month, whatever the number of claims:")
    for item, cost in fixed_monthly():
        print(f"  {item:<70} {cost:>10.2f}")


if __name__ == "__main__":
    sys.exit(main())
