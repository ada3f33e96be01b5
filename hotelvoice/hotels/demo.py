"""The demo hotel's receptionist configuration, seeded with the demo PMS in local mode."""

from __future__ import annotations

import json
from pathlib import Path

from hotelvoice.contracts.hotels import HotelConfig, HotelConfigUpdate
from hotelvoice.contracts.knowledge import KnowledgeEntry
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID

DEMO_DIALLED_NUMBER = "+493055500000"
"""The number guests dial; the trunk reports it as ``sip.trunkPhoneNumber``."""
DEMO_FRONT_DESK = "tel:+493055501000"
DEMO_KNOWLEDGE_FILE = Path(__file__).with_name("demo_knowledge.json")
"""The demo hotel's knowledge base in five languages: data, edited like any hotel's."""


def demo_knowledge() -> list[KnowledgeEntry]:
    """The demo hotel's knowledge entries, validated as the API would validate them."""
    entries = json.loads(DEMO_KNOWLEDGE_FILE.read_text(encoding="utf-8"))["entries"]
    return [KnowledgeEntry.model_validate(entry) for entry in entries]


DEMO_SETTINGS = HotelConfigUpdate(
    version=0,
    dialled_numbers=[DEMO_DIALLED_NUMBER],
    front_desk=DEMO_FRONT_DESK,
    languages=["en", "de", "fr", "es", "it"],
    instructions="Guests often ask about the museum island; mention the 10-minute tram ride.",
    knowledge=demo_knowledge(),
)


def seed_demo_hotel_config(directory: HotelDirectory) -> HotelConfig:
    """Create the demo configuration (a fresh local stack has none)."""
    return directory.put(DEMO_HOTEL_ID, DEMO_SETTINGS, actor="local-seed")
