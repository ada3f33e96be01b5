"""The erasable side of call records: tombstones, the privacy index, whole-call deletion.

``CallRecordStore`` (``hotelvoice.calls.store``) writes records from events; this base class
holds what an erasure needs of the same table, and what the store consults so that nothing
it writes outlives an erasure (``docs/privacy.md``):

* ``SUBJECT#<keyed hash>`` / ``CALL#<id>``: a guest's identifier points at their calls;
* an erased call keeps its summary, stripped of ``PERSONAL_SUMMARY_FIELDS`` and marked with
  ``erased_at``, which makes every later event for it a no-op;
* ``ERASED#<another keyed hash>`` / ``SUBJECT``: a hotel erased this guest at this time, so a
  ``call.started`` of theirs that was still queued does not bring them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

from hotelvoice import aws
from hotelvoice.dynamo import Key, query_all
from hotelvoice.privacy.keys import subject_hash
from hotelvoice.privacy.retention import expires_at, retention_for

BY_HOTEL_INDEX = "by-hotel"
SUBJECT_PREFIX = "SUBJECT#"
ERASED_SUBJECT_PREFIX = "ERASED#"
ERASED_SUBJECT_DAYS = 14
"""An erased subject's tombstone outlives every queued copy of their events (the queues keep
messages for at most six days)."""
ERASED_ITEM_PREFIXES = ("TURN#", "TOOL#", "TRANSFER#", "MESSAGE#", "BOOKING#", "REQUEST#")
"""The items of a call an erasure deletes: all but the summary."""
PERSONAL_SUMMARY_FIELDS = ("caller_hash", "caller_sealed", "recording")
"""What an erasure removes from a call's summary; it keeps that a call happened, when, in
which language, how it ended, and what the caller said about recording."""


def stamp(moment: datetime) -> str:
    """Fixed-width UTC timestamps compare correctly as strings in conditions."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def erased_subject_key(kind: str, value: str, hotel_id: str) -> str:
    """The tombstone's key, by another keyed hash than the index's.

    So nothing left after an erasure carries the hash the guest's records were stored under.
    """
    return f"{ERASED_SUBJECT_PREFIX}{subject_hash(f'erased-{kind}@{hotel_id}', value)}"


class ErasedCall(NamedTuple):
    """What erasing one call removed."""

    items: int
    """Items of the call, and personal fields of its summary."""
    index_entries: int
    """Privacy-index items that pointed at the call."""


