"""Recordings past each hotel's retention: what the daily retention function deletes.

DynamoDB's TTL expires call records on its own; S3 lifecycle rules are per bucket, not per
hotel, so the recordings bucket's rule is only the upper bound (365 days) and this sweep
applies each hotel's shorter ``retention.recordings_days``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from hotelvoice import aws
from hotelvoice.contracts.hotels import HotelConfig
from hotelvoice.privacy.recordings import PREFIX, delete_objects
from hotelvoice.settings import get_settings


def hotel_configs() -> Iterator[HotelConfig]:
    """Every configured hotel (a scan of the small hotels table)."""
    paginator = aws.client("dynamodb").get_paginator("scan")
    for page in paginator.paginate(
        TableName=get_settings().hotels_table,
        FilterExpression="sk = :config",
        ExpressionAttributeValues={":config": {"S": "CONFIG"}},
    ):
        for item in page.get("Items", []):
            yield HotelConfig.model_validate_json(item["config"]["S"])


def expire_recordings(now: datetime | None = None) -> dict[str, int]:
    """Delete each hotel's recordings older than its retention; hotel id → files deleted."""
    if not get_settings().recordings_bucket:
        return {}
    now = now or datetime.now(UTC)
    deleted: dict[str, int] = {}
    for config in hotel_configs():
        cutoff = now - timedelta(days=config.retention.recordings_days)
        deleted[config.hotel_id] = _delete_older(f"{PREFIX}{config.hotel_id}/", cutoff)
    return deleted


def _delete_older(prefix: str, cutoff: datetime) -> int:
    paginator = aws.client("s3").get_paginator("list_objects_v2")
    count = 0
    for page in paginator.paginate(Bucket=get_settings().recordings_bucket, Prefix=prefix):
        old = [o["Key"] for o in page.get("Contents", []) if o["LastModified"] < cutoff]
        for start in range(0, len(old), 1000):
            count += delete_objects(old[start : start + 1000])
    return count
