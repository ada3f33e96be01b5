"""A call without a phone: caller lines in, the same receptionist, a transcript out.

Used by ``hotelvoice call``, ``make demo`` and the tests. The agent, its tools, the PMS API
and the call-event path are the production ones; only the audio is replaced by text.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import date

from livekit.agents import AgentSession
from livekit.agents.voice.run_result import ChatMessageEvent, RunEvent

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.settings import Settings
from realtime_agent.call_events import CallEventReporter
from realtime_agent.call_state import CallState, ToolInvocation
from realtime_agent.dialogue_engine import dialogue_engine, engine_name
from realtime_agent.fallback.replies import replies_for
from realtime_agent.pms_client import PmsClient
from realtime_agent.receptionist import Receptionist
from realtime_agent.service_auth import Credentials
from realtime_agent.transcript import CallTranscript, ToolCallView, TranscriptTurn


async def run_text_call(
    lines: Sequence[str],
    *,
    settings: Settings,
    credentials: Credentials,
    hotel_id: str,
    today: date,
    call_id: str | None = None,
    caller_number: str | None = None,
    language: str = "en",
    report_events: bool = True,
) -> CallTranscript:
    """Play ``lines`` as the caller's turns and return what happened."""
    call_id = call_id or f"call-{uuid.uuid4().hex[:16]}"
    pms = PmsClient(settings.api_url, credentials, timeout_s=settings.api_timeout_s)
    events = (
        CallEventReporter(settings.api_url, credentials, call_id, timeout_s=settings.api_timeout_s)
        if report_events
        else None
    )
    turns: list[TranscriptTurn] = []
    started = time.perf_counter()
    try:
        hotel = await pms.hotel_info(hotel_id)
        if events is not None:
            events.started(hotel_id, language, caller_number)
        engine = dialogue_engine(settings, hotel, today, language)
        state = CallState(
            call_id=call_id,
            hotel=hotel,
            pms=pms,
            language=language,
            caller_number=caller_number,
            events=events,
        )
        greeting = f"Greet the caller with exactly: {replies_for(hotel, language).greeting}"
        async with AgentSession(llm=engine, userdata=state) as session:
            t0 = time.perf_counter()
            result = await session.start(Receptionist(hotel, today, greeting), capture_run=True)
            _agent_turns(turns, result.events, [], started, t0, events)
            for line in lines:
                at = time.perf_counter()
                turns.append(
                    TranscriptTurn(
                        role="caller", text=line, started_ms=_ms(at - started), duration_ms=0
                    )
                )
                if events is not None:
                    events.turn("caller", line)
                before = len(state.tool_log)
                result = await session.run(user_input=line)
                _agent_turns(turns, result.events, state.tool_log[before:], started, at, events)
        outcome = Outcome.COMPLETED
        if events is not None:
            events.ended(outcome)
        return CallTranscript(
            call_id=call_id,
            hotel_id=hotel_id,
            language=language,
            dialogue_engine=engine_name(engine),
            turns=turns,
            outcome=outcome,
        )
    finally:
        if events is not None:
            await events.aclose()
        await pms.aclose()


def _agent_turns(
    turns: list[TranscriptTurn],
    run_events: list[RunEvent],
    tools: list[ToolInvocation],
    call_started: float,
    turn_started: float,
    events: CallEventReporter | None,
) -> None:
    """Append the agent's spoken replies of one run; tool calls go with the first reply."""
    texts = [
        e.item.text_content or ""
        for e in run_events
        if isinstance(e, ChatMessageEvent) and e.item.role == "assistant"
    ]
    now = time.perf_counter()
    views = [
        ToolCallView(
            name=t.name, arguments=t.arguments, result=t.result, ok=t.ok, duration_ms=t.duration_ms
        )
        for t in tools
    ]
    for n, text in enumerate(texts or [""]):
        turns.append(
            TranscriptTurn(
                role="agent",
                text=text,
                tool_calls=views if n == 0 else [],
                started_ms=_ms(turn_started - call_started),
                duration_ms=_ms(now - turn_started),
            )
        )
        if events is not None and text:
            events.turn("agent", text)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)
