"""The seeded demo hotel: deterministic rooms, a year of inventory, guests and facts.

Everything is derived from ``today`` and a fixed random seed, so two seeds on the same day
give byte-identical tables and tests can compute the expected prices themselves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hotelvoice.contracts.pms import HotelInfo, ReservationStatus
from hotelvoice.pms.demo_hotel_texts import POLICY_TEXTS
from hotelvoice.pms.demo_keys import hotel_pk, night_sk, nights_pk

DEMO_HOTEL_ID = "aurora-berlin"
DEMO_HOTEL_NUMBER = "+4930555010"
"""The number guests dial; the SIP trunk number maps to the hotel."""
INVENTORY_DAYS = 365
SEED = 20261125

HOTEL = HotelInfo(
    hotel_id=DEMO_HOTEL_ID,
    name="Hotel Aurora Berlin",
    address="Torstrasse 101, 10119 Berlin, Germany",
    front_desk_phone="+49 30 5550 1000",
    timezone="Europe/Berlin",
    currency="EUR",
    check_in_from="15:00",
    check_out_until="11:00",
    breakfast="Breakfast buffet from 6:30 to 10:30, included in every rate.",
    parking="Underground parking next door, 25 euros per night; no reservation needed.",
    pets="Dogs up to 15 kilograms are welcome for 20 euros per night.",
    wifi="Free Wi-Fi everywhere in the hotel; the network is Aurora-Guest.",
    cancellation_policy="Free cancellation until 6 pm the day before arrival; "
    "later cancellations are charged the first night.",
    languages=["en", "de", "fr", "es", "it"],
    policy_texts=POLICY_TEXTS,
)


@dataclass(frozen=True)
class RoomType:
    """One room category of the demo hotel."""

    code: str
    name: str
    description: str
    max_occupancy: int
    base_rate_minor: int
    units: int


ROOM_TYPES: tuple[RoomType, ...] = (
    RoomType("SGL", "Single Room", "a quiet single room with a queen bed", 1, 8900, 8),
    RoomType("STD", "Standard Double", "a double room with a king bed", 2, 12900, 20),
    RoomType("SUP", "Superior King", "a larger room with a king bed and a sofa bed", 3, 16900, 12),
    RoomType("FAM", "Family Room", "two connected rooms for up to four guests", 4, 21900, 6),
    RoomType("STE", "Junior Suite", "a suite with a separate living area", 2, 29900, 3),
)

GUESTS: tuple[tuple[str, str], ...] = (
    ("Anna", "Smith"),
    ("James", "Miller"),
    ("Maria", "Garcia"),
    ("Thomas", "Fischer"),
    ("Sophie", "Martin"),
    ("Luca", "Rossi"),
    ("Emma", "Brown"),
    ("Jan", "Novak"),
    ("Clara", "Weber"),
    ("Peter", "Jensen"),
    ("Julia", "Schmidt"),
    ("Oliver", "Taylor"),
    ("Lea", "Dubois"),
    ("Marco", "Bianchi"),
    ("Sarah", "Johnson"),
    ("David", "Wilson"),
    ("Laura", "Moore"),
    ("Paul", "Clark"),
    ("Elena", "Lopez"),
    ("Max", "Walker"),
    ("Nina", "Hall"),
    ("Tom", "Allen"),
    ("Ruth", "Keller"),
    ("Hugo", "Lambert"),
    ("Irene", "Vogel"),
    ("Felix", "Brandt"),
    ("Alice", "Moreau"),
)


def is_sold_out_night(offset: int) -> bool:
    """Trade-fair nights: the whole hotel is full (every 29th night from day 17)."""
    return offset % 29 == 17


def night_rate_minor(room: RoomType, night: date) -> int:
    """Weekend (Fri, Sat) +20 %, festive season +30 %, summer +15 %, whole euros."""
    factor = 1.0
    if night.weekday() in (4, 5):
        factor *= 1.2
    if (night.month == 12 and night.day >= 20) or (night.month == 1 and night.day <= 2):
        factor *= 1.3
    elif night.month in (7, 8):
        factor *= 1.15
    return round(room.base_rate_minor * factor / 100) * 100


def units_left(room: RoomType, offset: int, rng: random.Random) -> int:
    """Units still free on a night; the suite sells out often, the hotel on fair nights."""
    if is_sold_out_night(offset):
        return 0
    taken = rng.randint(0, room.units)
    return max(room.units - taken, 0) if room.code != "STE" or offset % 5 else 0


def reservations(today: date) -> list[dict[str, Any]]:
    """Twenty-seven bookings around ``today``: past, in house, upcoming and one cancelled."""
    rng = random.Random(SEED)
    result = []
    for i, (first, last) in enumerate(GUESTS):
        room = ROOM_TYPES[1 + i % 4]
        arrival = today + timedelta(days=-10 + i * 4)
        nights = 1 + i % 4
        departure = arrival + timedelta(days=nights)
        if departure <= today:
            status = ReservationStatus.CHECKED_OUT
        elif arrival <= today:
            status = ReservationStatus.CHECKED_IN
        else:
            status = ReservationStatus.CANCELLED if i == 13 else ReservationStatus.CONFIRMED
        total = sum(night_rate_minor(room, arrival + timedelta(days=n)) for n in range(nights))
        result.append(
            {
                "room_type_code": room.code,
                "reservation": {
                    "confirmation_code": f"HV{1000 + (i * 373 + 42) % 9000}",
                    "guest_first_name": first,
                    "guest_last_name": last,
                    "arrival": arrival.isoformat(),
                    "departure": departure.isoformat(),
                    "room_type_name": room.name,
                    "adults": min(room.max_occupancy, 1 + i % 2),
                    "children": 0,
                    "status": status.value,
                    "total": {"amount_minor": total, "currency": HOTEL.currency},
                },
                "guest_phone": f"+49 151 5550 {rng.randint(1000, 9999)}",
                "guest_email": f"{first.lower()}.{last.lower()}@example.com",
            }
        )
    return result


def demo_items(today: date) -> list[dict[str, Any]]:
    """Every item of the demo hotel, ready for ``batch_writer``."""
    pk = hotel_pk(DEMO_HOTEL_ID)
    items: list[dict[str, Any]] = [{"pk": pk, "sk": "INFO", "info": HOTEL.model_dump()}]
    for order, room in enumerate(ROOM_TYPES):
        items.append(
            {
                "pk": pk,
                "sk": f"ROOMTYPE#{room.code}",
                "order": order,
                "name": room.name,
                "description": room.description,
                "max_occupancy": room.max_occupancy,
                "rate_plan": "Flexible rate with breakfast",
                "breakfast_included": True,
            }
        )
    rng = random.Random(SEED)
    for offset in range(INVENTORY_DAYS):
        night = today + timedelta(days=offset)
        for room in ROOM_TYPES:
            items.append(
                {
                    "pk": nights_pk(DEMO_HOTEL_ID, night),
                    "sk": night_sk(night, room.code),
                    "room_type": room.code,
                    "available": units_left(room, offset, rng),
                    "rate_minor": night_rate_minor(room, night),
                }
            )
    for booking in reservations(today):
        code = booking["reservation"]["confirmation_code"]
        items.append({"pk": pk, "sk": f"RES#{code}", **booking})
    return items


def seed_demo_hotel(table: Any, today: date) -> int:
    """Write the demo hotel into ``table`` (a boto3 ``Table``); returns the item count."""
    items = demo_items(today)
    with table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
        for item in items:
            batch.put_item(Item=item)
    return len(items)
