"""What each route costs, from the completion line every request logs (an
SDK interceptor counts its AWS calls and how many ran one after another):
read after the whole suite, so every route has been called many times. No
route ever scans; a read answers in at most 2 sequential DynamoDB round trips
and a change in at most 3, the caller's own read counted (a warm process's:
the lookup of a person's user id on a process's first request for them is
logged as `caller_lookup` and not counted; so is a list's read of its
organisation after the caller's account when the process had nothing of theirs
to guess it from, `organisation_read_after`). Requests that met contention or
a condition that moved on (`failed_calls`) may have tried again and are left
out, as are retries that found their `Idempotency-Key` used before
(`keyed_repeat`: answered from what the first request did). Calls made together can look sequential on a busy machine (a late poll),
never the reverse, so a route's cost is the fewest rounds seen for each shape
of request (how many calls it made), the most of those.

Routes still over budget are listed with the most they may take now, so none
gets worse; a route mended is taken off the list and held to the budget."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "infra"))
import cfn  # noqa: E402

LOG = ROOT / ".local" / "logs" / "functions.log"

READ_BUDGET, CHANGE_BUDGET = 2, 3

#: Routes that work through a batch (a payment run's claims, a bulk upload's
#: rows): their round trips grow with the batch, bounded by the time each may
#: run before handing on to its queue. They must still never scan.
BATCH_ROUTES = {"POST /payment-runs", "POST /payment-runs/{id}/confirm", "POST /services/{id}/bulk-claims",
                "POST /organisations/import"}

#: Over budget (issue 14, part 3): the most each may take until it is mended.
#: None now; a route that cannot keep its budget is listed here with the most it
#: took, plus one, so it gets no worse.
OVER_BUDGET: dict[str, int] = {}


def route_costs() -> dict[str, dict[str, int]]:
    routes = [(r.method, re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", r.path) + "$"), f"{r.method} {r.path}")
              for r in cfn.routes(cfn.load_template())]
    costs: dict[str, dict[str, int]] = {}
    for line in LOG.read_text(errors="replace").splitlines():
        if '"request completed"' not in line:
            continue
        try:
            entry = json.loads(line[line.index("{"):])
        except (ValueError, json.JSONDecodeError):
            continue
        fields, span = entry.get("fields", {}), entry.get("span", {})
        if not 200 <= fields.get("status", 500) < 300 or "dynamodb_rounds" not in fields:
            continue
        route = next((name for method, pattern, name in routes
                      if method == span.get("method") and pattern.match(span.get("path", ""))), None)
        if route is None:
            continue
        seen = costs.setdefault(route, {"rounds": 0, "scans": 0, "requests": 0, "by_calls": {}})
        seen["scans"] += fields.get("scans", 0)
        seen["requests"] += 1
        # A request with a call answered by an error (contention, a condition
        # that moved on) may have tried again: not the route's usual cost.
        if fields.get("failed_calls", 0) or fields.get("keyed_repeat", False):
            continue
        # A process's first request for a person also looks up their user id
        # (cached after, as a warm Lambda keeps it): one more round, not counted.
        # So is the read of the organisation a list is about, when the caller
        # did not name it and the process has nothing of theirs to guess it from.
        cold = [fields.get("caller_lookup", False), fields.get("organisation_read_after", False)]
        rounds = fields["dynamodb_rounds"] - sum(1 for flag in cold if flag)
        # Calls made together can look one after another when the machine is
        # busy (never the reverse): a route's cost is the fewest rounds seen
        # for each shape of request (its number of calls), the most of those.
        shape = (fields.get("dynamodb_calls", 0), *map(bool, cold))
        seen["by_calls"][shape] = min(seen["by_calls"].get(shape, rounds), rounds)
        seen["rounds"] = max(seen["by_calls"].values())
    return costs


@pytest.mark.after_everything
def test_every_route_keeps_its_round_trip_budget_and_never_scans():
    if not LOG.exists():
        pytest.skip("no functions log: the local stack was started elsewhere")
    costs = route_costs()
    assert len(costs) >= 40, f"too few routes were called to judge: {sorted(costs)}"
    problems = []
    for route, seen in sorted(costs.items()):
        budget = READ_BUDGET if route.startswith("GET ") else CHANGE_BUDGET
        allowed = None if route in BATCH_ROUTES else OVER_BUDGET.get(route, budget)
        if seen["scans"]:
            problems.append(f"{route} scanned the table ({seen['scans']} times)")
        # Fewer than three requests of a route is too few to tell its cost from a late poll.
        if allowed is not None and seen["requests"] >= 3 and seen["rounds"] > allowed:
            problems.append(f"{route} took {seen['rounds']} sequential DynamoDB round trips (at most {allowed})")
    assert not problems, "\n".join(problems)
