"""What a call that fails still owes the caller: an apology, then the front desk or a hang-up.

Whatever fails inside a call after the agent has joined (the API, the PMS, the voice, a bug),
the caller must not be left on a silent, open line. :class:`CallFailure` learns the call's
language and front desk as the call gets to know them; when the call fails it speaks a short
apology with espeak (in the worker, so it cannot depend on the voice that may have failed),
hands the caller to the front desk or ends the call, records the call as failed and has
LiveKit report the job as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field

from livekit import rtc
from livekit.agents import AgentSession, JobProcess

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.errors import HotelVoiceError
from hotelvoice.speech.audio import Pcm
from hotelvoice.speech.espeak_tts import EspeakSynthesizer
from hotelvoice.tts.voices import ESPEAK_VOICES
from realtime_agent.call_control import CallControl
from realtime_agent.call_events import CallEventReporter
from realtime_agent.fallback.replies import call_failed_apology
from realtime_agent.job_status import report_job_failed
from realtime_agent.language import DEFAULT_LANGUAGE
from realtime_agent.room_actions import RoomActionFailed, RoomActions

log = logging.getLogger("hotelvoice.agent.call_failure")


class CallFailed(HotelVoiceError):
    """The call could not go on; the cause is chained (``__cause__``)."""

    code = "call_failed"


APOLOGY_TIMEOUT_S = 30.0
"""The apology is about 10 s of speech; past this the line is handed on without it."""
APOLOGY_FRAME_S = 0.02
APOLOGY_MARGIN_S = 5.0
"""How much longer than the apology itself the session may take to play it."""


@dataclass
class CallFailure:
    """What a failed call still owes the caller, filled in as the call gets to know it.

    The hotel's language and front desk are known once the dialled number has been looked
    up; before that the apology is in the default language and the call is ended.
    """

    room: rtc.Room
    line: RoomActions
    caller_identity: str
    job: JobProcess | None = None
    """The job's process, which reports the job failed to LiveKit once the call is handed on."""
    language: str = DEFAULT_LANGUAGE
    front_desk: str | None = None
    events: CallEventReporter | None = None
    control: CallControl | None = None
    session: AgentSession | None = None
    """The call's session once started: the apology goes through it while it runs."""
    started: tuple[str, str] | None = None
    """Hotel id and language of a ``call.started`` not yet reported (the call's record
    begins with it)."""
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    closed_at_shutdown: bool = False
    """The job's shutdown callback closes the clients; otherwise :meth:`handle` does."""
    handled: bool = False
    _task: asyncio.Task[None] | None = None

    def start(self, error: BaseException | None) -> asyncio.Task[None]:
        """:meth:`handle` from a session's event handler (which cannot wait); once a call."""
        if self._task is None:
            self._task = asyncio.create_task(self.handle(error))
        return self._task

    async def settled(self) -> None:
        """Wait for a failure being handled, if any."""
        if self._task is not None:
            await asyncio.wait([self._task])

    async def handle(self, error: BaseException | None) -> None:
        """Apologise, transfer or hang up, record the call as failed; never raises.

        The apology is espeak in this process, not the call's voice: the TTS router or the
        session may be what failed, and espeak needs no network, so the caller hears it.
        """
        if self.handled:
            return
        self.handled = True
        log.error("call failed; apologising and handing the call on", exc_info=error)
        language = self._language()
        if self.control is not None:
            self.control.outcome = Outcome.FAILED
        try:
            await say_apology(self.room, call_failed_apology(language), language, self.session)
        except Exception:  # the line is still handed on below
            log.exception("the apology could not be played")
        try:
            transferred = await self._transfer()
            if not transferred:
                with contextlib.suppress(RoomActionFailed):
                    await self.line.end_call(self.room.name)
            if self.events is not None:
                if self.started is not None:  # what failed was the call's start
                    self.events.started(*self.started, None)
                self.events.ended(Outcome.FAILED)
        except Exception:
            log.exception("the failed call could not be handed on")
        finally:
            if self.job is not None:
                report_job_failed(self.job)
            if not self.closed_at_shutdown:
                await self.close()

    async def close(self) -> None:
        """The call's clients, event reporter first (it flushes the outcome); never raises."""
        for closer in (*self.closers, self.line.aclose):
            try:
                await closer()
            except Exception:
                log.exception("closing a failed call's client failed")

    def _language(self) -> str:
        """The caller's language where the call knew it, else the hotel's, else the default."""
        if self.control is not None:
            with contextlib.suppress(Exception):
                return self.control.state.language
        return self.language

    async def _transfer(self) -> bool:
        if self.front_desk is None:
            return False
        try:
            await self.line.transfer_caller(self.room.name, self.caller_identity, self.front_desk)
        except RoomActionFailed:
            log.warning("the failed call could not be transferred; hanging up")
            return False
        return True


async def say_apology(
    room: rtc.Room, text: str, language: str, session: AgentSession | None = None
) -> None:
    """``text`` in espeak's voice, until it has been played out.

    Through the call's session where it still runs (the caller hears it on the agent's
    track, and the transcript has it), else on a track of its own.
    """
    voice = ESPEAK_VOICES.get(language, ESPEAK_VOICES[DEFAULT_LANGUAGE])
    async with asyncio.timeout(APOLOGY_TIMEOUT_S):
        pcm = await asyncio.to_thread(EspeakSynthesizer().synthesize, text, voice=voice)
    if session is not None and await _said_in_session(session, text, pcm):
        return
    async with asyncio.timeout(APOLOGY_TIMEOUT_S):
        source = rtc.AudioSource(pcm.sample_rate, 1)
        track = rtc.LocalAudioTrack.create_audio_track("apology", source)
        options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
        publication = await room.local_participant.publish_track(track, options)
        try:
            for frame in _frames(pcm):
                await source.capture_frame(frame)
            await source.wait_for_playout()
        finally:
            with contextlib.suppress(Exception):
                await room.local_participant.unpublish_track(publication.sid)


async def _said_in_session(session: AgentSession, text: str, pcm: Pcm) -> bool:
    """Say the synthesised apology through the session; ``False`` if it is not running.

    A session that takes the line but does not play it within its length and a margin is
    given up on: the caller then hears it on a track of its own.
    """
    output = session.output.audio
    if output is not None and output.sample_rate and output.sample_rate != pcm.sample_rate:
        pcm = pcm.resample(output.sample_rate)

    async def audio() -> AsyncIterator[rtc.AudioFrame]:
        for frame in _frames(pcm):
            yield frame

    try:
        with contextlib.suppress(RuntimeError):  # a line that may not be cut plays out first
            session.interrupt()
        speech = session.say(text, audio=audio(), allow_interruptions=False)
        async with asyncio.timeout(pcm.duration_s + APOLOGY_MARGIN_S):
            await speech.wait_for_playout()
    except Exception:
        log.warning("the session could not say the apology", exc_info=True)
        return False
    return not speech.interrupted


def _frames(pcm: Pcm) -> Iterator[rtc.AudioFrame]:
    """``pcm`` as 20 ms frames, the last one padded with silence."""
    step = int(pcm.sample_rate * APOLOGY_FRAME_S) * 2
    for start in range(0, len(pcm.samples), step):
        chunk = pcm.samples[start : start + step]
        chunk += b"\0" * (step - len(chunk))
        yield rtc.AudioFrame(chunk, pcm.sample_rate, 1, step // 2)
