"""The demo hotel's receptionist configuration, seeded with the demo PMS in local mode."""

from __future__ import annotations

from hotelvoice.contracts.hotels import HotelConfig, HotelConfigUpdate
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID

DEMO_DIALLED_NUMBER = "+493055500000"
"""The number guests dial; the trunk reports it as ``sip.trunkPhoneNumber``."""
DEMO_FRONT_DESK = "tel:+493055501000"

DEMO_SETTINGS = HotelConfigUpdate(
    version=0,
    dialled_numbers=[DEMO_DIALLED_NUMBER],
    front_desk=DEMO_FRONT_DESK,
    languages=["en", "de", "fr", "es", "it"],
    instructions="Guests often ask about the museum island; mention the 10-minute tram ride.",
)


def seed_demo_hotel_config(directory: HotelDirectory) -> HotelConfig:
    """Create the demo configuration (a fresh local stack has none)."""
    return directory.put(DEMO_HOTEL_ID, DEMO_SETTINGS, actor="local-seed")
