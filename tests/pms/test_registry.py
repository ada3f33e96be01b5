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


def test_a_binding_to_another_hotels_secret_written_before_the_check_is_not_used(
    plane, monkeypatch
):
    import uuid

    import pytest

    from hotelvoice.contracts.hotels import HotelConfigUpdate
    from hotelvoice.errors import Unavailable
    from hotelvoice.hotels.store import HotelDirectory
    from hotelvoice.pms.registry import CONNECTORS, forget_config
    from hotelvoice.settings import get_settings

    directory = HotelDirectory(get_settings().hotels_table)
    hotel = f"hotel-{uuid.uuid4().hex[:8]}"
    built: list[str] = []
    monkeypatch.setitem(CONNECTORS, "apaleo", lambda _h, b, _s: built.append(b.secret_name))

    def bind(version: int, secret: str) -> None:
        # stored as an older release stored it: PUT /config did not check whose secret it is
        update = HotelConfigUpdate(
            version=version,
            dialled_numbers=[f"+4989{uuid.uuid4().int % 10**8:08d}"],
            front_desk="+49 89 5550 1000",
            pms={"connector": "apaleo", "property_id": "MUC", "secret_name": secret},
        )
        directory.put(hotel, update, actor="an-older-release")
        forget_config(hotel)

    bind(0, "hotelvoice/pms/hotel-b")
    with pytest.raises(Unavailable, match="secret_name"):
        connector_for(hotel)
    assert built == []
    bind(1, f"hotelvoice/pms/{hotel}")
    connector_for(hotel)
    assert built == [f"hotelvoice/pms/{hotel}"]
