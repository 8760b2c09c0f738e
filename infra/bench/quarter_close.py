"""Load at the quarter's close: PRACTICES practices of a new ICB submit their
claims within minutes (the guides' "by 11:59pm" rush) while a Tier 1 and a
Tier 2 reviewer work their lists, on the benchmark's own local stack.

    python infra/bench/quarter_close.py [PRACTICES] [--workers W]

Set-up (the ICB, its people, practices and drafts: infra/chaos.py's World) is
not timed. Then every practice submits, WORKERS at once, as the reviewers
approve what reaches them. From the functions' completion lines of that window
it prints, per route: requests, p50/p99 of the whole request, of the time spent
waiting on AWS calls (here: the emulator, which serialises DynamoDB), of the
function's own time (the rest), and the ratio whole/AWS; the errors; and the
CPU seconds and peak memory of the emulator and of the functions.

Locally the emulator is the floor: a request that waits 40 ms on it waits a few
ms on DynamoDB, so a route's own time (and its ratio) is what carries to AWS.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import private_stack  # noqa: E402

local = private_stack.use("bench-quarter", emulator_port=4606, api_port=9070, clamd_port=3380)

import cfn  # noqa: E402
import chaos  # noqa: E402
from together import wait_until  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """`root` and every process below it."""
    children: defaultdict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[parent].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def usage(pids: list[int]) -> tuple[float, int]:
    """CPU seconds used so far and the largest peak resident memory (bytes) of `pids`."""
    cpu, peak = 0.0, 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / TICKS
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) * 1024)
        except (OSError, IndexError, ValueError):
            continue
    return cpu, peak


def completion_lines(log: Path, offset: int) -> list[dict]:
    with open(log, encoding="utf-8", errors="replace") as handle:
        handle.seek(offset)
        text = handle.read()
    lines = []
    for line in text.splitlines():
        if '"request completed"' in line:
            try:
                lines.append(json.loads(line[line.index("{"):]))
            except ValueError:
                continue
    return lines


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(lines: list[dict]) -> list[str]:
    by_route: defaultdict[str, list[dict]] = defaultdict(list)
    for entry in lines:
        span, fields = entry.get("span", {}), entry.get("fields", {})
        by_route[f"{span.get('method')} {cfn.route_of(span.get('method', ''), span.get('path', ''))}"].append(fields)
    out = [f"{'route':<44} {'n':>5} {'whole p50/p99 ms':>17} {'AWS p50/p99':>12} {'own p50/p99':>12} "
           f"{'whole/AWS p50':>13} {'5xx':>4}"]
    for route, entries in sorted(by_route.items(), key=lambda kv: -len(kv[1])):
        whole = [float(e.get("duration_ms", 0)) for e in entries]
        aws = [float(e.get("aws_ms", 0)) for e in entries]
        own = [w - a for w, a in zip(whole, aws)]
        ratio = [w / a for w, a in zip(whole, aws) if a > 0]
        errors = sum(1 for e in entries if int(e.get("status", 0)) >= 500)
        out.append(f"{route:<44} {len(entries):>5} {percentile(whole, .5):>8.0f}/{percentile(whole, .99):<8.0f} "
                   f"{percentile(aws, .5):>5.0f}/{percentile(aws, .99):<6.0f} "
                   f"{percentile(own, .5):>5.0f}/{percentile(own, .99):<6.0f} "
                   f"{(statistics.median(ratio) if ratio else 0):>13.2f} {errors:>4}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("practices", nargs="?", type=int, default=200)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    stack = local.Stack()
    try:
        started = stack.start()
        emulator_pid, functions_pid = stack.processes[0].pid, stack.processes[-1].pid
        client = chaos.Client(started["apiUrl"], chaos.Tally())
        world = chaos.World(chaos.Stack(started), client).build(
            args.practices, story_of=lambda i: ["submit", "tier1", "tier2"], evidence=False)
        path = chaos.MoneyPath(chaos.Stack(started), client, world)
        with ThreadPoolExecutor(args.workers) as pool:
            list(pool.map(lambda pair: path.draft(*pair), enumerate(world["practices"])))
        print(f"set up {args.practices} practices with drafts", flush=True)

        log = local.LOGS / "functions.log"
        offset = log.stat().st_size
        before = {name: usage(descendants(pid)) for name, pid in (("emulator", emulator_pid),
                                                                  ("functions", functions_pid))}
        submitted, tier1_done = threading.Event(), threading.Event()
        people = world["people"]

        def review(stage: str, who: chaos.Person, after: threading.Event, done: threading.Event) -> None:
            """Approves what reaches the stage's list until nothing more can."""
            while True:
                waiting = client.call("GET", f"/reviews?stage={stage}&commissioner={world['icb']}&limit=50",
                                      who.token)["items"]
                for row in waiting:
                    client.call("POST", f"/claims/{row['id']}/decisions", who.token,
                                {"stage": stage, "decision": "approve"})
                if not waiting:
                    if after.is_set():
                        done.set()
                        return
                    time.sleep(0.5)

        tier1 = threading.Thread(target=review, args=("tier1", people["approver_tier1"], submitted, tier1_done))
        tier2 = threading.Thread(target=review, args=("tier2", people["approver_tier2"], tier1_done,
                                                      threading.Event()))
        began = time.time()
        tier1.start()
        tier2.start()
        with ThreadPoolExecutor(args.workers) as pool:
            list(pool.map(lambda p: path.move(p, "submit"), world["practices"]))
        submitted.set()
        submitting = time.time() - began
        tier1.join()
        tier2.join()
        decided = ("approved", "pending_finance_approval")  # those over the threshold go on to Finance
        wait_until(lambda: all(path.status(p) in decided for p in world["practices"]),
                   "every claim to be through Tier 2", timeout=300, every=2)
        elapsed = time.time() - began
        after = {name: usage(descendants(pid)) for name, pid in (("emulator", emulator_pid),
                                                                 ("functions", functions_pid))}
        lines = completion_lines(log, offset)
        print(f"\n{args.practices} practices submitted in {submitting:.1f} s ({args.workers} at once); "
              f"every claim through Tier 1 and Tier 2 {elapsed:.1f} s after the first submit; "
              f"{len(lines)} requests\n")
        print("\n".join(table(lines)))
        print()
        for name in ("emulator", "functions"):
            cpu = after[name][0] - before[name][0]
            print(f"{name:<10} CPU {cpu:6.1f} s ({cpu / elapsed:.0%} of a core), largest process at its peak "
                  f"{after[name][1] / 2**20:6.0f} MiB")
        broken = client.tally.broken
        print(f"client: {sum(client.tally.answers.values())} answers, retries {dict(client.tally.retries)}, "
              f"broken {broken[:5]}")
        return 0 if not broken else 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
