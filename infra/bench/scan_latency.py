"""Evidence scan latency, throughput and memory, on a private local stack with
the real clamd (its own ports, settings and logs, demo data).

For 1 KB, 1 MB and 20 MB PDFs (a page of text and a scanned-image stream, as
real evidence is), each uploaded several times to the demo practice's claim:

- end to end: from the presigned PUT returning (S3 has the object and sends
  the event) until the claim screen shows the attachment clean — the local
  dispatcher's SQS poll, the scan function, and the screen's own poll;
- the scan function's own time per file (its `checked_ms`: read the object,
  sniff, clamd INSTREAM, text, record) and so its throughput in MB/s;
- the scan function's peak resident memory (its `peak_memory_mb`), against the
  1024 MB template.yaml gives it.

    .venv/bin/python infra/bench/scan_latency.py [repeats]

The functions run as release builds (as deployed), built on first use:
allow some minutes the first time. LOCAL_CLAIMS_RELEASE= (empty) runs the
debug builds instead.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import private_stack  # noqa: E402

os.environ.setdefault("LOCAL_CLAIMS_RELEASE", "1")
local = private_stack.use("bench-scan", emulator_port=4586, api_port=9020, clamd_port=3330)

import cfn  # noqa: E402
from sample_files import pdf  # noqa: E402

SIZES = [("1 KB", 1024), ("1 MB", 1024 * 1024), ("20 MB", 20 * 1024 * 1024)]
TEMPLATE_MEMORY_MB = cfn.load_template()["Resources"]["ScanEvidenceFunction"]["Properties"]["MemorySize"]


def pdf_of_size(size: int) -> bytes:
    """A one-page PDF with a line of text and an image stream filling it to `size`."""
    skeleton = len(pdf("Reviews held in April: 12", image=b"x"))
    return pdf("Reviews held in April: 12", image=random.Random(size).randbytes(max(16, size - skeleton)))


def main() -> int:
    repeats, = private_stack.numbers(5)
    stack = local.Stack()
    try:
        started = stack.start()
        api = started["apiUrl"]
        session = requests.Session()

        def call(token: str, method: str, path: str, body=None, headers=None) -> requests.Response:
            response = session.request(method, api + path, json=body, timeout=120,
                                       headers={"Authorization": f"Bearer {token}", **(headers or {})})
            if response.status_code >= 300:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
            return response

        admin, practice = private_stack.access_tokens(started, "aisha.khan", "priya.shah")
        today = date.today()
        year_start = today.year if today.month >= 4 else today.year - 1
        quarter = f"Q{(today.month - 4) % 12 // 3 + 1}"
        service = call(admin, "POST", "/services", {"name": "Scan benchmark", "claimPeriods": "quarterly",
                                                    "financialYear": f"{year_start}/{(year_start + 1) % 100:02d}"}).json()
        sid = service["id"]
        call(admin, "POST", f"/services/{sid}/components", {
            "name": "Scanned evidence", "payment": {"type": "per_unit", "unitPrice": "1.00", "unitLabel": "File"},
            "evidence": {"requiredFromUnits": 1, "guidance": "Any scanned list", "maxBytes": 25 * 1024 * 1024,
                         "accepted": [{"extension": "pdf", "contentType": "application/pdf"}]}})
        call(admin, "POST", f"/services/{sid}/windows", {"period": quarter, "opens": today.isoformat(),
                                                         "closes": (today + timedelta(days=5)).isoformat()})
        call(admin, "POST", f"/services/{sid}/offers", {"providers": ["A81001"]})
        call(practice, "POST", f"/offers/{sid}.A81001/accept")
        claim = call(practice, "POST", "/claims", {"provider": "A81001"}).json()
        cid = claim["id"]
        call(practice, "POST", f"/claims/{cid}/services", {"all": True})
        screen = call(practice, "POST", f"/claims/{cid}/lines", {"all": True}).json()
        line = next(l for l in screen["claimPane"]["lines"] if l["name"] == "Scanned evidence")
        call(practice, "PATCH", f"/claims/{cid}/lines/{line['id']}", {"units": 1},
             {"If-Match": f'"{screen["version"]}"'})
        log = local.LOGS / "functions.log"

        def scan_once(data: bytes) -> tuple[float, dict]:
            offered = call(practice, "POST", f"/claims/{cid}/lines/{line['id']}/attachments",
                           {"fileName": "scan.pdf", "contentType": "application/pdf", "size": len(data)}).json()
            attachment_id = offered["attachment"]["id"]
            offset = log.stat().st_size
            put = session.put(offered["upload"]["url"], data=data, headers={"content-type": "application/pdf"},
                              timeout=120)
            put.raise_for_status()
            uploaded = time.perf_counter()
            while True:
                screen = call(practice, "GET", f"/claims/{cid}").json()
                lines = {l["id"]: l for l in screen["claimPane"]["lines"]}
                status = next(f["status"] for f in lines[line["id"]]["attachments"] if f["id"] == attachment_id)
                if status in ("clean", "refused"):
                    break
                time.sleep(0.02)
            elapsed = (time.perf_counter() - uploaded) * 1000
            if status != "clean":
                raise RuntimeError(f"the benchmark file was refused: {lines[line['id']]['attachments']}")
            call(practice, "DELETE", f"/claims/{cid}/lines/{line['id']}/attachments/{attachment_id}")
            return elapsed, function_fields(log, offset, attachment_id)

        for _ in range(local.CONCURRENCY + 1):  # warm every instance
            scan_once(pdf_of_size(1024))
        print(f"scan function memory: {TEMPLATE_MEMORY_MB} MB (template.yaml); {repeats} files per size\n")
        print(f"{'file':>6} {'end to end ms (median / max)':>30} {'function ms (median)':>22} {'MB/s':>7}"
              f"   of which: form / clamd / text ms")
        peak = 0
        for label, size in SIZES:
            data = pdf_of_size(size)
            results = [scan_once(data) for _ in range(repeats)]
            end_to_end = [r[0] for r in results]
            function_ms = [int(r[1].get("checked_ms", 0)) for r in results]
            peak = max([peak] + [int(r[1].get("peak_memory_mb", 0)) for r in results])
            median_ms = statistics.median(function_ms)
            throughput = (size / 1024 / 1024) / (median_ms / 1000) if median_ms else float("nan")
            parts = " / ".join(f"{statistics.median(int(r[1].get(k, 0)) for r in results):.0f}"
                               for k in ("form_ms", "engine_ms", "text_ms"))
            print(f"{label:>6} {statistics.median(end_to_end):>18.0f} / {max(end_to_end):<9.0f} "
                  f"{median_ms:>22.0f} {throughput:>7.1f}   {parts:>20}")
        print(f"\npeak memory of a scan function process: {peak} MB of {TEMPLATE_MEMORY_MB} MB")
        return 0 if 0 < peak < TEMPLATE_MEMORY_MB else 1
    finally:
        stack.stop()


def function_fields(log: Path, offset: int, attachment_id: str, timeout: float = 10) -> dict:
    """The scan's `checked_ms` for this attachment and the process's peak memory
    after it, from the function's own log lines."""
    deadline = time.time() + timeout
    fields: dict = {}
    while time.time() < deadline:
        with open(log, encoding="utf-8", errors="replace") as handle:
            handle.seek(offset)
            for text in handle.read().splitlines():
                if "{" not in text:
                    continue
                try:
                    record = json.loads(text[text.index("{"):]).get("fields", {})
                except ValueError:
                    continue
                if record.get("attachment_id") == attachment_id and "form_ms" in record:
                    fields.update({k: record[k] for k in ("form_ms", "engine_ms", "text_ms")})
                elif record.get("attachment_id") == attachment_id and "checked_ms" in record:
                    fields["checked_ms"] = record["checked_ms"]
                elif "peak_memory_mb" in record and "checked_ms" in fields:
                    fields["peak_memory_mb"] = record["peak_memory_mb"]
                    return fields
        time.sleep(0.1)
    return fields


if __name__ == "__main__":
    sys.exit(main())
