"""Calls while the hotel system is slow or down, through a fault-injecting proxy.

Whole scripted calls run through the production receptionist against the local control
plane, with ``pms_fault_proxy.PmsFaultProxy`` between the agent and the API: the
availability answer of the demo hotel is delayed, or answered 503, 429 with ``Retry-After``,
or never (the agent's own timeout). The caller then hears a holding line before a slow answer,
and an apology with the front desk on offer when there is no answer; a "yes" transfers them
through the real ``livekit-api`` client to the local LiveKit server peer. Other calls, through
the same proxy for another hotel or straight to the API, are not touched. A holding line
that was heard is in the call record too, as an agent turn.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from babel.dates import format_date
from line_calls import scripted_call
from peers.livekit_server_peer import LiveKitServerPeer
from peers.openai_chat_peer import ChatCompletionsPeer
from peers.policy_model import policy_model
from pms_fault_proxy import Fault, PmsFaultProxy

from hotelvoice.auth import Role
from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, HOTEL
from hotelvoice.settings import Settings, get_settings
from local_mode.spoken import spoken_day
from realtime_agent.call_script import Say
from realtime_agent.fallback.replies import replies_for
from realtime_agent.scripted_call import CALLER_IDENTITY
from realtime_agent.transcript import CallTranscript, TranscriptTurn

KEY, SECRET = "APIslowpms", "slow-pms-test-secret-of-32-bytes-long+"
OUTAGE_TIMEOUT_S = 1.5
"""The agent's PMS timeout in the outage calls: a stalled answer costs this, not 3 s."""
SLOW_TIMEOUT_S = 6.0
"""The agent's PMS timeout in the slow calls: a 2 s answer must not time out on a busy CI."""
YES = {"en": "yes", "de": "ja", "fr": "oui", "es": "sí", "it": "sì"}


@pytest.fixture
def peer() -> Iterator[LiveKitServerPeer]:
    with LiveKitServerPeer(api_key=KEY, api_secret=SECRET) as server:
        yield server


@pytest.fixture
async def proxy(plane: Any, api_url: str) -> AsyncIterator[PmsFaultProxy]:
    """The fault proxy in front of the session's control plane, without faults yet."""
    del plane
    running = await PmsFaultProxy(api_url).start()
    try:
        yield running
    finally:
        await running.stop()


PATIENT_S = 30.0
"""The holding line's wait for calls that must not hear it: far beyond any answer a loaded
machine gives, so that only the calls made slow on purpose (by seconds more than the 1 s
the others use) can hear the line."""


def through(
    proxy: PmsFaultProxy, timeout_s: float = SLOW_TIMEOUT_S, *, holding_after_s: float = 1.0
) -> Settings:
    """The agent's settings with its API behind the proxy, its PMS timeout and holding line."""
    return get_settings().model_copy(
        update={
            "api_url": proxy.url,
            "api_timeout_s": timeout_s,
            "holding_line_after_s": holding_after_s,
        }
    )


def asks_for_a_room(language: str, today: date) -> str:
    """A caller asking for two nights for two, 40 days ahead, as the scenarios say it."""
    arrival = today + timedelta(days=40)
    departure = arrival + timedelta(days=2)
    if language == "en":
        return f"do you have a room from {spoken_day(arrival)} to {spoken_day(departure)} for two"
    a, d = arrival.day, departure.day
    month = format_date(arrival, "MMMM", locale=language)
    month_d = format_date(departure, "MMMM", locale=language)
    return {
        "de": f"Haben Sie vom {a}. {month} bis zum {d}. {month_d} ein Zimmer für zwei Erwachsene?",
        "fr": f"Avez-vous une chambre du {a} {month} au {d} {month_d} pour deux adultes ?",
        "es": f"¿Tienen una habitación del {a} de {month} al {d} de {month_d} para dos adultos?",
        "it": f"Avete una camera dal {a} {month} al {d} {month_d} per due adulti?",
    }[language]


async def call(
    plane: Any,
    peer: LiveKitServerPeer,
    settings: Settings,
    steps: list[str],
    language: str,
    *,
    report_events: bool = False,
) -> tuple[str, CallTranscript]:
    return await scripted_call(
        plane,
        peer,
        [Say(text) for text in steps],
        settings=settings,
        dialled_number=DEMO_DIALLED_NUMBER,
        language=language,
        report_events=report_events,
    )


