"""The LiveKit Agents worker that answers the hotels' phone lines.

``python -m realtime_agent start`` registers an ``AgentServer`` with LiveKit under the agent
name the SIP dispatch rule names (explicit dispatch). For each call LiveKit starts a job:
the worker waits for the SIP participant, finds the hotel from the dialled number, greets in
the hotel's first language with the AI disclosure (and, where the hotel records, the
recording's, after which the egress starts), and runs the receptionist until the caller
hangs up, is transferred, or the call is closed by silence or time limit.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import os
from datetime import datetime
from zoneinfo import ZoneInfo

from livekit import rtc
from livekit.agents import (
    AgentServer,
    AgentSession,
    APIConnectOptions,
    JobContext,
    JobExecutorType,
    JobProcess,
    room_io,
    stt,
    tts,
)
from livekit.agents.voice.agent_session import SessionConnectOptions
from livekit.agents.voice.events import CloseEvent, ErrorEvent, UserStateChangedEvent

from hotelvoice.contracts.call_events import Outcome
from hotelvoice.errors import HotelVoiceError
from hotelvoice.secrets import MissingSecret, livekit_credentials
from hotelvoice.settings import Settings, get_settings
from realtime_agent import language_detection
from realtime_agent.active_calls import ActiveCallsLoad
from realtime_agent.call_control import CallControl
from realtime_agent.call_events import CallEventReporter
from realtime_agent.call_failure import CallFailed, CallFailure
from realtime_agent.call_setup import prepare_call, record_turns
from realtime_agent.pms_client import PmsClient
from realtime_agent.room_actions import RecordingTarget, RoomActions
from realtime_agent.service_auth import service_auth
from realtime_agent.sip_caller import SipCaller
from realtime_agent.speech.plugins import stt_for, tts_for, vad
from realtime_agent.task_protection import protect_for_call
from realtime_agent.turn_taking import call_vad, turn_handling_for

log = logging.getLogger("hotelvoice.agent.worker")

SHARED_IMAGE = "realtime_agent.shared_image"
"""Loaded once in the forkserver, inherited by every call's process."""

TELEPHONY_CONNECT_OPTIONS = SessionConnectOptions(
    # One quick retry: a caller hears every second of dead air, and the TTS router and the
    # fallback dialogue already switch engines themselves.
    stt_conn_options=APIConnectOptions(max_retry=1, retry_interval=0.3, timeout=3.0),
    tts_conn_options=APIConnectOptions(max_retry=0, timeout=5.0),
    # While the recogniser is down LiveKit recreates its stream about once a second, each
    # failure counting here; at LiveKit's default of 3 the session closed a few seconds in,
    # in the middle of telling the caller and transferring them (CallControl.on_hearing_lost).
    max_unrecoverable_errors=30,
)


LINE_SAMPLE_RATE = 16_000
"""What the agent hears the line at: wideband SIP's rate, the VAD's and the ASR proxy's."""


def telephony_room_options(settings: Settings, caller_identity: str) -> room_io.RoomOptions:
    """The room as a phone line needs it, and no more.

    LiveKit's defaults suit a browser: 24 kHz both ways (resampled for the VAD, the
    recogniser and a 16 kHz voice on every frame), automatic gain control on the caller's
    audio (a laptop microphone's level varies; a phone line arrives at the network's
    level, and the recogniser normalises what it hears), and the agent's words published
    as a synchronised transcription that nobody on a phone reads. Here the line is heard
    at 16 kHz without gain control (it was a quarter of each call's Python time while
    listening, one FFI round trip per frame), the voice goes out at the TTS's own rate
    (``tts_format``), silence is sent as Opus DTX, and no transcription is published:
    each of these is CPU per call.
    """
    voice_rate = int(settings.tts_format.removeprefix("pcm_"))
    return room_io.RoomOptions(
        participant_identity=caller_identity,
        close_on_disconnect=True,
        audio_input=room_io.AudioInputOptions(
            sample_rate=LINE_SAMPLE_RATE, auto_gain_control=False
        ),
        audio_output=room_io.AudioOutputOptions(
            sample_rate=voice_rate,
            track_publish_options=rtc.TrackPublishOptions(
                source=rtc.TrackSource.SOURCE_MICROPHONE, dtx=True
            ),
        ),
        text_output=False,
    )


def prewarm(proc: JobProcess) -> None:
    """Load the VAD and language models once per process, not once per call."""
    proc.userdata["vad"] = vad()
    language_detection.preload()


