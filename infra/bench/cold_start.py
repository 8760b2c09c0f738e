"""Cold start: time from process start to the first response, for Local Claims
functions and a hello-world lambda_http binary built the same way.

A minimal Lambda Runtime API on loopback hands each process one event and times
its answer. Build for the host (it must run the binaries), start the local stack
(register reaches the emulator), then measure:

    bash infra/package.sh --x86-64     # or only the measured ones:
    .venv/bin/cargo-lambda lambda build --release --x86-64 --bin hello-world-baseline \
        --bin get-me --bin register --bin provider-windows --bin open-windows
    bash infra/run.sh &          # in another terminal
    .venv/bin/python infra/bench/cold_start.py [RUNS]
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
LAMBDA = ROOT / "target" / "lambda"
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


class RuntimeApi(BaseHTTPRequestHandler):
    event: bytes = b"{}"
    served = threading.Event()
    answered = threading.Event()
    answered_at = 0.0
    status = ""

    def log_message(self, *_):
        pass

    def do_GET(self):
        if RuntimeApi.served.is_set():
            time.sleep(30)  # the next invocation never comes
            return
        RuntimeApi.served.set()
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-1")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-2:123456789012:function:bench")
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(RuntimeApi.event)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        RuntimeApi.answered_at = time.perf_counter()
        try:
            answer = json.loads(body)
            RuntimeApi.status = str(answer.get("statusCode", "ok" if "at" in answer else "?"))
        except ValueError:
            RuntimeApi.status = "error"
        self.send_response(202)
        self.end_headers()
        RuntimeApi.answered.set()


def one_run(binary: Path, event: bytes, env: dict) -> tuple[float, str]:
    RuntimeApi.event = event
    RuntimeApi.served.clear()
    RuntimeApi.answered.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), RuntimeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    run_env = {**env, "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_address[1]}",
               "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
               "AWS_LAMBDA_FUNCTION_VERSION": "1", "RUST_LOG": "error"}
    started = time.perf_counter()
    process = subprocess.Popen([str(binary)], env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not RuntimeApi.answered.wait(30):
            raise RuntimeError(f"{binary} did not answer")
        return (RuntimeApi.answered_at - started) * 1000, RuntimeApi.status
    finally:
        process.kill()
        process.wait()
        server.shutdown()


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    env = dict(os.environ)
    functions_env = ROOT / ".local" / "functions.env"
    if functions_env.exists():
        for line in functions_env.read_text().splitlines():
            key, _, value = line.partition("=")
            env[key] = value
    print(f"{'binary':<30} {'status':>6} {'median ms':>10}  runs")
    for label, name, event_file in CASES:
        binary = LAMBDA / name / "bootstrap"
        if not binary.exists():
            print(f"{label:<30} missing {binary}")
            continue
        event = (EVENTS / event_file).read_bytes()
        if name == "register":  # a fresh email each run, or the second is a 409
            template = json.loads(event)
            results = []
            for i in range(runs):
                body = json.loads(template["body"])
                body["email"] = f"bench.{time.time_ns()}@a81001.example.nhs.uk"
                results.append(one_run(binary, json.dumps({**template, "body": json.dumps(body)}).encode(), env))
        else:
            results = [one_run(binary, event, env) for _ in range(runs)]
        times = [t for t, _ in results]
        print(f"{label:<30} {results[0][1]:>6} {statistics.median(times):>10.1f}  "
              + " ".join(f"{t:.1f}" for t in times))


if __name__ == "__main__":
    main()
