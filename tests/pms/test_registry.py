"""The hotel's configuration picks its connector, reused while the event loop lives."""

from __future__ import annotations

import asyncio
import sys

from hotelvoice.pms.demo_bookings import DemoPmsConnector
from hotelvoice.pms.registry import ConnectorCatalog, connector_for


def test_one_connector_per_hotel_and_loop_is_reused_not_rebuilt(plane):
    async def twice():
        return connector_for("aurora-berlin"), connector_for("aurora-berlin")

    first, again = asyncio.run(twice())
    assert first is again
    assert isinstance(first, DemoPmsConnector)
    other_loop, _ = asyncio.run(twice())
    assert other_loop is not first  # a client bound to a closed loop is never handed out


def test_the_catalog_imports_a_vendor_when_a_hotel_needs_it_and_drops_one_without_a_factory():
    catalog = ConnectorCatalog({}, ("apaleo", "vendor_http", "no_such_vendor"))
    assert set(catalog) == {"apaleo", "vendor_http"}  # found, not yet imported
    assert callable(catalog["apaleo"])
    assert "hotelvoice.pms.apaleo" in sys.modules
    assert catalog.get("vendor_http") is None  # a module of ours, not a connector
    assert "vendor_http" not in catalog
    assert len(catalog) == 1
