"""The phone line itself: transfer, hang-up, keypad, silence, time limit, recording consent.

The dialogue (LLM or fallback policy) decides *that* the caller should reach a person or that
the call is over; this module makes it happen on the line, in the caller's language, and
records it. It talks to LiveKit's server API through :class:`Telephony` (``RoomActions`` in
the worker), so tests drive it against the local LiveKit peer with the real client.

Recording is the line's business too, whatever the dialogue engine: where the hotel records,
the egress starts once the greeting has disclosed it, and a caller who declines (by voice in
any of our languages, or with the hotel's key) is answered here, the egress stopped (or never
started) and the decision put on the call record.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

from livekit.agents import AgentSession
from livekit.agents.voice import SpeechHandle

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.contracts.hotels import HotelConfig
from realtime_agent.call_state import CallState
from realtime_agent.fallback.consent import recording_decline
from realtime_agent.fallback.replies import replies_for
from realtime_agent.room_actions import RecordingTarget, RoomActionFailed, recording_path

log = logging.getLogger("hotelvoice.agent.call")

DTMF_BOOKING = "1"
DTMF_RESERVATION = "2"
DTMF_FRONT_DESK = "0"
DTMF_REPEAT = ("*", "9")
DTMF_USER_INPUT = "[DTMF {digit}]"
"""How a key press enters the chat: the LLM's prompt and the fallback NLU both read it."""


class Telephony(Protocol):
    """The LiveKit server API calls a call needs (``RoomActions``)."""

    async def transfer_caller(self, room: str, participant_identity: str, transfer_to: str) -> str:
        """Cold-transfer the SIP caller; raises ``RoomActionFailed``."""
        ...

    async def end_call(self, room: str) -> None:
        """Hang up by deleting the room; raises ``RoomActionFailed``."""
        ...

    async def start_recording(self, room: str, filepath: str, target: RecordingTarget) -> str:
        """Start an audio-only egress of the room; returns its id; raises ``RoomActionFailed``."""
        ...

    async def stop_recording(self, egress_id: str) -> None:
        """Stop the egress; raises ``RoomActionFailed``."""
        ...


@dataclass(frozen=True)
class TransferAttempt:
    """One attempt to reach the front desk, for the transcript."""

    reason: str
    target: str
    succeeded: bool


@dataclass(frozen=True)
class ConsentAnswer:
    """A caller turn that declined recording, answered by the line.

    ``whole_turn``: the turn asked nothing else, so the dialogue does not answer it.
    """

    speech: SpeechHandle
    whole_turn: bool


