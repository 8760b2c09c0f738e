"""The mailer: a failed send is retried, then dead-lettered; a message
delivered twice is sent once. Sending is off while the SES identity is gone."""

import json
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))

import cfn  # noqa: E402
import provision  # noqa: E402
from conftest import unique_email  # noqa: E402


def message(to: str, message_id: str | None = None) -> str:
    return json.dumps({
        "id": message_id or str(uuid.uuid4()),
        "kind": "test",
        "to": to,
        "subject": "Test message",
        "text": "Hello",
        "html": "<p>Hello</p>",
    })


@contextmanager
def ses_outage(stack):
    """Removes the sending identity, so every send is rejected, and restores it."""
    sesv2 = stack.client("sesv2")
    sesv2.delete_email_identity(EmailIdentity=stack["mailDomain"])
    try:
        yield
    finally:
        template = cfn.load_template()
        resolver = cfn.Resolver(template, pseudo={})
        resolver.physical["MailConfigurationSet"] = "local-claims-MailConfigurationSet"
        spec = template["Resources"]["MailIdentity"]["Properties"]
        provision.create_mail_identity(sesv2, resolver.resolve(spec))


def queue_url(stack, name: str) -> str:
    return stack["queues"][name]


def test_a_failed_send_is_retried_and_delivered_when_ses_recovers(stack, outbox):
    to = unique_email("retry", "mail")
    sqs = stack.client("sqs")
    with ses_outage(stack):
        sqs.send_message(QueueUrl=queue_url(stack, "MailQueue"), MessageBody=message(to))
        time.sleep(1.5)  # one or two failed attempts (retried after 1 s locally), well under the limit
    # (the outbox is read after the outage: reading it is slow once the emulator holds a lot)
    outbox.wait_for(to, timeout=30)


def test_after_the_retry_limit_the_message_is_in_the_dead_letter_queue(stack, outbox):
    to = unique_email("dlq", "mail")
    sqs = stack.client("sqs")
    body = message(to)
    dlq = queue_url(stack, "MailDeadLetterQueue")
    with ses_outage(stack):
        sqs.send_message(QueueUrl=queue_url(stack, "MailQueue"), MessageBody=body)
        deadline = time.time() + 60
        found = None
        while time.time() < deadline and not found:
            received = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                           AttributeNames=["All"]).get("Messages", [])
            found = next((m for m in received if m["Body"] == body), None)
            for other in received:
                if other is not found:
                    sqs.change_message_visibility(QueueUrl=dlq, ReceiptHandle=other["ReceiptHandle"],
                                                  VisibilityTimeout=0)
        assert found, "the message never reached the dead-letter queue"
        limit = cfn.load_template()["Resources"]["MailQueue"]["Properties"]["RedrivePolicy"]["maxReceiveCount"]
        assert int(found["Attributes"]["ApproximateReceiveCount"]) >= limit
        sqs.delete_message(QueueUrl=dlq, ReceiptHandle=found["ReceiptHandle"])
    assert outbox.to(to) == []


def test_a_redelivered_message_sends_once(stack, outbox):
    to = unique_email("once", "mail")
    body = message(to)
    sqs = stack.client("sqs")
    for _ in range(3):
        sqs.send_message(QueueUrl=queue_url(stack, "MailQueue"), MessageBody=body)
    outbox.wait_for(to)
    time.sleep(3)
    assert len(outbox.to(to)) == 1


def test_an_unreadable_message_is_dead_lettered_not_lost(stack):
    sqs = stack.client("sqs")
    marker = f"garbage-{uuid.uuid4().hex}"
    sqs.send_message(QueueUrl=queue_url(stack, "MailQueue"), MessageBody=marker)
    dlq = queue_url(stack, "MailDeadLetterQueue")
    deadline = time.time() + 60
    while time.time() < deadline:
        received = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for m in received:
            if m["Body"] == marker:
                sqs.delete_message(QueueUrl=dlq, ReceiptHandle=m["ReceiptHandle"])
                return
            sqs.change_message_visibility(QueueUrl=dlq, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
    raise AssertionError("the unreadable message never reached the dead-letter queue")
