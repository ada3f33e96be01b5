"""Call records in DynamoDB, written so that redelivery and reordering converge.

Layout, partition ``CALL#<call_id>``: one ``SUMMARY`` item (hotel, language, caller hash,
times, outcome, recording) and one item per turn (``TURN#00007``) and tool call
(``TOOL#00003``). Turns and tool calls are put only if absent; summary fields are set with
conditions (earliest start wins, the agent's outcome wins over a bare room-finished), so the
same events in any order, any number of times, give the same record.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from hotelvoice import aws
from hotelvoice.contracts.call_events import (
    CallEnded,
    CallRecord,
    CallStarted,
    CallSummary,
    CallTransferred,
    LanguageChanged,
    MessageRecord,
    MessageTaken,
    Outcome,
    RecordingReady,
    RoomFinished,
    ToolCalled,
    ToolCallRecord,
    TransferRecord,
    Turn,
    TurnRecorded,
)
from hotelvoice.cursor import decode_cursor, encode_cursor
from hotelvoice.dynamo import plain, query_all
from hotelvoice.errors import InvalidRequest, NotFound
from hotelvoice.redaction import redact

BY_HOTEL_INDEX = "by-hotel"


def stamp(moment: datetime) -> str:
    """Fixed-width UTC timestamps compare correctly as strings in conditions."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def caller_hash(number: str) -> str:
    """Enough to group repeat callers, useless to dial back."""
    return hashlib.sha256(number.encode()).hexdigest()[:24]


