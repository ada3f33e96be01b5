"""Reading a whole table back, as stored, for tests that check every item of it."""

from __future__ import annotations

import json
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from hotelvoice import aws


def scan_table(name: str) -> list[dict[str, Any]]:
    """Every item of the table, numbers as ``Decimal``."""
    client, items, kwargs = aws.client("dynamodb"), [], {"TableName": name}
    deserialise = TypeDeserializer().deserialize
    while True:
        page = client.scan(**kwargs)
        items += [{k: deserialise(v) for k, v in item.items()} for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def a_hotel(plane: Any, prefix: str, **settings: Any) -> str:
    """A new configured hotel of its own (an unused number), with ``settings`` as given."""
    import random
    import uuid

    from hotelvoice.contracts.hotels import HotelConfigUpdate
    from hotelvoice.hotels.store import HotelDirectory

    hotel_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
    HotelDirectory(plane.resources.refs["HotelsTable"]).put(
        hotel_id,
        HotelConfigUpdate(
            version=0,
            dialled_numbers=[f"+4930{random.randint(10**8, 10**9 - 1)}"],
            front_desk="+493055501000",
            **settings,
        ),
        actor="test",
    )
    return hotel_id


def queued_bodies(url: str) -> list[str]:
    """Every message of the queue (each hidden for a few seconds while it is read)."""
    bodies: list[str] = []
    for _ in range(20):
        batch = (
            aws.client("sqs")
            .receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=5)
            .get("Messages", [])
        )
        bodies += [m["Body"] for m in batch]
        if not batch:
            break
    return bodies


def everything_stored(plane) -> dict[str, str]:
    """Store name → all of its text: every table but the PMS, every bucket, every queue."""
    found: dict[str, str] = {}
    for logical, resource in plane.template.resources.items():
        ref = plane.resources.refs.get(logical)
        if resource["Type"] == "AWS::DynamoDB::Table" and logical != "PmsTable":
            found[logical] = json.dumps(scan_table(ref), default=str)
        elif resource["Type"] == "AWS::S3::Bucket":
            s3, texts = aws.client("s3"), []
            for obj in s3.list_objects_v2(Bucket=ref).get("Contents", []):
                body = s3.get_object(Bucket=ref, Key=obj["Key"])["Body"].read()
                texts.append(f"{obj['Key']} {body.decode('utf-8', 'replace')}")
            found[logical] = "\n".join(texts)
        elif resource["Type"] == "AWS::SQS::Queue":
            found[logical] = "\n".join(queued_bodies(ref))
    return found
