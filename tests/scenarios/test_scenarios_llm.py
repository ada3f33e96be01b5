"""The LLM path: scenarios through livekit-plugins-openai, the real ``openai`` client and HTTP.

The "model" is the OpenAI-wire peer answering as the fallback policy would
(``peers.policy_model``), so the checks stay deterministic while everything between the
agent and a real model is exercised: tool schemas in the request, streamed tool-call deltas,
tool outputs sent back, and text before a tool call. A subset per language keeps it quick:
the first eight, and every scenario tagged ``llm`` (bookings among them, so the booking
rules hold on this path too: read-back, explicit yes, one booking).
"""

from __future__ import annotations

import pytest
from peers.openai_chat_peer import ChatCompletionsPeer
from peers.policy_model import policy_model
from scenario import LANGUAGES, Scenario, load_scenarios, play

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from realtime_agent.pms_client import PmsClient

PER_LANGUAGE = 8
LLM_TAG = "llm"
"""Scenarios tagged ``llm`` (in any file of the language) also run on the LLM path."""


def llm_scenarios(language: str) -> list[Scenario]:
    """The first scenarios of the language, then those tagged ``llm``, each once."""
    playable = [s for s in load_scenarios(language) if not s.xfail]
    first = playable[:PER_LANGUAGE]
    return first + [s for s in playable[PER_LANGUAGE:] if LLM_TAG in s.tags]


LLM_SCENARIOS = [s for language in LANGUAGES for s in llm_scenarios(language)]


@pytest.fixture
async def scripted_llm(plane, api_url, monkeypatch):
    pms = PmsClient(api_url, plane.token(Role.SERVICE))
    hotel = await pms.hotel_info(DEMO_HOTEL_ID)
    await pms.aclose()
    with ChatCompletionsPeer(policy_model(hotel, plane.today), api_key="scenario-key") as peer:
        monkeypatch.setenv("HOTELVOICE_LLM_BASE_URL", peer.base_url)
        monkeypatch.setenv("HOTELVOICE_LLM_API_KEY", "scenario-key")
        get_settings.cache_clear()
        yield peer
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "scenario", [pytest.param(s, id=f"{s.language}/{s.id}") for s in LLM_SCENARIOS]
)
async def test_scenario_on_the_llm_path(plane, livekit_peer, scripted_llm, scenario: Scenario):
    problems, transcript = await play(scenario, plane, livekit_peer)
    assert not problems, "\n".join(problems)
    assert transcript.dialogue_engine.startswith("llm:")
    # Had the model failed once, the fallback adapter would have answered the rest itself.
    caller_turns = sum(t.role == "caller" for t in transcript.turns)
    assert len(scripted_llm.chat_requests) >= caller_turns + 1  # and the greeting
    assert all(r.json["tools"] for r in scripted_llm.chat_requests), "tools offered each time"
