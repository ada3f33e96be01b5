"""The shared TTS cache's bucket and index table in moto, built from template.yaml."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from hotelvoice import aws
from hotelvoice.settings import get_settings
from local_mode.template import load_template


@dataclass(frozen=True)
class CacheStore:
    """One fresh bucket and table; counts what the tests assert on."""

    bucket: str
    table: str

    def objects(self) -> list[dict[str, Any]]:
        return aws.client("s3").list_objects_v2(Bucket=self.bucket).get("Contents", [])

    def items(self) -> list[dict[str, Any]]:
        return aws.client("dynamodb").scan(TableName=self.table)["Items"]


@contextmanager
def mocked_aws() -> Iterator[None]:
    """moto in process, whatever a local plane put into the environment before."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        aws.reset_clients()
        with mock_aws():
            yield
        aws.reset_clients()


def new_store() -> CacheStore:
    """A bucket and a table shaped like the template's ``TtsCacheTable``."""
    props = load_template().resources["TtsCacheTable"]["Properties"]
    name = f"tts-{uuid.uuid4().hex[:12]}"
    region = get_settings().aws_region
    aws.client("s3").create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": region}
    )
    dynamodb = aws.client("dynamodb")
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        BillingMode="PAY_PER_REQUEST",
    )
    ttl = props["TimeToLiveSpecification"]
    dynamodb.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
    )
    return CacheStore(bucket=name, table=name)
