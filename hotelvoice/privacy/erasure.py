"""Erasure requests (GDPR Art. 17): the guest's data out of every store we keep, once.

What each store gets (the report says it per store):

* **calls**: every item of the guest's calls but an anonymous summary (hotel, language,
  times, outcome) with ``erased_at``, which makes any later event for the call a no-op;
* **privacy index**: the guest's ``SUBJECT#`` items; an ``ERASED#`` tombstone per keyed hash
  stops a ``call.started`` that was still queued from bringing them back;
* **mentions**: the guest's full name, e-mail, code and phone redacted in other calls;
* **recordings**: the call's files in the recordings bucket;
* **call events dead-letter queue**: the guest's messages deleted (the main queue is drained
  by the consumer within seconds, and the tombstones make it drop them);
* **TTS cache**: checked, never written (sentences naming a guest are not cached): every
  agent sentence of the guest's calls that names them is looked up, and removed if found;
* **idempotency, rate limits**: hold no guest data (hashed event ids; principals' counters);
* **audit log**: kept, as the hotel's accountability; entries name calls and principals, and
  this erasure's entry names the guest only by a keyed hash.

Repeating an erasure finds nothing more and reports zeros.
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.calls.store import CallRecordStore
from hotelvoice.calls.tool_records import lookup_revealed
from hotelvoice.contracts.privacy import (
    ErasureReport,
    PrivacyRequest,
    StoreErasure,
    canonical_phone,
)
from hotelvoice.errors import NotFound
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.privacy import recordings
from hotelvoice.privacy.export import STORES_WITHOUT_DATA
from hotelvoice.privacy.subject_calls import (
    SubjectCalls,
    Sweep,
    find_subject_calls,
    mention_pattern,
    mentions_in,
    names_subject,
    redact_subject,
)
from hotelvoice.settings import Settings
from hotelvoice.tts.cache import CacheKey
from hotelvoice.tts.engine import AudioFormat
from hotelvoice.tts.voices import voice_chain

DLQ_ROUNDS = 50
"""At most this many receives of ten messages: the dead-letter queue is small by design (an
alarm fires on its first message), and a Lambda has 29 seconds."""
TTS_ENGINES = ("elevenlabs", "azure", "espeak")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def erase_subject(request: PrivacyRequest, settings: Settings) -> ErasureReport:
    """Erase the guest from every store; idempotent."""
    store = CallRecordStore(settings.calls_table)
    found = find_subject_calls(store, request.hotel_id, request.subject)
    now = datetime.now(UTC)
    report = ErasureReport(
        erasure_id=uuid.uuid4().hex,
        hotel_id=request.hotel_id,
        erased_at=now,
        subject_hash=found.request_hash,
        stores={},
    )
    # Tombstones first: an event of the guest delivered while this runs is then dropped.
    for kind, value in request.subject.identifiers().items():
        store.remember_erased_subject(kind, value, request.hotel_id, now)
    calls, files, spoken, names = StoreErasure(), StoreErasure(), [], set()
    index = StoreErasure(detail="index entries of the calls removed; tombstones stop queued events")
    for call_id in found.call_ids:
        items = store.raw_items(call_id)
        summary = next((i for i in items if i["sk"] == "SUMMARY"), {})
        location = (summary.get("recording") or {}).get("location")
        files.erased += recordings.delete_objects(
            recordings.call_objects(request.hotel_id, call_id, location)
        )
        names |= guest_names_in(items)
        spoken += [
            (str(summary.get("language") or "en"), i["text"])
            for i in items
            if i["sk"].startswith("TURN#") and i.get("role") == "agent"
        ]
        erased = store.erase_call(call_id, erased_at=now)
        calls.erased += erased.items
        index.erased += erased.index_entries
    calls.detail = f"{len(found.call_ids)} calls anonymised (time and outcome kept)"
    files.detail = "recording files deleted from the recordings bucket"
    report.calls = list(found.call_ids)
    report.stores["calls"] = calls
    report.stores["recordings"] = files
    report.stores["privacy_index"] = index
    report.stores["mentions"] = _sweep(store, found)
    report.stores["call_events_dead_letter_queue"] = _purge_dead_letters(settings, store, found)
    report.stores["call_events_queue"] = StoreErasure(
        detail="queued events of these calls or this caller are dropped when delivered"
    )
    report.stores["tts_cache"] = _check_tts_cache(settings, request, found, spoken, names)
    for name in ("idempotency", "rate_limit", "pms"):
        report.stores[name] = StoreErasure(detail=STORES_WITHOUT_DATA[name])
    report.stores["audit_log"] = StoreErasure(
        detail="kept for accountability; entries name calls and staff, this one a keyed hash"
    )
    return report


def guest_names_in(items: list[dict[str, Any]]) -> set[str]:
    """Full names a call's reservation lookups returned (where the record kept them)."""
    names = {
        lookup_revealed(item.get("result") or "")[1]
        for item in items
        if item["sk"].startswith("TOOL#")
    }
    return {name for name in names if name}


