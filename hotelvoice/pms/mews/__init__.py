"""Mews (Connector API) connector: ``pms.connector = "mews"``, ``property_id`` = stay service id.

See docs/pms.md, "Mews", for the hotel's secret, permissions and limits.
"""

from __future__ import annotations

from hotelvoice.contracts.hotels import PmsBinding
from hotelvoice.errors import Unavailable
from hotelvoice.pms.credentials import pms_credentials
from hotelvoice.pms.mews.connector import PRODUCTION_URL, MewsConnector
from hotelvoice.settings import Settings

__all__ = ["MewsConnector", "build"]


def build(hotel_id: str, binding: PmsBinding, settings: Settings) -> MewsConnector:
    """The hotel's Mews connector (its secret is read on first use, not here)."""
    if not binding.property_id:
        raise Unavailable("the hotel's Mews service id (pms.property_id) is not configured")
    return MewsConnector(
        hotel_id,
        binding.property_id,
        lambda: pms_credentials(binding),
        base_url=settings.pms_base_urls.get("mews") or PRODUCTION_URL,
        timeout_s=settings.pms_timeout_s,
        budget_s=settings.pms_budget_s,
    )
