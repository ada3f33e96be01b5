"""The dashboard's numbers: a hotel's calls added up for a period."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from hotelvoice.auth import Role
from hotelvoice.calls.stats import CallStats
from hotelvoice.contracts.stats import HotelStats
from hotelvoice.errors import InvalidRequest
from hotelvoice.http_app import HotelId, hotel_principal_with
from hotelvoice.settings import get_settings
from hotelvoice.time_zones import zone_named

router = APIRouter(tags=["stats"])
Reader = hotel_principal_with(Role.STAFF)


@router.get("/v1/hotels/{hotel_id}/stats")
def hotel_stats(
    hotel_id: HotelId,
    principal: Reader,
    since: Annotated[date, Query(description="first day of the period")],
    until: Annotated[date, Query(description="last day of the period (inclusive)")],
    tz: Annotated[
        str, Query(max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$", description="IANA time zone")
    ] = "UTC",
) -> HotelStats:
    """The days ``since`` … ``until`` in time zone ``tz``, added up.

    Calls per day by outcome, containment, languages, busiest hours, average length, and the
    bookings with their value.
    """
    zone = zone_named(tz)
    if zone is None:
        raise InvalidRequest(f"unknown time zone {tz!r}")
    return CallStats(get_settings().calls_table).for_period(hotel_id, since, until, zone)
