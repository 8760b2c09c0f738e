"""The chaos run as a benchmark, on its own local stack (infra/chaos.py says
what it does and checks). Prints the run's size, the faults injected by kind,
the client's retries, and every invariant with its figures.

    python infra/bench/chaos.py [PRACTICES] [--seed N] [--rate R] [--workers W]

Defaults: 40 practices, seed 7, 7% of AWS calls failing, 6 practices at once.
Exits non-zero if an invariant broke.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import private_stack  # noqa: E402

local = private_stack.use("bench-chaos", emulator_port=4596, api_port=9060, clamd_port=3370)

import chaos  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("practices", nargs="?", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.07)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--crashes", type=int, default=3,
                        help="processes ended after their change (a submit, the run's start, a decision, in turn)")
    args = parser.parse_args()
    stack = local.Stack()
    try:
        started = stack.start()
        outcome = chaos.run(started, practices=args.practices, seed=args.seed, rate=args.rate,
                            latency_ms=args.latency_ms, workers=args.workers, crashes=args.crashes)
        print("\n".join(outcome.lines()))
        return 0 if outcome.held() else 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
