"""Cold start: time from process start to the first response, for Local Claims
functions and a hello-world lambda_http binary built the same way.

A minimal Lambda Runtime API on loopback hands each process one event and times
two things: **init**, until the process first asks for an event (what Lambda
reports as Init Duration), and **answer**, until its response arrives. Build
for the host (it must run the binaries), start the local stack (register
reaches the emulator), then measure:

    bash infra/package.sh --x86-64     # or only the measured ones, as it builds them:
    RUSTFLAGS="-C force-unwind-tables=no" .venv/bin/cargo-lambda lambda build --release --x86-64 \
        --bin hello-world-baseline --bin get-me --bin register --bin provider-windows --bin open-windows
    bash infra/run.sh &          # in another terminal
    .venv/bin/python infra/bench/cold_start.py [RUNS]          # the cases below
    .venv/bin/python infra/bench/cold_start.py [RUNS] --all    # every function

`--all` runs each function in template.yaml with its sample event
(`events/<binary>.json`). A protected route's sample carries a forged token,
refused before any I/O, so its answer is start-up and the refusal alone;
public routes, queue consumers and schedules do their work against the local
stack, so their answers include it (their init does not).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Where the release builds are (cargo-lambda's output unless told otherwise).
LAMBDA = Path(os.environ.get("LOCAL_CLAIMS_LAMBDA_DIR", str(ROOT / "target" / "lambda")))
EVENTS = ROOT / "events"

#: (label, binary, event file) — get-me unauthenticated does no I/O past start-up;
#: register does one GetItem and one TransactWriteItems against the emulator;
#: open-windows (a scheduled function) reads its due-list from the emulator.
CASES = [
    ("hello-world lambda_http", "hello-world-baseline", "get-me.json"),
    ("get-me (401, no AWS call)", "get-me", "get-me.json"),
    ("register (2 DynamoDB calls)", "register", "register.json"),
    ("provider-windows (401)", "provider-windows", "provider-windows.json"),
    ("open-windows (1 index query)", "open-windows", "open-windows.json"),
]


class Invocation:
    """One process's one event, and when it asked for it and answered. Each run
    has its own, so a killed process's late poll cannot take the next one's event."""

    def __init__(self, event: bytes):
        self.event = event
        self.served = threading.Event()
        self.answered = threading.Event()
        self.polled_at = 0.0
        self.answered_at = 0.0
        self.status = ""


def runtime_api(invocation: Invocation) -> type[BaseHTTPRequestHandler]:
    class RuntimeApi(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def do_GET(self):
            if invocation.served.is_set():
                time.sleep(30)  # the next invocation never comes
                return
            invocation.polled_at = time.perf_counter()
            invocation.served.set()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-1")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                             "arn:aws:lambda:eu-west-2:123456789012:function:bench")
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(invocation.event)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            invocation.answered_at = time.perf_counter()
            try:
                answer = json.loads(body)
                invocation.status = str(answer.get("statusCode", "ok" if "at" in answer else "?"))
            except ValueError:
                invocation.status = "error"
            self.send_response(202)
            self.end_headers()
            invocation.answered.set()

    return RuntimeApi


def one_run(binary: Path, event: bytes, env: dict) -> tuple[float, str, float]:
    """(answer ms, status, init ms) of one cold process."""
    invocation = Invocation(event)
    server = ThreadingHTTPServer(("127.0.0.1", 0), runtime_api(invocation))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    run_env = {**env, "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_address[1]}",
               "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
               "AWS_LAMBDA_FUNCTION_VERSION": "1", "RUST_LOG": "error"}
    started = time.perf_counter()
    process = subprocess.Popen([str(binary)], env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not invocation.answered.wait(30):
            raise RuntimeError(f"{binary} did not answer")
        return ((invocation.answered_at - started) * 1000, invocation.status,
                (invocation.polled_at - started) * 1000)
    finally:
        process.kill()
        process.wait()
        server.shutdown()
        server.server_close()


def stack_env() -> dict:
    env = dict(os.environ)
    functions_env = ROOT / ".local" / "functions.env"
    if functions_env.exists():
        for line in functions_env.read_text().splitlines():
            key, _, value = line.partition("=")
            env[key] = value
    return env


def measure(name: str, event: bytes, runs: int, env: dict) -> tuple[float, float, str, list[float]] | None:
    """Median answer and init ms, the status, and every answer, or None if not built."""
    binary = LAMBDA / name / "bootstrap"
    if not binary.exists():
        return None
    if name == "register":  # a fresh email each run, or the second is a 409
        template = json.loads(event)
        results = []
        for _ in range(runs):
            body = json.loads(template["body"])
            body["email"] = f"bench.{time.time_ns()}@a81001.example.nhs.uk"
            results.append(one_run(binary, json.dumps({**template, "body": json.dumps(body)}).encode(), env))
    else:
        results = [one_run(binary, event, env) for _ in range(runs)]
    answers = [t for t, _, _ in results]
    inits = [i for _, _, i in results]
    return statistics.median(answers), statistics.median(inits), results[0][1], answers


def every_function(runs: int, env: dict) -> None:
    sys.path.insert(0, str(ROOT / "infra"))
    import cfn

    base = measure("hello-world-baseline", (EVENTS / "get-me.json").read_bytes(), runs, env)
    if base is None:
        sys.exit("build hello-world-baseline first")
    base_answer, base_init, _, _ = base
    print(f"{'function':<26} {'status':>6} {'init ms':>8} {'answer ms':>10} {'× hello':>8}")
    print(f"{'hello-world-baseline':<26} {'200':>6} {base_init:>8.1f} {base_answer:>10.1f} {1:>8.2f}")
    no_io, with_io, missing = [], [], []
    for spec in cfn.functions(cfn.load_template()).values():
        name = cfn.binary(spec)
        event_file = EVENTS / f"{name}.json"
        found = measure(name, event_file.read_bytes(), runs, env) if event_file.exists() else None
        if found is None:
            missing.append(name)
            continue
        answer, init, status, _ = found
        ratio = answer / base_answer
        (no_io if status == "401" else with_io).append((name, ratio, init / base_init))
        print(f"{name:<26} {status:>6} {init:>8.1f} {answer:>10.1f} {ratio:>8.2f}")
    if no_io:
        ratios = sorted(r for _, r, _ in no_io)
        worst = max(no_io, key=lambda f: f[1])
        print(f"\n{len(no_io)} functions answering with no I/O (401): answer × hello median "
              f"{statistics.median(ratios):.2f}, most {worst[1]:.2f} ({worst[0]})")
    inits = sorted(i for _, _, i in no_io + with_io)
    if inits:
        worst = max(no_io + with_io, key=lambda f: f[2])
        print(f"{len(inits)} functions: init × hello median {statistics.median(inits):.2f}, "
              f"most {worst[2]:.2f} ({worst[0]})")
    if missing:
        print(f"not built or no sample event: {', '.join(missing)}")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 5
    env = stack_env()
    if "--all" in sys.argv:
        every_function(runs, env)
        return
    print(f"{'binary':<30} {'status':>6} {'init ms':>8} {'median ms':>10}  runs")
    for label, name, event_file in CASES:
        found = measure(name, (EVENTS / event_file).read_bytes(), runs, env)
        if found is None:
            print(f"{label:<30} missing {LAMBDA / name / 'bootstrap'}")
            continue
        answer, init, status, answers = found
        print(f"{label:<30} {status:>6} {init:>8.1f} {answer:>10.1f}  " + " ".join(f"{t:.1f}" for t in answers))


if __name__ == "__main__":
    main()