class ErasableCalls:
    """The calls table as an erasure sees it."""

    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    @property
    def _table(self) -> Any:
        return aws.resource_table(self._table_name)

    def _summary(self, pk: str) -> dict[str, Any]:
        answer = self._table.get_item(Key={"pk": pk, "sk": "SUMMARY"}, ConsistentRead=True)
        return answer.get("Item") or {}

    def _erased_subject_since(
        self, kind: str, value: str, hotel_id: str | None, event: Any
    ) -> bool:
        """Did the hotel erase the guest with this identifier after ``event`` happened?

        An erasure is one hotel's: the same guest's calls to another hotel are not its to drop.
        With the hotel not known yet, the call.started that names it decides later.
        """
        if not hotel_id:
            return False
        item = self._table.get_item(
            Key={"pk": erased_subject_key(kind, value, hotel_id), "sk": "SUBJECT"},
            ConsistentRead=True,
        ).get("Item")
        return bool(item) and str(item["erased_at"]) >= stamp(event.occurred_at)

    # -- Erasure --------------------------------------------------------------------

    def calls_of_subject(self, hashes: list[str]) -> dict[str, str | None]:
        """Call id → hotel (as indexed) of every call indexed under one of ``hashes``."""
        found: dict[str, str | None] = {}
        for hashed in hashes:
            for item in query_all(
                self._table, KeyConditionExpression=Key("pk").eq(f"{SUBJECT_PREFIX}{hashed}")
            ):
                found.setdefault(item["sk"].removeprefix("CALL#"), item.get("subject_hotel"))
        return found

    def erase_call(
        self, call_id: str, *, erased_at: datetime, expiry: int | None = None
    ) -> ErasedCall:
        """Delete every item of the call but an anonymous summary, and its index entries.

        The summary keeps when the call happened and how it ended (the hotel's statistics) and
        gains ``erased_at``, which makes every later event for the call a no-op. It is marked
        first: a writer racing with this erasure then either sees the mark, or wrote before
        the deletions below found its item.
        """
        pk = f"CALL#{call_id}"
        before = self._summary(pk)
        default_expiry = expiry or expires_at(
            retention_for(before.get("hotel_id")).transcripts_days
        )
        summary = self._table.update_item(
            Key={"pk": pk, "sk": "SUMMARY"},
            UpdateExpression="SET call_id = :c, erased_at = if_not_exists(erased_at, :e), "
            "expires_at = if_not_exists(expires_at, :x) REMOVE "
            + ", ".join(PERSONAL_SUMMARY_FIELDS),
            ExpressionAttributeValues={
                ":c": call_id,
                ":e": stamp(erased_at),
                ":x": default_expiry,
            },
            ReturnValues="ALL_NEW",
        )["Attributes"]
        removed = sum(1 for name in PERSONAL_SUMMARY_FIELDS if name in before)
        hashes = sorted(summary.get("subject_hashes") or ())
        for hashed in hashes:
            self._table.delete_item(
                Key={"pk": f"{SUBJECT_PREFIX}{hashed}", "sk": f"CALL#{call_id}"}
            )
        if hashes:
            self._table.update_item(
                Key={"pk": pk, "sk": "SUMMARY"}, UpdateExpression="REMOVE subject_hashes"
            )
        removed += self._delete_items(pk, prefixes=ERASED_ITEM_PREFIXES)
        return ErasedCall(items=removed, index_entries=len(hashes))

    def remember_erased_subject(
        self, kind: str, value: str, hotel_id: str, erased_at: datetime
    ) -> None:
        """A queued call.started of this caller, older than now, must not bring them back."""
        self._table.put_item(
            Item={
                "pk": erased_subject_key(kind, value, hotel_id),
                "sk": "SUBJECT",
                "erased_at": stamp(erased_at),
                "expires_at": expires_at(ERASED_SUBJECT_DAYS),
            }
        )

    def summary_of(self, call_id: str) -> dict[str, Any]:
        """The call's summary item as stored (empty when there is none)."""
        return self._summary(f"CALL#{call_id}")

    def call_ids_of_hotel(self, hotel_id: str) -> Iterator[str]:
        """Every call of the hotel still kept, newest first, page by page."""
        kwargs: dict[str, Any] = {
            "IndexName": BY_HOTEL_INDEX,
            "KeyConditionExpression": Key("hotel_id").eq(hotel_id),
            "ScanIndexForward": False,
        }
        while True:
            page = self._table.query(**kwargs)
            yield from (str(item["call_id"]) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def raw_items(self, call_id: str) -> list[dict[str, Any]]:
        """Every stored item of a call, as stored (for exports and sweeps)."""
        return query_all(self._table, KeyConditionExpression=Key("pk").eq(f"CALL#{call_id}"))

    def rewrite_text(self, call_id: str, sk: str, fields: dict[str, Any]) -> None:
        """Overwrite text fields of one item (a sweep redacting a guest's mentions)."""
        names = {f"#f{i}": name for i, name in enumerate(fields)}
        values = {f":v{i}": value for i, value in enumerate(fields.values())}
        self._table.update_item(
            Key={"pk": f"CALL#{call_id}", "sk": sk},
            UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields))),
            ConditionExpression="attribute_exists(sk)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def _delete_items(self, pk: str, *, prefixes: tuple[str, ...]) -> int:
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(pk))
        doomed = [i for i in items if i["sk"].startswith(prefixes)]
        with self._table.batch_writer() as batch:
            for item in doomed:
                batch.delete_item(Key={"pk": pk, "sk": item["sk"]})
        return len(doomed)
