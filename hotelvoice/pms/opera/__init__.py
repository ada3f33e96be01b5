"""Oracle OPERA Cloud (OHIP) connector: ``build`` is what the PMS registry calls.

See :mod:`hotelvoice.pms.opera.connector` for how OPERA's API maps onto the port, and
``docs/pms.md`` ("OPERA Cloud") for the hotel's secret, OHIP set-up and limits.
"""

from __future__ import annotations

from hotelvoice.contracts.hotels import PmsBinding
from hotelvoice.errors import Unavailable
from hotelvoice.pms.credentials import pms_credentials
from hotelvoice.pms.opera.connector import OperaConnector
from hotelvoice.pms.opera.gateway import GatewayRefused, eu_gateway
from hotelvoice.settings import Settings

__all__ = ["GatewayRefused", "OperaConnector", "build"]


def build(hotel_id: str, binding: PmsBinding, settings: Settings) -> OperaConnector:
    """The hotel's OPERA connector, on the deployment's EU gateway.

    Raises:
        GatewayRefused: no gateway is configured, or it is not in an EU OCI region.
        Unavailable: the binding names no OPERA hotel code.
    """
    base_url = eu_gateway(settings.pms_base_urls.get("opera", ""))
    if not binding.property_id:
        raise Unavailable("the hotel's OPERA hotel code (pms.property_id) is not configured")
    return OperaConnector(
        hotel_id,
        binding.property_id,
        base_url,
        lambda: pms_credentials(binding),
        timeout_s=settings.pms_timeout_s,
        budget_s=settings.pms_budget_s,
    )
