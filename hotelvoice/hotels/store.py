"""Hotel configurations in DynamoDB, and the index from dialled number to hotel.

Layout: ``HOTEL#<id>`` / ``CONFIG`` holds the configuration as JSON text (exactly what the
API validated, no number conversions); ``NUMBER#<e164>`` / ``HOTEL`` names the hotel a number
belongs to. A change is one transaction: the config is written only if its version is the one
the admin read, a number is claimed only if no other hotel holds it, and numbers the hotel
gave up are released. So two hotels can never answer the same number, and two admins editing
at once cannot silently overwrite each other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from hotelvoice import aws
from hotelvoice.contracts.hotels import HotelConfig, HotelConfigUpdate, normalise_number
from hotelvoice.errors import Conflict, NotFound


def _config_key(hotel_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"HOTEL#{hotel_id}"}, "sk": {"S": "CONFIG"}}


def _number_key(number: str) -> dict[str, Any]:
    return {"pk": {"S": f"NUMBER#{number}"}, "sk": {"S": "HOTEL"}}


class HotelDirectory:
    """Reads and writes hotel configurations."""

    def __init__(self, table_name: str) -> None:
        self._table_name = table_name

    def get(self, hotel_id: str) -> HotelConfig:
        """The hotel's configuration, or :class:`NotFound`."""
        item = aws.client("dynamodb").get_item(
            TableName=self._table_name, Key=_config_key(hotel_id), ConsistentRead=True
        )
        if "Item" not in item:
            raise NotFound(f"no configuration for hotel {hotel_id}")
        return HotelConfig.model_validate_json(item["Item"]["config"]["S"])

    def for_number(self, dialled: str) -> HotelConfig:
        """The hotel that answers ``dialled`` (as the SIP trunk reports it)."""
        hotel_id = self.hotel_id_for_number(dialled)
        if hotel_id is None:
            raise NotFound("no hotel answers that number")
        return self.get(hotel_id)

    def hotel_id_for_number(self, dialled: str) -> str | None:
        """The id of the hotel that answers ``dialled``, or ``None`` if none does."""
        item = (
            aws.client("dynamodb")
            .get_item(TableName=self._table_name, Key=_number_key(normalise_number(dialled)))
            .get("Item")
        )
        return item["hotel_id"]["S"] if item else None

    def put(self, hotel_id: str, update: HotelConfigUpdate, *, actor: str) -> HotelConfig:
        """Store ``update`` if it is based on the current version; returns what was stored."""
        previous = self._current(hotel_id)
        if (previous.version if previous else 0) != update.version:
            raise Conflict("the configuration changed since it was read; read it again")
        config = HotelConfig(
            **update.model_dump(exclude={"version"}),
            hotel_id=hotel_id,
            version=update.version + 1,
            updated_at=datetime.now(UTC),
            updated_by=actor,
        )
        released = set(previous.dialled_numbers if previous else []) - set(config.dialled_numbers)
        try:
            aws.client("dynamodb").transact_write_items(
                TransactItems=[
                    self._put_config(config, update.version),
                    *(self._claim(number, hotel_id) for number in config.dialled_numbers),
                    *(self._release(number, hotel_id) for number in sorted(released)),
                ]
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                raise Conflict(_why_cancelled(exc, config)) from exc
            raise
        return config

    def _current(self, hotel_id: str) -> HotelConfig | None:
        try:
            return self.get(hotel_id)
        except NotFound:
            return None

    def _put_config(self, config: HotelConfig, expected: int) -> dict[str, Any]:
        condition = "attribute_not_exists(pk)" if expected == 0 else "version = :expected"
        put: dict[str, Any] = {
            "TableName": self._table_name,
            "Item": {
                **_config_key(config.hotel_id),
                "config": {"S": config.model_dump_json()},
                "version": {"N": str(config.version)},
            },
            "ConditionExpression": condition,
        }
        if expected:
            put["ExpressionAttributeValues"] = {":expected": {"N": str(expected)}}
        return {"Put": put}

    def _claim(self, number: str, hotel_id: str) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table_name,
                "Item": {**_number_key(number), "hotel_id": {"S": hotel_id}},
                "ConditionExpression": "attribute_not_exists(pk) OR hotel_id = :hotel",
                "ExpressionAttributeValues": {":hotel": {"S": hotel_id}},
            }
        }

    def _release(self, number: str, hotel_id: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table_name,
                "Key": _number_key(number),
                "ConditionExpression": "hotel_id = :hotel",
                "ExpressionAttributeValues": {":hotel": {"S": hotel_id}},
            }
        }


def _why_cancelled(exc: ClientError, config: HotelConfig) -> str:
    """Name the first failed condition: the version, or a number another hotel holds."""
    reasons = exc.response.get("CancellationReasons") or []
    for position, reason in enumerate(reasons):
        if reason.get("Code") != "ConditionalCheckFailed":
            continue
        if position == 0:
            return "the configuration changed since it was read; read it again"
        if position <= len(config.dialled_numbers):
            return f"{config.dialled_numbers[position - 1]} already belongs to another hotel"
    return "the configuration could not be stored; read it again"
