"""A whole LiveKit server, as far as one phone call needs it, on one local port.

The real ``AgentServer`` (``python -m realtime_agent start``) and the real rtc SDK talk to it as
they talk to LiveKit Cloud or a self-hosted livekit-server:

- ``/agent``: the worker protocol (``livekit_agent_dispatch.py``);
- ``/rtc/v1``: signalling and WebRTC media for the agent's room connection
  (``livekit_signal.py``; aiortc answers the SDK's offers);
- ``/twirp/...``: the server API the agent calls (``livekit_server_peer.py``).

A call is what LiveKit SIP makes of an inbound phone call: a room named by the dispatch rule,
a SIP participant with its ``sip.*`` attributes and an audio track (the caller's voice, see
``livekit_media.py``), and a job for the agent. SIP behaviours from livekit/sip's source: DTMF
arrives as a ``SipDTMF`` data packet from the SIP participant; ``sip.callStatus`` is
``active`` once the call is answered; a caller who hangs up leaves with
``CLIENT_INITIATED``; a successful ``TransferSIPParticipant`` ends the caller's leg;
``DeleteRoom`` sends every client ``leave`` (``ROOM_DELETED``).

The media must travel over a real interface (libwebrtc ignores loopback): serve on the host end
of a test namespace (``netns.py``) and run the worker inside it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import jwt
from aiohttp import web
from livekit.api import TokenVerifier
from livekit.api.access_token import Claims
from livekit.protocol import models, rtc

from hotelvoice.speech.audio import Pcm
from peers.aiohttp_thread import ThreadedAiohttpServer
from peers.livekit_agent_dispatch import CAPACITY_WAIT_S, AgentDispatch, DispatchedJob
from peers.livekit_media import AgentEar, CallerVoice
from peers.livekit_server_peer import LiveKitServerPeer
from peers.livekit_signal import (
    PING_INTERVAL_S,
    PING_TIMEOUT_S,
    SERVER_INFO,
    RtcSession,
    SubscribedTrack,
    new_sid,
    parse_join_request,
)
from peers.livekit_sip_dispatch import INDIVIDUAL, DispatchedCall, DispatchRule, evaluate

T = TypeVar("T")

_KIND = {
    "": models.ParticipantInfo.STANDARD,
    "standard": models.ParticipantInfo.STANDARD,
    "agent": models.ParticipantInfo.AGENT,
    "sip": models.ParticipantInfo.SIP,
}
_PERMISSION = models.ParticipantPermission(
    can_subscribe=True, can_publish=True, can_publish_data=True, can_update_metadata=True
)


@dataclass
class PhoneCall:
    """One inbound call: its room, its SIP caller, the agent's job and what the agent said."""

    room: models.Room
    caller: models.ParticipantInfo
    voice: CallerVoice
    clients: dict[str, RtcSession] = field(default_factory=dict)
    job: DispatchedJob | None = None
    left: dict[str, float] = field(default_factory=dict)
    """Identity → wall time the participant left (caller hung up or agent disconnected)."""
    deleted: bool = False

    @property
    def agent(self) -> RtcSession | None:
        """The agent's connection (the first client that joined)."""
        return next(iter(self.clients.values()), None)


