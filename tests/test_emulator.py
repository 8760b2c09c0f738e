"""The local emulator's own corrections to moto (infra/emulator.py) keep
DynamoDB's answers: a query reads only its partition or its index key, and
still returns exactly what moto's full read of the table would."""

from __future__ import annotations

import random
import uuid

import boto3
from boto3.dynamodb.conditions import Attr, Key


def test_queries_answer_as_a_full_read_would_after_every_kind_of_write(stack):
    dynamodb = stack.client("dynamodb")
    name = f"emulator-check-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "G", "GS")],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "byG",
            "KeySchema": [{"AttributeName": "G", "KeyType": "HASH"}, {"AttributeName": "GS", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
    )
    table = boto3.resource("dynamodb", endpoint_url=stack["emulatorEndpoint"], region_name=stack["region"],
                           aws_access_key_id="test", aws_secret_access_key="test").Table(name)
    chance = random.Random(20261127)
    partitions = [f"P{n}" for n in range(6)]
    groups = [f"G{n}" for n in range(4)]
    try:
        for step in range(150):
            pk, sk = chance.choice(partitions), f"S{chance.randrange(12):02d}"
            kind = chance.choice(["put", "put", "update", "remove-index-key", "delete", "transact", "failed-transact"])
            if kind == "put":
                table.put_item(Item={"PK": pk, "SK": sk, "G": chance.choice(groups), "GS": f"{step:04d}", "n": step})
            elif kind == "update":
                table.update_item(Key={"PK": pk, "SK": sk}, UpdateExpression="SET G = :g, GS = :s, n = :n",
                                  ExpressionAttributeValues={":g": chance.choice(groups), ":s": f"{step:04d}",
                                                             ":n": step})
            elif kind == "remove-index-key":
                table.update_item(Key={"PK": pk, "SK": sk}, UpdateExpression="REMOVE G")
            elif kind == "delete":
                table.delete_item(Key={"PK": pk, "SK": sk})
            else:
                other = f"S{chance.randrange(12, 20):02d}"
                items = [
                    {"Put": {"TableName": name, "Item": {"PK": {"S": pk}, "SK": {"S": other},
                                                         "G": {"S": chance.choice(groups)}, "GS": {"S": f"{step:04d}"}}}},
                    {"Update": {"TableName": name, "Key": {"PK": {"S": pk}, "SK": {"S": sk}},
                                "UpdateExpression": "SET G = :g, GS = :s",
                                "ExpressionAttributeValues": {":g": {"S": chance.choice(groups)},
                                                              ":s": {"S": f"{step:04d}"}}}},
                ]
                if kind == "failed-transact":  # undone as a whole: the index must not keep its writes
                    items.append({"ConditionCheck": {"TableName": name, "Key": {"PK": {"S": "none"}, "SK": {"S": "none"}},
                                                     "ConditionExpression": "attribute_exists(PK)"}})
                try:
                    dynamodb.transact_write_items(TransactItems=items)
                except dynamodb.exceptions.TransactionCanceledException:
                    assert kind == "failed-transact"
            every = [i for page in [table.scan(ConsistentRead=True)] for i in page["Items"]]
            asked_pk = chance.choice(partitions)
            want = sorted((i for i in every if i["PK"] == asked_pk), key=lambda i: i["SK"])
            got = table.query(KeyConditionExpression=Key("PK").eq(asked_pk), ConsistentRead=True)["Items"]
            assert got == want, (step, kind)
            asked_g = chance.choice(groups)
            want = sorted((i for i in every if i.get("G") == asked_g and "GS" in i), key=lambda i: (i["GS"], i["PK"], i["SK"]))
            got = table.query(IndexName="byG", KeyConditionExpression=Key("G").eq(asked_g))["Items"]
            assert [(i["PK"], i["SK"]) for i in got] == [(i["PK"], i["SK"]) for i in want], (step, kind)
            assert got == want
            paged = table.query(IndexName="byG", KeyConditionExpression=Key("G").eq(asked_g) & Key("GS").gte("0200"),
                                FilterExpression=Attr("n").exists(), Limit=3)
            first = [i for i in want if i["GS"] >= "0200"][:3]
            assert paged["Items"] == [i for i in first if "n" in i], (step, kind)
    finally:
        dynamodb.delete_table(TableName=name)