class CallRecordStore:
    """Applies call events to records and reads them back."""

    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self) -> Any:
        return aws.resource_table(self._table_name)

    def apply(self, event: Any) -> bool:
        """Write one event's effect; ``False`` when it was already there (a duplicate)."""
        pk = f"CALL#{event.call_id}"
        match event:
            case CallStarted():
                self._update(
                    pk,
                    "SET call_id = :c, hotel_id = if_not_exists(hotel_id, :h), "
                    "#lang = if_not_exists(#lang, :l), "
                    "caller_hash = if_not_exists(caller_hash, :ch)",
                    {
                        ":c": event.call_id,
                        ":h": event.hotel_id,
                        ":l": event.language,
                        ":ch": caller_hash(event.caller_number) if event.caller_number else None,
                    },
                    names={"#lang": "language"},
                )
                return self._update(
                    pk,
                    "SET started_at = :t",
                    {":t": stamp(event.occurred_at)},
                    condition="attribute_not_exists(started_at) OR started_at > :t",
                )
            case TurnRecorded():
                return self._put_once(
                    {
                        "pk": pk,
                        "sk": f"TURN#{event.index:05d}",
                        "role": event.role,
                        "text": redact(event.text),
                        "at": stamp(event.occurred_at),
                    }
                )
            case ToolCalled():
                return self._put_once(
                    {
                        "pk": pk,
                        "sk": f"TOOL#{event.index:05d}",
                        "name": event.name,
                        "arguments": redact_arguments(event.arguments),
                        "result": redact(event.result),
                        "ok": event.ok,
                        "duration_ms": str(round(event.duration_ms, 3)),
                    }
                )
            case CallTransferred():
                return self._put_once(
                    {
                        "pk": pk,
                        "sk": f"TRANSFER#{stamp(event.occurred_at)}#{event.event_id}",
                        "target": event.target,
                        "reason": event.reason,
                        "succeeded": event.succeeded,
                        "detail": event.detail,
                    }
                )
            case MessageTaken():
                return self._put_once(
                    {
                        "pk": pk,
                        "sk": f"MESSAGE#{stamp(event.occurred_at)}#{event.event_id}",
                        "message": redact(event.message),
                        "callback_number": event.callback_number,
                        "language": event.language,
                    }
                )
            case LanguageChanged():
                return self._update(
                    pk,
                    "SET call_id = :c, #lang = :l, language_at = :t",
                    {":c": event.call_id, ":l": event.language, ":t": stamp(event.occurred_at)},
                    condition="attribute_not_exists(language_at) OR language_at < :t",
                    names={"#lang": "language"},
                )
            case CallEnded():
                return self._update(
                    pk,
                    "SET call_id = :c, ended_at = :t, outcome = :o",
                    {
                        ":c": event.call_id,
                        ":t": stamp(event.occurred_at),
                        ":o": event.outcome.value,
                    },
                    condition="attribute_not_exists(outcome) OR outcome <> :o OR ended_at <> :t",
                )
            case RoomFinished():
                return self._update(
                    pk,
                    "SET call_id = :c, ended_at = :t",
                    {":c": event.call_id, ":t": stamp(event.occurred_at)},
                    condition="attribute_not_exists(ended_at)",
                )
            case RecordingReady():
                return self._update(
                    pk,
                    "SET call_id = :c, recording = :r",
                    {
                        ":c": event.call_id,
                        ":r": {"location": event.location, "duration_s": str(event.duration_s)},
                    },
                    condition="attribute_not_exists(recording)",
                )
        raise TypeError(f"not a call event: {type(event).__name__}")

    def get(self, call_id: str) -> CallRecord:
        """The whole record, or ``NotFound``."""
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(f"CALL#{call_id}"))
        if not items:
            raise NotFound("no such call")
        summary = next((i for i in items if i["sk"] == "SUMMARY"), {})
        record = CallRecord(
            call_id=call_id,
            hotel_id=summary.get("hotel_id"),
            language=summary.get("language"),
            caller_hash=summary.get("caller_hash"),
            started_at=summary.get("started_at"),
            ended_at=summary.get("ended_at"),
            outcome=summary.get("outcome"),
            recording=plain(summary.get("recording")),
            turns=[
                Turn(index=int(i["sk"][5:]), role=i["role"], text=i["text"], at=i["at"])
                for i in items
                if i["sk"].startswith("TURN#")
            ],
            tool_calls=[
                ToolCallRecord(
                    index=int(i["sk"][5:]),
                    name=i["name"],
                    arguments=plain(i["arguments"]),
                    result=i["result"],
                    ok=i["ok"],
                    duration_ms=float(i["duration_ms"]),
                )
                for i in items
                if i["sk"].startswith("TOOL#")
            ],
            transfers=[
                TransferRecord(
                    at=i["sk"].split("#")[1],
                    target=i["target"],
                    reason=i["reason"],
                    succeeded=i["succeeded"],
                    detail=i.get("detail"),
                )
                for i in items
                if i["sk"].startswith("TRANSFER#")
            ],
            messages=[
                MessageRecord(
                    at=i["sk"].split("#")[1],
                    message=i["message"],
                    callback_number=i.get("callback_number"),
                    language=i["language"],
                )
                for i in items
                if i["sk"].startswith("MESSAGE#")
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
    ) -> tuple[list[CallSummary], str | None]:
        """Newest calls of one hotel first, one page; the cursor continues where it stopped."""
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
            start = decode_cursor(cursor)
            if start.get("hotel_id") != hotel_id:
                raise InvalidRequest("cursor belongs to another query", code="invalid_cursor")
            kwargs["ExclusiveStartKey"] = start
        page = self._table.query(**kwargs)
        calls = [CallSummary.model_validate(item) for item in page["Items"]]
        last = page.get("LastEvaluatedKey")
        return calls, encode_cursor(last) if last else None

    def _put_once(self, item: dict[str, Any]) -> bool:
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(sk)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _update(
        self,
        pk: str,
        expression: str,
        values: dict[str, Any],
        *,
        condition: str | None = None,
        names: dict[str, str] | None = None,
    ) -> bool:
        kwargs: dict[str, Any] = {
            "Key": {"pk": pk, "sk": "SUMMARY"},
            "UpdateExpression": expression,
            "ExpressionAttributeValues": values,
        }
        if condition:
            kwargs["ConditionExpression"] = condition
        if names:
            kwargs["ExpressionAttributeNames"] = names
        try:
            self._table.update_item(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True


def redact_arguments(arguments: dict[str, Any]) -> dict[str, Any]:
    """Tool arguments may carry a guest's name (``last_name``): keep the key, drop the value."""
    return {
        k: "[name]" if "name" in k else (redact(v) if isinstance(v, str) else v)
        for k, v in arguments.items()
    }