def call_record(plane: Any, api_url: str, room: str) -> dict[str, Any]:
    """The call record as the hotel's staff read it, once the queued events are in."""
    plane.drain()
    token = plane.token(Role.STAFF, [DEMO_HOTEL_ID], subject="slow-pms-test")
    response = httpx.get(
        f"{api_url}/v1/calls/{room}", headers={"authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def replies_to(transcript: CallTranscript, step: int) -> list[TranscriptTurn]:
    """The agent's turns answering the caller's ``step``-th turn (0: the first)."""
    groups: list[list[TranscriptTurn]] = []
    for turn in transcript.turns:
        if turn.role == "caller":
            groups.append([])
        elif groups:
            groups[-1].append(turn)
    return groups[step]


def holding_lines(transcript: CallTranscript, language: str) -> list[TranscriptTurn]:
    line = replies_for(HOTEL, language).holding_line
    return [t for t in transcript.turns if t.role == "agent" and t.text == line]


def availability_calls(turns: list[TranscriptTurn]) -> list[Any]:
    return [c for t in turns for c in t.tool_calls if c.name == "check_availability"]


async def test_a_slow_answer_is_preceded_by_the_holding_line(plane, api_url, peer, proxy):
    proxy.faults.append(Fault(DEMO_HOTEL_ID, delay_s=2.0))
    room, transcript = await call(
        plane,
        peer,
        through(proxy),
        [asks_for_a_room("en", plane.today)],
        "en",
        report_events=True,
    )
    holding, offers = replies_to(transcript, 0)
    assert holding.text == "One moment, I am checking."
    assert holding.tool_calls == [], "said while the lookup ran, before its result"
    (lookup,) = availability_calls([offers])
    assert lookup.ok
    assert lookup.duration_ms >= 2000
    assert "a night" in offers.text, "then the offers, with the PMS's prices"
    assert len(holding_lines(transcript, "en")) == 1, "once per tool call"
    assert [s.faulted for s in proxy.seen if s.path.endswith("/availability")] == [True]
    record = call_record(plane, api_url, room)
    said = [(t["role"], t["text"]) for t in record["turns"]]
    assert said[-2:] == [("agent", holding.text), ("agent", offers.text)], "heard, so recorded"


async def test_a_quick_answer_has_no_holding_line(plane, peer, proxy):
    proxy.faults.append(Fault(DEMO_HOTEL_ID, delay_s=0.2))
    patient = through(proxy, holding_after_s=PATIENT_S)
    _room, transcript = await call(plane, peer, patient, [asks_for_a_room("de", plane.today)], "de")
    (answer,) = replies_to(transcript, 0)
    assert availability_calls([answer])[0].ok
    assert holding_lines(transcript, "de") == []
    assert "Einen Moment" not in answer.text


OUTAGES = {
    "503": Fault(DEMO_HOTEL_ID, status=503),
    "429": Fault(DEMO_HOTEL_ID, status=429, retry_after_s=30, message="too many requests"),
    "timeout": Fault(DEMO_HOTEL_ID, stall=True),
}


@pytest.mark.parametrize(
    ("language", "outage"),
    [
        ("en", "503"),
        ("en", "429"),
        ("en", "timeout"),
        ("de", "503"),
        ("de", "429"),
        ("de", "timeout"),
        ("fr", "timeout"),
        ("es", "429"),
        ("it", "503"),
    ],
)
async def test_an_outage_is_apologised_for_and_yes_transfers(plane, peer, proxy, language, outage):
    proxy.faults.append(OUTAGES[outage])
    steps = [asks_for_a_room(language, plane.today), YES[language]]
    room, transcript = await call(plane, peer, through(proxy, OUTAGE_TIMEOUT_S), steps, language)
    replies = replies_for(HOTEL, language)

    answer = replies_to(transcript, 0)
    (lookup,) = availability_calls(answer)
    result = json.loads(lookup.result)
    assert not lookup.ok
    assert result["error"] == "pms_unavailable"
    if outage == "429":
        assert result["retry_after_s"] == 30, "the API's Retry-After reaches the dialogue"
    assert answer[-1].text == replies.pms_unavailable, "the apology with the offer"
    assert "a night" not in " ".join(t.text for t in answer), "no invented offers"
    stalled = outage == "timeout"
    assert [t.text for t in answer[:-1]] == ([replies.holding_line] if stalled else [])

    (transfer,) = [r for r in peer.requests if r.method == "TransferSIPParticipant"]
    assert (transfer.status, transfer.message.room_name) == (200, room)
    assert transfer.message.participant_identity == CALLER_IDENTITY
    assert [(t.reason, t.succeeded) for t in transcript.transfers] == [("pms_unavailable", True)]
    assert transcript.outcome.value == "transferred"
    assert replies_to(transcript, 1)[-1].text == replies.transfer_notice


async def test_after_an_outage_the_caller_can_leave_a_message_instead(plane, peer, proxy):
    proxy.faults.append(OUTAGES["503"])
    steps = [
        asks_for_a_room("en", plane.today),
        "no, take a message please",
        "please call me back about a room in late summer",
        "this number",
    ]
    _room, transcript = await call(plane, peer, through(proxy), steps, "en")
    assert replies_to(transcript, 1)[-1].text == replies_for(HOTEL).ask_message
    assert [m.message for m in transcript.messages] == [
        "please call me back about a room in late summer"
    ]
    assert transcript.transfers == []
    assert not [r for r in peer.requests if r.method == "TransferSIPParticipant"]


async def test_a_refusal_relays_the_pms_reason(plane, peer, proxy):
    reason = "Stays over the trade fair need the group desk"
    proxy.faults.append(Fault(DEMO_HOTEL_ID, status=422, message=reason))
    _room, transcript = await call(
        plane, peer, through(proxy), [asks_for_a_room("en", plane.today)], "en"
    )
    (answer,) = replies_to(transcript, 0)
    assert json.loads(availability_calls([answer])[0].result)["reason"] == reason
    assert answer.text == replies_for(HOTEL).pms_refused(reason)
    assert reason in answer.text


async def test_other_calls_meanwhile_are_answered_without_holding_line_or_apology(
    plane, api_url, peer, proxy
):
    """The fault is on one hotel's route: a call straight to the API, at the same time,
    and a call through the proxy while only another hotel is faulty, are both answered."""
    proxy.faults.append(Fault(DEMO_HOTEL_ID, delay_s=2.0))
    direct = get_settings().model_copy(
        update={"api_url": api_url, "holding_line_after_s": PATIENT_S}
    )
    slow, meanwhile = await asyncio.gather(
        call(plane, peer, through(proxy), [asks_for_a_room("en", plane.today)], "en"),
        call(plane, peer, direct, [asks_for_a_room("fr", plane.today)], "fr"),
    )
    assert len(holding_lines(slow[1], "en")) == 1
    (answer,) = replies_to(meanwhile[1], 0)
    assert availability_calls([answer])[0].ok
    assert holding_lines(meanwhile[1], "fr") == []
    assert replies_for(HOTEL, "fr").pms_unavailable not in answer.text

    proxy.faults[:] = [Fault("another-hotel", status=503), Fault("another-hotel", stall=True)]
    proxy.seen.clear()
    _room, other = await call(
        plane,
        peer,
        through(proxy, holding_after_s=PATIENT_S),
        [asks_for_a_room("it", plane.today)],
        "it",
    )
    (answer,) = replies_to(other, 0)
    assert availability_calls([answer])[0].ok
    assert holding_lines(other, "it") == []
    assert proxy.faulted() == [], "nothing of this hotel's was touched"


async def test_the_llm_path_hears_the_holding_line_and_never_reads_it(
    plane, peer, proxy, monkeypatch
):
    """The same tool layer for an LLM: the line is spoken, but no chat request holds it."""
    proxy.faults.append(Fault(DEMO_HOTEL_ID, delay_s=2.0))
    with ChatCompletionsPeer(policy_model(HOTEL, plane.today), api_key="k") as model:
        monkeypatch.setenv("HOTELVOICE_LLM_BASE_URL", model.base_url)
        monkeypatch.setenv("HOTELVOICE_LLM_API_KEY", "k")
        get_settings.cache_clear()
        try:
            _room, transcript = await call(
                plane,
                peer,
                through(proxy),
                [asks_for_a_room("en", plane.today), "thank you, that is all"],
                "en",
            )
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
    assert transcript.dialogue_engine.startswith("llm:")
    holding, offers = replies_to(transcript, 0)
    assert holding.text == "One moment, I am checking."
    assert availability_calls([offers])[0].ok
    sent = json.dumps([r.json for r in model.chat_requests])
    assert "Standard Double" in sent, "the model saw the offers it spoke"
    assert "One moment, I am checking" not in sent, "but never the holding line"
