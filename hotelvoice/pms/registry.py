"""Which connector serves which hotel.

Today every hotel is served by the demo PMS table; per-hotel configuration (Apaleo, Mews)
will select other connectors here without touching the API or the agent.
"""

from __future__ import annotations

from hotelvoice.pms.connector import PmsConnector
from hotelvoice.pms.demo_connector import DemoPmsConnector
from hotelvoice.settings import get_settings


def connector_for(hotel_id: str) -> PmsConnector:
    """The connector for ``hotel_id``."""
    del hotel_id  # one connector for all hotels until hotel configuration exists
    return DemoPmsConnector(get_settings().pms_table)
