"""One WebRTC client's connection to the local LiveKit peer: ``/rtc/v1``, one peer connection.

What livekit's rtc SDK (Rust core, protocol 17) expects of a server, as its source reads
(``livekit-api/src/signal_client``, ``livekit/src/rtc_engine/rtc_session.rs``):

- ``GET /rtc/v1?join_request=<base64url WrappedJoinRequest>`` with ``Authorization: Bearer``;
  the ``JoinRequest`` carries the client's first SDP offer (data channels and recvonly media
  sections for what it will subscribe to). The first message back is ``JoinResponse``.
- The client always offers, the server always answers (single PC mode). A subscribed track
  rides in one of the client's recvonly sections; the answer's ``mid_to_track_id`` names its
  track SID and its msid stream is ``<participant sid>|<track sid>``.
- Publishing: ``AddTrackRequest`` → ``TrackPublishedResponse`` (the SID), then a new offer.
- ``ping_req`` every ``ping_interval`` s wants ``pong_resp`` within ``ping_timeout`` s.
- Data packets (SIP DTMF) go to the client on its own ``_reliable`` data channel.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.rtcdatachannel import RTCDataChannel
from aiortc.sdp import candidate_from_sdp
from livekit.protocol import models, rtc

from peers.livekit_media import AgentEar, CallerVoice

log = logging.getLogger("peers.livekit")

SERVER_INFO = models.ServerInfo(
    edition=models.ServerInfo.Standard,
    version="1.9.0",
    protocol=16,
    region="local",
    node_id="peer",
    agent_protocol=1,
)
"""What the peer says it is, in JoinResponse and RegisterWorkerResponse."""
PING_INTERVAL_S = 5
PING_TIMEOUT_S = 15


def new_sid(prefix: str) -> str:
    """A LiveKit-style SID: ``RM_``, ``PA_``, ``TR_``, ``AJ_``, ``AW_`` and 12 random chars."""
    return f"{prefix}_{secrets.token_urlsafe(9)}"


def parse_join_request(param: str) -> rtc.JoinRequest:
    """The ``join_request`` query parameter: base64url of a (maybe gzipped) wrapped request."""
    wrapped = rtc.WrappedJoinRequest.FromString(
        base64.urlsafe_b64decode(param + "=" * (-len(param) % 4))
    )
    raw = wrapped.join_request
    if wrapped.compression == rtc.WrappedJoinRequest.GZIP:
        raw = gzip.decompress(raw)
    return rtc.JoinRequest.FromString(raw)


@dataclass
class SubscribedTrack:
    """A track the server sends this client: its SID, owner and the media it plays."""

    participant_sid: str
    track_sid: str
    media: CallerVoice


@dataclass
class RtcSession:
    """The server side of one client: its websocket, its peer connection, its tracks."""

    info: models.ParticipantInfo
    ws: web.WebSocketResponse
    host_address: str
    """Only candidates on this address go into answers (the namespace's veth end)."""
    subscriptions: list[SubscribedTrack] = field(default_factory=list)
    ear: AgentEar = field(default_factory=AgentEar)
    on_published: Callable[[RtcSession, models.TrackInfo], Awaitable[None]] | None = None
    """Called once a published track is negotiated (the room decides who subscribes)."""
    on_leave: Callable[[RtcSession], None] | None = None
    pc: RTCPeerConnection = field(
        default_factory=lambda: RTCPeerConnection(RTCConfiguration(iceServers=[]))
    )
    reliable: RTCDataChannel | None = None
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    _pending_tracks: dict[str, models.TrackInfo] = field(default_factory=dict)
    _mid_to_track: dict[str, str] = field(default_factory=dict)
    _data_sequence: int = 0
    _dtx: bool = False
    """The client publishes audio with DTX (``AddTrackRequest.disable_dtx`` unset)."""

    def __post_init__(self) -> None:
        @self.pc.on("datachannel")
        def _on_datachannel(channel: RTCDataChannel) -> None:
            if channel.label == "_reliable":
                self.reliable = channel

        @self.pc.on("track")
        def _on_track(track: Any) -> None:
            if track.kind == "audio":
                receiver = next(
                    (t.receiver for t in self.pc.getTransceivers() if t.receiver.track is track),
                    None,
                )
                self.ear.listen(track, receiver)

        @self.pc.on("connectionstatechange")
        async def _on_state() -> None:
            if self.pc.connectionState == "connected":
                self.connected.set()

    # -- what the server sends -------------------------------------------------------------
    async def send(self, response: rtc.SignalResponse) -> None:
        """Send to the client; a client already gone is not an error (the server drops it)."""
        if self.ws.closed:
            return
        with contextlib.suppress(ConnectionResetError):  # aiohttp's closing-transport error
            await self.ws.send_bytes(response.SerializeToString())

    async def send_data(self, packet: models.DataPacket) -> bool:
        """A data packet on the client's reliable channel (``False``: no channel open yet)."""
        if self.reliable is None or self.reliable.readyState != "open":
            return False
        self._data_sequence += 1
        packet.sequence = self._data_sequence
        self.reliable.send(packet.SerializeToString())
        return True

    async def leave(self, reason: int) -> None:
        """The server ends the session (``DeleteRoom``): ``leave``, then close."""
        await self.send(
            rtc.SignalResponse(
                leave=rtc.LeaveRequest(
                    can_reconnect=False, reason=reason, action=rtc.LeaveRequest.DISCONNECT
                )
            )
        )
        await self.close()

    async def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        await self.ws.close()
        await self.pc.close()
        await self.ear.aclose()

    # -- what the client sends -------------------------------------------------------------
    async def answer(self, offer: rtc.SessionDescription) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer.sdp, type="offer"))
        for track in self.subscriptions:
            if not any(s.track is track.media for s in self.pc.getSenders()):
                sender = self.pc.addTrack(track.media)
                sender._stream_id = f"{track.participant_sid}|{track.track_sid}"
        answer = await self.pc.createAnswer()
        await self.pc.setLocalDescription(answer)
        for transceiver in self.pc.getTransceivers():
            sent = transceiver.sender.track
            if transceiver.mid is not None and isinstance(sent, CallerVoice):
                self._mid_to_track[transceiver.mid] = sent.id
        await self.send(
            rtc.SignalResponse(
                answer=rtc.SessionDescription(
                    type="answer",
                    sdp=_with_dtx(
                        _only_candidates_on(self.pc.localDescription.sdp, self.host_address),
                        self._dtx,
                    ),
                    id=offer.id,
                    mid_to_track_id=self._mid_to_track,
                )
            )
        )
        for info in list(self._pending_tracks.values()):
            if self.on_published is not None:
                await self.on_published(self, info)
        self._pending_tracks.clear()

    async def trickle(self, request: rtc.TrickleRequest) -> None:
        init = json.loads(request.candidateInit)
        text = init.get("candidate", "")
        if not text:
            return
        candidate = candidate_from_sdp(text.split(":", 1)[1])
        candidate.sdpMid = init.get("sdpMid")
        candidate.sdpMLineIndex = init.get("sdpMLineIndex")
        await self.pc.addIceCandidate(candidate)

    async def add_track(self, request: rtc.AddTrackRequest, sid: str) -> None:
        info = models.TrackInfo(
            sid=sid,
            type=request.type,
            name=request.name,
            source=request.source,
            muted=request.muted,
            mime_type="audio/opus" if request.type == models.TrackType.AUDIO else "",
            stream=request.stream,
            disable_dtx=request.disable_dtx,
        )
        if request.type == models.TrackType.AUDIO and not request.disable_dtx:
            self._dtx = True
        self._pending_tracks[sid] = info
        await self.send(
            rtc.SignalResponse(
                track_published=rtc.TrackPublishedResponse(cid=request.cid, track=info)
            )
        )

    async def serve(self, first_offer: rtc.SessionDescription | None) -> None:
        """Answer the join offer, then handle the client's requests until it goes."""
        if first_offer is not None and first_offer.sdp:
            await self.answer(first_offer)
        try:
            async for message in self.ws:
                if message.type != WSMsgType.BINARY:
                    continue
                await self._handle(rtc.SignalRequest.FromString(message.data))
        finally:
            if not self.closed.is_set() and self.on_leave is not None:
                self.on_leave(self)
            await self.close()

    async def _handle(self, request: rtc.SignalRequest) -> None:
        which = request.WhichOneof("message")
        if which == "offer":
            await self.answer(request.offer)
        elif which == "trickle":
            await self.trickle(request.trickle)
        elif which == "add_track":
            await self.add_track(request.add_track, new_sid("TR"))
        elif which == "ping_req":
            now = int(time.time() * 1000)
            await self.send(
                rtc.SignalResponse(
                    pong_resp=rtc.Pong(
                        last_ping_timestamp=request.ping_req.timestamp, timestamp=now
                    )
                )
            )
        elif which == "ping":
            await self.send(rtc.SignalResponse(pong=int(time.time() * 1000)))
        elif which == "leave":
            if self.on_leave is not None:
                self.on_leave(self)
            await self.close()
        # subscription, track_setting, mute, update_metadata, sync_state: nothing to do here


