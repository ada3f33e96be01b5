"""The phone line during a call, through the real ``livekit-api`` client and a local server peer.

The peer checks every token the way LiveKit does, so a request it answers 200 carried valid
grants; the tests read back which requests reached it.
"""

from __future__ import annotations

import pytest
from line_calls import live_call, scripted_call
from peers.livekit_server_peer import BUSY_HERE, LiveKitServerPeer

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER, DEMO_FRONT_DESK
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from realtime_agent.call_script import Press, Say, Silence
from realtime_agent.fallback.replies import replies_for
from realtime_agent.scripted_call import CALLER_IDENTITY
from realtime_agent.sip_caller import SipCaller

KEY, SECRET = "APIcontrol", "call-control-test-secret-of-32-bytes+"


@pytest.fixture
def peer():
    with LiveKitServerPeer(api_key=KEY, api_secret=SECRET) as server:
        yield server


async def call(plane, peer, steps, **kwargs):
    return await scripted_call(
        plane,
        peer,
        steps,
        settings=get_settings(),
        dialled_number=DEMO_DIALLED_NUMBER,
        report_events=False,
        **kwargs,
    )


async def test_key_zero_transfers_the_caller_to_the_hotels_front_desk(plane, api_url, peer):
    room, transcript = await call(plane, peer, [Press("0")])
    (transfer,) = [r for r in peer.requests if r.method == "TransferSIPParticipant"]
    assert transfer.status == 200
    assert (transfer.message.room_name, transfer.message.participant_identity) == (
        room,
        CALLER_IDENTITY,
    )
    assert transfer.message.transfer_to == DEMO_FRONT_DESK
    assert transfer.claims.sip.call
    assert transfer.claims.video.room_admin
    assert transcript.outcome.value == "transferred"
    agent = [t.text for t in transcript.turns if t.role == "agent"]
    assert "front desk" in agent[-1].lower(), "the caller hears where they are going first"
    assert peer.participants(room) == [], "a cold transfer takes the caller out of the room"


async def test_a_busy_front_desk_is_apologised_for_and_the_call_goes_on(plane, api_url, peer):
    peer.fail_next_transfer(BUSY_HERE)
    room, transcript = await call(plane, peer, [Press("0"), Say("is there parking")])
    assert [(t.reason, t.succeeded) for t in transcript.transfers] == [("menu", False)]
    assert transcript.outcome.value == "completed"
    assert transcript.turns[-1].tool_calls[0].name == "get_hotel_info"
    assert peer.participants(room) == [CALLER_IDENTITY]


async def test_goodbye_hangs_up_by_deleting_the_room(plane, api_url, peer):
    room, transcript = await call(plane, peer, [Say("that is all, goodbye")])
    (delete,) = [r for r in peer.requests if r.method == "DeleteRoom"]
    assert (delete.status, delete.message.room) == (200, room)
    assert delete.claims.video.room_create
    assert transcript.outcome.value == "completed"


async def test_silence_is_reprompted_then_the_call_is_closed(plane, api_url, peer):
    _room, transcript = await call(plane, peer, [Silence(), Silence(), Silence(), Say("hello?")])
    reprompts = [t.text for t in transcript.turns if t.role == "agent"][1:]
    assert len(reprompts) == 3, "two reprompts (the demo hotel's limit), then goodbye"
    assert transcript.outcome.value == "abandoned"
    assert [r.method for r in peer.requests] == ["DeleteRoom"]
    assert transcript.turns[-1].role == "agent", "nothing is played after the goodbye"


def test_sip_attributes_name_the_dialled_number_and_the_caller():
    caller = SipCaller.from_attributes(
        "sip_+4915155500101",
        {
            "sip.trunkPhoneNumber": "+493055500000",
            "sip.phoneNumber": "+4915155500101",
            "sip.callID": "SCL_abc",
        },
    )
    assert (caller.trunk_number, caller.phone_number, caller.sip_call_id) == (
        "+493055500000",
        "+4915155500101",
        "SCL_abc",
    )
    for withheld in ("anonymous", "Anonymous", "restricted", "unknown", ""):
        caller = SipCaller.from_attributes(
            "x", {"sip.trunkPhoneNumber": "+49", "sip.phoneNumber": withheld}
        )
        assert caller.phone_number is None, withheld
    with pytest.raises(Exception, match="dialled number"):
        SipCaller.from_attributes("x", {"sip.phoneNumber": "+4915155500101"})


