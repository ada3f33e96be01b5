"""Hotel configuration for worker calls, set as an admin sets it: through the API.

The worker reads the dialled number's configuration on every call, so a test that needs
short limits (a silence reprompt after 3 s, a 60 s call) changes the demo hotel for the
length of its call and puts the configuration back afterwards: the module's other calls
keep the hotel's usual limits whatever order they run in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import httpx
from rig import LiveCall, WorkerRig, twirp_requests

from hotelvoice.contracts.hotels import HotelConfig, HotelSettings
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID


def hotel_config(rig: WorkerRig, hotel_id: str = DEMO_HOTEL_ID) -> HotelConfig:
    """The hotel's stored configuration, as the worker will read it."""
    response = httpx.get(
        f"{rig.api_url}/v1/hotels/{hotel_id}/config", headers=rig.staff_headers(), timeout=10
    )
    response.raise_for_status()
    return HotelConfig.model_validate(response.json())


def put_hotel_config(
    rig: WorkerRig, settings: dict[str, Any], version: int, hotel_id: str = DEMO_HOTEL_ID
) -> HotelConfig:
    """Write ``settings`` over ``version`` (the API refuses a stale one)."""
    response = httpx.put(
        f"{rig.api_url}/v1/hotels/{hotel_id}/config",
        headers=rig.staff_headers(),
        json={**settings, "version": version},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return HotelConfig.model_validate(response.json())


def _settings_of(config: HotelConfig) -> dict[str, Any]:
    """What a ``PUT`` takes back: the settings without the bookkeeping fields."""
    return config.model_dump(mode="json", include=set(HotelSettings.model_fields))


@contextlib.contextmanager
def hotel_settings(
    rig: WorkerRig, hotel_id: str = DEMO_HOTEL_ID, **changes: Any
) -> Iterator[HotelConfig]:
    """The hotel configured with ``changes`` (``silence_reprompt_s=3`` …) until the block ends.

    Yields the configuration calls dialled inside the block are answered with.
    """
    before = hotel_config(rig, hotel_id)
    original = _settings_of(before)
    changed = put_hotel_config(rig, {**original, **changes}, before.version, hotel_id)
    try:
        yield changed
    finally:
        put_hotel_config(rig, original, changed.version, hotel_id)


def assert_transferred(rig: WorkerRig, call: LiveCall) -> None:
    """The caller was sent to the demo hotel's front desk, and their leg left the room."""
    assert rig.peer is not None
    caller = call.call.caller.identity
    assert rig.peer.wait_until(lambda: caller in call.call.left, 30.0), "the caller stayed"
    transfers = twirp_requests(rig, "TransferSIPParticipant", call.call.room.name)
    assert [(t.participant_identity, t.transfer_to) for t in transfers] == [
        (caller, hotel_config(rig).front_desk)
    ]
    assert call.agent_left(), "the agent stayed in the room"
