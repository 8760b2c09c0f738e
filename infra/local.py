"""The local stack: AWS emulator, every resource from template.yaml, demo data,
the functions under `cargo lambda watch`, and the dispatcher.

    python infra/local.py up      # run it until Ctrl-C and print how to use it
    python infra/local.py test    # run it, run the integration tests, stop
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import authenticator  # noqa: E402
import cfn  # noqa: E402
import clamav  # noqa: E402
import dispatcher  # noqa: E402
import provision  # noqa: E402
import web  # noqa: E402

ROOT = cfn.ROOT
LOCAL = ROOT / ".local"
LOGS = LOCAL / "logs"
VENV_BIN = ROOT / ".venv" / "bin"
EMULATOR_PORT = int(os.environ.get("LOCAL_CLAIMS_EMULATOR_PORT", "4566"))
API_PORT = int(os.environ.get("LOCAL_CLAIMS_API_PORT", "9000"))
EMULATOR = f"http://127.0.0.1:{EMULATOR_PORT}"
API = f"http://127.0.0.1:{API_PORT}"
WEB_PORT = int(os.environ.get("LOCAL_CLAIMS_WEB_PORT", "3000"))
#: The web client; links in emails point here.
LOCAL_APP_URL = f"http://localhost:{WEB_PORT}"
#: Instances per function, so concurrent-request tests really race.
CONCURRENCY = 4
#: The roles whose holders sign in with an authenticator app as well as a password.
AUTHENTICATOR_ROLES = {"finance", "approver_tier1", "approver_tier2", "commissioning_administrator", "service_desk"}

log = logging.getLogger("local")


class Stack:
    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []

    # ------------------------------------------------------------ processes
    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        LOGS.mkdir(parents=True, exist_ok=True)
        out = open(LOGS / f"{name}.log", "w", encoding="utf-8")
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env or os.environ.copy(),
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        self.stop_event.set()
        clamav.stop()  # by its pid file: the tests may have started it again
        for thread in self.threads:  # let the dispatcher finish its poll before the emulator goes
            thread.join(timeout=5)
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    @staticmethod
    def _wait(what: str, check, timeout: float) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if check():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{what} did not start within {timeout:.0f}s (see .local/logs)")

    # ------------------------------------------------------------ steps
    def start(self) -> dict:
        LOCAL.mkdir(exist_ok=True)
        (LOCAL / "crash.json").unlink(missing_ok=True)  # no function ends early unless a test asks
        self._spawn("emulator", [str(VENV_BIN / "python"), str(ROOT / "infra" / "emulator.py"), str(EMULATOR_PORT)])
        self._wait("the AWS emulator", lambda: requests.get(f"{EMULATOR}/moto-api/", timeout=2).ok, 30)
        clamav.stop()  # one left behind by a run that was killed
        clamav.start(LOGS / "clamd.log")

        template = cfn.load_template()
        # The web client's origin here, so the bucket's CORS lets the browser upload evidence.
        template["Parameters"]["AppUrl"]["Default"] = LOCAL_APP_URL
        provisioned = provision.provision(EMULATOR, template)
        resolver = provisioned.resolver
        env = self._function_env(template, resolver)
        env_file = LOCAL / "functions.env"
        env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()), encoding="utf-8")

        seeded = subprocess.run(
            [str(ROOT / "target" / "debug" / "seed-demo"), str(ROOT / "infra" / "demo-data.json")],
            cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True,
        )
        if seeded.returncode != 0:
            raise RuntimeError(f"loading demo data failed:\n{seeded.stdout}\n{seeded.stderr}")

        watch_env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}"}
        router_file = LOCAL / "CargoLambda.toml"
        router_file.write_text(watch_router(template), encoding="utf-8")
        self._spawn(
            "functions",
            [str(VENV_BIN / "cargo-lambda"), "lambda", "watch", "--global", str(router_file),
             "--invoke-address", "127.0.0.1",
             "--invoke-port", str(API_PORT), "--concurrency", str(CONCURRENCY), "--env-file", str(env_file),
             "--ignore-changes"] + (["--quiet"] if os.environ.get("CI") else [])
            + (["--release"] if os.environ.get("LOCAL_CLAIMS_RELEASE") else []),
            env=watch_env,
        )
        self._wait("cargo lambda watch", lambda: requests.get(f"{API}/me", timeout=60).status_code < 500, 600)

        sqs = provision.client("sqs", EMULATOR)
        self.threads = dispatcher.start(template, resolver, sqs, API, provision.REGION, self.stop_event)
        self.threads.append(web.serve(WEB_PORT, API, EMULATOR, resolver.ref("UserPoolClient"), self.stop_event))

        demo = json.loads((ROOT / "infra" / "demo-data.json").read_text(encoding="utf-8"))
        keys = self._demo_authenticators(demo, resolver.ref("UserPoolClient"))
        stack = {
            "apiUrl": API,
            "emulatorEndpoint": EMULATOR,
            "region": provision.REGION,
            "tableName": resolver.ref("Table"),
            "bucketName": resolver.ref("EvidenceBucket"),
            "queues": {name: resolver.ref(name) for name in cfn.resources(template, "AWS::SQS::Queue")},
            "userPoolId": resolver.ref("UserPool"),
            "userPoolClientId": resolver.ref("UserPoolClient"),
            "jwtIssuer": env["JWT_ISSUER"],
            "jwksUrl": env["JWKS_URL"],
            "mailFrom": env["MAIL_FROM"],
            "mailDomain": resolver.ref("MailDomain"),
            "malwareEngine": clamav.ADDRESS,
            "appUrl": env["APP_URL"],
            "crashFile": env["LOCAL_CLAIMS_CRASH_FILE"],
            # How template.yaml's names resolve here, for the policy check (infra/iam.py).
            "resolved": {
                "physical": resolver.physical,
                "attributes": {f"{name}.{attribute}": value for (name, attribute), value in resolver.attributes.items()},
            },
            "demoUsers": [
                {"email": u["email"], "password": u["password"], "name": f"{u['firstName']} {u['lastName']}",
                 "memberships": u["memberships"], **({"authenticatorKey": keys[u["email"]]} if u["email"] in keys else {})}
                for u in demo["users"]
            ],
        }
        (LOCAL / "stack.json").write_text(json.dumps(stack, indent=2), encoding="utf-8")
        return stack

    @staticmethod
    def _demo_authenticators(demo: dict, client_id: str) -> dict[str, str]:
        """The demo users whose roles need one set up an authenticator app as a
        person would (through the user pool, then `POST /me/mfa`): their keys."""
        cognito = provision.client("cognito-idp", EMULATOR)
        keys = {}
        for user in demo["users"]:
            if not {m["role"] for m in user["memberships"]} & AUTHENTICATOR_ROLES:
                continue
            token = authenticator.sign_in(cognito, client_id, user["email"], user["password"])
            keys[user["email"]] = authenticator.set_up(cognito, token)
            recorded = requests.post(f"{API}/me/mfa", json={}, headers={"Authorization": f"Bearer {token}"}, timeout=120)
            if recorded.status_code != 200:
                raise RuntimeError(f"setting up {user['email']}'s authenticator app: {recorded.text}")
        return keys

    @staticmethod
    def _function_env(template: dict, resolver: cfn.Resolver) -> dict[str, str]:
        """The functions' environment from template.yaml, pointed at the emulator
        (and at the local clamd instead of the one in the VPC)."""
        variables = dict(template["Globals"]["Function"]["Environment"]["Variables"])
        for spec in cfn.functions(template).values():
            variables.update(spec["Properties"].get("Environment", {}).get("Variables", {}))
        pool = resolver.ref("UserPool")
        local = {
            "APP_URL": LOCAL_APP_URL,
            "JWT_ISSUER": f"https://cognito-idp.{provision.REGION}.amazonaws.com/{pool}",
            "JWKS_URL": f"{EMULATOR}/{pool}/.well-known/jwks.json",
            "MALWARE_ENGINE_ADDRESS": clamav.ADDRESS,
            "AWS_ENDPOINT_URL": EMULATOR,
            "AWS_REGION": provision.REGION,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            # Where a test asks a function to end at a point of its step (shared::edge::crash).
            "LOCAL_CLAIMS_CRASH_FILE": str(LOCAL / "crash.json"),
        }
        env = {key: str(resolver.resolve(value)) for key, value in variables.items() if key not in local}
        return {**env, **local}


def watch_router(template: dict) -> str:
    """`cargo lambda watch`'s router (a CargoLambda.toml), written from the
    template's routes so the local API has exactly the deployed routes."""
    by_path: dict[str, list[str]] = {}
    for route in cfn.routes(template):
        by_path.setdefault(route.path, []).append(
            f'{{ method = "{route.method}", function = "{route.function}" }}')
    lines = ["# Written by infra/local.py from template.yaml on every start: edit the template, not this.",
             "[watch.router]"]
    lines += [f'"{path}" = [{", ".join(entries)}]' for path, entries in sorted(by_path.items())]
    return "\n".join(lines) + "\n"


