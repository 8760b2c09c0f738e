"""The local dispatcher's pure parts: schedule expressions and SQS event shape."""

import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))

import dispatcher  # noqa: E402


def scheduler(expression: str) -> dispatcher.Scheduler:
    return dispatcher.Scheduler("f", expression, "http://127.0.0.1:9", "eu-west-2", None)


def test_rate_expressions():
    now = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
    assert scheduler("rate(5 minutes)").next_after(now) == datetime(2026, 11, 26, 10, 5, tzinfo=timezone.utc)
    assert scheduler("rate(1 hour)").next_after(now) == datetime(2026, 11, 26, 11, 0, tzinfo=timezone.utc)
    assert scheduler("rate(1 day)").next_after(now) == datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


def test_aws_cron_expressions_with_year_and_question_mark():
    assert dispatcher.aws_cron_to_croniter("0 6 * * ? *") == "0 6 * * *"
    now = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
    assert scheduler("cron(0 6 * * ? *)").next_after(now) == datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)


def test_sqs_records_have_the_aws_shape():
    poller = dispatcher.QueuePoller(None, "url", "arn:aws:sqs:eu-west-2:123456789012:q", "mailer",
                                    {"BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"]},
                                    "http://x", "eu-west-2", None)
    record = poller.record({"MessageId": "m1", "ReceiptHandle": "r1", "Body": "{}", "MD5OfBody": "x",
                            "Attributes": {"ApproximateReceiveCount": "1"}})
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"].endswith(":q")
    assert record["messageId"] == "m1" and record["body"] == "{}"
    assert poller.partial and poller.batch_size == 10