def _with_dtx(sdp: str, dtx: bool) -> str:
    """``usedtx=1`` on the Opus format of the sections the client publishes in, if ``dtx``.

    LiveKit's server does this to its publisher answers (``configurePublisherAnswer``) for a
    track published without ``disable_dtx``; libwebrtc's sender reads the parameter from the
    answer, and sends silence as DTX only with it. aiortc's answers never carry it.
    """
    if not dtx:
        return sdp
    out: list[str] = []
    opus: str | None = None
    receiving = False
    section: list[str] = []

    def flush() -> None:
        if receiving and opus is not None:
            fmtp = f"a=fmtp:{opus} "
            if any(line.startswith(fmtp) for line in section):
                section[:] = [
                    line + ";usedtx=1" if line.startswith(fmtp) else line for line in section
                ]
            else:
                at = max(i for i, line in enumerate(section) if line.startswith("a=rtpmap:"))
                section.insert(at + 1, f"{fmtp}usedtx=1")
        out.extend(section)

    for line in sdp.splitlines():
        if line.startswith("m="):
            flush()
            section, opus, receiving = [], None, False
        section.append(line)
        if line.startswith("a=rtpmap:") and "opus/48000" in line.lower():
            opus = line.removeprefix("a=rtpmap:").split()[0]
        elif line == "a=recvonly":  # the client sends here
            receiving = True
    flush()
    return "\r\n".join(out) + "\r\n"


def _only_candidates_on(sdp: str, address: str) -> str:
    """Drop the answer's ICE candidates on other interfaces: the client must only try ours."""
    kept = []
    for line in sdp.splitlines():
        if line.startswith("a=candidate:") and f" {address} " not in line:
            continue
        kept.append(line)
    return "\r\n".join(kept) + "\r\n"