class HotelVoiceServer(AgentServer):
    """LiveKit's ``AgentServer`` that reads the LiveKit secret only when it starts.

    The CLI needs the server object before it parses arguments, so reading the secret while
    building it made ``--help`` fail wherever no secret is configured (CI, a new laptop).
    """

    async def run(self, *, devmode: bool = False, unregistered: bool = False) -> None:
        """Fill what the CLI (``--api-key``, ``LIVEKIT_API_KEY``…) left empty from our store.

        A missing secret exits the process with status 1 and its message: LiveKit's CLI
        would only log an exception from here, then fail draining a worker that never
        started.
        """
        if not (self._api_key and self._api_secret):
            try:
                key, secret = livekit_credentials()
            except MissingSecret as exc:
                raise SystemExit(f"hotelvoice worker: {exc}") from exc
            self.update_options(api_key=self._api_key or key, api_secret=self._api_secret or secret)
        freeze_what_is_loaded()
        await super().run(devmode=devmode, unregistered=unregistered)


def freeze_what_is_loaded() -> None:
    """Keep the worker's own garbage collections to what it allocates from now on.

    The worker process holds the agent's code and its libraries (all of it with the thread
    executor), hundreds of thousands of objects that never die, and each full collection
    walked them all on the worker's event loop: profiled with py-spy at ten calls, the
    collector was the worker process's busiest frame. LiveKit freezes its forkserver the
    same way (``livekit.agents.ipc._preload_freeze``).
    """
    gc.collect()
    gc.freeze()


LOOP_MONITOR_ENV = "LIVEKIT_AGENTS_LOOP_BLOCK_WARN_MS"
"""Where LiveKit's loop monitor reads its warn threshold, in the worker and in every job."""


def configure_loop_monitor(settings: Settings) -> None:
    """Give LiveKit's loop monitor our threshold, before any loop or job process starts.

    LiveKit reads it from the environment when it starts monitoring a loop (the worker's,
    then each job's, in processes forked later), so the environment is the only way in.
    An operator's own ``LIVEKIT_AGENTS_LOOP_BLOCK_WARN_MS`` is left as it is.
    """
    os.environ.setdefault(LOOP_MONITOR_ENV, str(settings.agent_loop_block_warn_ms))


def build_server(settings: Settings | None = None) -> AgentServer:
    """The worker, registered for explicit dispatch under ``settings.agent_name``.

    Reads no secret: :class:`HotelVoiceServer` does when a mode that connects runs.
    """
    settings = settings or get_settings()
    configure_loop_monitor(settings)
    max_calls = settings.agent_max_calls
    if settings.agent_executor == "thread":
        # calls run in this process: load what they share here, on the main thread (where
        # LiveKit's plugins must register)
        importlib.import_module(SHARED_IMAGE)
    server = HotelVoiceServer(
        ws_url=settings.livekit_url,
        setup_fnc=prewarm,
        job_executor_type=JobExecutorType(settings.agent_executor),
        # the models and the agent's code load once, in the forkserver; call processes
        # share them copy-on-write (see shared_image.py)
        preload_modules=[SHARED_IMAGE],
        num_idle_processes=settings.agent_idle_processes,
        load_fnc=ActiveCallsLoad(max_calls),
        # full at exactly max_calls (LiveKit wants a threshold below 1)
        load_threshold=(max_calls - 0.5) / max_calls,
    )
    server.rtc_session(answer_call, agent_name=settings.agent_name)
    return server


async def answer_call(ctx: JobContext) -> None:
    """One phone call, from ringing to hang-up.

    Whatever fails once the caller is there ends in :meth:`CallFailure.handle` (an apology,
    the front desk or a clean hang-up), never in silence on an open line; the exception
    then goes on to LiveKit, which logs the job as crashed, and the job ends ``JS_FAILED``.
    """
    settings = get_settings()
    await ctx.connect()
    participant = await ctx.wait_for_participant(kind=rtc.ParticipantKind.PARTICIPANT_KIND_SIP)
    key, secret = livekit_credentials()
    line = RoomActions(settings.livekit_url, key, secret)
    failure = CallFailure(ctx.room, line, participant.identity, job=ctx.proc)
    try:
        await _answer(ctx, settings, participant, line, failure)
    except Exception as exc:
        await failure.handle(exc)
        raise


