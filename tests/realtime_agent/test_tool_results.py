"""Tool results speak dates and money in the caller's language (English by default)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hotelvoice.contracts.pms import (
    Availability,
    AvailabilityQuery,
    Money,
    Offer,
    Reservation,
    ReservationStatus,
)
from realtime_agent.tool_results import (
    availability_result,
    reservation_result,
    spoken_date,
    spoken_money,
)


@pytest.mark.parametrize(
    ("day", "language", "spoken"),
    [
        (date(2026, 12, 12), "en", "Saturday 12 December 2026"),
        (date(2026, 12, 12), "de", "Samstag, 12. Dezember 2026"),
        (date(2026, 12, 12), "fr", "samedi 12 décembre 2026"),
        (date(2027, 3, 1), "fr", "lundi 1er mars 2027"),
        (date(2026, 12, 12), "es", "sábado, 12 de diciembre de 2026"),
        (date(2026, 12, 12), "it", "sabato 12 dicembre 2026"),
        (date(2027, 3, 1), "it", "lunedì 1º marzo 2027"),
        (date(2026, 12, 12), "de-AT", "Samstag, 12. Dezember 2026"),
    ],
)
def test_spoken_dates(day: date, language: str, spoken: str) -> None:
    assert spoken_date(day, language) == spoken


def test_spoken_date_defaults_to_english() -> None:
    assert spoken_date(date(2026, 12, 12)) == "Saturday 12 December 2026"


@pytest.mark.parametrize(
    ("minor", "language", "spoken"),
    [
        (123450, "en", "1,234.50 euros"),
        (41300, "en", "413 euros"),
        (123450, "de", "1234 Euro 50"),
        (41300, "de", "413 Euro"),
        (123450, "fr", "1234 euros 50"),
        (123450, "es", "1234 euros con 50"),
        (123405, "it", "1234 euro e 05"),
        (100, "fr", "1 euro"),
    ],
)
def test_spoken_money(minor: int, language: str, spoken: str) -> None:
    assert spoken_money(minor, "EUR", language) == spoken


def test_results_carry_the_callers_language() -> None:
    query = AvailabilityQuery(arrival=date(2026, 12, 12), departure=date(2026, 12, 14), adults=2)
    offer = Offer(
        room_type_code="STD",
        room_type_name="Standard Double",
        description="a double room",
        max_occupancy=2,
        rate_plan="Flexible",
        available_units=3,
        total=Money(amount_minor=25800, currency="EUR"),
        breakfast_included=True,
    )
    availability = Availability(hotel_id="h", query=query, nights=2, offers=[offer])
    result = json.loads(availability_result(availability, "de"))
    # Short stay dates keep three offers under 40 words; the room type is said in German.
    assert result["arrival_spoken"] == "12. Dezember"
    assert result["offers"][0]["total_spoken"] == "258 Euro"
    assert result["offers"][0]["room_type"] == "Doppelzimmer"
    assert json.loads(availability_result(availability))["arrival_spoken"] == "12 December"
    reservation = Reservation(
        confirmation_code="HV1415",
        guest_first_name="Luca",
        guest_last_name="Rossi",
        arrival=date(2026, 12, 12),
        departure=date(2026, 12, 14),
        room_type_name="Standard Double",
        adults=2,
        children=0,
        status=ReservationStatus.CONFIRMED,
        total=Money(amount_minor=25850, currency="EUR"),
    )
    result = json.loads(reservation_result(reservation, "it"))
    assert result["departure_spoken"] == "lunedì 14 dicembre 2026"
    assert result["room_type"] == "doppia"
    assert result["total_spoken"] == "258 euro e 50"
