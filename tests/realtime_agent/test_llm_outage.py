"""The LLM goes down in the middle of a call: the fallback policy carries the same booking on.

The model is the OpenAI-wire peer (answering as the policy would while it works); after the
first exchange it fails (500) or stalls. The caller's later turns are answered by the policy
from the same chat, so what the caller said while the model was up still counts.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from peers.openai_chat_peer import ChatCompletionsPeer
from peers.openai_chat_wire import FailReply, HangReply, Reply, Responder
from peers.policy_model import policy_model

from hotelvoice.auth import Role
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from local_mode.spoken import spoken_day
from realtime_agent.pms_client import PmsClient
from realtime_agent.scripted_call import run_scripted_call
from realtime_agent.service_auth import LocalServiceToken


def working_for(requests: int, model: Responder, then: Reply) -> Responder:
    """The model answers ``requests`` chat requests, then every later one gets ``then``."""
    seen = 0

    def respond(request: dict[str, Any]) -> Reply:
        nonlocal seen
        seen += 1
        return model(request) if seen <= requests else then

    return respond


@pytest.mark.parametrize(
    "outage", [FailReply(500, "upstream overloaded"), HangReply(30)], ids=["500", "stall"]
)
async def test_the_fallback_finishes_the_booking_the_llm_started(
    plane, api_url, monkeypatch, outage
):
    pms = PmsClient(api_url, plane.token(Role.SERVICE))
    hotel = await pms.hotel_info(DEMO_HOTEL_ID)
    await pms.aclose()
    arrival = plane.today + timedelta(days=40)
    departure = arrival + timedelta(days=2)
    # Greeting and the first reply come from the model; the dates turn hits the outage.
    script = working_for(2, policy_model(hotel, plane.today), outage)
    with ChatCompletionsPeer(script, api_key="k") as peer:
        monkeypatch.setenv("HOTELVOICE_LLM_BASE_URL", peer.base_url)
        monkeypatch.setenv("HOTELVOICE_LLM_API_KEY", "k")
        monkeypatch.setenv("HOTELVOICE_LLM_TIMEOUT_S", "1.5")
        get_settings.cache_clear()
        try:
            transcript = await run_scripted_call(
                [
                    "I would like to book a room",
                    f"from {spoken_day(arrival)} to {spoken_day(departure)}",
                    "two adults",
                ],
                settings=get_settings(),
                credentials=LocalServiceToken(),
                today=plane.today,
                hotel_id=DEMO_HOTEL_ID,
                report_events=False,
            )
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
    assert len(peer.chat_requests) >= 3, "the model served the start and was asked again"
    agent = [t for t in transcript.turns if t.role == "agent"]
    assert "arrive" in agent[1].text.lower(), "the model's own question, before the outage"
    assert agent[2].text, "the caller is not left in silence when the model fails"
    calls = [c for t in agent for c in t.tool_calls if c.name == "check_availability"]
    assert len(calls) == 1
    # The dates said while the model was failing, and the wish to book said to the model,
    # both reached the policy: the same booking goes on.
    assert calls[0].arguments == {
        "arrival": arrival.isoformat(),
        "departure": departure.isoformat(),
        "adults": 2,
        "children": 0,
    }
    assert json.loads(calls[0].result)["offers"] is not None