def _sweep(store: CallRecordStore, found: SubjectCalls) -> StoreErasure:
    pattern = mention_pattern(found.subject)
    sweep, touched = Sweep(), 0
    for call_id, item, name in list(
        mentions_in(store, found.hotel_id, found.subject, set(found.call_ids), sweep)
    ):
        store.rewrite_text(
            call_id, item["sk"], {name: redact_subject(item[name], found.subject, pattern)}
        )
        touched += 1
    detail = f"mentions redacted in other calls of the hotel ({sweep.calls_read} calls read)"
    if not sweep.complete:
        detail += "; stopped at the time limit: older calls keep mentions until they expire"
    return StoreErasure(erased=touched, detail=detail)


def _purge_dead_letters(
    settings: Settings, store: CallRecordStore, found: SubjectCalls
) -> StoreErasure:
    """Delete the guest's messages from the DLQ; every other message is put back at once."""
    url = settings.call_events_dlq_url
    if not url:
        return StoreErasure(detail="no dead-letter queue configured")
    sqs = aws.client("sqs")
    pattern = mention_pattern(found.subject)
    calls, deleted, keep = set(found.call_ids), 0, []
    for _ in range(DLQ_ROUNDS):
        batch = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60, WaitTimeSeconds=0
        ).get("Messages", [])
        if not batch:
            break
        for message in batch:
            if _about_subject(message["Body"], found, calls, pattern, store):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                deleted += 1
            else:
                keep.append(message["ReceiptHandle"])
    for handle in keep:
        # If this fails the message becomes visible again after its timeout anyway.
        with contextlib.suppress(BotoCoreError, ClientError):
            sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    return StoreErasure(erased=deleted, detail="dead-lettered events of the guest deleted")


def _about_subject(
    body: str, found: SubjectCalls, calls: set[str], pattern: Any, store: CallRecordStore
) -> bool:
    """Is the message about the guest at this hotel?

    An event of one of their calls, or one that names them in a call of this hotel; another
    hotel's dead letters are not this erasure's.
    """
    try:
        event = json.loads(body)
    except ValueError:
        return False  # not an event we queued; nobody's call
    if not isinstance(event, dict):
        return False
    call_id = event.get("call_id")
    if call_id in calls:
        return True
    numbers = [event.get(f) for f in ("caller_number", "callback_number")]
    named = any(
        isinstance(n, str) and canonical_phone(n) == found.subject.phone for n in numbers
    ) or names_subject(body, found.subject, pattern)
    if not named:
        return False
    hotel = event.get("hotel_id")
    if hotel is None and isinstance(call_id, str):
        hotel = store.summary_of(call_id).get("hotel_id")
    return hotel == found.hotel_id


def _check_tts_cache(
    settings: Settings,
    request: PrivacyRequest,
    found: SubjectCalls,
    spoken: list[tuple[str, str]],
    names: set[str],
) -> StoreErasure:
    """Look up every agent sentence of the guest's calls that names them, in every voice.

    ``names`` are the guest's names as their calls' lookups revealed them: a request by
    phone alone still finds a sentence that greeted the guest by name.
    """
    if not settings.tts_cache_table:
        return StoreErasure(detail=STORES_WITHOUT_DATA["tts_cache"])
    try:
        overrides = HotelDirectory(settings.hotels_table).get(request.hotel_id).voices
    except NotFound:
        overrides = {}
    pattern = mention_pattern(found.subject)
    sentences = {
        (language, sentence)
        for language, text in spoken
        for sentence in SENTENCE_END.split(text)
        if names_subject(sentence, found.subject, pattern)
        or any(name.casefold() in sentence.casefold() for name in names)
    }
    dynamodb, held = aws.client("dynamodb"), 0
    for language, sentence in sorted(sentences):
        for voice in voice_chain(overrides, language, TTS_ENGINES):
            for fmt in AudioFormat:
                digest = CacheKey.of(voice, fmt, sentence).digest
                gone = dynamodb.delete_item(
                    TableName=settings.tts_cache_table,
                    Key={"pk": {"S": digest}},
                    ReturnValues="ALL_OLD",
                ).get("Attributes")
                if gone:
                    held += 1
                    if settings.tts_cache_bucket:
                        aws.client("s3").delete_object(
                            Bucket=settings.tts_cache_bucket, Key=gone["object_key"]["S"]
                        )
    return StoreErasure(
        erased=held,
        detail=f"{len(sentences)} sentences naming the guest looked up in every voice; "
        f"{held} were cached",
    )
