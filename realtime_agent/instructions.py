"""The LLM's system prompt for one hotel: the same rules the fallback policy follows.

The prompt is data (``prompts/receptionist.txt``), so the rules can be read and reviewed as
prose, and changed without touching the agent; only the hotel's name and address, the day
and the marker for withheld card digits are filled in per call.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from hotelvoice.contracts.pms import HotelInfo
from realtime_agent.language.guards import CARD_DETAILS_WITHHELD

PROMPT = Path(__file__).with_name("prompts") / "receptionist.txt"


@cache
def _template() -> str:
    return " ".join(PROMPT.read_text(encoding="utf-8").split())


def instructions_for(hotel: HotelInfo, today: date) -> str:
    """The per-hotel system prompt of an LLM dialogue.

    The date is written out in English ("Sunday 06 December 2026"): the model reasons about
    "tomorrow" and "next Friday" from it, whatever language the caller speaks.
    """
    return _template().format(
        hotel_name=hotel.name,
        hotel_address=hotel.address,
        today=f"{today:%A %d %B %Y}",
        card_details_withheld=CARD_DETAILS_WITHHELD,
    )
