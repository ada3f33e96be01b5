"""A whole call played from a script: what the caller says, which keys they press, silences.

The receptionist, its tools, the dialogue engine and the line control are the production
ones (``call_setup``); only the audio is replaced by text. ``hotelvoice call``, the demo
and the scenario suite all run calls through here.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date

from livekit.agents import AgentSession, llm
from livekit.agents.voice.events import ConversationItemAddedEvent

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.settings import Settings
from realtime_agent.call_control import DTMF_USER_INPUT, CallControl, Telephony
from realtime_agent.call_events import CallEventReporter
from realtime_agent.call_script import Press, Say, Silence, Step
from realtime_agent.call_setup import prepare_call, record_turns
from realtime_agent.call_state import CallState
from realtime_agent.dialogue_engine import engine_name
from realtime_agent.language.guards import CARD_DETAILS_WITHHELD, mentions_card_details
from realtime_agent.pms_client import PmsClient
from realtime_agent.room_actions import RecordingTarget
from realtime_agent.service_auth import Credentials
from realtime_agent.transcript import (
    CallTranscript,
    MessageView,
    ToolCallView,
    TranscriptTurn,
    TransferView,
)

SETTLE_S = 0.05
SILENCE_MARK = "[silence]"
"""How a silence shows in the transcript (a key press shows as ``[DTMF n]``)."""
CALLER_IDENTITY = "sip_caller"


async def run_scripted_call(
    steps: Sequence[Step | str],
    *,
    settings: Settings,
    credentials: Credentials,
    today: date,
    hotel_id: str | None = None,
    dialled_number: str | None = None,
    call_id: str | None = None,
    caller_number: str | None = None,
    language: str | None = None,
    report_events: bool = True,
    telephony: Telephony | None = None,
    engine: llm.LLM | None = None,
    pms_client: Callable[[], PmsClient] | None = None,
    event_reporter: Callable[[str], CallEventReporter] | None = None,
) -> CallTranscript:
    """Play ``steps`` (plain strings are :class:`Say`) and return what happened.

    The hotel comes from ``dialled_number`` as on a phone line, or from ``hotel_id``.
    ``pms_client`` and ``event_reporter`` (given the call id) build the call's clients
    another way, as the bench's one-event-per-request baseline does; the call closes them.
    """
    call_id = call_id or f"call-{uuid.uuid4().hex[:16]}"
    pms = (
        pms_client()
        if pms_client is not None
        else PmsClient(settings.api_url, credentials, timeout_s=settings.api_timeout_s)
    )
    events = None
    if report_events:
        events = (
            event_reporter(call_id)
            if event_reporter is not None
            else CallEventReporter(
                settings.api_url, credentials, call_id, timeout_s=settings.api_timeout_s
            )
        )
    try:
        if dialled_number:
            config = await pms.hotel_for_number(dialled_number)
        elif hotel_id:
            config = await pms.hotel_config(hotel_id)
        else:
            raise ValueError("a scripted call needs a dialled number or a hotel id")
        hotel = await pms.hotel_info(config.hotel_id)
        language = language or config.default_language
        if events is not None:
            events.started(hotel.hotel_id, language, caller_number)
        call = prepare_call(
            settings,
            hotel=hotel,
            config=config,
            pms=pms,
            events=events,
            call_id=call_id,
            today=today,
            language=language,
            caller_number=caller_number,
            engine=engine,
        )
        recorder = _TranscriptRecorder(call.state)
        # The holding line is heard but never enters the chat (no conversation item).
        call.agent.holding_line.heard.append(recorder.aside)
        async with AgentSession(llm=call.engine, userdata=call.state) as session:
            control = CallControl(
                session,
                config,
                call_id,
                CALLER_IDENTITY,
                telephony,
                recordings=RecordingTarget.from_settings(settings),
            )
            call.state.control = control
            record_turns(session, events)
            session.on("conversation_item_added", recorder.on_item)
            await session.start(call.agent)
            await _settle(session)
            await control.recording_settled()  # a caller speaks after the greeting, not in it
            for step in steps:
                if control.ended:
                    break
                await _play(
                    session, control, recorder, Say(step) if isinstance(step, str) else step
                )
            await control.aclose()
        if not control.ended:  # the caller hangs up after their last line
            control.outcome = Outcome.COMPLETED
            if events is not None:
                events.ended(Outcome.COMPLETED)
        return CallTranscript(
            call_id=call_id,
            hotel_id=hotel.hotel_id,
            language=language,
            dialogue_engine=engine_name(call.engine),
            turns=recorder.finish(),
            outcome=control.outcome or Outcome.COMPLETED,
            final_language=call.state.language,
            verified_reservation=call.state.verified_reservation,
            transfers=[
                TransferView(reason=t.reason, target=t.target, succeeded=t.succeeded)
                for t in control.transfers
            ],
            messages=[
                MessageView(message=m["message"], callback_number=m["callback_number"])
                for m in call.state.messages
            ],
            bookings=list(call.state.booked),
            requests=list(call.state.requested),
        )
    finally:
        if events is not None:
            await events.aclose()
        await pms.aclose()


async def _play(
    session: AgentSession, control: CallControl, recorder: _TranscriptRecorder, step: Step
) -> None:
    match step:
        case Say(text=text):
            # As on the audio path (Receptionist.on_user_turn_completed): card digits read
            # out never reach the dialogue, the transcript or the call record.
            if mentions_card_details(text, language=session.userdata.language):
                text = CARD_DETAILS_WITHHELD
            # As there too: declining recording is answered by the line, and a turn that
            # asks nothing else reaches no dialogue engine.
            answer = control.on_caller_words(text)
            if answer is not None and answer.whole_turn:
                recorder.caller(text)
                await answer.speech
            else:
                await session.run(user_input=text)
        case Press(digit=digit):
            recorder.caller(DTMF_USER_INPUT.format(digit=digit))
            if (work := control.on_dtmf(digit)) is not None:
                await work
        case Silence():
            recorder.caller(SILENCE_MARK)
            if (work := control.on_caller_silent()) is not None:
                await work
    await _settle(session)


async def _settle(session: AgentSession) -> None:
    """Wait until the agent has said everything it is going to say for now."""
    while True:
        speech = session.current_speech
        if speech is not None and not speech.done():
            await speech.wait_for_playout()
            continue
        # A speech that has played out stays current until the session's scheduler, which
        # needs the loop, moves on: awaiting it again would spin without ever yielding.
        await asyncio.sleep(SETTLE_S)
        if session.current_speech is None:
            return


class _TranscriptRecorder:
    """Turns as the caller hears them; tool calls go with the reply they produced."""

    def __init__(self, state: CallState) -> None:
        self.turns: list[TranscriptTurn] = []
        self._state = state
        self._started = time.perf_counter()
        self._last_caller = self._started
        self._tools_seen = 0
        self._marked: set[str] = set()

    def caller(self, text: str) -> None:
        """A caller turn: words, or a marker for a key press or a silence."""
        self._last_caller = time.perf_counter()
        if text.startswith("["):
            self._marked.add(text)
        self.turns.append(
            TranscriptTurn(
                role="caller",
                text=text,
                started_ms=_ms(self._last_caller - self._started),
                duration_ms=0,
            )
        )

    def aside(self, text: str) -> None:
        """An agent line said outside the dialogue ("One moment, I am checking.")."""
        now = time.perf_counter()
        self.turns.append(
            TranscriptTurn(
                role="agent",
                text=text,
                started_ms=_ms(self._last_caller - self._started),
                duration_ms=_ms(now - self._last_caller),
            )
        )

    def finish(self) -> list[TranscriptTurn]:
        """Tools that acted after the last words (``end_call``) belong to that reply."""
        late = self._new_tools()
        agent_turns = [t for t in self.turns if t.role == "agent"]
        if late and agent_turns:
            agent_turns[-1].tool_calls.extend(late)
        return self.turns

    def _new_tools(self) -> list[ToolCallView]:
        new = self._state.tool_log[self._tools_seen :]
        self._tools_seen = len(self._state.tool_log)
        return [
            ToolCallView(
                name=t.name,
                arguments=t.arguments,
                result=t.result,
                ok=t.ok,
                duration_ms=t.duration_ms,
            )
            for t in new
        ]

    def on_item(self, event: ConversationItemAddedEvent) -> None:
        item = event.item
        if getattr(item, "type", None) != "message" or item.role not in ("user", "assistant"):
            return
        now = time.perf_counter()
        if item.role == "user":
            if (item.text_content or "") not in self._marked:  # a key press, recorded already
                self.caller(item.text_content or "")
            return
        self.turns.append(
            TranscriptTurn(
                role="agent",
                text=item.text_content or "",
                tool_calls=self._new_tools(),
                started_ms=_ms(self._last_caller - self._started),
                duration_ms=_ms(now - self._last_caller),
            )
        )


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)
