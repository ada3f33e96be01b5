"""The hotel's configuration picks its connector, reused while the event loop lives."""

from __future__ import annotations

import asyncio

from hotelvoice.pms.demo_bookings import DemoPmsConnector
from hotelvoice.pms.registry import connector_for


def test_one_connector_per_hotel_and_loop_is_reused_not_rebuilt(plane):
    async def twice():
        return connector_for("aurora-berlin"), connector_for("aurora-berlin")

    first, again = asyncio.run(twice())
    assert first is again
    assert isinstance(first, DemoPmsConnector)
    other_loop, _ = asyncio.run(twice())
    assert other_loop is not first  # a client bound to a closed loop is never handed out
