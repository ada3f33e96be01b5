"""Calls on a phone line of the LiveKit server peer, through the real ``livekit-api`` client.

``scripted_call`` plays a whole scripted text call through the production code;
``live_call`` prepares one by hand (hotel, configuration, dialogue engine, agent session and
``CallControl``) for a test that starts the session and acts on the line itself.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from livekit.agents import AgentSession
from peers.livekit_server_peer import LiveKitServerPeer

from hotelvoice.contracts.pms import HotelInfo
from hotelvoice.settings import get_settings
from local_mode.control_plane import LocalControlPlane
from realtime_agent.call_control import CallControl
from realtime_agent.call_script import Step
from realtime_agent.call_setup import PreparedCall, prepare_call
from realtime_agent.call_state import CallState
from realtime_agent.pms_client import PmsClient
from realtime_agent.room_actions import RecordingTarget, RoomActions
from realtime_agent.scripted_call import CALLER_IDENTITY, run_scripted_call
from realtime_agent.service_auth import LocalServiceToken
from realtime_agent.transcript import CallTranscript


def sip_call_room(peer: LiveKitServerPeer) -> str:
    """A fresh call's room on the peer, with the SIP caller in it."""
    room = f"call-{uuid.uuid4().hex[:12]}"
    peer.add_sip_caller(room, CALLER_IDENTITY)
    return room


def line_to(peer: LiveKitServerPeer) -> RoomActions:
    return RoomActions(peer.url, peer.api_key, peer.api_secret)


async def scripted_call(
    plane: LocalControlPlane, peer: LiveKitServerPeer, steps: Sequence[Step | str], **kwargs: Any
) -> tuple[str, CallTranscript]:
    """``run_scripted_call`` on a line of ``peer`` (``kwargs`` go to it): (room, transcript)."""
    room = sip_call_room(peer)
    async with line_to(peer) as line:
        transcript = await run_scripted_call(
            steps,
            credentials=LocalServiceToken(),
            today=plane.today,
            call_id=room,
            telephony=line,
            **kwargs,
        )
    return room, transcript


@dataclass
class LiveCall:
    room: str
    hotel: HotelInfo
    call: PreparedCall
    session: AgentSession[CallState]
    control: CallControl
    said: list[str]
    """The text of each conversation item, in order (the agent's and the caller's)."""


@asynccontextmanager
async def live_call(
    plane: LocalControlPlane,
    api_url: str,
    peer: LiveKitServerPeer,
    hotel_id: str,
    *,
    config_update: dict[str, Any] | None = None,
    recordings: RecordingTarget | None = None,
) -> AsyncIterator[LiveCall]:
    """An English call to ``hotel_id`` on a line of ``peer``, its session not yet started.

    The test starts the session and hands ``control`` to the call's state in the order it
    needs; the control's timers are stopped when the block ends.
    """
    pms = PmsClient(api_url, LocalServiceToken())
    try:
        config = await pms.hotel_config(hotel_id)
        if config_update:
            config = config.model_copy(update=config_update)
        hotel = await pms.hotel_info(hotel_id)
        room = sip_call_room(peer)
        call = prepare_call(
            get_settings(),
            hotel=hotel,
            config=config,
            pms=pms,
            events=None,
            call_id=room,
            today=plane.today,
            language="en",
            caller_number=None,
        )
        said: list[str] = []
        async with (
            line_to(peer) as line,
            AgentSession(llm=call.engine, userdata=call.state) as session,
        ):
            session.on("conversation_item_added", lambda e: said.append(e.item.text_content))
            control = CallControl(
                session, config, room, CALLER_IDENTITY, line, recordings=recordings
            )
            try:
                yield LiveCall(room, hotel, call, session, control, said)
            finally:
                await control.aclose()
    finally:
        await pms.aclose()