def test_a_rule_that_hides_numbers_names_the_hotel_by_its_own_attribute():
    """LiveKit then omits both numbers; the rule's attributes carry the hotel's number."""
    caller = SipCaller.from_attributes(
        "sip_0b1c2d3e4f5a6b7c", {"sip.callID": "SCL_abc", "hotelvoice.dialledNumber": "+4930"}
    )
    assert (caller.trunk_number, caller.phone_number) == ("+4930", None)
    with pytest.raises(Exception, match=r"hotelvoice\.dialledNumber"):
        SipCaller.from_attributes("sip_0b1c2d3e4f5a6b7c", {"sip.callID": "SCL_abc"})


def test_the_worker_registers_for_explicit_dispatch(monkeypatch):
    from realtime_agent.worker import answer_call, build_server

    monkeypatch.setenv("HOTELVOICE_AGENT_NAME", "hotelvoice-test-line")
    monkeypatch.setenv("LIVEKIT_URL", "wss://hotel.example.livekit.cloud")
    monkeypatch.setenv("HOTELVOICE_LOCAL_MODE", "true")
    get_settings.cache_clear()
    try:
        server = build_server()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    # LiveKit dispatches SIP calls only to the agent name the dispatch rule names (no
    # public getter exists for these).
    assert server._agent_name == "hotelvoice-test-line"
    assert server._entrypoint_fnc is answer_call
    assert server._ws_url == "wss://hotel.example.livekit.cloud"


def test_a_language_switch_revoices_the_tts():
    from hotelvoice.settings import Settings
    from realtime_agent.speech.plugins import tts_for
    from realtime_agent.worker import _revoice

    voice = tts_for(Settings(local_mode=True), "en")
    _revoice(voice, "de")
    assert voice.locale == "de-DE"


async def test_the_call_time_limit_says_goodbye_and_hangs_up(plane, api_url, peer):
    import asyncio

    from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
    from realtime_agent.fallback.replies import replies_for

    async with live_call(
        plane, api_url, peer, DEMO_HOTEL_ID, config_update={"max_call_s": 0}
    ) as live:
        control = live.control
        live.call.state.control = control
        await live.session.start(live.call.agent)
        control.start_call_timer()
        for _ in range(200):
            if control.ended:
                break
            await asyncio.sleep(0.05)
    assert control.outcome.value == "completed"
    assert live.said[-1] == replies_for(live.hotel, "en").max_duration_goodbye
    assert [r.method for r in peer.requests] == ["DeleteRoom"]


async def test_lost_hearing_is_apologised_for_and_the_caller_transferred(plane, api_url, peer):
    async with live_call(plane, api_url, peer, DEMO_HOTEL_ID) as live:
        live.call.state.control = live.control
        await live.session.start(live.call.agent)
        first = live.control.on_hearing_lost()
        assert first is not None
        assert live.control.on_hearing_lost() is None, "said once a call"
        await first
    replies = replies_for(live.hotel, "en")
    assert replies.hearing_lost in live.said
    assert replies.hearing_lost_goodbye not in live.said
    assert [(t.reason, t.succeeded) for t in live.control.transfers] == [("not_understood", True)]
    assert live.control.outcome is Outcome.TRANSFERRED
    assert peer.participants(live.room) == []


async def test_lost_hearing_and_a_busy_front_desk_end_the_call_with_its_number(
    plane, api_url, peer
):
    peer.fail_next_transfer(BUSY_HERE)
    async with live_call(plane, api_url, peer, DEMO_HOTEL_ID) as live:
        live.call.state.control = live.control
        await live.session.start(live.call.agent)
        task = live.control.on_hearing_lost()
        assert task is not None
        await task
    replies = replies_for(live.hotel, "en")
    assert live.said[-1] == replies.hearing_lost_goodbye
    assert live.hotel.front_desk_phone in live.said[-1]
    assert live.control.outcome is Outcome.COMPLETED
    assert [r.method for r in peer.requests][-1] == "DeleteRoom", "no message without hearing"
