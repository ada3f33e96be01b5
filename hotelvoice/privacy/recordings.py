"""Recordings of calls in the recordings bucket: where a call's files are, links, deletion.

LiveKit egress writes ``recordings/<hotel_id>/<call_id>.<ext>`` (no personal data in the key)
and reports the location in its ``egress_ended`` webhook, which the call record keeps. A
location outside our bucket (a hotel's own egress storage) can be named in an export but not
deleted by us: ``docs/privacy.md`` says what the hotel must do there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hotelvoice import aws
from hotelvoice.contracts.privacy import ExportedRecording
from hotelvoice.settings import get_settings

PREFIX = "recordings/"


def recording_prefix(hotel_id: str, call_id: str) -> str:
    """Every file of one call's recording starts with this key."""
    return f"{PREFIX}{hotel_id}/{call_id}"


def our_key(location: str) -> str | None:
    """The object key when ``location`` is in our recordings bucket, else ``None``."""
    bucket = get_settings().recordings_bucket
    if not bucket or not location:
        return None
    for scheme in (f"s3://{bucket}/", f"https://{bucket}.s3."):
        if location.startswith(scheme):
            key = location.removeprefix(f"s3://{bucket}/")
            return key.split(".amazonaws.com/", 1)[1] if "amazonaws.com/" in key else key
    return location if location.startswith(PREFIX) else None


def call_objects(hotel_id: str, call_id: str, location: str | None) -> list[str]:
    """Keys of the call's recording files in our bucket (listed, plus the reported one)."""
    bucket = get_settings().recordings_bucket
    if not bucket:
        return []
    keys: set[str] = set()
    paginator = aws.client("s3").get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=recording_prefix(hotel_id, call_id)):
        keys.update(obj["Key"] for obj in page.get("Contents", []))
    reported = our_key(location or "")
    if reported:
        keys.add(reported)
    return sorted(keys)


def exported(
    call_id: str, hotel_id: str, recording: dict[str, Any] | None
) -> list[ExportedRecording]:
    """Presigned, short-lived links to the call's recordings (or where they are, if not ours)."""
    settings = get_settings()
    location = (recording or {}).get("location")
    duration = (recording or {}).get("duration_s")
    keys = call_objects(hotel_id, call_id, location)
    ttl = settings.privacy_link_ttl_s
    until = datetime.now(UTC) + timedelta(seconds=ttl)
    answers = [
        ExportedRecording(
            call_id=call_id,
            url=aws.client("s3").generate_presigned_url(
                "get_object",
                Params={"Bucket": settings.recordings_bucket, "Key": key},
                ExpiresIn=ttl,
            ),
            link_expires_at=until,
            duration_s=float(duration) if duration else None,
        )
        for key in keys
    ]
    if location and not our_key(location):
        answers.append(ExportedRecording(call_id=call_id, location=location))
    return answers


def listening_link(recording: dict[str, Any] | None) -> tuple[str, datetime] | None:
    """A short-lived link for staff to play a call's recording, and when it stops working.

    None for a call without one, a recording discarded because the caller declined, or one
    kept outside our bucket (the hotel's own egress storage, which we cannot sign for).
    """
    key = our_key((recording or {}).get("location") or "")
    if not key:
        return None
    settings = get_settings()
    url = aws.client("s3").generate_presigned_url(
        "get_object",
        Params={"Bucket": settings.recordings_bucket, "Key": key},
        ExpiresIn=settings.recording_link_ttl_s,
    )
    return url, datetime.now(UTC) + timedelta(seconds=settings.recording_link_ttl_s)


def delete_objects(keys: list[str]) -> int:
    """Delete the keys from the recordings bucket; returns how many there were."""
    if not keys:
        return 0
    answer = aws.client("s3").delete_objects(
        Bucket=get_settings().recordings_bucket,
        Delete={"Objects": [{"Key": k} for k in keys], "Quiet": False},
    )
    return len(answer.get("Deleted", []))
