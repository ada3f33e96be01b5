"""Access requests (GDPR Art. 15): one JSON bundle of everything a hotel holds about a guest."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hotelvoice import aws
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.contracts.privacy import ExportAnswer, PrivacyExport, PrivacyRequest
from hotelvoice.dynamo import Key, query_all
from hotelvoice.privacy import recordings
from hotelvoice.privacy.keys import reservation_resource, unseal
from hotelvoice.privacy.subject_calls import Sweep, find_subject_calls, mentions_in
from hotelvoice.settings import Settings

AUDIT_BY_RESOURCE = "by-resource"
STORES_WITHOUT_DATA = {
    "tts_cache": "sentences that name a guest are never cached (hotelvoice.tts.personal_data)",
    "idempotency": "holds hashed event ids and whether each was written, for 24 hours",
    "rate_limit": "counts requests of staff and service principals, never guests",
    "pms": "the hotel's own system: export the guest there too (docs/privacy.md)",
}


def export_subject(request: PrivacyRequest, settings: Settings) -> PrivacyExport:
    """Collect the guest's calls, recordings, audit entries and mentions at the hotel."""
    store = CallRecordStore(settings.calls_table)
    found = find_subject_calls(store, request.hotel_id, request.subject)
    bundle = PrivacyExport(
        export_id=uuid.uuid4().hex,
        hotel_id=request.hotel_id,
        generated_at=datetime.now(UTC),
        subject_hash=found.request_hash,
        stores_without_data=dict(STORES_WITHOUT_DATA),
    )
    for call_id in found.call_ids:
        record = store.get(call_id)
        call = record.model_dump(mode="json")
        summary = store.summary_of(call_id)
        if summary.get("caller_sealed"):
            call["caller_number"] = unseal(summary["caller_sealed"])
        bundle.calls.append(call)
        bundle.recordings += recordings.exported(call_id, request.hotel_id, record.recording)
        bundle.audit_entries += _audit_entries(settings, f"call/{call_id}")
    bundle.audit_entries += _audit_entries(settings, f"subject/{found.request_hash}")
    if request.subject.confirmation_code:
        resource = reservation_resource(request.subject.confirmation_code)
        bundle.audit_entries += _audit_entries(settings, resource)
    sweep = Sweep()
    bundle.mentions = [
        {"call_id": call_id, "item": item["sk"].split("#")[0].lower(), "text": item[name]}
        for call_id, item, name in mentions_in(
            store, request.hotel_id, request.subject, set(found.call_ids), sweep
        )
    ]
    bundle.mentions_complete = sweep.complete
    return bundle


def answer_for(bundle: PrivacyExport, settings: Settings) -> ExportAnswer:
    """Inline when small; otherwise an S3 object and a presigned link to it."""
    body = bundle.model_dump_json()
    answer = ExportAnswer(export_id=bundle.export_id, calls=len(bundle.calls))
    if len(body.encode()) <= settings.privacy_inline_bytes or not settings.privacy_exports_bucket:
        answer.export = bundle
        return answer
    key = f"exports/{bundle.hotel_id}/{bundle.export_id}.json"
    s3 = aws.client("s3")
    s3.put_object(
        Bucket=settings.privacy_exports_bucket,
        Key=key,
        Body=body.encode(),
        ContentType="application/json",
    )
    answer.url = s3.generate_presigned_url(
        "get_object",
        Params={"Bucket": settings.privacy_exports_bucket, "Key": key},
        ExpiresIn=settings.privacy_link_ttl_s,
    )
    answer.link_expires_at = datetime.now(UTC) + timedelta(seconds=settings.privacy_link_ttl_s)
    return answer


def _audit_entries(settings: Settings, resource: str) -> list[dict[str, Any]]:
    table = settings.audit_table
    if not table:
        return []
    items = query_all(
        aws.resource_table(table),
        IndexName=AUDIT_BY_RESOURCE,
        KeyConditionExpression=Key("resource").eq(resource),
    )
    keep = ("at", "actor", "role", "action", "resource", "request_id")
    return [{k: item.get(k) for k in keep} for item in items]
