"""Apaleo (https://apaleo.dev): the PMS port over Apaleo's Booking and Inventory APIs.

The registry (:mod:`hotelvoice.pms.registry`) finds this package and calls :func:`build` for
a hotel whose configuration says ``"connector": "apaleo"``. Setup, mapping and limits:
``docs/pms.md``, "Apaleo".
"""

from __future__ import annotations

from hotelvoice.contracts.hotels import PmsBinding
from hotelvoice.pms.apaleo.connector import ApaleoConnector
from hotelvoice.settings import Settings

__all__ = ["ApaleoConnector", "build"]


def build(hotel_id: str, binding: PmsBinding, settings: Settings) -> ApaleoConnector:
    """The hotel's Apaleo connector (credentials from ``binding.secret_name``)."""
    return ApaleoConnector(hotel_id, binding, settings)
