"""Everything a call needs before its first word, built the same way for SIP and text calls.

The worker (a real phone line) and the scripted caller (``hotelvoice call``, the demo and the
scenario suite) share this, so what the tests exercise is what answers the phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from livekit.agents import AgentSession, llm
from livekit.agents.voice.events import ConversationItemAddedEvent

from hotelvoice.contracts.hotels import HotelConfig
from hotelvoice.contracts.pms import HotelInfo
from hotelvoice.settings import Settings
from realtime_agent.call_events import CallEventReporter
from realtime_agent.call_state import CallState
from realtime_agent.call_tools import LINE_TOOLS
from realtime_agent.dialogue_engine import dialogue_engine
from realtime_agent.fallback.replies import replies_for
from realtime_agent.pms_client import PmsClient
from realtime_agent.receptionist import Receptionist


@dataclass
class PreparedCall:
    """The call's state, its dialogue engine and the agent that answers."""

    state: CallState
    engine: llm.LLM
    agent: Receptionist


def prepare_call(
    settings: Settings,
    *,
    hotel: HotelInfo,
    config: HotelConfig,
    pms: PmsClient,
    events: CallEventReporter | None,
    call_id: str,
    today: date,
    language: str,
    caller_number: str | None,
    engine: llm.LLM | None = None,
    follow_language: Callable[[str], None] | None = None,
) -> PreparedCall:
    """State, engine (LLM with the fallback policy behind it) and the receptionist.

    ``follow_language`` is told every language switch (the worker re-voices its TTS). The
    call record learns here whether the hotel records the call (``call.consent``).
    """
    engine = engine or dialogue_engine(
        settings, hotel, today, language, config.recording, booking=config.booking
    )
    state = CallState(
        call_id=call_id,
        hotel=hotel,
        pms=pms,
        language=language,
        caller_number=caller_number,
        events=events,
        today=today,
        booking_settings=config.booking,
    )
    if events is not None:  # what the greeting is about to disclose
        recorded = "recorded" if config.recording.record_calls else "not_recorded"
        events.consent(recorded, "hotel_config", transcript_kept=True)

    def language_switched(old: str, new: str) -> None:
        del old
        if events is not None:
            events.language_changed(new)
        if follow_language is not None:
            follow_language(new)

    replies = replies_for(hotel, language, config.recording)
    greeting = f"Greet the caller with exactly: {replies.greeting}"
    agent = Receptionist(
        hotel,
        today,
        greeting,
        on_language_switch=language_switched,
        tools=LINE_TOOLS,
        hotel_instructions=config.instructions,
        holding_line_after_s=settings.holding_line_after_s,
    )
    return PreparedCall(state, engine, agent)


def record_turns(session: AgentSession, events: CallEventReporter | None) -> None:
    """Report every caller and agent utterance to the call record, in order."""
    if events is None:
        return

    def on_item(event: ConversationItemAddedEvent) -> None:
        item = event.item
        if getattr(item, "type", None) == "message" and item.role in ("user", "assistant"):
            events.turn("caller" if item.role == "user" else "agent", item.text_content or "")

    session.on("conversation_item_added", on_item)
