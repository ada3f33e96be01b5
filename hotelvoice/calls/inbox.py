"""The front desk's inbox: a hotel's messages and requests, open or done.

They are the call record's own items, listed through the ``by-hotel-item`` index
(``hotel_items.py``) in the collections ``<hotel>#inbox-open`` and ``<hotel>#inbox-done``:
a hotel's open items are one query, newest first, and counting them is one more. Marking an
item done moves it to the done collection with who and when; the audit trail records the
change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from hotelvoice.calls.erasable import stamp
from hotelvoice.calls.hotel_items import BY_HOTEL_ITEM_INDEX, HotelItems, collection_of, item_key
from hotelvoice.calls.record_reads import callback_number_of
from hotelvoice.contracts.inbox import InboxItem, InboxPage, InboxStatus
from hotelvoice.cursor import encode_cursor, resume_from
from hotelvoice.dynamo import Key
from hotelvoice.errors import NotFound

KINDS = {"MESSAGE": "message", "REQUEST": "request"}
_PREFIX_OF = {kind: prefix for prefix, kind in KINDS.items()}


def inbox_key(hotel_id: str, status: InboxStatus) -> str:
    """The index partition of a hotel's items in one status."""
    return item_key(hotel_id, "inbox-done" if status == "done" else "inbox-open")


class Inbox(HotelItems):
    """Reads and status changes of a hotel's inbox."""

    def page(
        self, hotel_id: str, status: InboxStatus, *, limit: int = 50, cursor: str | None = None
    ) -> InboxPage:
        """Newest items first, one page; ``open_count`` counts every open one."""
        key = inbox_key(hotel_id, status)
        kwargs: dict[str, Any] = {
            "IndexName": BY_HOTEL_ITEM_INDEX,
            "KeyConditionExpression": Key("item_key").eq(key),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor:
            kwargs["ExclusiveStartKey"] = resume_from(cursor, item_key=key)
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
                "IndexName": BY_HOTEL_ITEM_INDEX,
                "KeyConditionExpression": Key("item_key").eq(inbox_key(hotel_id, "open")),
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
            "SET item_key = :new, done_by = :by, done_at = :at"
            if done
            else "SET item_key = :new REMOVE done_by, done_at"
        )
        values: dict[str, Any] = {
            ":new": inbox_key(hotel_id, status),
            ":old": item["item_key"],
        }
        if done:
            values |= {":by": actor, ":at": now}
        try:
            changed = self._table.update_item(
                Key={"pk": item["pk"], "sk": item["sk"]},
                UpdateExpression=update,
                ConditionExpression="item_key = :old",
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
        for item in self.call_items(call_id, _PREFIX_OF[kind]):
            if item["sk"].endswith(f"#{event_id}") and str(item.get("item_key", "")).startswith(
                f"{hotel_id}#inbox-"
            ):
                return item
        raise NotFound("no such inbox item")


def _status_of(item: dict[str, Any]) -> InboxStatus:
    return "done" if collection_of(item) == "inbox-done" else "open"


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