class LiveKitPeer:
    """Start with ``with LiveKitPeer(...) as peer``; tests drive calls through sync methods."""

    def __init__(
        self, *, api_key: str, api_secret: str, host: str, decode_agent_audio: bool = True
    ) -> None:
        """``decode_agent_audio=False``: the agents' audio is timed by its packets, never
        decoded (``make load``; nothing can then be recognised)."""
        self.host = host
        self.decode_agent_audio = decode_agent_audio
        self.twirp = LiveKitServerPeer(api_key=api_key, api_secret=api_secret, serve=False)
        self.twirp.on_leg_ended = self._leg_ended_threadsafe
        self.twirp.on_room_deleted = self._room_deleted_threadsafe
        self._verifier = TokenVerifier(api_key, api_secret)
        self._api_key = api_key
        self._api_secret = api_secret
        self.calls: dict[str, PhoneCall] = {}
        self._dispatch: AgentDispatch | None = None
        self._server = ThreadedAiohttpServer(self._app, "livekit-peer", host=host)

    # -- lifecycle --------------------------------------------------------------------------
    def __enter__(self) -> LiveKitPeer:
        self._server.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        for call in list(self.calls.values()):
            for client in list(call.clients.values()):
                self._server.call(client.close())
        self._server.stop()

    @property
    def url(self) -> str:
        """``LIVEKIT_URL`` for the worker: ``ws://host:port``."""
        return f"ws://{self.host}:{self._server.port}"

    def _app(self) -> web.Application:
        self._dispatch = AgentDispatch(self._api_key, self._api_secret)
        app = web.Application()
        app.router.add_get("/agent", self._agent_socket)
        app.router.add_get("/rtc/v1", self._rtc_socket)
        app.router.add_get("/rtc/v1/validate", self._validate)
        app.router.add_route("*", "/twirp/{method:.*}", self._twirp)
        return app

    def run(self, coro: Coroutine[Any, Any, T], timeout_s: float) -> T:
        """Run ``coro`` on the peer's event loop (where calls live) and wait for its result.

        Raises:
            TimeoutError: After ``timeout_s``; ``coro`` is cancelled and every call still up
                is hung up, so the next run starts on a quiet line.
        """
        assert self._server.loop is not None, "the peer is not running"
        future = asyncio.run_coroutine_threadsafe(coro, self._server.loop)
        try:
            return future.result(timeout_s)
        except TimeoutError:
            future.cancel()
            self._server.call(self._hang_up_all(), 30)
            raise

    async def _hang_up_all(self) -> None:
        for call in list(self.calls.values()):
            await self._end_leg(call, call.caller.identity)

    async def start_call(
        self, calling: str, called: str, *, agent_name: str, rule: DispatchRule = INDIVIDUAL
    ) -> PhoneCall:
        """:meth:`dial` for code already on the peer's loop (a load driver)."""
        return await self._dial(evaluate(rule, calling, called), agent_name=agent_name)

    async def end_leg(self, call: PhoneCall, identity: str) -> None:
        """The participant ``identity`` leaves ``call`` (the caller: hangs up)."""
        await self._end_leg(call, identity)

    # -- test-facing, synchronous ---------------------------------------------------------------
    @property
    def dispatch(self) -> AgentDispatch:
        assert self._dispatch is not None, "the peer is not running"
        return self._dispatch

    def wait_for_worker(self, agent_name: str, timeout_s: float = 60.0) -> str:
        """Block until a worker registered as ``agent_name``; its worker id."""
        worker = self._server.call(
            self.dispatch.wait_for_worker(agent_name, timeout_s), timeout_s + 1
        )
        return worker.worker_id

    def dial(
        self,
        calling: str,
        called: str,
        *,
        agent_name: str,
        rule: DispatchRule = INDIVIDUAL,
        extra_attributes: dict[str, str] | None = None,
    ) -> PhoneCall:
        """A call from ``calling`` to ``called`` as LiveKit SIP sets it up under ``rule``: the
        room, the caller, then the agent's job (``calling`` is the SIP From user: a number, or
        ``anonymous`` when withheld)."""
        dispatched = evaluate(rule, calling, called)
        if extra_attributes:
            dispatched.attributes.update(extra_attributes)
        return self._server.call(
            self._dial(dispatched, agent_name=agent_name), CAPACITY_WAIT_S + 15
        )

    def say(self, call: PhoneCall, pcm: Pcm, timeout_s: float = 60.0) -> float:
        """The caller says ``pcm``; returns when it has been sent (its end's wall time)."""

        async def _say() -> float:
            return await call.voice.say(pcm)

        return self._server.call(_say(), timeout_s)

    def say_nowait(self, call: PhoneCall, pcm: Pcm) -> None:
        async def _say() -> None:
            call.voice.say(pcm)

        self._server.call(_say())

    def press(self, call: PhoneCall, digit: str) -> bool:
        """The caller presses a key: LiveKit SIP's ``SipDTMF`` packet from the caller."""
        codes = {**{str(d): d for d in range(10)}, "*": 10, "#": 11}
        packet = models.DataPacket(
            kind=models.DataPacket.RELIABLE,
            participant_identity=call.caller.identity,
            participant_sid=call.caller.sid,
            sip_dtmf=models.SipDTMF(code=codes[digit], digit=digit),
        )
        agent = call.agent
        if agent is None:
            return False
        return self._server.call(agent.send_data(packet))

    def hang_up(self, call: PhoneCall) -> None:
        """The caller puts the phone down, mid-sentence or not."""
        self._server.call(self._end_leg(call, call.caller.identity))

    def wait_for_agent(self, call: PhoneCall, timeout_s: float = 30.0) -> RtcSession:
        """Block until the agent joined and its media is connected."""

        async def _wait() -> RtcSession:
            while call.agent is None:  # noqa: ASYNC110 (set from another handler)
                await asyncio.sleep(0.05)
            await call.agent.connected.wait()
            return call.agent

        return self._server.call(_wait(), timeout_s)

    def wait_for_job_end(self, call: PhoneCall, timeout_s: float = 30.0) -> int:
        """Block until the agent's job reported its final status; that status."""

        async def _wait() -> int:
            while call.job is None:  # noqa: ASYNC110 (set by the dial)
                await asyncio.sleep(0.05)
            await call.job.done.wait()
            return call.job.status

        return self._server.call(_wait(), timeout_s)

    def wait_until(
        self, predicate: Callable[[], bool], timeout_s: float = 30.0, poll_s: float = 0.05
    ) -> bool:
        """Poll ``predicate()`` on the peer's loop until it holds; ``False`` on timeout."""

        async def _wait() -> bool:
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                if predicate():
                    return True
                await asyncio.sleep(poll_s)
            return bool(predicate())

        return self._server.call(_wait(), timeout_s + 5)

    # -- rooms and legs -------------------------------------------------------------------------
    async def _dial(self, dispatched: DispatchedCall, *, agent_name: str) -> PhoneCall:
        room_name = dispatched.room_name
        room = models.Room(
            sid=new_sid("RM"),
            name=room_name,
            empty_timeout=300,
            departure_timeout=20,
            creation_time=int(time.time()),
            creation_time_ms=int(time.time() * 1000),
        )
        track_sid = new_sid("TR")
        call_id = new_sid("SCL")
        attributes = {
            "sip.callID": call_id,
            "sip.callIDFull": f"{call_id}@peer",
            "sip.callStatus": "active",
            "sip.trunkID": "ST_peer",
            "sip.ruleID": "SDR_peer",
            **dispatched.attributes,
        }
        caller_identity = dispatched.identity
        caller = models.ParticipantInfo(
            sid=new_sid("PA"),
            identity=caller_identity,
            name=dispatched.name,
            state=models.ParticipantInfo.ACTIVE,
            kind=models.ParticipantInfo.SIP,
            attributes=attributes,
            joined_at=int(time.time()),
            joined_at_ms=int(time.time() * 1000),
            permission=_PERMISSION,
            is_publisher=True,
            tracks=[
                models.TrackInfo(
                    sid=track_sid,
                    type=models.TrackType.AUDIO,
                    name="phone",
                    source=models.TrackSource.MICROPHONE,
                    mime_type="audio/opus",
                )
            ],
        )
        call = PhoneCall(room=room, caller=caller, voice=CallerVoice(track_sid))
        self.calls[room_name] = call
        self.twirp.add_participant(room_name, caller_identity, attributes)
        if agent_name:  # empty: no agent dispatch (a test joins the room itself)
            call.job = await self.dispatch.dispatch(room, agent_name)
        return call

    def _leg_ended_threadsafe(self, room: str, identity: str) -> None:
        call = self.calls.get(room)
        if call is not None and self._server.loop is not None:
            asyncio.run_coroutine_threadsafe(self._end_leg(call, identity), self._server.loop)

    def _room_deleted_threadsafe(self, room: str) -> None:
        call = self.calls.get(room)
        if call is not None and self._server.loop is not None:
            asyncio.run_coroutine_threadsafe(self._delete_room(call), self._server.loop)

    async def _end_leg(self, call: PhoneCall, identity: str) -> None:
        """A participant leaves: the caller's phone is down, or the agent is removed."""
        if identity in call.left:
            return
        call.left[identity] = time.time()
        if identity == call.caller.identity:
            call.voice.hush()
            call.voice.stop()
            gone = models.ParticipantInfo()
            gone.CopyFrom(call.caller)
            gone.state = models.ParticipantInfo.DISCONNECTED
            gone.disconnect_reason = models.CLIENT_INITIATED
            gone.attributes["sip.callStatus"] = "hangup"
            await self._broadcast(call, [gone])
        elif (client := call.clients.get(identity)) is not None:
            await client.leave(models.PARTICIPANT_REMOVED)

    async def _delete_room(self, call: PhoneCall) -> None:
        call.deleted = True
        call.voice.hush()
        for client in list(call.clients.values()):
            await client.leave(models.ROOM_DELETED)

    async def _broadcast(self, call: PhoneCall, infos: list[models.ParticipantInfo]) -> None:
        update = rtc.SignalResponse(update=rtc.ParticipantUpdate(participants=infos))
        for client in list(call.clients.values()):
            await client.send(update)

    # -- HTTP -----------------------------------------------------------------------------------
    async def _agent_socket(self, request: web.Request) -> web.StreamResponse:
        claims = self._claims(request)
        if claims is None or not (claims.video and claims.video.agent):
            return web.Response(status=401, text="permissions denied")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await self.dispatch.serve(ws)
        return ws

    async def _validate(self, request: web.Request) -> web.StreamResponse:
        if self._claims(request) is None:
            return web.Response(status=401, text="invalid token")
        return web.Response(text="success")

    async def _rtc_socket(self, request: web.Request) -> web.StreamResponse:
        claims = self._claims(request)
        if claims is None or not (claims.video and claims.video.room_join):
            return web.Response(status=401, text="permissions denied")
        call = self.calls.get(claims.video.room or "")
        if call is None or call.deleted:
            return web.Response(status=404, text="requested room does not exist")
        join = parse_join_request(request.query.get("join_request", ""))
        ws = web.WebSocketResponse(max_msg_size=8 * 2**20)
        await ws.prepare(request)
        info = models.ParticipantInfo(
            sid=new_sid("PA"),
            identity=claims.identity,
            name=claims.name,
            metadata=claims.metadata,
            attributes=claims.attributes or {},
            state=models.ParticipantInfo.JOINED,
            kind=_KIND.get(claims.kind or "", models.ParticipantInfo.STANDARD),
            joined_at=int(time.time()),
            joined_at_ms=int(time.time() * 1000),
            permission=_PERMISSION,
        )
        session = RtcSession(
            info=info,
            ws=ws,
            host_address=self.host,
            subscriptions=[SubscribedTrack(call.caller.sid, call.voice.id, call.voice)],
            on_published=lambda s, track: self._published(call, s, track),
            on_leave=lambda s: self._left(call, s),
            ear=AgentEar(decode=self.decode_agent_audio),
        )
        call.clients[info.identity] = session
        others = [call.caller] if call.caller.identity not in call.left else []
        await session.send(
            rtc.SignalResponse(
                join=rtc.JoinResponse(
                    room=call.room,
                    participant=info,
                    other_participants=others,
                    server_version="1.9.0",
                    server_region="local",
                    ping_interval=PING_INTERVAL_S,
                    ping_timeout=PING_TIMEOUT_S,
                    subscriber_primary=True,
                    server_info=SERVER_INFO,
                )
            )
        )
        await session.serve(join.publisher_offer if join.HasField("publisher_offer") else None)
        return ws

    async def _published(
        self, call: PhoneCall, session: RtcSession, track: models.TrackInfo
    ) -> None:
        """The SIP bridge subscribes to every audio track in its room, at once."""
        session.info.tracks.append(track)
        if track.type == models.TrackType.AUDIO and call.caller.identity not in call.left:
            subscribed = rtc.TrackSubscribed(track_sid=track.sid)
            await session.send(rtc.SignalResponse(track_subscribed=subscribed))

    def _left(self, call: PhoneCall, session: RtcSession) -> None:
        call.left.setdefault(session.info.identity, time.time())

    async def _twirp(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        answer = await asyncio.to_thread(
            self.twirp.handle_twirp, request.method, request.path, headers, raw
        )
        if answer is None:
            raise web.HTTPServiceUnavailable  # a stall: the client has long given up
        status, body, ctype = answer
        return web.Response(status=status, body=body, headers={"content-type": ctype})

    def _claims(self, request: web.Request) -> Claims | None:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else ""
        token = token or request.query.get("access_token", "")
        try:
            return self._verifier.verify(token)
        except (jwt.PyJWTError, ValueError):
            return None
