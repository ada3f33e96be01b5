"""Call records in DynamoDB, written so that redelivery and reordering converge.

Layout, partition ``CALL#<call_id>``: one ``SUMMARY`` item (hotel, language, caller hash and
sealed number, times, outcome, recording, consent) and one item per turn
(``TURN#<at>#00007``) and tool call (``TOOL#<at>#00003``), in the call's order across agent
sessions, transfer, message, booking (``BOOKING#<at>#<event>``) and
front-desk request (``REQUEST#<at>#<event>``). Those are put only if absent; summary fields
are set with conditions (earliest start wins, the agent's outcome wins over a bare
room-finished), so the same events in any order, any number of times, give the same record
(the writes themselves: ``record_writes.py``).

Privacy (``docs/privacy.md``): every item carries ``expires_at`` inside the hotel's
transcript retention; the guest's identifiers are indexed by keyed hash
(``SUBJECT#<hash>`` / ``CALL#<call_id>``) so an access or erasure request finds their calls;
an erased call keeps a tombstone summary (``erased_at``) that makes every later event for it
a no-op, and an erased subject's tombstone (``ERASED#<hash>``) stops a call.started that was
still queued from bringing the guest back. The hashing, sealing, indexing and redaction are
``guest_privacy.py``'s.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hotelvoice.calls.erasable import stamp
from hotelvoice.calls.guest_privacy import GuestPrivacyWrites, caller_hash
from hotelvoice.calls.hotel_items import HotelItems, item_fields
from hotelvoice.calls.record_writes import keeps_transcript
from hotelvoice.calls.tool_records import (
    booking_guest_words,
    redact_arguments,
    tool_identifiers,
)
from hotelvoice.contracts.call_events import (
    AgentJoined,
    BookingMade,
    CallEnded,
    CallerJoined,
    CallerLeft,
    CallStarted,
    CallTransferred,
    ConsentRecorded,
    FrontDeskRequest,
    LanguageChanged,
    MessageTaken,
    Outcome,
    RecordingReady,
    RoomFinished,
    RoomStarted,
    ToolCalled,
    TurnRecorded,
)
from hotelvoice.contracts.privacy import canonical_phone
from hotelvoice.privacy.keys import seal
from hotelvoice.privacy.retention import expires_at, retention_for
from hotelvoice.redaction import redact

SUMMARY_FLAGS = {"MESSAGE": "has_message", "REQUEST": "has_request", "BOOKING": "has_booking"}
"""What a call's summary says it holds, beside ``transferred`` (a transfer that succeeded)."""


def transcript_order(event: TurnRecorded | ToolCalled) -> str:
    """A turn's or tool call's place in the call: its time, then its index in the session.

    Not the index alone: a call answered again after a reconnect numbers from 0 again, and
    its turns must neither take the first session's places nor be dropped as theirs. The
    same event redelivered keeps its time and index, so it is still stored once.
    """
    return f"{stamp(event.occurred_at)}#{event.index:05d}"


