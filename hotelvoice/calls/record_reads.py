"""Reading call records back: one whole record, or a hotel's calls a page at a time.

Apart from the writes (``store.py``) because the calls API only reads, and reading is where
the sealed numbers are opened for the front desk.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from hotelvoice import aws
from hotelvoice.calls.erasable import BY_HOTEL_INDEX, ErasableCalls, stamp
from hotelvoice.contracts.call_events import (
    BookingRecord,
    CallRecord,
    CallSummary,
    ConsentRecord,
    FrontDeskRequestRecord,
    MessageRecord,
    Outcome,
    ToolCallRecord,
    TransferRecord,
    Turn,
)
from hotelvoice.contracts.call_filters import CallFilters
from hotelvoice.cursor import encode_cursor, resume_from
from hotelvoice.dynamo import Attr, Key, deserialize, plain, query_all
from hotelvoice.errors import InvalidRequest, NotFound
from hotelvoice.privacy.keys import unseal

LIST_FIELDS = ("language", "transferred", "has_message", "has_request", "has_booking")


def _plain_item(item: dict[str, Any]) -> dict[str, Any]:
    """A low-level client's item as the table resource would give it."""
    return {key: deserialize(value) for key, value in item.items()}


class CallRecordReads(ErasableCalls):
    """The read side of the calls table."""

    def get(self, call_id: str) -> CallRecord:
        """The whole record, or ``NotFound``."""
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(f"CALL#{call_id}"))
        if not items:
            raise NotFound("no such call")
        summary = next((i for i in items if i["sk"] == "SUMMARY"), {})
        kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in items:  # in key order: each kind's items by time
            kind[item["sk"].split("#", 1)[0]].append(item)
        record = CallRecord(
            call_id=call_id,
            hotel_id=summary.get("hotel_id"),
            language=summary.get("language"),
            caller_hash=summary.get("caller_hash"),
            sip_call_id=summary.get("sip_call_id"),
            started_at=summary.get("started_at"),
            ended_at=summary.get("ended_at"),
            outcome=summary.get("outcome"),
            recording=_recording_view(summary.get("recording")),
            consent=_consent_view(summary.get("consent")),
            erased_at=summary.get("erased_at"),
            # Numbered in the call's order (the keys sort by time): a call answered again
            # after a reconnect counted its turns from 0 again.
            turns=[
                Turn(index=n, role=i["role"], text=i["text"], at=i["at"])
                for n, i in enumerate(kind["TURN"])
            ],
            tool_calls=[
                ToolCallRecord(
                    index=n,
                    name=i["name"],
                    arguments=plain(i["arguments"]),
                    result=i["result"],
                    ok=i["ok"],
                    duration_ms=float(i["duration_ms"]),
                )
                for n, i in enumerate(kind["TOOL"])
            ],
            transfers=[
                TransferRecord(
                    at=i["sk"].split("#")[1],
                    target=i["target"],
                    reason=i["reason"],
                    succeeded=i["succeeded"],
                    detail=i.get("detail"),
                )
                for i in kind["TRANSFER"]
            ],
            messages=[
                MessageRecord(
                    at=i["sk"].split("#")[1],
                    message=i["message"],
                    callback_number=callback_number_of(i),
                    language=i["language"],
                )
                for i in kind["MESSAGE"]
            ],
            bookings=[
                BookingRecord(
                    at=i["sk"].split("#")[1],
                    action=i["action"],
                    confirmation_code=i["confirmation_code"],
                    total_minor=i.get("total_minor"),
                    currency=i.get("currency"),
                    arrival=i.get("arrival"),
                    departure=i.get("departure"),
                    room_type=i.get("room_type"),
                    pms_ids=plain(i.get("pms_ids") or {}),
                    confirmation_sent=i.get("confirmation_sent"),
                )
                for i in kind["BOOKING"]
            ],
            requests=[
                FrontDeskRequestRecord(
                    at=i["sk"].split("#")[1],
                    category=i["category"],
                    details=i["details"],
                    reference=i["reference"],
                    callback_number=callback_number_of(i),
                    confirmation_code=i.get("confirmation_code"),
                    language=i["language"],
                )
                for i in kind["REQUEST"]
            ],
        )
        if record.started_at and record.ended_at:
            record.duration_s = round((record.ended_at - record.started_at).total_seconds(), 3)
        return record

    def list_for_hotel(
        self,
        hotel_id: str,
        *,
        limit: int = 50,
        since: datetime | None = None,
        until: datetime | None = None,
        outcome: Outcome | None = None,
        cursor: str | None = None,
        filters: CallFilters | None = None,
    ) -> tuple[list[CallSummary], str | None]:
        """Newest calls of one hotel first, one page; the cursor continues where it stopped.

        Like ``outcome``, ``filters`` apply to the page read: a page may hold fewer calls
        than ``limit`` (even none) and still have a next one.
        """
        condition = Key("hotel_id").eq(hotel_id)
        low = stamp(since) if since else "0"
        high = stamp(until) if until else "9"
        condition &= Key("started_at").between(low, high)
        kwargs: dict[str, Any] = {
            "IndexName": BY_HOTEL_INDEX,
            "KeyConditionExpression": condition,
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if outcome is not None:
            kwargs["FilterExpression"] = Attr("outcome").eq(outcome.value)
        if cursor:
            start = resume_from(cursor, hotel_id=hotel_id)
            # DynamoDB refuses a start key outside the key condition (a ValidationException,
            # a 500 here): a cursor from a page of another period is another query's.
            if not low <= start.get("started_at", "") <= high:
                raise InvalidRequest("cursor belongs to another query", code="invalid_cursor")
            kwargs["ExclusiveStartKey"] = start
        page = self._table.query(**kwargs)
        # The index keeps times and outcome; language and what the call holds are the
        # summaries', one batch read for the page.
        details = self.summaries([item["call_id"] for item in page["Items"]], LIST_FIELDS)
        calls = [
            CallSummary.model_validate(item | details.get(item["call_id"], {}))
            for item in page["Items"]
        ]
        if filters is not None:
            calls = [call for call in calls if filters.admit(call)]
        last = page.get("LastEvaluatedKey")
        return calls, encode_cursor(last) if last else None

    def summaries(self, call_ids: list[str], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """Some fields of many calls' summaries, by call id (batch reads of a hundred)."""
        found: dict[str, dict[str, Any]] = {}
        client = aws.client("dynamodb")
        names = {f"#f{n}": name for n, name in enumerate(("call_id", *fields))}
        for first in range(0, len(call_ids), 100):
            keys = [
                {"pk": {"S": f"CALL#{call_id}"}, "sk": {"S": "SUMMARY"}}
                for call_id in dict.fromkeys(call_ids[first : first + 100])
            ]
            request: dict[str, Any] = {
                self._table_name: {
                    "Keys": keys,
                    "ProjectionExpression": ", ".join(names),
                    "ExpressionAttributeNames": names,
                }
            }
            while request:
                answer = client.batch_get_item(RequestItems=request)
                for item in answer["Responses"].get(self._table_name, []):
                    plain_item = _plain_item(item)
                    if "call_id" in plain_item:
                        found[plain_item.pop("call_id")] = plain_item
                request = answer.get("UnprocessedKeys") or {}
        return found


def _recording_view(recording: Any) -> dict[str, Any] | None:
    view = plain(recording)
    if isinstance(view, dict):
        view.pop("expires_at", None)
    return view


def _consent_view(consent: Any) -> ConsentRecord | None:
    return ConsentRecord.model_validate(plain(consent)) if consent else None


def callback_number_of(item: dict[str, Any]) -> str | None:
    """The front desk needs the number to call back: stored sealed, opened on read."""
    if item.get("callback_sealed"):
        return unseal(item["callback_sealed"])
    return item.get("callback_number")
