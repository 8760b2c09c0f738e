"""The chaos run: practices of a new ICB take claims from +New Claim to
remittance while AWS misbehaves (infra/faults.py), then what must hold is
checked and printed. The whole run, as a benchmark with its own stack, is
infra/bench/chaos.py; tests/test_chaos.py runs a small one in the test command.

Set-up (the ICB, its people, its practices and a service) is done with no
faults. Then, with faults on, each practice makes a claim — evidence on some,
its approver's approval on some, a return and a resubmission on some, Finance
on those over the threshold, a rejection on a few; the ICB's Tier 1 enters a
second claim for every practice from one bulk file, which Tier 2 approves —
and Finance pays the approved claims in one run. A client that never saw an answer sends the same
request again, as the web client does: after a 503 (honouring Retry-After),
a 502/504 or a lost connection, with the same Idempotency-Key where it sent one.

The invariants, read once the faults are off and the queues are empty:
- every claim (the bulk ones too) is in the state its story leads to, and its
  history has each move once (no retried request moved it twice);
- paid = the confirmed runs = the remittances = the finance export = the
  report's paid, to the penny; no claim is in two runs;
- the report's counts and values by status equal a recount of the claims;
- every email the story should send was sent, and none twice;
- no request was answered 5xx but a 503 with Retry-After that a retry cleared.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import boto3
import requests

import authenticator
from sample_files import pdf
from together import wait_until

PASSWORD = "Chaos#Claims2026-run"
ROLES_WITH_AUTHENTICATOR = {"commissioning_administrator", "approver_tier1", "approver_tier2", "finance"}
CARE_PLANS = {"name": "Complex Care Plans", "payment": {"type": "per_unit", "unitPrice": "193.42",
                                                        "unitLabel": "Care plan"}}
RETAINER = {"name": "Service retainer", "payment": {"type": "retainer", "amount": "250.00",
                                                    "information": "Paid each quarter to practices signed up."}}
EAR = {"name": "Ear Irrigation", "payment": {"type": "per_unit", "unitPrice": "28.50", "unitLabel": "Patient"},
       "evidence": {"requiredFromUnits": 1, "guidance": "The practice each patient belongs to; no PID.",
                    "accepted": [{"extension": "pdf", "contentType": "application/pdf"}], "maxBytes": 5242880}}
#: Entered in bulk by the ICB's Tier 1 for every practice (a service with no
#: window: the practices do not claim it themselves).
FLU = {"name": "Flu vaccinations", "payment": {"type": "per_unit", "unitPrice": "9.80", "unitLabel": "Vaccination"}}
#: Claims over this need Finance as well as Tier 2.
FINANCE_THRESHOLD = "2000.00"


# --------------------------------------------------------------------------- the client
@dataclass
class Tally:
    """What the client saw: answers by status, retries by cause, and every
    answer that breaks the rule (a 5xx other than a 503 with Retry-After, or
    a failure no retry cleared)."""

    answers: Counter = field(default_factory=Counter)
    retries: Counter = field(default_factory=Counter)
    broken: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, answer: int | str, retry: str | None = None, broken: str | None = None) -> None:
        with self.lock:
            self.answers[answer] += 1
            if retry:
                self.retries[retry] += 1
            if broken:
                self.broken.append(broken)


class Client:
    """The API as a careful client calls it: each request sent again, up to
    `attempts` times, when no answer came or the answer says to try again."""

    def __init__(self, api_url: str, tally: Tally, attempts: int = 8, timeout: float = 20):
        self.api_url, self.tally, self.attempts, self.timeout = api_url, tally, attempts, timeout
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def call(self, method: str, path: str, token: str | None = None, body: Any = None, *,
             expect: tuple[int, ...] = (200, 201), key: bool = False, headers: dict | None = None,
             raw: bool = False, csv_text: str | None = None):
        sent = dict(headers or {})
        data = None
        if csv_text is not None:
            sent["content-type"], data = "text/csv", csv_text.encode()
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if key:
            sent["Idempotency-Key"] = str(uuid.uuid4())
        where = f"{method} {path}"
        for attempt in range(self.attempts):
            wait = min(0.2 * 2 ** attempt, 3.0)
            try:
                response = self.session().request(method, self.api_url + path, json=body, data=data, headers=sent,
                                                  timeout=self.timeout)
            except requests.RequestException:
                # No answer (the connection dropped, or the function ended mid-step):
                # the same request, with the same key, once more.
                self.tally.note("no answer", retry="no answer")
                time.sleep(wait)
                continue
            status = response.status_code
            if status == 503:
                after = response.headers.get("Retry-After")
                if after is None:
                    self.tally.note(status, broken=f"{where}: 503 without Retry-After")
                self.tally.note(status, retry="503")
                time.sleep(min(float(after or wait), 5.0))
                continue
            if status in (502, 504):
                # The gateway had no answer from the function: the request may be sent again.
                self.tally.note(status, retry=str(status))
                time.sleep(wait)
                continue
            if status >= 500:
                self.tally.note(status, broken=f"{where}: {status} {response.text[:200]}")
                raise AssertionError(f"{where} answered {status}: {response.text[:300]}")
            self.tally.note(status)
            if status not in expect:
                self.tally.note(status, broken=f"{where}: {status} where {expect} was expected")
                raise AssertionError(f"{where} answered {status}: {response.text[:300]}")
            if raw:
                return response
            return response.json() if response.content and "json" in response.headers.get("content-type", "") \
                else response.text
        self.tally.note("gave up", broken=f"{where}: no retry of {self.attempts} cleared it")
        raise AssertionError(f"{where}: no retry of {self.attempts} cleared it")


# --------------------------------------------------------------------------- the stack
class Stack:
    """What the run needs of a running local stack (`local.Stack().start()`'s answer)."""

    def __init__(self, started: dict):
        self.started = started
        self.emulator = started["emulatorEndpoint"]

    def aws(self, service: str):
        return boto3.client(service, endpoint_url=self.emulator, region_name=self.started["region"],
                            aws_access_key_id="test", aws_secret_access_key="test")

    def faults(self, plan: dict | None) -> dict:
        if plan is None:
            return requests.delete(f"{self.emulator}/_local/faults", timeout=10).json()
        answer = requests.post(f"{self.emulator}/_local/faults", json=plan, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def fault_report(self) -> dict:
        return requests.get(f"{self.emulator}/_local/faults", timeout=10).json()

    def outbox(self, to: str | None = None) -> list[dict]:
        return requests.get(f"{self.emulator}/_local/outbox", params={"to": to} if to else {}, timeout=30).json()

    def queues_empty(self) -> bool:
        sqs = self.aws("sqs")
        for url in sqs.list_queues().get("QueueUrls", []):
            if "DeadLetter" in url:
                continue
            counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed"])["Attributes"]
            if any(int(v) for v in counts.values()):
                return False
        return True

    def mail_ledger(self) -> list[dict]:
        table, found, start = self.aws("dynamodb"), [], None
        while True:
            page = table.scan(TableName=self.started["tableName"], FilterExpression="begins_with(PK, :m)",
                              ExpressionAttributeValues={":m": {"S": "MAIL#"}},
                              **({"ExclusiveStartKey": start} if start else {}))
            found += page["Items"]
            start = page.get("LastEvaluatedKey")
            if not start:
                return found


# --------------------------------------------------------------------------- the ICB
@dataclass
class Person:
    email: str
    token: str
    user_id: str


@dataclass
class Practice:
    code: str
    user: Person
    approver: Person | None = None
    claim: int | None = None
    #: The claim the ICB's Tier 1 entered for it in bulk.
    bulk_claim: int | None = None
    #: What happens to its claim: the moves in order.
    script: list[str] = field(default_factory=list)
    with_evidence: bool = False


def unique(prefix: str) -> str:
    """An ODS code no one has: eight hex digits (too few to read as an NHS number)."""
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


#: Digits as letters: an address made of digits could read as an NHS number,
#: which registration rightly refuses.
AS_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def unique_address(role: str, organisation: str) -> str:
    return f"{role.replace('_', '.')}.{uuid.uuid4().hex[:12].translate(AS_LETTERS)}@{organisation.lower()}.example.nhs.uk"


class World:
    """A new ICB, its administrator, reviewers and Finance, and its practices."""

    def __init__(self, stack: Stack, client: Client):
        self.stack, self.client = stack, client
        self.cognito = stack.aws("cognito-idp")
        self.client_id = stack.started["userPoolClientId"]

    def sign_in(self, email: str, password: str, key: str | None = None) -> str:
        return authenticator.sign_in(self.cognito, self.client_id, email, password, key)

    def service_desk(self) -> str:
        desk = next(u for u in self.stack.started["demoUsers"] if u["email"].startswith("sam.patel"))
        return self.sign_in(desk["email"], desk["password"], desk.get("authenticatorKey"))

    def organisation(self, token: str, **form) -> str:
        for _ in range(5):  # a code already taken (by chance) is refused: another is chosen
            code = unique("CH")
            made = self.client.call("POST", "/organisations", token, {"code": code, **form}, expect=(201, 409))
            if isinstance(made, dict) and made.get("code") == code:
                return code
        raise AssertionError("no free ODS code in five tries")

    def person(self, organisation: str, role: str, reviewer: str) -> Person:
        email = unique_address(role, organisation)
        form = {"email": email, "firstName": "Chris", "lastName": "Taylor", "organisationCode": organisation,
                "role": role}
        registration = self.client.call("POST", "/registrations", None, form)
        self.client.call("POST", f"/registrations/{registration['id']}/review", reviewer, {"decision": "approve"})
        mail = wait_until(lambda: self.stack.outbox(email), f"the approval email to {email}", timeout=60)
        secret = re.search(r"complete-registration#token=([A-Za-z0-9_-]+)", mail[0]["body"]).group(1)
        self.client.call("POST", "/registrations/complete", None, {"token": secret, "password": PASSWORD})
        token = self.sign_in(email, PASSWORD)
        if role in ROLES_WITH_AUTHENTICATOR:
            key = authenticator.set_up(self.cognito, token)
            self.client.call("POST", "/me/mfa", token, {})
            token = self.sign_in(email, PASSWORD, key)
        me = self.client.call("GET", "/me", token)
        return Person(email, token, me["id"])

    def build(self, practices: int, story_of: Callable[[int], list[str]] | None = None,
              evidence: bool = True) -> dict:
        """The ICB, its people and `practices` practices, each with the moves
        its claim will make (`story_of(i)`, by default `story`)."""
        story_of = story_of or story
        desk = self.service_desk()
        icb = self.organisation(desk, name="Chaos Test ICB", type="icb", claimSubmission="multi_service")
        admin = self.person(icb, "commissioning_administrator", desk)
        self.client.call("PATCH", f"/organisations/{icb}", admin.token, {"financeThreshold": FINANCE_THRESHOLD})
        people = {role: self.person(icb, role, admin.token) for role in ("approver_tier1", "approver_tier2", "finance")}
        year, quarter = this_quarter()
        today = date.today()
        services = {}
        for name, components in (("Care", [CARE_PLANS, RETAINER]), ("Ears", [EAR])):
            service = self.client.call("POST", "/services", admin.token,
                                       {"name": f"{name} {icb}", "financialYear": year, "claimPeriods": "quarterly"},
                                       key=True)
            for component in components:
                self.client.call("POST", f"/services/{service['id']}/components", admin.token, component, key=True)
            window = {"period": quarter, "opens": today.isoformat(), "closes": (today + timedelta(days=5)).isoformat()}
            self.client.call("POST", f"/services/{service['id']}/windows", admin.token, window, key=True)
            services[name] = service["id"]
        flu = self.client.call("POST", "/services", admin.token,
                               {"name": f"Flu {icb}", "financialYear": year, "claimPeriods": "quarterly"}, key=True)
        self.client.call("POST", f"/services/{flu['id']}/components", admin.token, FLU, key=True)
        services["Flu"] = flu["id"]

        def practice(i: int) -> Practice:
            code = self.organisation(admin.token, name=f"Chaos Practice {i}", type="gp_practice", commissioner=icb)
            made = Practice(code, self.person(code, "provider_user", admin.token), script=story_of(i),
                            with_evidence=evidence and i % 2 == 1)
            if "provider" in made.script:
                self.client.call("PATCH", f"/organisations/{code}", admin.token, {"claimsNeedApproval": True})
                made.approver = self.person(code, "provider_approver", admin.token)
            return made

        with ThreadPoolExecutor(4) as pool:
            made = list(pool.map(practice, range(practices)))
        codes = [p.code for p in made]
        for sid in services.values():
            self.client.call("POST", f"/services/{sid}/offers", admin.token, {"providers": codes})
        for p in made:
            for sid in services.values():
                self.client.call("POST", f"/offers/{sid}.{p.code}/accept", p.user.token)
        return {"icb": icb, "admin": admin, "people": people, "practices": made, "services": services,
                "quarter": quarter}


def this_quarter() -> tuple[str, str]:
    today = date.today()
    start = today.year if today.month >= 4 else today.year - 1
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[today.month]
    return f"{start}/{(start + 1) % 100:02d}", f"Q{quarter}"


def story(i: int) -> list[str]:
    """The moves of practice `i`'s claim, varied so every path is walked."""
    approver = ["provider"] if i % 3 == 2 else []  # its approver approves each submission
    moves = ["submit", *approver]
    if i % 4 == 1:
        moves += ["return", "resubmit", *approver]
    moves.append("tier1")
    moves.append("reject" if i % 7 == 6 else "tier2")
    return moves


def units_for(i: int) -> int:
    """Units of care plans: every third claim over the Finance threshold."""
    return 12 if i % 3 == 0 else 2 + i % 5


# --------------------------------------------------------------------------- the money path
class MoneyPath:
    def __init__(self, stack: Stack, client: Client, world: dict):
        self.stack, self.client, self.world = stack, client, world
        self.people = world["people"]

    def status(self, practice: Practice) -> str:
        return self.client.call("GET", f"/claims/{practice.claim}", practice.user.token)["status"]["code"]

    def wait_for(self, practice: Practice, *statuses: str) -> str:
        return wait_until(lambda: (s := self.status(practice)) in statuses and s,
                          f"claim {practice.claim} to be {' or '.join(statuses)}", timeout=120, every=0.5)

    def decide(self, who: Person, practice: Practice, stage: str, decision: str, reason: str | None = None) -> dict:
        body = {"stage": stage, "decision": decision, **({"reason": reason} if reason else {})}
        return self.client.call("POST", f"/claims/{practice.claim}/decisions", who.token, body, key=True)

    def claim(self, i: int, practice: Practice) -> None:
        """The practice's claim, drafted, then taken through its story."""
        self.draft(i, practice)
        for move in practice.script:
            self.move(practice, move)

    def draft(self, i: int, practice: Practice) -> None:
        """+New Claim, every service and component, units, and evidence where asked."""
        token = practice.user.token
        made = self.client.call("POST", "/claims", token, {"provider": practice.code}, key=True)
        practice.claim = made["id"]
        self.client.call("POST", f"/claims/{practice.claim}/services", token, {"all": True})
        screen = self.client.call("POST", f"/claims/{practice.claim}/lines", token, {"all": True})
        lines = {line["name"]: line for line in screen["claimPane"]["lines"]}
        version = self.units(practice, lines["Complex Care Plans"]["id"], units_for(i), screen["version"])
        line = lines["Ear Irrigation"]["id"]
        version = self.units(practice, line, 1 + i % 3 if practice.with_evidence else 0, version)
        if practice.with_evidence:
            document = pdf(f"Ear irrigation list for {practice.code}")
            offered = self.client.call("POST", f"/claims/{practice.claim}/lines/{line}/attachments", token,
                                       {"fileName": "list.pdf", "contentType": "application/pdf",
                                        "size": len(document)})
            put = requests.put(offered["upload"]["url"], data=document, headers={"content-type": "application/pdf"},
                               timeout=60)
            assert put.status_code == 200, put.text

    def units(self, practice: Practice, line: str, units: int, version: int) -> int:
        edited = self.client.call("PATCH", f"/claims/{practice.claim}/lines/{line}", practice.user.token,
                                  {"units": units}, headers={"If-Match": f'"{version}"'})
        return edited["version"]

    def move(self, practice: Practice, move: str) -> None:
        if move in ("submit", "resubmit"):
            self.client.call("POST", f"/claims/{practice.claim}/submit", practice.user.token, {"confirm": True},
                             key=True)
        elif move == "provider":
            self.wait_for(practice, "pending_provider_approval")
            self.decide(practice.approver, practice, "provider", "approve")
        elif move == "return":
            self.wait_for(practice, "pending_tier1_review")
            self.decide(self.people["approver_tier1"], practice, "tier1", "return",
                        f"Count the care plans again ({practice.code})")
            screen = self.client.call("GET", f"/claims/{practice.claim}", practice.user.token)
            plans = next(l for l in screen["claimPane"]["lines"] if l["name"] == "Complex Care Plans")
            self.units(practice, plans["id"], plans["units"] + 1, screen["version"])
        elif move == "tier1":
            self.wait_for(practice, "pending_tier1_review")
            self.decide(self.people["approver_tier1"], practice, "tier1", "approve")
        elif move == "tier2":
            decided = self.decide(self.people["approver_tier2"], practice, "tier2", "approve")
            if decided["status"]["code"] == "pending_finance_approval":
                self.decide(self.people["finance"], practice, "finance", "approve")
        elif move == "reject":
            self.decide(self.people["approver_tier2"], practice, "tier2", "reject", "Not commissioned this quarter")

    def bulk(self) -> None:
        """Tier 1 enters every practice's flu vaccinations from one file (sent
        with a key); Tier 2 approves each claim it made."""
        practices: list[Practice] = self.world["practices"]
        sheet = "ODS code,Flu vaccinations\n" + "".join(f"{p.code},{20 + i}\n" for i, p in enumerate(practices))
        path = f"/services/{self.world['services']['Flu']}/bulk-claims?period={self.world['quarter']}"
        report = self.client.call("POST", path, self.people["approver_tier1"].token, key=True, csv_text=sheet)
        assert report["created"] == len(practices), report
        made = {row["row"]: row["claimId"] for row in report["rows"]}
        for i, p in enumerate(practices):
            p.bulk_claim = made[i + 2]
        for p in practices:
            self.client.call("POST", f"/claims/{p.bulk_claim}/decisions", self.people["approver_tier2"].token,
                             {"stage": "tier2", "decision": "approve"}, key=True)

    def pay(self) -> dict:
        finance = self.people["finance"].token
        pay_on = (date.today() + timedelta(days=7)).isoformat()
        run = self.client.call("POST", "/payment-runs", finance, {"commissioner": self.world["icb"],
                                                                  "paymentDate": pay_on}, key=True)
        wait_until(lambda: self.client.call("GET", f"/payment-runs/{run['id']}", finance)["status"]["code"] == "ready",
                   "the run to be ready", timeout=180, every=0.5)
        self.client.call("POST", f"/payment-runs/{run['id']}/confirm", finance, {"confirm": True}, key=True)
        wait_until(lambda: self.client.call("GET", f"/payment-runs/{run['id']}", finance)["status"]["code"]
                   == "confirmed", "the run to be confirmed", timeout=180, every=0.5)
        return run


# --------------------------------------------------------------------------- the invariants
def pence(amount: str) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def every_page(client: Client, path: str, token: str) -> list[dict]:
    items, cursor = [], None
    joiner = "&" if "?" in path else "?"
    while True:
        page = client.call("GET", f"{path}{joiner}limit=100" + (f"&cursor={cursor}" if cursor else ""), token)
        items += page["items"]
        cursor = page.get("nextCursor")
        if not cursor:
            return items


def check(stack: Stack, client: Client, world: dict) -> dict[str, tuple[bool, str]]:
    """Each invariant: whether it held, and the figures that say so."""
    results: dict[str, tuple[bool, str]] = {}
    practices: list[Practice] = world["practices"]
    finance = world["people"]["finance"].token
    admin = world["admin"].token
    icb = world["icb"]

    claims = {p.claim: client.call("GET", f"/claims/{p.claim}", p.user.token) for p in practices}
    bulk = {p.bulk_claim: client.call("GET", f"/claims/{p.bulk_claim}", p.user.token)
            for p in practices if p.bulk_claim is not None}
    wrong_state, wrong_story = [], []
    for cid, claim in bulk.items():
        moves = [(h.get("from"), h["to"]) for h in claim["history"]]
        if claim["status"]["code"] != "paid":
            wrong_state.append(f"{cid}: {claim['status']['code']} (expected paid)")
        if moves != [(None, "pending_tier2_review"), ("pending_tier2_review", "approved"), ("approved", "paid")]:
            wrong_story.append(f"{cid}: {moves}")
    for p in practices:
        claim = claims[p.claim]
        expected = "rejected" if "reject" in p.script else "paid"
        if claim["status"]["code"] != expected:
            wrong_state.append(f"{p.claim}: {claim['status']['code']} (expected {expected})")
        history = claim["history"]
        # Each move starts where the one before it ended, and the last ends where the claim is.
        chained = history[0].get("from") is None and all(
            later.get("from") == earlier["to"] for earlier, later in zip(history, history[1:]))
        moves = Counter(h["to"] for h in history)
        submits = sum(1 for h in history if h.get("from") in ("draft", "returned"))
        if not chained or history[-1]["to"] != claim["status"]["code"] or moves["draft"] != 1 \
                or submits != p.script.count("submit") + p.script.count("resubmit") \
                or moves["returned"] != p.script.count("return") or moves["paid"] != (expected == "paid"):
            wrong_story.append(f"{p.claim}: {[(h.get('from'), h['to']) for h in history]}")
    results["every claim is where its story leads"] = (not wrong_state, "; ".join(wrong_state) or
                                                       f"{len(claims)} claims, {len(bulk)} entered in bulk")
    claims.update(bulk)
    results["every history has each move once"] = (not wrong_story, "; ".join(wrong_story) or
                                                   f"{sum(len(c['history']) for c in claims.values())} moves")

    paid = sum(pence(c["claimPane"]["totals"]["total"]["amount"]) for c in claims.values()
               if c["status"]["code"] == "paid")
    runs = [r for r in every_page(client, f"/payment-runs?commissioner={icb}", finance)]
    confirmed = [r for r in runs if r["status"]["code"] == "confirmed"]
    runs_total = sum(pence(r["total"]["amount"]) for r in confirmed)
    in_runs: Counter = Counter()
    export_total = 0
    for run in confirmed:
        for claim in every_page(client, f"/payment-runs/{run['id']}", finance):
            in_runs[claim["id"]] += 1
        sheet = client.call("GET", f"/payment-runs/{run['id']}/export", finance)
        export_total += sum(pence(row["Value"]) for row in csv.DictReader(io.StringIO(sheet)))
    remitted = 0
    for p in practices:
        for remittance in client.call("GET", f"/providers/{p.code}/remittances", p.user.token)["items"]:
            remitted += pence(remittance["total"]["amount"])
    report = client.call("GET", f"/reports/claims?commissioner={icb}", admin)
    by_status = {t["status"]["code"]: t for t in report["total"]["byStatus"]}
    report_paid = pence(by_status.get("paid", {"value": "0.00"})["value"])
    figures = {"claims paid": paid, "confirmed runs": runs_total, "remittances": remitted, "export": export_total,
               "report's paid": report_paid}
    results["paid = runs = remittances = export = report, to the penny"] = (
        len(set(figures.values())) == 1 and paid > 0,
        ", ".join(f"{k} £{v / 100:,.2f}" for k, v in figures.items()))
    twice = [c for c, n in in_runs.items() if n > 1]
    paid_ids = {c for c, claim in claims.items() if claim["status"]["code"] == "paid"}
    results["no claim in two runs, every paid claim in one"] = (
        not twice and set(in_runs) == paid_ids, f"{len(in_runs)} claims in {len(confirmed)} run(s); twice: {twice}")

    recount: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for claim in claims.values():
        recount[claim["status"]["code"]][0] += 1
        recount[claim["status"]["code"]][1] += pence(claim["claimPane"]["totals"]["total"]["amount"])
    reported = {code: [t["claims"], pence(t["value"])] for code, t in by_status.items()}
    results["the report equals a recount of the claims"] = (reported == dict(recount), json.dumps(reported))

    # Each email of the money path has an id fixed by what it tells (a claim's
    # n-th move, a run's remittance to one person), and the ledger sends each
    # id once: so the emails SES accepted about these claims and runs must be
    # exactly the ledger's sent entries, one each.
    ours = {p.user.email for p in practices} | {p.approver.email for p in practices if p.approver} \
        | {world["people"]["approver_tier1"].email}
    claim_ids = {str(c) for c in claims}

    def about_these(subject: str) -> bool:
        named = re.match(r"Claim (\d+)[: ]", subject)
        return subject.startswith("Payment of") or (named is not None and named.group(1) in claim_ids)

    mail = [m for m in stack.outbox() if set(m["destinations"].get("ToAddresses", [])) & ours
            and about_these(m["subject"])]
    missing = []
    for p in practices:
        subjects = [m["subject"] for m in mail if p.user.email in m["destinations"]["ToAddresses"]]
        if "return" in p.script and f"Claim {p.claim}: Returned for amendment" not in subjects:
            missing.append(f"{p.claim}: no return email")
        if "reject" not in p.script and not any(s.startswith("Payment of") for s in subjects):
            missing.append(f"{p.code}: no remittance email")
    run_ids = [run["id"] for run in confirmed]
    about_ours = tuple(f"MAIL#claim-{c}-" for c in claims) + tuple(f"MAIL#remittance-{r}-" for r in run_ids)
    ledger = [item for item in stack.mail_ledger() if item["PK"]["S"].startswith(about_ours)]
    unsent = [item["PK"]["S"] for item in ledger if item.get("state", {}).get("S") != "sent"]
    results["every email went, none twice"] = (
        len(mail) == len(ledger) and not missing and not unsent,
        f"{len(mail)} sent by SES about these claims and runs, {len(ledger)} in the ledger; "
        f"missing: {missing}; unsent in the ledger: {unsent}")

    broken = list(client.tally.broken)
    results["no 5xx but a 503 with Retry-After that a retry cleared"] = (
        not broken, f"{sum(client.tally.answers.values())} answers, retries {dict(client.tally.retries)}; "
                    f"broken: {broken[:5]}")
    return results


# --------------------------------------------------------------------------- the run
@dataclass
class Outcome:
    practices: int
    claims: int
    requests: int
    #: Function processes ended mid-step, of those asked for.
    ended: tuple[int, int]
    retries: dict
    faults: dict
    calls: dict
    invariants: dict
    seconds: float

    def held(self) -> bool:
        return all(ok for ok, _ in self.invariants.values())

    def lines(self) -> list[str]:
        out = [f"chaos run: {self.practices} practices, {self.claims} claims, {self.requests} requests "
               f"in {self.seconds:.0f} s",
               f"  client retries: {self.retries or 'none'}",
               f"  function processes ended after their change: {self.ended[0]} of {self.ended[1]} asked",
               f"  faults injected: {sum(self.faults.values())} of {sum(self.calls.values())} AWS calls: "
               + ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))]
        for name, (ok, figures) in self.invariants.items():
            out.append(f"  {'held ' if ok else 'BROKE'}  {name}: {figures}")
        return out


