"""Which hotel a call belongs to, decided before any of its events is queued.

The call record is written asynchronously by the queue's consumer, so the API cannot ask
the record whose call it is. Instead the owner is written once, before any event is queued:
by LiveKit's signed ``participant_joined`` webhook (the hotel that owns the dialled number:
the trusted source, which replaces any other), or by the first event that names a hotel
(the agent's ``call.started``, with a token that covers that hotel), with a conditional
write of ``CALL#<id>`` / ``OWNER``; every later event must come with a token that covers the
owner. A token of hotel A can then neither write into hotel B's calls nor take one over by
posting ``call.started`` again, and a rejected event is a 403 with nothing queued.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.auth import ALL_HOTELS, Principal
from hotelvoice.contracts.call_events import CallStarted
from hotelvoice.errors import Forbidden, Unavailable
from hotelvoice.privacy.retention import expires_at, retention_for

NOT_YOURS = "this credential does not cover that call"


class CallOwnership:
    """Reads and claims the owner item of calls in the calls table."""

    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    def owner(self, call_id: str) -> str | None:
        """The hotel the call belongs to, or ``None`` while nobody has claimed it."""
        try:
            item = aws.client("dynamodb").get_item(
                TableName=self._table_name, Key=_key(call_id), ConsistentRead=True
            )
        except (BotoCoreError, ClientError) as exc:
            raise Unavailable("the call's hotel cannot be checked; retry") from exc
        return item.get("Item", {}).get("owner_hotel", {}).get("S")

    def claim(self, call_id: str, hotel_id: str) -> None:
        """Make ``hotel_id`` the owner unless another hotel is; :class:`Forbidden` if it is."""
        expiry = expires_at(retention_for(hotel_id).transcripts_days)
        try:
            aws.client("dynamodb").put_item(
                TableName=self._table_name,
                Item={
                    **_key(call_id),
                    "owner_hotel": {"S": hotel_id},
                    "expires_at": {"N": str(expiry)},
                },
                ConditionExpression="attribute_not_exists(pk) OR owner_hotel = :h",
                ExpressionAttributeValues={":h": {"S": hotel_id}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Forbidden(NOT_YOURS) from exc
            raise Unavailable("the call's hotel cannot be recorded; retry") from exc
        except BotoCoreError as exc:
            raise Unavailable("the call's hotel cannot be recorded; retry") from exc

    def assign(self, call_id: str, hotel_id: str) -> None:
        """The dialled number's owner (from LiveKit's signed webhook) owns the call.

        The trusted source: it replaces an owner an agent claimed, and no agent's claim can
        replace it afterwards (their conditional put needs the same hotel).
        """
        expiry = expires_at(retention_for(hotel_id).transcripts_days)
        try:
            aws.client("dynamodb").put_item(
                TableName=self._table_name,
                Item={
                    **_key(call_id),
                    "owner_hotel": {"S": hotel_id},
                    "owner_source": {"S": "dialled_number"},
                    "expires_at": {"N": str(expiry)},
                },
            )
        except (BotoCoreError, ClientError) as exc:
            raise Unavailable("the call's hotel cannot be recorded; retry") from exc


def authorise_event(principal: Principal, event: Any, ownership: CallOwnership) -> None:
    """Refuse (403) an event for a call of a hotel the token does not cover.

    ``call.started`` claims the call for its hotel. Any other event needs the call's owner
    to be covered; before anyone claimed the call, a token for one hotel claims it for that
    hotel, and a token for several (but not all) hotels must send ``call.started`` first.
    """
    if isinstance(event, CallStarted):
        principal.require_hotel(event.hotel_id)
        ownership.claim(event.call_id, event.hotel_id)
        return
    owner = ownership.owner(event.call_id)
    if owner is not None:
        if not principal.may_see_hotel(owner):
            raise Forbidden(NOT_YOURS)
        return
    if ALL_HOTELS in principal.hotels:
        return  # the fleet's agent; its call.started names the hotel
    if len(principal.hotels) != 1:
        raise Forbidden("the call's hotel is not known yet: post call.started first")
    ownership.claim(event.call_id, principal.hotels[0])


def _key(call_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"CALL#{call_id}"}, "sk": {"S": "OWNER"}}
