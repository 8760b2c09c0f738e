"""The emulator meters DynamoDB as AWS bills it (infra/usage.py), so the cost
figures in docs/COST.md rest on units worked out the way DynamoDB works them."""

import math
import sys
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))

from usage import item_size  # noqa: E402


def test_capacity_units_are_metered_as_dynamodb_bills_them(stack):
    dynamodb = stack.client("dynamodb")
    name = f"usage-probe-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "g")],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
    )
    usage_url = f"{stack['emulatorEndpoint']}/_local/usage"

    def units() -> tuple[float, float]:
        table = requests.get(usage_url, timeout=10).json()["dynamodb"]["byTable"].get(name, {})
        return table.get("readUnits", 0.0), table.get("writeUnits", 0.0)

    key = {"PK": {"S": "P"}, "SK": {"S": "S"}}
    plain = {**key, "body": {"S": "x" * 2500}}
    indexed = {**plain, "g": {"S": "on-the-index"}}
    kb = lambda item: math.ceil(item_size(item) / 1024)  # noqa: E731
    assert kb(plain) == 3 and kb(indexed) == 3

    dynamodb.put_item(TableName=name, Item=plain)
    assert units() == (0, 3), "a 2.5 KB item: 3 write units"
    dynamodb.put_item(TableName=name, Item=indexed)
    assert units() == (0, 3 + 6), "the item, and its copy on the index"
    dynamodb.get_item(TableName=name, Key=key)
    assert units() == (0.5, 9), "an eventually consistent read of up to 4 KB: half a unit"
    dynamodb.get_item(TableName=name, Key=key, ConsistentRead=True)
    dynamodb.get_item(TableName=name, Key={"PK": {"S": "none"}, "SK": {"S": "none"}}, ConsistentRead=True)
    assert units() == (2.5, 9), "a strongly consistent read: one unit, found or not"
    dynamodb.query(TableName=name, KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": {"S": "P"}})
    assert units() == (3, 9), "a query: by the size of what it read"
    dynamodb.transact_write_items(TransactItems=[{"Update": {
        "TableName": name, "Key": key, "UpdateExpression": "REMOVE g"}}])
    assert units() == (3, 9 + 2 * (3 + 3)), "twice in a transaction, the index copy removed too"
    dynamodb.delete_item(TableName=name, Key=key)
    assert units() == (3, 21 + 3), "deleting an item off the index"
    dynamodb.delete_table(TableName=name)
