"""Plays the parts AWS plays in production: SQS event-source mappings (poll a
queue, invoke its function with a real SQS event, honour partial batch
failures, let SQS redrive to the dead-letter queue) and EventBridge Scheduler
(invoke scheduled functions on their schedules). Both read template.yaml."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from datetime import datetime, timezone

import requests
from croniter import croniter
from zoneinfo import ZoneInfo

import cfn

log = logging.getLogger("dispatcher")

#: Locally a failed message is retried after this many seconds (AWS waits the
#: queue's visibility timeout); the receive count and the redrive are SQS's own.
LOCAL_RETRY_DELAY = 1


def invoke_url(invoke_base: str, function: str) -> str:
    return f"{invoke_base}/2015-03-31/functions/{function}/invocations"


class QueuePoller(threading.Thread):
    def __init__(self, sqs, queue_url: str, queue_arn: str, function: str, props: dict, invoke_base: str,
                 region: str, stop: threading.Event):
        super().__init__(name=f"sqs-{function}", daemon=True)
        self.sqs, self.queue_url, self.queue_arn = sqs, queue_url, queue_arn
        self.function, self.invoke_base, self.region, self.stop = function, invoke_base, region, stop
        self.batch_size = min(int(props.get("BatchSize", 10)), 10)
        self.partial = "ReportBatchItemFailures" in props.get("FunctionResponseTypes", [])

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.poll_once()
            except Exception:  # keep polling whatever one round did
                if self.stop.is_set():
                    return
                log.exception("polling %s failed", self.queue_url)
                time.sleep(1)

    def poll_once(self) -> None:
        received = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=1,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            return
        event = {"Records": [self.record(message) for message in received]}
        failed = self.invoke(event, received)
        done = [m for m in received if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        for message in received:
            if message["MessageId"] in failed:
                self.sqs.change_message_visibility(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=LOCAL_RETRY_DELAY
                )

    def record(self, message: dict) -> dict:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody"),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": self.region,
        }

    def invoke(self, event: dict, received: list[dict]) -> set[str]:
        """Message ids to retry: the reported failures, or all if the invocation failed."""
        everything = {m["MessageId"] for m in received}
        try:
            response = requests.post(invoke_url(self.invoke_base, self.function), json=event, timeout=120)
            body = response.json() if response.content else {}
        except (requests.RequestException, ValueError):
            log.exception("invoking %s failed", self.function)
            return everything
        if response.status_code != 200 or (isinstance(body, dict) and "errorType" in body):
            log.warning("%s failed: %s %s", self.function, response.status_code, body)
            return everything
        if not self.partial:
            return set()
        return {item["itemIdentifier"] for item in (body or {}).get("batchItemFailures", [])}


def aws_cron_to_croniter(expression: str) -> str:
    """AWS cron has six fields (minutes hours day-of-month month day-of-week year) and '?'."""
    fields = expression.split()
    return " ".join(f.replace("?", "*") for f in fields[:5])


RATE = re.compile(r"rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)")


class Scheduler(threading.Thread):
    def __init__(self, function: str, props: dict, invoke_base: str, region: str, stop: threading.Event):
        super().__init__(name=f"schedule-{function}", daemon=True)
        self.function, self.invoke_base, self.region, self.stop = function, invoke_base, region, stop
        self.expression = props["ScheduleExpression"]
        self.input = props.get("Input")
        self.zone = ZoneInfo(props.get("ScheduleExpressionTimezone", "UTC"))

    def next_after(self, now: datetime) -> datetime:
        rate = RATE.fullmatch(self.expression)
        if rate:
            seconds = int(rate.group(1)) * {"minute": 60, "hour": 3600, "day": 86400}[rate.group(2).rstrip("s")]
            return datetime.fromtimestamp(now.timestamp() + seconds, tz=timezone.utc)
        cron = re.fullmatch(r"cron\((.+)\)", self.expression)
        if not cron:
            raise ValueError(f"unsupported schedule {self.expression}")
        return croniter(aws_cron_to_croniter(cron.group(1)), now.astimezone(self.zone)).get_next(datetime)

    def payload(self, due: datetime) -> dict:
        """EventBridge Scheduler sends the target's Input with its context attributes filled in."""
        at = due.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.input is not None:
            return json.loads(self.input.replace("<aws.scheduler.scheduled-time>", at)
                              .replace("<aws.scheduler.execution-id>", f"local-{int(time.time())}"))
        return {
            "version": "0",
            "id": f"local-{int(time.time())}",
            "detail-type": "Scheduled Event",
            "source": "aws.scheduler",
            "time": at,
            "region": self.region,
            "resources": [],
            "detail": {},
        }

    def run(self) -> None:
        due = self.next_after(datetime.now(timezone.utc))
        while not self.stop.wait(max(0.0, due.timestamp() - time.time())):
            try:
                requests.post(invoke_url(self.invoke_base, self.function), json=self.payload(due), timeout=300)
            except requests.RequestException:
                log.exception("scheduled %s failed", self.function)
            due = self.next_after(datetime.now(timezone.utc))


def start(template: dict, resolver: cfn.Resolver, sqs, invoke_base: str, region: str,
          stop: threading.Event) -> list[threading.Thread]:
    threads: list[threading.Thread] = []
    for function, props in cfn.events_of(template, "SQS"):
        queue_arn = resolver.resolve(props["Queue"])
        queue_name = queue_arn.rsplit(":", 1)[1]
        queue_url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
        threads.append(QueuePoller(sqs, queue_url, queue_arn, function, props, invoke_base, region, stop))
    for kind in ("ScheduleV2", "Schedule"):
        for function, props in cfn.events_of(template, kind):
            threads.append(Scheduler(function, props, invoke_base, region, stop))
    for thread in threads:
        thread.start()
    return threads