#: Where a function's process is ended after its change, the n-th crash at the
#: n-th point (round): the retry with the same key must finish the work once.
CRASH_POINTS = [("submit-claim", "after-transaction"), ("create-payment-run", "after-run-created"),
                ("decide-claim", "after-decision")]


def crash_plan(crashes: int) -> list[dict]:
    return [{"function": function, "point": point}
            for function, point in (CRASH_POINTS[i % len(CRASH_POINTS)] for i in range(crashes))]


def run(started: dict, practices: int = 4, seed: int = 7, rate: float = 0.07, latency_ms: int = 20,
        workers: int = 4, crashes: int = 3, say: Callable[[str], None] = print) -> Outcome:
    """Builds a new ICB, walks the money path with faults on — `crashes`
    processes ending after their change (a submit, the run's start, a
    decision: `CRASH_POINTS`) — and checks the invariants."""
    stack = Stack(started)
    tally = Tally()
    client = Client(started["apiUrl"], tally)
    began = time.time()
    stack.faults(None)
    world = World(stack, client).build(practices)
    say(f"set up ICB {world['icb']} with {practices} practices in {time.time() - began:.0f} s")
    path = MoneyPath(stack, client, world)
    crash_file = Path(started["crashFile"])
    crash_file.write_text(json.dumps(crash_plan(crashes)))
    stack.faults({"seed": seed, "rate": rate, "latencyMs": latency_ms})
    try:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda pair: path.claim(*pair), enumerate(world["practices"])))
        path.bulk()
        path.pay()
    finally:
        report = stack.fault_report()
        stack.faults(None)
        ended = crashes - len(json.loads(crash_file.read_text()))
        crash_file.unlink()
    wait_until(stack.queues_empty, "the queues to empty", timeout=120, every=1)
    time.sleep(2)  # the mailer's last sends land
    invariants = check(stack, client, world)
    return Outcome(practices=practices, claims=2 * len(world["practices"]), requests=sum(tally.answers.values()),
                   ended=(ended, crashes),
                   retries=dict(tally.retries), faults=report["injected"], calls=report["calls"],
                   invariants=invariants, seconds=time.time() - began)
