"""The inbox of the front desk, kept on the call record's own items.

A message (``MESSAGE#…``) or request (``REQUEST#…``) item of a call carries ``inbox_key`` =
``<hotel id>#<status>`` and ``inbox_at`` = its time and event id, the keys of the sparse
``by-inbox`` index: a hotel's open items are one query, newest first, and counting them is
one more. Marking an item done moves it to ``<hotel>#done`` with who and when; the audit
trail records the change. The keys need the call's hotel: an item that arrived before the
call said which hotel it is gets them when it does (:func:`file_call_items`), and a call
whose hotel the dialled number corrected moves with it. Erasure and retention delete the
items, and their index entries with them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from hotelvoice.calls.erasable import ErasableCalls, stamp
from hotelvoice.calls.record_reads import callback_number_of
from hotelvoice.contracts.inbox import InboxItem, InboxPage, InboxStatus
from hotelvoice.cursor import encode_cursor, resume_from
from hotelvoice.dynamo import query_all
from hotelvoice.errors import NotFound

BY_INBOX_INDEX = "by-inbox"
KINDS = {"MESSAGE": "message", "REQUEST": "request"}
_PREFIX_OF = {kind: prefix for prefix, kind in KINDS.items()}


def inbox_key(hotel_id: str, status: InboxStatus) -> str:
    """The index partition of a hotel's items in one status."""
    return f"{hotel_id}#{status}"


def inbox_fields(hotel_id: str | None, sk: str) -> dict[str, str]:
    """What a new message or request item carries to be listed (nothing without a hotel)."""
    if not hotel_id:
        return {}
    return {"inbox_key": inbox_key(hotel_id, "open"), "inbox_at": sk.split("#", 1)[1]}


class Inbox(ErasableCalls):
    """Reads and status changes of a hotel's inbox."""

    def file_call_items(self, call_id: str, hotel_id: str) -> None:
        """Give a call's items the keys of ``hotel_id`` (keeping each one's status)."""
        for item in self._items(call_id):
            status = _status_of(item)
            if item.get("inbox_key") == inbox_key(hotel_id, status):
                continue
            self._table.update_item(
                Key={"pk": item["pk"], "sk": item["sk"]},
                UpdateExpression="SET inbox_key = :k, inbox_at = :a",
                ConditionExpression="attribute_exists(sk)",
                ExpressionAttributeValues={
                    ":k": inbox_key(hotel_id, status),
                    ":a": item["sk"].split("#", 1)[1],
                },
            )

    def page(
        self, hotel_id: str, status: InboxStatus, *, limit: int = 50, cursor: str | None = None
    ) -> InboxPage:
        """Newest items first, one page; ``open_count`` counts every open one."""
        key = inbox_key(hotel_id, status)
        kwargs: dict[str, Any] = {
            "IndexName": BY_INBOX_INDEX,
            "KeyConditionExpression": Key("inbox_key").eq(key),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = resume_from(cursor, inbox_key=key)
        answer = self._table.query(**kwargs)
        last = answer.get("LastEvaluatedKey")
        return InboxPage(
            items=[_view(item) for item in answer["Items"]],
            open_count=self.open_count(hotel_id),
            next_cursor=encode_cursor(last) if last else None,
        )

    def open_count(self, hotel_id: str) -> int:
        """How many items wait for the front desk."""
        count, start = 0, None
        while True:
            kwargs: dict[str, Any] = {
                "IndexName": BY_INBOX_INDEX,
                "KeyConditionExpression": Key("inbox_key").eq(inbox_key(hotel_id, "open")),
                "Select": "COUNT",
            }
            if start:
                kwargs["ExclusiveStartKey"] = start
            answer = self._table.query(**kwargs)
            count += answer["Count"]
            start = answer.get("LastEvaluatedKey")
            if not start:
                return count

    def set_status(
        self, hotel_id: str, item_id: str, status: InboxStatus, actor: str
    ) -> tuple[InboxItem, bool]:
        """Mark an item; ``False`` when it already had that status.

        Nothing is rewritten then, and an item done keeps who did it first. Another hotel's
        item is not found.
        """
        item = self._find(hotel_id, item_id)
        if _status_of(item) == status:
            return _view(item), False
        now = stamp(datetime.now(UTC))
        done = status == "done"
        update = (
            "SET inbox_key = :new, done_by = :by, done_at = :at"
            if done
            else "SET inbox_key = :new REMOVE done_by, done_at"
        )
        values: dict[str, Any] = {
            ":new": inbox_key(hotel_id, status),
            ":old": item["inbox_key"],
        }
        if done:
            values |= {":by": actor, ":at": now}
        try:
            changed = self._table.update_item(
                Key={"pk": item["pk"], "sk": item["sk"]},
                UpdateExpression=update,
                ConditionExpression="inbox_key = :old",
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )["Attributes"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            # Someone else changed it (or the guest was erased) meanwhile: theirs stands.
            current = self._find(hotel_id, item_id)
            return _view(current), False
        return _view(changed), True

    def _find(self, hotel_id: str, item_id: str) -> dict[str, Any]:
        call_id, kind, event_id = item_id.split("~")
        for item in self._items(call_id, _PREFIX_OF[kind]):
            if item["sk"].endswith(f"#{event_id}") and str(item.get("inbox_key", "")).startswith(
                f"{hotel_id}#"
            ):
                return item
        raise NotFound("no such inbox item")

    def _items(self, call_id: str, *prefixes: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for prefix in prefixes or tuple(KINDS):
            found += query_all(
                self._table,
                KeyConditionExpression=Key("pk").eq(f"CALL#{call_id}")
                & Key("sk").begins_with(f"{prefix}#"),
                ConsistentRead=True,
            )
        return found


def _status_of(item: dict[str, Any]) -> InboxStatus:
    return "done" if str(item.get("inbox_key", "")).endswith("#done") else "open"


def _view(item: dict[str, Any]) -> InboxItem:
    prefix, at, event_id = item["sk"].split("#", 2)
    kind = KINDS[prefix]
    call_id = item["pk"].removeprefix("CALL#")
    return InboxItem(
        item_id=f"{call_id}~{kind}~{event_id}",
        kind=kind,
        call_id=call_id,
        at=at,
        language=item["language"],
        text=item.get("message") or item.get("details") or "",
        category=item.get("category"),
        reference=item.get("reference"),
        callback_number=callback_number_of(item),
        confirmation_code=item.get("confirmation_code"),
        status=_status_of(item),
        done_by=item.get("done_by"),
        done_at=item.get("done_at"),
    )
