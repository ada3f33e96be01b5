"""The guest's side of applying call events: identifiers hashed, sealed, indexed or hidden.

A caller's or guest's identifier (a phone number, a booking code, a verified name) is kept
only as a keyed hash and a sealed value, and indexed (``SUBJECT#<hash>`` / ``CALL#<id>``) so
that an access or erasure request finds every call it appears in; a verified name is taken
out of the turns stored before it; a recording the caller declined is deleted, and the
record says so (``docs/privacy.md``).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from hotelvoice.calls.erasable import SUBJECT_PREFIX, stamp
from hotelvoice.calls.record_writes import RecordWrites
from hotelvoice.contracts.call_events import ConsentRecorded, FrontDeskRequest, MessageTaken
from hotelvoice.contracts.privacy import canonical_phone
from hotelvoice.dynamo import Key, query_all
from hotelvoice.privacy import recordings
from hotelvoice.privacy.keys import seal, subject_hash
from hotelvoice.redaction import redact


def caller_hash(number: str) -> str:
    """Enough to group repeat callers, useless to dial back or to reverse without the key."""
    return subject_hash("phone", canonical_phone(number))


class GuestPrivacyWrites(RecordWrites):
    """What the store writes about a guest, beside the event itself."""

    def _callback(
        self,
        item: dict[str, Any],
        event: MessageTaken | FrontDeskRequest,
        hotel_id: str | None,
        expiry: int,
    ) -> bool:
        """A number to call back: hashed, sealed and indexed; ``False`` if erased since."""
        if not event.callback_number:
            return True
        number = canonical_phone(event.callback_number)
        if self._erased_subject_since("phone", number, hotel_id, event):
            return False
        item["callback_hash"] = caller_hash(event.callback_number)
        sealed = seal(event.callback_number)
        if sealed:
            item["callback_sealed"] = sealed
        self._index("phone", number, event.call_id, hotel_id, expiry)
        return True

    def _consent(
        self, pk: str, event: ConsentRecorded, expiry: int, summary: dict[str, Any]
    ) -> bool:
        """The latest word on recording wins.

        A transcript not kept loses its turns now, and a declined recording its files: egress
        may have run between the disclosure and the caller's no.
        """
        written = self._update(
            pk,
            "SET call_id = :c, consent = :v, expires_at = if_not_exists(expires_at, :x)",
            {
                ":c": event.call_id,
                ":v": {
                    "recording": event.recording,
                    "via": event.via,
                    "transcript_kept": event.transcript_kept,
                    "at": stamp(event.occurred_at),
                },
                ":t": stamp(event.occurred_at),
                ":x": expiry,
            },
            condition="attribute_not_exists(consent) OR consent.#at < :t",
            names={"#at": "at"},
        )
        if not event.transcript_kept:
            self._delete_items(pk, prefixes=("TURN#", "TOOL#"))
        recording = summary.get("recording")
        if written and event.recording == "declined" and recording and recording.get("location"):
            self._mark_discarded(pk, event.call_id, summary.get("hotel_id"), recording)
        return written

    def _mark_discarded(
        self, pk: str, call_id: str, hotel_id: str | None, recording: dict[str, Any]
    ) -> None:
        """A stored recording the caller declined: its files go, the record says so."""
        self._table.update_item(
            Key={"pk": pk, "sk": "SUMMARY"},
            UpdateExpression="SET recording = :r",
            ExpressionAttributeValues={":r": self._discard_recording(call_id, hotel_id, recording)},
        )

    def _discard_recording(
        self, call_id: str, hotel_id: str | None, recording: dict[str, Any]
    ) -> dict[str, Any]:
        """Delete a declined call's recording files; the record says it was discarded."""
        location = recording.get("location")
        if hotel_id:
            recordings.delete_objects(recordings.call_objects(hotel_id, call_id, location))
        elif key := recordings.our_key(location or ""):
            recordings.delete_objects([key])
        return {
            "discarded": "declined",
            "duration_s": recording.get("duration_s"),
            "expires_at": recording.get("expires_at"),
        }

    def _redact_turns(self, pk: str, names: list[str]) -> None:
        """A lookup verified the guest's name: take it out of the turns stored before it."""
        for item in query_all(self._table, KeyConditionExpression=Key("pk").eq(pk)):
            if not item["sk"].startswith("TURN#"):
                continue
            text = redact(item["text"], names)
            if text != item["text"]:
                self._table.update_item(
                    Key={"pk": pk, "sk": item["sk"]},
                    UpdateExpression="SET #t = :t",
                    ConditionExpression="attribute_exists(sk)",
                    ExpressionAttributeNames={"#t": "text"},
                    ExpressionAttributeValues={":t": text},
                )

    def _index(
        self, kind: str, value: str, call_id: str, hotel_id: str | None, expiry: int
    ) -> None:
        """Point the identifier's keyed hash at this call (for access and erasure requests).

        The call's summary lists the hashes it is indexed under, so erasing the call removes
        its index items whichever identifier led to the erasure. Nothing is indexed for an
        erased call, and an item written while one is being erased is taken back.
        """
        pk = f"CALL#{call_id}"
        hashed = subject_hash(kind, value)
        try:
            self._table.update_item(
                Key={"pk": pk, "sk": "SUMMARY"},
                UpdateExpression="SET call_id = :c ADD subject_hashes :h",
                ConditionExpression="attribute_not_exists(erased_at)",
                ExpressionAttributeValues={":c": call_id, ":h": {hashed}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return
            raise
        item: dict[str, Any] = {
            "pk": f"{SUBJECT_PREFIX}{hashed}",
            "sk": f"CALL#{call_id}",
            "kind": kind,
            "expires_at": expiry,
        }
        if hotel_id:
            item["subject_hotel"] = hotel_id
        self._table.put_item(Item=item)
        if self._summary(pk).get("erased_at"):
            self._table.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
