"""The local dispatcher's pure parts: schedule expressions and SQS event shape."""

import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))

import dispatcher  # noqa: E402


def scheduler(expression: str, **props) -> dispatcher.Scheduler:
    return dispatcher.Scheduler("f", {"ScheduleExpression": expression, **props}, "http://127.0.0.1:9", "eu-west-2",
                                None)


def test_rate_expressions():
    now = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
    assert scheduler("rate(5 minutes)").next_after(now) == datetime(2026, 11, 26, 10, 5, tzinfo=timezone.utc)
    assert scheduler("rate(1 hour)").next_after(now) == datetime(2026, 11, 26, 11, 0, tzinfo=timezone.utc)
    assert scheduler("rate(1 day)").next_after(now) == datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


def test_aws_cron_expressions_with_year_and_question_mark():
    assert dispatcher.aws_cron_to_croniter("0 6 * * ? *") == "0 6 * * *"
    now = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
    assert scheduler("cron(0 6 * * ? *)").next_after(now) == datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)


def test_cron_follows_the_schedule_time_zone_across_the_clock_change():
    london = scheduler("cron(0 8 * * ? *)", ScheduleExpressionTimezone="Europe/London")
    summer = datetime(2026, 10, 24, 12, 0, tzinfo=timezone.utc)
    assert london.next_after(summer).astimezone(timezone.utc) == datetime(2026, 10, 25, 8, 0, tzinfo=timezone.utc)
    spring = datetime(2027, 3, 28, 12, 0, tzinfo=timezone.utc)
    assert london.next_after(spring).astimezone(timezone.utc) == datetime(2027, 3, 29, 7, 0, tzinfo=timezone.utc)


def test_scheduler_input_gets_the_scheduled_time():
    with_input = scheduler("rate(15 minutes)", Input='{"scheduledTime": "<aws.scheduler.scheduled-time>"}')
    due = datetime(2026, 10, 25, 23, 0, tzinfo=timezone.utc)
    assert with_input.payload(due) == {"scheduledTime": "2026-10-25T23:00:00Z"}
    assert scheduler("rate(1 hour)").payload(due)["time"] == "2026-10-25T23:00:00Z"


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
