"""The receptionist in the caller's language, and the worker's tools driven by the policy.

No PMS is needed: hotel answers come from the hotel profile the call started with, and the
front-desk tools are the test's own.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from livekit.agents import AgentSession, RunContext, function_tool

from hotelvoice.pms.demo_hotel import HOTEL
from hotelvoice.pms.demo_hotel_texts import POLICY_TEXTS
from realtime_agent.call_state import CallState
from realtime_agent.fallback.policy_llm import FallbackPolicyLLM
from realtime_agent.fallback.replies import replies_for
from realtime_agent.receptionist import Receptionist

TODAY = date(2026, 11, 25)


class FrontDeskReceptionist(Receptionist):
    """The receptionist plus the tools a SIP worker offers; the transfer never connects."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(HOTEL, TODAY, "Greet the caller.", **kwargs)
        self.transfers: list[str] = []
        self.messages: list[dict[str, Any]] = []

    @function_tool
    async def transfer_to_front_desk(self, ctx: RunContext[CallState], reason: str) -> str:
        """Transfer the caller to the front desk.

        Args:
            reason: Why the caller is transferred.
        """
        self.transfers.append(reason)
        return json.dumps({"connected": False})

    @function_tool
    async def take_message(
        self, ctx: RunContext[CallState], message: str, callback_number: str | None = None
    ) -> str:
        """Store a message for the front desk.

        Args:
            message: The caller's message.
            callback_number: Where to call back; omit for the caller id.
        """
        self.messages.append(
            {
                "message": message,
                "callback_number": callback_number,
                "language": ctx.userdata.language,
            }
        )
        return json.dumps({"stored": True})


async def test_hotel_answers_follow_the_callers_language() -> None:
    switches: list[tuple[str, str]] = []
    state = CallState(call_id="call-de", hotel=HOTEL, pms=None)  # type: ignore[arg-type]
    agent = FrontDeskReceptionist(on_language_switch=lambda old, new: switches.append((old, new)))
    async with AgentSession(llm=FallbackPolicyLLM(HOTEL, TODAY), userdata=state) as session:
        await session.start(agent, capture_run=True)
        result = await session.run(user_input="Darf ich meinen Hund mitbringen?")
        result.expect.next_event().is_function_call(
            name="get_hotel_info", arguments={"topic": "pets"}
        )
        output = result.expect.next_event().is_function_call_output().event().item.output
        reply = result.expect.next_event().is_message(role="assistant").event().item.text_content
    assert json.loads(output)["answer"] == POLICY_TEXTS["de"]["pets"]
    # The closing question varies by turn (speech.json ``follow_ups``); it is German.
    assert reply == f"{POLICY_TEXTS['de']['pets']} Was darf ich sonst noch für Sie tun?"
    assert state.language == "de"
    assert switches == [("en", "de")]


async def test_a_failed_transfer_becomes_a_message_through_the_worker_tools() -> None:
    state = CallState(call_id="call-fr", hotel=HOTEL, pms=None)  # type: ignore[arg-type]
    agent = FrontDeskReceptionist()
    replies = replies_for(HOTEL, "fr")
    async with AgentSession(llm=FallbackPolicyLLM(HOTEL, TODAY, "fr"), userdata=state) as session:
        await session.start(agent, capture_run=True)
        asked = await session.run(user_input="Je voudrais parler à quelqu'un de la réception")
        spoken = [
            e.item.text_content
            for e in asked.events
            if e.type == "message" and e.item.role == "assistant"
        ]
        assert agent.transfers == ["caller_request"]
        assert spoken == [replies.transfer_notice, replies.transfer_failed]
        await session.run(user_input="oui")
        await session.run(user_input="Je serai en retard ce soir, vers minuit")
        done = await session.run(user_input="ce numéro")
        done.expect.next_event().is_function_call(name="take_message")
        done.expect.next_event().is_function_call_output()
        confirmation = done.expect.next_event().is_message(role="assistant").event().item
    assert confirmation.text_content == replies.message_taken
    assert agent.messages == [
        {
            "message": "Je serai en retard ce soir, vers minuit",
            "callback_number": None,
            "language": "fr",
        }
    ]
