"""Recording consent on the line: disclosure, egress, declining by voice or key, the record.

Calls are scripted text calls through the production code (``run_scripted_call``) against
the local control plane and the LiveKit server peer, which the real ``livekit-api`` client
drives: a passing test means the egress requests were ones livekit-server accepts. Hotels
that record are test hotels of their own; the seeded demo hotel keeps its default (it does
not record).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from line_calls import live_call, scripted_call
from livekit.agents import StopResponse, llm
from peers.livekit_server_peer import EGRESS_NOT_CONNECTED, LiveKitServerPeer
from peers.openai_chat_peer import ChatCompletionsPeer, TextReply

from hotelvoice.auth import Role
from hotelvoice.contracts.call_events import Outcome
from hotelvoice.contracts.hotels import HotelConfigUpdate, RecordingSettings
from hotelvoice.errors import NotFound
from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER, DEMO_FRONT_DESK
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, HOTEL
from hotelvoice.settings import get_settings
from realtime_agent.call_events import CallEventReporter
from realtime_agent.call_script import Press, Say
from realtime_agent.fallback.replies import replies_for
from realtime_agent.room_actions import RecordingTarget
from realtime_agent.service_auth import LocalServiceToken

KEY, SECRET = "APIconsent", "consent-test-secret-of-32-bytes-or-more"
BUCKET = "hotelvoice-recordings-consent-test"
LANGUAGES = ("en", "de", "fr", "es", "it")

RECORDS = "consent-records"
"""Records calls; key 9 declines; the transcript is kept after a decline."""
RECORDS_NUMBER = "+493055509901"
RECORDS_SETTINGS = RecordingSettings(record_calls=True)
FORGETS = "consent-forgets"
"""Records calls; # declines; no transcript is kept after a decline."""
FORGETS_NUMBER = "+493055509902"
FORGETS_SETTINGS = RecordingSettings(
    record_calls=True, decline_key="#", keep_transcript_when_declined=False
)

DECLINES = {
    "en": "Please don't record this call.",
    "de": "Ich möchte nicht aufgezeichnet werden.",
    "fr": "Ne m'enregistrez pas, s'il vous plaît.",
    "es": "No grabe la llamada, por favor.",
    "it": "Non registrare, per favore.",
}
PARKING = {
    "en": "do you have parking",
    "de": "Haben Sie einen Parkplatz?",
    "fr": "Avez-vous un parking ?",
    "es": "¿tienen parking? es que vamos en coche",
    "it": "c'è un parcheggio? arriviamo in macchina",
}


@pytest.fixture(scope="module")
def consent_hotels(plane) -> None:
    """Two hotels that record (the demo hotel's profile under their own ids and numbers)."""
    directory = HotelDirectory(get_settings().hotels_table)
    pms = plane.table("PmsTable")
    for hotel_id, number, recording in (
        (RECORDS, RECORDS_NUMBER, RECORDS_SETTINGS),
        (FORGETS, FORGETS_NUMBER, FORGETS_SETTINGS),
    ):
        info = HOTEL.model_copy(update={"hotel_id": hotel_id}).model_dump()
        pms.put_item(Item={"pk": f"HOTEL#{hotel_id}", "sk": "INFO", "info": info})
        try:
            version = directory.get(hotel_id).version
        except NotFound:
            version = 0
        update = HotelConfigUpdate(
            version=version,
            dialled_numbers=[number],
            front_desk=DEMO_FRONT_DESK,
            languages=list(LANGUAGES),
            recording=recording,
        )
        directory.put(hotel_id, update, actor="consent-test")


@pytest.fixture
def peer():
    with LiveKitServerPeer(api_key=KEY, api_secret=SECRET) as server:
        yield server


def with_bucket():
    return get_settings().model_copy(update={"recordings_bucket": BUCKET})


async def call(plane, peer, steps, *, number=RECORDS_NUMBER, **kwargs):
    return await scripted_call(
        plane, peer, steps, settings=with_bucket(), dialled_number=number, **kwargs
    )


def egress_calls(peer, room):
    """(method, request) of the peer's Egress requests about this call, in order."""
    started = {e.egress_id for e in peer.egresses(room)}
    ours = {
        "StartRoomCompositeEgress": lambda message: message.room_name == room,
        "StopEgress": lambda message: message.egress_id in started,
    }
    return [(r.method, r) for r in peer.requests if r.method in ours and ours[r.method](r.message)]