async def _answer(
    ctx: JobContext,
    settings: Settings,
    participant: rtc.RemoteParticipant,
    line: RoomActions,
    failure: CallFailure,
) -> None:
    """The call itself; :func:`answer_call` catches what it raises."""
    caller = SipCaller.from_attributes(participant.identity, participant.attributes)
    credentials = service_auth(settings)
    pms = PmsClient(settings.api_url, credentials, timeout_s=settings.api_timeout_s)
    failure.closers.append(pms.aclose)
    try:
        config = await pms.hotel_for_number(caller.trunk_number)
        hotel = await pms.hotel_info(config.hotel_id)
    except HotelVoiceError as exc:
        # Nobody to answer for (unknown number, control plane down): the apology in the
        # default language, and the line closed.
        raise CallFailed("no hotel for this call") from exc
    failure.front_desk = config.front_desk
    failure.language = config.default_language
    protection = asyncio.create_task(protect_for_call(config.max_call_s))
    language = config.default_language
    call_id = await call_id_of(ctx)
    events = CallEventReporter(settings.api_url, credentials, call_id)
    failure.events = events
    failure.closers.insert(0, events.aclose)
    failure.started = (hotel.hotel_id, language)
    events.started(hotel.hotel_id, language, caller.phone_number)
    failure.started = None
    today = datetime.now(ZoneInfo(hotel.timezone)).date()
    ears = stt_for(settings, language)
    voice = tts_for(
        settings,
        language,
        hotel_voices=config.voices,
        public_texts=(hotel.front_desk_phone, hotel.address, *config.dialled_numbers),
        known_names=lambda: events.known_names,
    )
    call = prepare_call(
        settings,
        hotel=hotel,
        config=config,
        pms=pms,
        events=events,
        call_id=call_id,
        today=today,
        language=language,
        caller_number=caller.phone_number,
        follow_language=lambda new: _follow_language(new, voice, ears),
    )
    session = AgentSession(
        userdata=call.state,
        llm=call.engine,
        stt=ears,
        tts=voice,
        vad=call_vad(settings, ctx.proc.userdata),
        turn_handling=turn_handling_for(settings),
        user_away_timeout=config.silence_reprompt_s,
        conn_options=TELEPHONY_CONNECT_OPTIONS,
    )
    control = CallControl(
        session,
        config,
        ctx.room.name,
        participant.identity,
        line,
        recordings=RecordingTarget.from_settings(settings),
        call_id=call_id,
    )
    call.state.control = control
    failure.control = control
    _wire(ctx, session, control, failure)
    record_turns(session, events)

    async def close_call() -> None:
        await failure.settled()  # a transfer ends the session before the outcome is out
        await protection
        if not control.ended:  # the caller hung up
            control.outcome = Outcome.ABANDONED
            events.ended(Outcome.ABANDONED)
        await control.aclose()
        await failure.close()

    ctx.add_shutdown_callback(close_call)
    failure.closed_at_shutdown = True
    failure.session = session
    await session.start(
        agent=call.agent,
        room=ctx.room,
        room_options=telephony_room_options(settings, participant.identity),
        # LiveKit would otherwise stream the session's events (every line of the
        # conversation) over the room's data channel for its console to observe, and
        # record the call for LiveKit Cloud wherever the server asks: a phone caller
        # reads no data channel, and a call is recorded only by our egress, with the
        # caller told (``RecordingTarget``), into the hotel's own EU bucket.
        session_host=False,
        record=False,
    )
    control.start_call_timer()


async def call_id_of(ctx: JobContext) -> str:
    """The room's SID: what LiveKit's webhooks name the call by too, and no personal data.

    The room's *name* is never the call id: LiveKit SIP's individual dispatch rule names the
    room after the caller's number (``call-_+4917612345678_aBcD``). The job assignment
    carries the SID; the connected room has it as well.
    """
    return ctx.job.room.sid or await ctx.room.sid


def _follow_language(language: str, voice: object, ears: object) -> None:
    """The caller switched: answer in their language, and recognise them with its model.

    Recognising a German caller with the English model (the hotel's first language) would
    turn every later word into English-sounding noise.
    """
    _revoice(voice, language)
    _revoice(ears, language)


def _revoice(voice: object, language: str) -> None:
    """Speak the caller's language from the next sentence on (engines that can switch)."""
    update = getattr(voice, "update_options", None)
    if update is not None:
        update(language=language)


def _wire(
    ctx: JobContext, session: AgentSession, control: CallControl, failure: CallFailure
) -> None:
    """Room and session events that the call's line and record care about."""
    room = ctx.room

    @room.on("sip_dtmf_received")
    def _dtmf(dtmf: rtc.SipDTMF) -> None:
        control.on_dtmf(dtmf.digit)

    @session.on("error")
    def _error(event: ErrorEvent) -> None:
        # The STT gave up after its retry: nothing the caller says is heard from now on.
        if isinstance(event.error, stt.STTError) and not event.error.recoverable:
            control.on_hearing_lost()
        # Every voice of the chain failed: that line was silence, and so would the next be.
        elif isinstance(event.error, tts.TTSError) and not event.error.recoverable:
            failure.start(event.error.error)

    @session.on("user_state_changed")
    def _user_state(event: UserStateChangedEvent) -> None:
        if event.new_state == "away":
            control.on_caller_silent()
        elif event.new_state == "speaking":
            control.on_caller_speaking()

    @session.on("close")
    def _closed(event: CloseEvent) -> None:
        if event.error is not None and not control.ended:
            # An engine gave up for good mid-call (LLM, TTS): the caller is still on the line.
            log.error("session closed on an error", extra={"error": str(event.error)})
            failure.start(event.error.error).add_done_callback(
                lambda _: ctx.shutdown(reason="session failed")
            )
            return
        # The call is over (hung up, transferred, ended): end the job now, so its shutdown
        # callback completes the call record at once. Waiting for the room to close would
        # leave the record open for the server's departure timeout (20 s by default).
        ctx.shutdown(reason=f"session closed: {event.reason}")