class CallRecordStore(GuestPrivacyWrites):
    """Applies call events to records and reads them back."""

    def apply(self, event: Any) -> bool:
        """Write one event's effect; ``False`` for a duplicate or an erased call.

        An event for an erased call, or an erased guest's queued call.started, is dropped.
        """
        pk = f"CALL#{event.call_id}"
        summary = self._summary(pk)
        if summary.get("erased_at"):
            return False
        hotel_id = summary.get("hotel_id")
        if isinstance(event, CallerJoined) and event.hotel_id:
            hotel_id = event.hotel_id  # the dialled number's owner: the trusted source
        elif isinstance(event, CallStarted) and not hotel_id:
            hotel_id = event.hotel_id
        expiry = expires_at(retention_for(hotel_id).transcripts_days, event.occurred_at)
        match event:
            case CallStarted():
                number, language = event.caller_number, event.language
                written = self._caller(pk, event, hotel_id, number, summary, expiry, language)
                self._answered(pk, "answered_at", event)
                return written
            case CallerJoined():
                return self._caller(pk, event, hotel_id, event.caller_number, summary, expiry)
            case AgentJoined():
                return self._answered(pk, "agent_joined_at", event)
            case RoomStarted():
                return self._earliest_start(pk, event, expiry)
            case CallerLeft() | RoomFinished():
                return self._closed_by_livekit(pk, event, expiry)
            case TurnRecorded():
                if not keeps_transcript(summary):
                    return False
                return self._put_once(
                    {
                        "pk": pk,
                        "sk": f"TURN#{transcript_order(event)}",
                        "role": event.role,
                        "text": redact(event.text),
                        "at": stamp(event.occurred_at),
                        "expires_at": expiry,
                    }
                )
            case ToolCalled():
                if not keeps_transcript(summary):
                    return False
                return self._tool(pk, event, hotel_id, expiry)
            case CallTransferred():
                return self._transfer(pk, event, expiry)
            case MessageTaken():
                item: dict[str, Any] = {
                    "pk": pk,
                    "sk": f"MESSAGE#{stamp(event.occurred_at)}#{event.event_id}",
                    "message": redact(event.message),
                    "language": event.language,
                    "expires_at": expiry,
                }
                if not self._callback(item, event, hotel_id, expiry):
                    return False  # left before the guest's erasure, delivered after it
                return self._put_for_hotel(item, hotel_id, event.call_id)
            case BookingMade():
                return self._booking(pk, event, hotel_id, expiry)
            case FrontDeskRequest():
                if self._has_event(pk, "REQUEST#", event.event_id):
                    return False  # the same request recorded again after a reconnect
                item = {
                    "pk": pk,
                    "sk": f"REQUEST#{stamp(event.occurred_at)}#{event.event_id}",
                    "category": event.category,
                    "details": redact(event.details),
                    "reference": event.reference,
                    "language": event.language,
                    "expires_at": expiry,
                }
                code = event.confirmation_code
                if code and self._erased_subject_since("code", code, hotel_id, event):
                    return False
                if not self._callback(item, event, hotel_id, expiry):
                    return False
                if code:
                    item["confirmation_code"] = code
                    self._index("code", code, event.call_id, hotel_id, expiry)
                return self._put_for_hotel(item, hotel_id, event.call_id)
            case LanguageChanged():
                return self._update(
                    pk,
                    "SET call_id = :c, #lang = :l, language_at = :t, "
                    "expires_at = if_not_exists(expires_at, :x)",
                    {
                        ":c": event.call_id,
                        ":l": event.language,
                        ":t": stamp(event.occurred_at),
                        ":x": expiry,
                    },
                    condition="attribute_not_exists(language_at) OR language_at < :t",
                    names={"#lang": "language"},
                )
            case ConsentRecorded():
                return self._consent(pk, event, expiry, summary)
            case CallEnded():
                # The agent's word wins over what LiveKit's webhooks concluded.
                return self._update(
                    pk,
                    "SET call_id = :c, ended_at = :t, outcome = :o, ended_by = :a, "
                    "outcome_by = :a, expires_at = if_not_exists(expires_at, :x)",
                    {
                        ":c": event.call_id,
                        ":t": stamp(event.occurred_at),
                        ":o": event.outcome.value,
                        ":a": "agent",
                        ":x": expiry,
                    },
                    condition="attribute_not_exists(outcome) OR outcome <> :o OR ended_at <> :t",
                )
            case RecordingReady():
                recording: dict[str, Any] = {
                    "location": event.location,
                    "duration_s": str(event.duration_s),
                    "expires_at": expires_at(
                        retention_for(hotel_id).recordings_days, event.occurred_at
                    ),
                }
                if (summary.get("consent") or {}).get("recording") == "declined":
                    recording = self._discard_recording(event.call_id, hotel_id, recording)
                written = self._update(
                    pk,
                    "SET call_id = :c, recording = :r, expires_at = if_not_exists(expires_at, :x)",
                    {":c": event.call_id, ":r": recording, ":x": expiry},
                    condition="attribute_not_exists(recording)",
                )
                # A decline applied meanwhile found no recording to discard: discard it now.
                now = self._summary(pk)
                declined = (now.get("consent") or {}).get("recording") == "declined"
                if written and declined and "location" in recording:
                    self._mark_discarded(pk, event.call_id, hotel_id, recording)
                return written
        raise TypeError(f"not a call event: {type(event).__name__}")

    def _transfer(self, pk: str, event: CallTransferred, expiry: int) -> bool:
        """A transfer attempt; one that succeeded marks the call as put through."""
        written = self._put_once(
            {
                "pk": pk,
                "sk": f"TRANSFER#{stamp(event.occurred_at)}#{event.event_id}",
                "target": event.target,
                "reason": event.reason,
                "succeeded": event.succeeded,
                "detail": event.detail,
                "expires_at": expiry,
            }
        )
        if event.succeeded:
            self._flag(pk, "transferred", event.call_id, expiry)
        return written

    @property
    def _hotel_items(self) -> HotelItems:
        return HotelItems(self._table_name)

    def _put_for_hotel(self, item: dict[str, Any], hotel_id: str | None, call_id: str) -> bool:
        """A message, request or booking, listed among the hotel's (``hotel_items.py``).

        One that came before the call named its hotel is filed as soon as the summary has
        one: by this check, or by the caller's event that sets it.
        """
        written = self._put_once(item | item_fields(hotel_id, item))
        if written:  # the calls list filters on these: one look at the summary, no query
            flag = SUMMARY_FLAGS[item["sk"].split("#", 1)[0]]
            self._flag(item["pk"], flag, call_id, item["expires_at"])
        if written and not hotel_id:
            known = self._summary(item["pk"]).get("hotel_id")
            if known:
                self._hotel_items.file_call_items(call_id, known)
        return written

    def _booking(self, pk: str, event: BookingMade, hotel_id: str | None, expiry: int) -> bool:
        """A booking the agent made: kept with its code, which indexes the call for privacy.

        No name is stored; the code is the guest's identifier here, as a lookup's is.
        """
        code = event.confirmation_code
        if self._erased_subject_since("code", code, hotel_id, event):
            return False  # booked before the guest's erasure, delivered after it
        item: dict[str, Any] = {
            "pk": pk,
            "sk": f"BOOKING#{stamp(event.occurred_at)}#{event.event_id}",
            "action": event.action,
            "confirmation_code": code,
            "total_minor": event.total_minor,
            "currency": event.currency,
            "arrival": event.arrival.isoformat() if event.arrival else None,
            "departure": event.departure.isoformat() if event.departure else None,
            "room_type": event.room_type,
            "pms_ids": dict(event.pms_ids),
            "confirmation_sent": event.confirmation_sent,
            "expires_at": expiry,
        }
        self._index("code", code, event.call_id, hotel_id, expiry)
        kept = {k: v for k, v in item.items() if v is not None}
        return self._put_for_hotel(kept, hotel_id, event.call_id)

    def _tool(self, pk: str, event: ToolCalled, hotel_id: str | None, expiry: int) -> bool:
        """A tool call; a lookup that verified a guest indexes them and hides their name."""
        written = self._put_once(
            {
                "pk": pk,
                "sk": f"TOOL#{transcript_order(event)}",
                "name": event.name,
                "arguments": redact_arguments(event.arguments),
                "result": redact(event.result),
                "ok": event.ok,
                "duration_ms": str(round(event.duration_ms, 3)),
                "expires_at": expiry,
            }
        )
        identifiers = tool_identifiers(event)
        for kind, value in identifiers:
            if not self._erased_subject_since(kind, value, hotel_id, event):
                self._index(kind, value, event.call_id, hotel_id, expiry)
        verified_name = event.arguments.get("last_name")
        if identifiers and isinstance(verified_name, str):
            self._redact_turns(pk, [verified_name])
        if guest_words := booking_guest_words(event):
            self._redact_turns(pk, guest_words)
        return written

    def _caller(
        self,
        pk: str,
        event: CallStarted | CallerJoined,
        hotel_id: str | None,
        number: str | None,
        summary: dict[str, Any],
        expiry: int,
        language: str | None = None,
    ) -> bool:
        """The call's hotel, caller (and language); a caller erased since is not taken back.

        The agent's ``call.started`` and LiveKit's ``participant_joined`` both tell who called
        and which hotel answers; whichever arrives first makes the record, the other adds to
        it. The dialled number's owner (from the webhook) is the trusted hotel: it replaces a
        hotel named by the agent, never the other way round.
        """
        hashed = caller_hash(number) if number else None
        erased = number and self._erased_subject_since(
            "phone", canonical_phone(number), hotel_id, event
        )
        if erased:
            self.erase_call(event.call_id, erased_at=datetime.now(UTC), expiry=expiry)
            return False
        values: dict[str, Any] = {":c": event.call_id, ":x": expiry}
        sets = ["call_id = :c", "expires_at = :x"]
        names: dict[str, str] = {}
        if hotel_id:
            values[":h"] = hotel_id
            dialled = isinstance(event, CallerJoined)
            sets.append("hotel_id = :h" if dialled else "hotel_id = if_not_exists(hotel_id, :h)")
        if language:
            values[":l"] = language
            names["#lang"] = "language"
            sets.append("#lang = if_not_exists(#lang, :l)")
        if hashed:
            values[":ch"] = hashed
            sets.append("caller_hash = if_not_exists(caller_hash, :ch)")
        if number and not summary.get("caller_sealed"):
            sealed = seal(number)
            if sealed:
                sets.append("caller_sealed = :cs")
                values[":cs"] = sealed
        if isinstance(event, CallerJoined) and event.sip_call_id:
            values[":sip"] = event.sip_call_id
            sets.append("sip_call_id = if_not_exists(sip_call_id, :sip)")
        self._update(pk, "SET " + ", ".join(sets), values, names=names or None)
        if hotel_id and hotel_id != summary.get("hotel_id"):
            self._hotel_items.file_call_items(event.call_id, self._summary(pk)["hotel_id"])
        if number:
            self._index("phone", canonical_phone(number), event.call_id, hotel_id, expiry)
        if hotel_id and summary.get("expires_at") != expiry:
            self._restamp(pk, expiry)
        return self._earliest_start(pk, event, expiry)

    def _earliest_start(self, pk: str, event: Any, expiry: int) -> bool:
        """The earliest moment any source saw the call is when it started."""
        return self._update(
            pk,
            "SET call_id = :c, started_at = :t, expires_at = if_not_exists(expires_at, :x)",
            {":c": event.call_id, ":t": stamp(event.occurred_at), ":x": expiry},
            condition="attribute_not_exists(started_at) OR started_at > :t",
        )

    def _answered(self, pk: str, field: str, event: Any) -> bool:
        """An agent was there: a call LiveKit's webhooks closed as unanswered was not.

        Marked before the outcome is corrected, so a ``room_finished`` applied at the same
        time either sees the mark or has its ``unanswered`` corrected here.
        """
        written = self._update(
            pk,
            f"SET call_id = :c, {field} = :t",
            {":c": event.call_id, ":t": stamp(event.occurred_at)},
            condition=f"attribute_not_exists({field}) OR {field} > :t",
        )
        self._update(
            pk,
            "SET outcome = :failed",
            {":failed": Outcome.AGENT_FAILED.value, ":un": Outcome.UNANSWERED.value},
            condition="outcome = :un AND outcome_by = :lk",
            extra_values={":lk": "livekit"},
        )
        return written

    def _closed_by_livekit(self, pk: str, event: CallerLeft | RoomFinished, expiry: int) -> bool:
        """The caller left or the room closed: the call ended, whatever the agent says.

        The earliest such moment is the end, unless the agent reported one; the outcome is
        LiveKit's only while the agent has not given its own (``call.ended`` replaces it):
        ``unanswered`` if no agent was ever there, else ``agent_failed``.
        """
        written = self._update(
            pk,
            "SET call_id = :c, ended_at = :t, ended_by = :lk, "
            "expires_at = if_not_exists(expires_at, :x)",
            {":c": event.call_id, ":t": stamp(event.occurred_at), ":x": expiry},
            condition="attribute_not_exists(ended_at) OR (ended_by = :lk AND ended_at > :t)",
            extra_values={":lk": "livekit"},
        )
        unanswered = self._update(
            pk,
            "SET outcome = :o, outcome_by = :lk",
            {":o": Outcome.UNANSWERED.value},
            condition="attribute_not_exists(outcome) AND attribute_not_exists(answered_at) "
            "AND attribute_not_exists(agent_joined_at)",
            extra_values={":lk": "livekit"},
        )
        if not unanswered:
            self._update(
                pk,
                "SET outcome = :o, outcome_by = :lk",
                {":o": Outcome.AGENT_FAILED.value},
                condition="attribute_not_exists(outcome)",
                extra_values={":lk": "livekit"},
            )
        return written