def call_record(plane, api_url, hotel_id, room) -> dict[str, Any]:
    """The call record as the hotel's staff read it, once the queued events are in."""
    plane.drain()
    token = plane.token(Role.STAFF, [hotel_id], subject="consent-test")
    response = httpx.get(
        f"{api_url}/v1/calls/{room}", headers={"authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def agent_lines(transcript):
    return [t.text for t in transcript.turns if t.role == "agent"]


# -- Declining by voice, in every language ------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_caller_who_declines_by_voice_stops_the_recording_and_the_call_goes_on(
    plane, api_url, peer, consent_hotels, language
):
    room, transcript = await call(
        plane, peer, [Say(DECLINES[language]), Say(PARKING[language])], language=language
    )

    replies = replies_for(HOTEL, language, RECORDS_SETTINGS)
    said = agent_lines(transcript)
    assert said[0] == replies.greeting, "the greeting discloses the recording and the key"
    assert said[1] == replies.recording_declined, "confirmed in the caller's language"
    # The decline was the whole turn: the dialogue did not answer it; the next turn is the
    # caller's question, answered as ever.
    assert transcript.turns[-1].tool_calls[0].name == "get_hotel_info"
    assert transcript.outcome.value == "completed"

    (start, stop) = egress_calls(peer, room)
    assert [start[0], stop[0]] == ["StartRoomCompositeEgress", "StopEgress"]
    request = start[1].message
    assert request.audio_only
    (output,) = request.file_outputs
    assert output.filepath == f"recordings/{RECORDS}/{room}.ogg"
    assert output.s3.bucket == BUCKET
    (egress,) = peer.egresses(room)
    assert stop[1].message.egress_id == egress.egress_id
    assert not egress.active

    record = call_record(plane, api_url, RECORDS, room)
    assert record["consent"]["recording"] == "declined"
    assert record["consent"]["via"] == "speech"
    assert record["consent"]["transcript_kept"] is True
    assert any(t["text"] == replies.recording_declined for t in record["turns"])


async def test_a_decline_with_a_question_is_confirmed_and_the_question_answered(
    plane, api_url, peer, consent_hotels
):
    room, transcript = await call(
        plane, peer, [Say("Please don't record this. Do you have parking?")]
    )

    said = agent_lines(transcript)
    assert said[1] == replies_for(HOTEL, "en").recording_declined
    assert transcript.turns[-1].tool_calls[0].name == "get_hotel_info"
    assert [m for m, _ in egress_calls(peer, room)] == ["StartRoomCompositeEgress", "StopEgress"]


async def test_a_caller_declining_in_another_language_hears_the_confirmation_in_it(
    plane, api_url, peer, consent_hotels
):
    _room, transcript = await call(plane, peer, [Say("Bitte nicht aufnehmen.")], language="en")

    assert agent_lines(transcript)[0] == replies_for(HOTEL, "en", RECORDS_SETTINGS).greeting
    assert agent_lines(transcript)[1] == replies_for(HOTEL, "de").recording_declined


# -- Declining by key ---------------------------------------------------------------------


async def test_the_hotels_key_declines_and_then_no_turn_is_kept(
    plane, api_url, peer, consent_hotels
):
    room, transcript = await call(
        plane, peer, [Say("hello"), Press("#"), Say("do you have parking")], number=FORGETS_NUMBER
    )

    replies = replies_for(HOTEL, "en", FORGETS_SETTINGS)
    assert "press hash" in replies.greeting
    said = agent_lines(transcript)
    assert said[0] == replies.greeting
    assert replies.recording_declined in said
    assert transcript.turns[-1].tool_calls[0].name == "get_hotel_info", "the call goes on"
    assert [m for m, _ in egress_calls(peer, room)] == ["StartRoomCompositeEgress", "StopEgress"]

    record = call_record(plane, api_url, FORGETS, room)
    assert record["consent"] == {**record["consent"], "recording": "declined", "via": "key"}
    assert record["consent"]["transcript_kept"] is False
    assert record["turns"] == [], "no turn before or after the decline is kept"
    assert record["tool_calls"] == []
    assert (record["hotel_id"], record["outcome"]) == (FORGETS, "completed"), "metadata stays"


async def test_key_nine_declines_where_it_is_the_hotels_key_and_repeats_the_menu_elsewhere(
    plane, api_url, peer, consent_hotels
):
    room, transcript = await call(plane, peer, [Press("9")])
    assert agent_lines(transcript)[1] == replies_for(HOTEL, "en").recording_declined
    assert [m for m, _ in egress_calls(peer, room)] == ["StartRoomCompositeEgress", "StopEgress"]

    room, transcript = await call(plane, peer, [Press("9")], number=DEMO_DIALLED_NUMBER)
    assert agent_lines(transcript)[1] == replies_for(HOTEL, "en").dtmf_menu
    assert egress_calls(peer, room) == []


async def test_after_a_decline_without_transcript_the_agent_posts_no_more_of_it(plane, api_url):
    sent: list[dict[str, Any]] = []

    class Recording(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self._real = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await self._real.handle_async_request(request)
            if response.status_code == 202:
                import json

                sent.extend(json.loads(request.content)["events"])  # the outbox's batches
            return response

    call_id = f"call-{uuid.uuid4().hex[:12]}"
    events = CallEventReporter(api_url, LocalServiceToken(), call_id, transport=Recording())
    events.started(FORGETS, "en", None)
    events.consent("recorded", "hotel_config", transcript_kept=True)
    events.turn("caller", "hello")
    events.consent("declined", "key", transcript_kept=False)
    events.turn("caller", "is there parking")
    events.tool("get_hotel_info", {"topic": "parking"}, "a garage", ok=True, duration_ms=1.0)
    events.turn("agent", "There is a garage.")
    events.ended(Outcome.COMPLETED)
    await events.aclose()

    assert [e["type"] for e in sent] == [
        "call.started",
        "call.consent",
        "call.turn",
        "call.consent",
        "call.ended",
    ], "the API accepted every event; no turn or tool call was posted after the decline"
    assert sent[3] | {"event_id": "", "occurred_at": ""} == {
        "type": "call.consent",
        "call_id": call_id,
        "event_id": "",
        "occurred_at": "",
        "recording": "declined",
        "via": "key",
        "transcript_kept": False,
    }
    assert events.failed == 0


# -- Hotels that do not record ------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_hotel_that_does_not_record_never_starts_egress_nor_claims_it(
    plane, api_url, peer, staff_headers, language
):
    room, transcript = await call(
        plane, peer, [Say(PARKING[language])], number=DEMO_DIALLED_NUMBER, language=language
    )

    greeting = agent_lines(transcript)[0]
    assert greeting == replies_for(HOTEL, language).greeting
    assert greeting != replies_for(HOTEL, language, RECORDS_SETTINGS).greeting
    for word in ("record", "aufgezeichnet", "enregistr", "grab", "registrat"):
        assert word not in greeting.lower()
    assert HOTEL.name in greeting
    assert peer.egresses() == []
    assert not [r for r in peer.requests if "Egress" in r.path]

    record = call_record(plane, api_url, DEMO_HOTEL_ID, room)
    assert (record["consent"]["recording"], record["consent"]["via"]) == (
        "not_recorded",
        "hotel_config",
    )


async def test_declining_where_nothing_is_recorded_is_answered_truthfully(
    plane, api_url, peer, consent_hotels
):
    _room, transcript = await call(
        plane, peer, [Say("Please do not record me.")], number=DEMO_DIALLED_NUMBER
    )

    assert agent_lines(transcript)[1] == replies_for(HOTEL, "en").recording_not_active
    assert peer.egresses() == []


# -- What is not a decline ----------------------------------------------------------------


async def test_ordinary_record_words_neither_stop_the_recording_nor_get_confirmed(
    plane, api_url, peer, consent_hotels
):
    room, transcript = await call(
        plane,
        peer,
        [
            Say("Is there a record of my reservation?"),
            Say("Ich möchte die Aufnahme von zwei Gästen bestätigen"),
            Say("Können Sie meinen Hund nicht aufnehmen?"),
        ],
    )

    declined = {replies_for(HOTEL, lang).recording_declined for lang in LANGUAGES}
    assert not declined & set(agent_lines(transcript))
    assert [m for m, _ in egress_calls(peer, room)] == ["StartRoomCompositeEgress"]
    record = call_record(plane, api_url, RECORDS, room)
    assert (record["consent"]["recording"], record["consent"]["via"]) == (
        "recorded",
        "hotel_config",
    )


# -- Failures and timing ------------------------------------------------------------------


async def test_a_recording_that_fails_to_start_never_breaks_the_call(
    plane, api_url, peer, consent_hotels
):
    peer.fail_next_egress(EGRESS_NOT_CONNECTED)

    room, transcript = await call(
        plane, peer, [Say("do you have parking"), Say("please do not record")]
    )

    assert transcript.turns[2].tool_calls[0].name == "get_hotel_info"
    assert agent_lines(transcript)[-1] == replies_for(HOTEL, "en").recording_declined
    assert [m for m, _ in egress_calls(peer, room)] == ["StartRoomCompositeEgress"]
    assert peer.egresses(room) == [], "nothing to stop"


async def test_a_decline_before_the_recording_started_means_it_never_starts(
    plane, api_url, peer, consent_hotels
):
    async with live_call(
        plane, api_url, peer, RECORDS, recordings=RecordingTarget(BUCKET, "x")
    ) as live:
        control = live.control
        await live.session.start(live.call.agent)  # the line joins after the greeting was queued
        live.call.state.control = control
        # The caller presses the key before the recording was started: it never starts.
        await control.on_dtmf("9")
        await control.start_recording()
    assert control.recording_declined
    assert peer.egresses() == []
    assert replies_for(live.hotel, "en").recording_declined in live.said


async def test_the_voice_path_answers_a_decline_before_any_dialogue_engine(
    plane, api_url, peer, consent_hotels
):
    """``Receptionist.on_user_turn_completed``: the hook LiveKit calls for a spoken turn."""
    async with live_call(
        plane, api_url, peer, RECORDS, recordings=RecordingTarget(BUCKET, "x")
    ) as live:
        room, call, control, said = live.room, live.call, live.control, live.said
        call.state.control = control
        await live.session.start(call.agent)
        await control.recording_settled()
        assert control.egress_id is not None

        only = llm.ChatMessage(role="user", content=["Nein, nicht aufnehmen, danke."])
        with pytest.raises(StopResponse):
            await call.agent.on_user_turn_completed(llm.ChatContext(), only)
        mixed = llm.ChatMessage(role="user", content=["Don't record me. Is there parking?"])
        await call.agent.on_user_turn_completed(llm.ChatContext(), mixed)  # the engine answers
        plain = llm.ChatMessage(role="user", content=["I would like to record a new booking"])
        await call.agent.on_user_turn_completed(llm.ChatContext(), plain)
        for _ in range(100):
            if len(said) >= 3 and control.egress_id is None:
                break
            await asyncio.sleep(0.02)
    assert said[1:] == [
        replies_for(live.hotel, "de").recording_declined,
        replies_for(live.hotel, "en").recording_declined,
    ]
    assert [m for m, _ in egress_calls(peer, room)] == ["StartRoomCompositeEgress", "StopEgress"]


async def test_with_an_llm_a_decline_never_reaches_the_model(plane, api_url, peer, consent_hotels):
    script = [TextReply("Hotel Aurora Berlin, this call is recorded."), TextReply("Yes, a garage.")]
    with ChatCompletionsPeer(script, api_key="test-key") as model:
        from livekit.plugins import openai as lk_openai

        engine = lk_openai.LLM(model="gpt-4o-mini", base_url=model.base_url, api_key="test-key")
        room, transcript = await call(
            plane,
            peer,
            [Say("Ne m'enregistrez pas, s'il vous plaît."), Say("Avez-vous un parking ?")],
            engine=engine,
        )
        requests = model.chat_requests
    assert len(requests) == 2, "the greeting and the question; the decline was the line's"
    for request in requests:
        assert "enregistrez" not in str(request.json["messages"])
    assert agent_lines(transcript)[1] == replies_for(HOTEL, "fr").recording_declined
    assert [m for m, _ in egress_calls(peer, room)] == ["StartRoomCompositeEgress", "StopEgress"]
