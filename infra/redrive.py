"""Moves every message in a dead-letter queue back to the queue it came from,
so its work is tried again (once the cause — say, the malware engine — is
fixed). Each message is sent to the source before it is deleted from the
dead-letter queue, so none is lost; the consumers are idempotent, so one
sent twice changes nothing twice.

    python infra/redrive.py EvidenceUploadDeadLetterQueue        # the local stack
    python infra/redrive.py EvidenceUploadDeadLetterQueue --aws  # a deployed stack (default credentials)

In AWS the same is one call: `aws sqs start-message-move-task --source-arn <dead-letter queue ARN>`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cfn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def source_of(template: dict, dead_letter: str) -> str:
    """The logical id of the queue whose redrive policy names `dead_letter`."""
    for name, spec in cfn.resources(template, "AWS::SQS::Queue").items():
        target = spec["Properties"].get("RedrivePolicy", {}).get("deadLetterTargetArn", {})
        if target == {"Fn::GetAtt": [dead_letter, "Arn"]}:
            return name
    raise SystemExit(f"no queue in template.yaml sends its failures to {dead_letter}")


def redrive(sqs, dead_letter_url: str, source_url: str) -> int:
    moved = 0
    while True:
        messages = sqs.receive_message(QueueUrl=dead_letter_url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                       MessageAttributeNames=["All"]).get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            attributes = message.get("MessageAttributes") or {}
            sqs.send_message(QueueUrl=source_url, MessageBody=message["Body"],
                             **({"MessageAttributes": attributes} if attributes else {}))
            sqs.delete_message(QueueUrl=dead_letter_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dead_letter_queue", help="its logical id in template.yaml")
    parser.add_argument("--aws", action="store_true", help="a deployed stack: look the queues up by stack output")
    parser.add_argument("--stack-name", default="local-claims")
    args = parser.parse_args()
    template = cfn.load_template()
    source = source_of(template, args.dead_letter_queue)
    if args.aws:
        sqs = boto3.client("sqs")
        physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in
                    boto3.client("cloudformation").describe_stack_resources(StackName=args.stack_name)["StackResources"]}
        dead_letter_url, source_url = physical[args.dead_letter_queue], physical[source]
    else:
        stack = json.loads((ROOT / ".local" / "stack.json").read_text(encoding="utf-8"))
        sqs = boto3.client("sqs", endpoint_url=stack["emulatorEndpoint"], region_name=stack["region"],
                           aws_access_key_id="test", aws_secret_access_key="test")
        dead_letter_url, source_url = stack["queues"][args.dead_letter_queue], stack["queues"][source]
    moved = redrive(sqs, dead_letter_url, source_url)
    print(f"moved {moved} message(s) from {args.dead_letter_queue} back to {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
