"""DynamoDB calls and sequential round trips per claims route (warm functions,
one request at a time), as each request's completion line reports them: an
SDK interceptor in every function times each AWS call, and a call that started
before every earlier call of the request had finished ran alongside them.

Starts a private local stack (its own ports, settings and logs, demo data),
makes the guides' worked example as the demo practice manager, has the demo
reviewers list and decide it at Tier 1 and Tier 2, and prints per
route the calls and the sequential rounds. The caller's own
account read is counted (its sign-in subject is cached per process, as a warm
Lambda keeps it).

    .venv/bin/python infra/bench/round_trips.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import private_stack  # noqa: E402

local = private_stack.use("bench", emulator_port=4576, api_port=9010, clamd_port=3320)

#: The budgets the claims issue sets (sequential round trips, the caller's own read counted).
BUDGETS = {"GET /claims/{id}": 2, "PATCH /claims/{id}/lines/{lineId}": 2, "POST /claims": 3,
           "POST /claims/{id}/submit": 3,
           # The review issue: a decision in 2, a work-list page one query (beside the caller's own read).
           "POST /claims/{id}/decisions": 2, "GET /reviews": 2}


def main() -> int:
    stack = local.Stack()
    try:
        started = stack.start()
        api = started["apiUrl"]
        token = private_stack.access_token(started, "priya.shah")
        reviewers = {"tier1": private_stack.access_token(started, "tess.walker"),
                     "tier2": private_stack.access_token(started, "uma.reid")}
        session = requests.Session()

        def call(method: str, path: str, body=None, headers=None, as_token=None) -> requests.Response:
            all_headers = {"Authorization": f"Bearer {as_token or token}", **(headers or {})}
            return session.request(method, api + path, json=body, headers=all_headers, timeout=120)

        log = local.LOGS / "functions.log"

        def completion_after(offset: int) -> dict:
            with open(log, encoding="utf-8", errors="replace") as handle:
                handle.seek(offset)
                lines = handle.read().splitlines()
            for line in reversed(lines):
                if '"request completed"' in line:
                    return json.loads(line[line.index("{"):]).get("fields", {})
            return {}

        def measured(label: str, method: str, path: str, body=None, headers=None, as_token=None) -> requests.Response:
            offset = log.stat().st_size
            response = call(method, path, body, headers, as_token)
            fields = completion_after(offset)
            used = int(fields.get("dynamodb_rounds", -1))
            scans.append(int(fields.get("scans", 0)))
            budget = BUDGETS.get(label)
            verdict = "" if budget is None else ("ok" if 0 <= used <= budget else f"OVER budget {budget}")
            print(f"{label:<45} {response.status_code:>4} {fields.get('dynamodb_calls', '?'):>6} {used:>7}   {verdict}")
            results.append((label, budget, used))
            return response

        results: list[tuple[str, int | None, int]] = []
        scans: list[int] = []
        # Warm every instance of every function (each process caches the sign-in once).
        warm = call("POST", "/claims", {"provider": "A81001"}).json()["id"]
        for _ in range(local.CONCURRENCY + 1):
            for method, path, body in [
                ("GET", f"/claims/{warm}", None), ("GET", "/providers/A81001/claims/availability", None),
                ("GET", "/claims", None), ("POST", f"/claims/{warm}/submit", {"confirm": False}),
                ("POST", f"/claims/{warm}/services", {"services": []}),
                ("POST", f"/claims/{warm}/lines", {"components": []}), ("PATCH", f"/claims/{warm}/lines/none", {}),
                ("DELETE", f"/claims/{warm}/lines/none", None), ("DELETE", f"/claims/{warm}/lines", None),
                ("POST", "/claims", {"provider": "B81001"}), ("DELETE", "/claims/1", None),
            ]:
                call(method, path, body)
            for reviewer in reviewers.values():
                call("GET", "/reviews?stage=tier1", as_token=reviewer)
                call("POST", f"/claims/{warm}/decisions", {}, as_token=reviewer)

        print(f"{'route':<45} {'HTTP':>4} {'calls':>6} {'rounds':>7}   budget")
        measured("GET /providers/{code}/claims/availability", "GET", "/providers/A81001/claims/availability")
        claim = measured("POST /claims", "POST", "/claims", {"provider": "A81001"}).json()
        cid = claim["id"]
        measured("POST /claims/{id}/services", "POST", f"/claims/{cid}/services", {"all": True})
        screen = measured("POST /claims/{id}/lines", "POST", f"/claims/{cid}/lines", {"all": True}).json()
        measured("GET /claims/{id}", "GET", f"/claims/{cid}")
        version = screen["version"]
        lines = {line["name"]: line for line in screen["claimPane"]["lines"]}
        for name, body in [("Complex Care Plans", {"units": 12}), ("Ear Irrigation", {"units": 0}),
                           ("Depot Antipsychotic Injections", {"units": 4, "answers": {"q1": True}})]:
            edited = measured("PATCH /claims/{id}/lines/{lineId}", "PATCH", f"/claims/{cid}/lines/{lines[name]['id']}",
                              body, {"If-Match": f'"{version}"'})
            version = edited.json()["version"]
        measured("POST /claims/{id}/submit", "POST", f"/claims/{cid}/submit", {"confirm": True})
        measured("GET /claims", "GET", "/claims?provider=A81001")
        measured("GET /reviews", "GET", "/reviews?stage=tier1", as_token=reviewers["tier1"])
        for stage in ("tier1", "tier2"):
            decided = measured("POST /claims/{id}/decisions", "POST", f"/claims/{cid}/decisions",
                               {"stage": stage, "decision": "approve"}, as_token=reviewers[stage])
            assert decided.status_code == 200, decided.text
        spare = call("POST", "/claims", {"provider": "A81001"})
        if spare.status_code == 201:
            measured("DELETE /claims/{id}", "DELETE", f"/claims/{spare.json()['id']}")
        over = [label for label, budget, used in results if budget is not None and used > budget]
        print(f"\nScans: {sum(scans)}; routes over budget: {', '.join(over) or 'none'}")
        return 1 if over or sum(scans) else 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