@dataclass
class CallControl:
    """One call's line: the worker builds it once the SIP caller is in the room."""

    session: AgentSession[CallState]
    config: HotelConfig
    room: str
    """The LiveKit room's name: for the line's actions (transfer, hang-up, egress) only."""
    caller_identity: str
    telephony: Telephony | None
    """``None`` for text calls: there is no line to transfer, hang up or record."""
    recordings: RecordingTarget | None = None
    """Where recordings go (``settings.recordings_bucket``); ``None``: nowhere configured."""
    call_id: str | None = None
    """The call's id (the room's SID) when it is not ``room``: names the recording's file.
    The room's name may carry the caller's number and names nothing we keep."""
    outcome: Outcome | None = None
    silence_reprompts: int = 0
    transfers: list[TransferAttempt] = field(default_factory=list)
    recording_declined: bool = False
    """The caller said no to the recording (by voice or key)."""
    egress_id: str | None = None
    """The running recording's egress, if any."""
    _timers: list[asyncio.Task[Any]] = field(default_factory=list)
    _transferring: bool = False
    _recording_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _recording_start: asyncio.Task[None] | None = None
    _hearing_lost: bool = False

    @property
    def state(self) -> CallState:
        """The call's state (language, events, verified booking)."""
        return self.session.userdata

    @property
    def ended(self) -> bool:
        """The call is over (hung up, transferred or abandoned)."""
        return self.outcome is not None

    @property
    def records(self) -> bool:
        """The hotel records its calls (and the greeting says so)."""
        return self.config.recording.record_calls

    def replies(self, language: str | None = None) -> Any:
        """Phrasing in the caller's current language (or ``language``)."""
        return replies_for(self.state.hotel, language or self.state.language, self.config.recording)

    # -- the dialogue's tools land here ---------------------------------------------------

    async def transfer(self, reason: str) -> bool:
        """Cold-transfer the caller to the front desk; ``False`` if that did not work.

        The words before it ("I'll connect you…") are the dialogue's; a failure is for the
        dialogue to apologise for and offer a message instead, so nothing else is said here.
        """
        if self.ended or self._transferring:
            return False
        self._transferring = True
        target = self.config.front_desk
        try:
            if self.telephony is None:
                raise RoomActionFailed("transfer", "no phone line in a text call")
            await self.telephony.transfer_caller(self.room, self.caller_identity, target)
        except RoomActionFailed as exc:
            detail = _failure_detail(exc)
            log.warning("transfer failed", extra={"reason": reason, "detail": detail})
            if self.state.events is not None:
                self.state.events.transferred(target, reason, succeeded=False, detail=detail)
            self.transfers.append(TransferAttempt(reason, target, succeeded=False))
            return False
        finally:
            self._transferring = False
        if self.state.events is not None:
            self.state.events.transferred(target, reason, succeeded=True)
        self.transfers.append(TransferAttempt(reason, target, succeeded=True))
        await self._finish(Outcome.TRANSFERRED, hang_up=False)
        return True

    def take_message(self, message: str, callback_number: str | None) -> None:
        """Store a message for the front desk in the call record."""
        number = callback_number or self.state.caller_number
        if self.state.events is not None:
            self.state.events.message(message, _dialable(number), self.state.language)
        self.state.messages.append({"message": message, "callback_number": number})

    async def end_call(self, outcome: Outcome = Outcome.COMPLETED) -> None:
        """Hang up after the goodbye has been heard."""
        await self._finish(outcome, hang_up=True)

    # -- the line's own events -----------------------------------------------------------

    def on_dtmf(self, digit: str) -> asyncio.Task[None] | None:
        """A key press: the menu works alongside speech at any point of the call.

        Where the hotel records, its decline key (9 unless configured) declines recording
        instead of repeating the menu. Returns the work it started, so a scripted caller can
        wait for the agent's answer.
        """
        if self.ended:
            return None
        if self.records and digit == self.config.recording.decline_key:
            speech = self.decline_recording("key")
            return None if speech is None else self._spawn(_played(speech))
        if digit == DTMF_FRONT_DESK:
            return self._spawn(self._say_then_transfer("menu"))
        if digit in (DTMF_BOOKING, DTMF_RESERVATION):
            return self._spawn(self._reply_to(DTMF_USER_INPUT.format(digit=digit)))
        if digit in DTMF_REPEAT:
            return self._spawn(self._say(self.replies().dtmf_menu))
        return None

    def on_caller_words(self, text: str) -> ConsentAnswer | None:
        """Every caller turn passes here first: one that declines recording is answered now.

        Whatever engine answers the rest, "please don't record" (in any of our languages) is
        confirmed in the language it was said in. Returns ``None`` when the turn is not
        about recording.
        """
        if self.ended:
            return None
        today = self.state.today or date.today()
        decline = recording_decline(text, today=today, language=self.state.language)
        if decline is None:
            return None
        speech = self.decline_recording("speech", language=decline.language)
        if speech is None:
            return None
        return ConsentAnswer(speech, whole_turn=decline.whole_turn)

    def decline_recording(
        self, via: Literal["speech", "key"], *, language: str | None = None
    ) -> SpeechHandle | None:
        """The caller does not want to be recorded: stop (or never start), confirm, record it.

        The decision reaches the call record once; the confirmation is said every time.
        Where the hotel keeps no transcript after a decline, no more turns are posted.
        """
        if self.ended:
            return None
        replies = self.replies(language)
        if not self.recording_declined:
            self.recording_declined = True
            keep = self.config.recording.keep_transcript_when_declined
            if self.state.events is not None:
                self.state.events.consent("declined", via, transcript_kept=keep)
            if self.records:
                self._spawn(self._stop_recording())
            log.info("caller declined recording", extra={"via": via, "transcript_kept": keep})
        text = replies.recording_declined if self.records else replies.recording_not_active
        return self.session.say(text)

    def record_after(self, greeting: SpeechHandle) -> None:
        """Start recording once the greeting, which discloses it, has been spoken."""
        if self.records and self.telephony is not None and self._recording_start is None:
            self._recording_start = self._spawn(self._record_after(greeting))

    async def recording_settled(self) -> None:
        """Wait until the recording after the greeting has started or was not started."""
        if self._recording_start is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._recording_start)

    async def start_recording(self) -> None:
        """Start the egress, unless the caller declined, the call is over or it runs already.

        A failure is logged (without the room's name, which may carry the caller's number)
        and the call goes on unrecorded.
        """
        async with self._recording_lock:
            if not self.records or self.recording_declined or self.ended or self.egress_id:
                return
            if self.telephony is None:
                return
            if self.recordings is None:
                log.error("the hotel records calls but no recordings bucket is configured")
                return
            filepath = recording_path(self.state.hotel_id, self.call_id or self.room)
            if filepath is None:
                log.error("the call id cannot name a recording; the call is not recorded")
                return
            try:
                self.egress_id = await self.telephony.start_recording(
                    self.room, filepath, self.recordings
                )
            except RoomActionFailed as exc:
                log.warning("recording did not start", extra={"detail": _failure_detail(exc)})

    def on_caller_speaking(self) -> None:
        """The caller is there: the next silence starts counting from zero."""
        self.silence_reprompts = 0

    def on_caller_silent(self) -> asyncio.Task[None] | None:
        """Nobody spoke for the hotel's silence limit: ask, then give up politely."""
        if self.ended or self._transferring:
            return None
        if self.silence_reprompts < self.config.max_silence_reprompts:
            self.silence_reprompts += 1
            return self._spawn(self._reprompt())
        return self._spawn(self._say_then_end(self.replies().silence_goodbye, Outcome.ABANDONED))

    def on_hearing_lost(self) -> asyncio.Task[None] | None:
        """The speech recogniser failed for good: the caller is talking to nobody.

        Nothing the caller says reaches the dialogue any more, so waiting for their next
        turn would be silence until they hang up. The line apologises in the caller's
        language and hands the call to the front desk (as ``not_understood``: the agent can
        no longer understand them); where that fails, it gives the front desk's number and
        ends the call, since no message can be taken without hearing one. Said once a call.
        """
        if self.ended or self._transferring or self._hearing_lost:
            return None
        self._hearing_lost = True
        log.error("the caller can no longer be heard; handing the call to the front desk")
        return self._spawn(self._hearing_lost_then_transfer())

    def start_call_timer(self) -> None:
        """Close the call politely at the hotel's maximum duration."""
        self._spawn(self._call_timer())

    async def aclose(self) -> None:
        """Stop timers (the session is closing)."""
        for task in self._timers:
            task.cancel()
        for task in self._timers:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- internals ---------------------------------------------------------------------

    async def _record_after(self, greeting: SpeechHandle) -> None:
        await greeting.wait_for_playout()
        await self.start_recording()

    async def _stop_recording(self) -> None:
        async with self._recording_lock:  # a start in flight finishes first, then stops
            if self.egress_id is None or self.telephony is None:
                return
            egress_id, self.egress_id = self.egress_id, None
            try:
                await self.telephony.stop_recording(egress_id)
            except RoomActionFailed as exc:
                # LiveKit ends the egress with the room at the latest.
                log.error("recording did not stop", extra={"detail": _failure_detail(exc)})

    async def _call_timer(self) -> None:
        await asyncio.sleep(self.config.max_call_s)
        if not self.ended:
            await self._say_then_end(self.replies().max_duration_goodbye, Outcome.COMPLETED)

    async def _say(self, text: str) -> None:
        await self.session.say(text)

    async def _reprompt(self) -> None:
        await self.session.say(self.replies().silence_reprompt)
        # LiveKit marks the caller "away" once and starts counting again only when it hears
        # them: without this the hotel's next reprompt and the goodbye never came, and a
        # silent line stayed open until the call's time limit.
        self.session.reset_away_timer()

    async def _reply_to(self, user_input: str) -> None:
        self.session.interrupt()
        await self.session.generate_reply(user_input=user_input)

    async def _say_then_transfer(self, reason: str) -> None:
        self.session.interrupt()
        await self.session.say(self.replies().transfer_notice, allow_interruptions=False)
        if not await self.transfer(reason):
            await self.session.say(self.replies().transfer_failed)

    async def _hearing_lost_then_transfer(self) -> None:
        with contextlib.suppress(RuntimeError):  # a line that may not be cut is finished first
            self.session.interrupt()
        await self.session.say(self.replies().hearing_lost, allow_interruptions=False)
        if not await self.transfer("not_understood"):
            await self._say_then_end(self.replies().hearing_lost_goodbye, Outcome.COMPLETED)

    async def _say_then_end(self, text: str, outcome: Outcome) -> None:
        await self.session.say(text, allow_interruptions=False)
        await self.end_call(outcome)

    async def _finish(self, outcome: Outcome, *, hang_up: bool) -> None:
        if self.ended:
            return
        self.outcome = outcome
        if self.state.events is not None:
            self.state.events.ended(outcome)
        if hang_up and self.telephony is not None:
            try:
                await self.telephony.end_call(self.room)
            except RoomActionFailed:
                log.warning("hang-up failed; LiveKit closes the room when the caller leaves")

    def _spawn(self, work: Any) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._timers.append(task)
        task.add_done_callback(_log_failure)
        return task


async def _played(speech: SpeechHandle) -> None:
    await speech.wait_for_playout()


def _failure_detail(exc: RoomActionFailed) -> str:
    if exc.sip_status_code:
        return f"SIP {exc.sip_status_code}"
    return str(exc.twirp_code or exc)[:256]


def _dialable(number: str | None) -> str | None:
    """The record keeps digits with an optional ``+``; anything else is not a number."""
    if not number:
        return None
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    return digits if 3 <= len(digits.lstrip("+")) <= 20 else None


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("call control task failed", exc_info=task.exception())
