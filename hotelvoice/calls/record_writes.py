"""The writes a call record is made of: items put once, summary fields set on a condition.

Each is made so that redelivered and reordered events converge (``store.py``), and none
lands on an erased call: every summary condition holds ``attribute_not_exists(erased_at)``,
and an item put while an erasure (or a caller's "keep no transcript") ran is taken back.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from hotelvoice.calls.record_reads import CallRecordReads
from hotelvoice.dynamo import Key, query_all


class RecordWrites(CallRecordReads):
    """Conditional writes to ``CALL#<id>`` items; the event logic lives in the store."""

    def _flag(self, pk: str, flag: str, call_id: str, expiry: int) -> None:
        """Mark the summary; it may be the first word of the call, so it expires like one."""
        self._update(
            pk,
            f"SET {flag} = :t, call_id = :c, expires_at = if_not_exists(expires_at, :x)",
            {":t": True, ":c": call_id, ":x": expiry},
        )

    def _restamp(self, pk: str, expiry: int) -> None:
        """Items written before the hotel was known expire with the hotel's retention."""
        for item in query_all(self._table, KeyConditionExpression=Key("pk").eq(pk)):
            if item["sk"] != "SUMMARY" and item.get("expires_at") != expiry:
                self._table.update_item(
                    Key={"pk": pk, "sk": item["sk"]},
                    UpdateExpression="SET expires_at = :x",
                    ConditionExpression="attribute_exists(sk)",
                    ExpressionAttributeValues={":x": expiry},
                )

    def _has_event(self, pk: str, prefix: str, event_id: str) -> bool:
        """An item of ``prefix`` holds this event already, whenever it happened.

        ``_put_once`` keys on the event's time as well, which drops a retried batch (same
        time); a request recorded again after a reconnect keeps its id but not its time.
        """
        items = query_all(
            self._table,
            KeyConditionExpression=Key("pk").eq(pk) & Key("sk").begins_with(prefix),
            ProjectionExpression="sk",
        )
        return any(str(i["sk"]).endswith(f"#{event_id}") for i in items)

    def _put_once(self, item: dict[str, Any]) -> bool:
        try:
            self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(sk)")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        # An erasure, or a caller's "keep no transcript", may have come since the summary was
        # read: each marks the summary before it deletes, so either it deleted this item or
        # this check sees the mark.
        summary = self._summary(item["pk"])
        dropped = item["sk"].startswith(("TURN#", "TOOL#")) and not keeps_transcript(summary)
        if summary.get("erased_at") or dropped:
            self._table.delete_item(Key={"pk": item["pk"], "sk": item["sk"]})
            return False
        return True

    def _update(
        self,
        pk: str,
        expression: str,
        values: dict[str, Any],
        *,
        condition: str | None = None,
        names: dict[str, str] | None = None,
        extra_values: dict[str, Any] | None = None,
    ) -> bool:
        kwargs: dict[str, Any] = {
            "Key": {"pk": pk, "sk": "SUMMARY"},
            "UpdateExpression": expression,
            "ExpressionAttributeValues": {**values, **(extra_values or {})},
        }
        # Nothing is set on an erased call's summary, whatever raced with the erasure.
        kwargs["ConditionExpression"] = (
            f"attribute_not_exists(erased_at) AND ({condition})"
            if condition
            else "attribute_not_exists(erased_at)"
        )
        if names:
            kwargs["ExpressionAttributeNames"] = names
        try:
            self._table.update_item(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True


def keeps_transcript(summary: dict[str, Any]) -> bool:
    """Unless the caller declined and the hotel keeps no transcript then."""
    return (summary.get("consent") or {}).get("transcript_kept") is not False