def print_usage(stack: dict) -> None:
    users = "\n".join(
        f"    {u['email']:<42} {u['password']}   ({', '.join(m['role'] + ' @ ' + m['organisation'] for m in u['memberships'])})"
        for u in stack["demoUsers"]
    )
    print(f"""
Local Claims is running (local only — nothing here touches AWS).

  Web client       {stack['appUrl']}   (sign in as a demo user below)
  API              {stack['apiUrl']}
  AWS emulator     {stack["emulatorEndpoint"]}   (sent emails: {stack["emulatorEndpoint"]}/_local/outbox)
  Malware engine   clamd on {stack["malwareEngine"]} (the project's test signatures: infra/clamav)
  Settings         .local/stack.json     Logs: .local/logs/

Demo users (local passwords only):
{users}

Those who approve, pay or administer also enter a code from an authenticator app:
  .venv/bin/python infra/totp.py EMAIL      prints the code their app would show now

Sign in and call the API:
  TOKEN=$(.venv/bin/python infra/signin.py aisha.khan@qhm.example.nhs.uk)
  curl -s -H "Authorization: Bearer $TOKEN" {stack['apiUrl']}/me
  curl -s -H "Authorization: Bearer $TOKEN" {stack['apiUrl']}/pending-actions

Register a practice user (public):
  curl -s -X POST {stack['apiUrl']}/registrations -H 'content-type: application/json' \\
    -d '{{"email":"jo.bloggs@a81001.example.nhs.uk","firstName":"Jo","lastName":"Bloggs","organisationCode":"A81001","role":"provider_user"}}'

Press Ctrl-C to stop.
""", flush=True)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    stack = Stack()
    try:
        started = stack.start()
        if command == "up":
            print_usage(started)
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
        if command == "test":
            pytest_args = sys.argv[2:] or []
            return subprocess.call([str(VENV_BIN / "python"), "-m", "pytest", str(ROOT / "tests"), *pytest_args], cwd=ROOT)
        print(__doc__)
        return 2
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
