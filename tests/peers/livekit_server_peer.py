"""A local HTTP peer that speaks LiveKit's server API: Twirp over HTTP with protobuf bodies.

Tests drive the *real* ``livekit.api.LiveKitAPI`` against this server instead of patching our
code, so request encoding, token signing and Twirp error decoding run exactly as in
production. Behaviour follows livekit-server (``pkg/service/auth.go``, ``roomservice.go``,
``sip.go``, ``egress.go``) and twirp: see README.md for what is and is not modelled.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message
from livekit.api import TokenVerifier
from livekit.api.access_token import Claims
from livekit.protocol.egress import (
    EgressInfo,
    EgressSourceType,
    EgressStatus,
    RoomCompositeEgressRequest,
    StopEgressRequest,
)
from livekit.protocol.room import (
    DeleteRoomRequest,
    DeleteRoomResponse,
    RemoveParticipantResponse,
    RoomParticipantIdentity,
)
from livekit.protocol.sip import (
    SIPStatus,
    SIPTransferReason,
    SIPTransferStatus,
    TransferSIPParticipantRequest,
    TransferSIPParticipantResponse,
)

__all__ = [
    "BUSY_HERE",
    "EGRESS_NOT_CONNECTED",
    "LiveKitServerPeer",
    "RecordedEgress",
    "RecordedTwirpRequest",
    "TwirpFailure",
]

# twirp's code → HTTP status table (twirp.ServerHTTPStatusFromErrorCode).
_HTTP_STATUS = {
    "canceled": 408,
    "invalid_argument": 400,
    "malformed": 400,
    "deadline_exceeded": 408,
    "not_found": 404,
    "bad_route": 404,
    "already_exists": 409,
    "permission_denied": 403,
    "unauthenticated": 401,
    "resource_exhausted": 429,
    "failed_precondition": 412,
    "aborted": 409,
    "out_of_range": 400,
    "unimplemented": 501,
    "internal": 500,
    "unknown": 500,
    "unavailable": 503,
    "dataloss": 500,
}
_PROTOBUF = "application/protobuf"
_JSON = "application/json"


@dataclass(frozen=True)
class TwirpFailure:
    """A Twirp error: JSON ``{"code", "msg", "meta"}`` with the code's HTTP status."""

    code: str
    msg: str
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return _HTTP_STATUS[self.code]

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "msg": self.msg, **({"meta": self.meta} if self.meta else {})}


# What livekit-server answers when the transfer target is busy: livekit/protocol maps SIP 486
# to gRPC ResourceExhausted (twirp 429) and puts the SIP status into the error's meta.
BUSY_HERE = TwirpFailure(
    "resource_exhausted",
    "sip status 486: Busy Here",
    {"sip_status_code": "486", "sip_status": "Busy Here"},
)
_DENIED = TwirpFailure("unauthenticated", "permissions denied")  # livekit's twirpAuthError
_NO_SIP_SESSION = "no SIP session associated with participant"
# What a livekit-server without an egress service (no Redis, no egress worker) answers.
EGRESS_NOT_CONNECTED = TwirpFailure("internal", "egress not connected (redis required)")
_ACTIVE_EGRESS = (EgressStatus.EGRESS_STARTING, EgressStatus.EGRESS_ACTIVE)


@dataclass
class RecordedEgress:
    """An egress the peer started: its request and where it stands."""

    egress_id: str
    room: str
    request: RoomCompositeEgressRequest
    status: int  # an EgressStatus value

    @property
    def filepaths(self) -> list[str]:
        """Where its file outputs go (``file_outputs`` and the deprecated ``file``)."""
        outputs = list(self.request.file_outputs)
        if self.request.HasField("file"):
            outputs.append(self.request.file)
        return [output.filepath for output in outputs]

    @property
    def active(self) -> bool:
        """Starting or recording, so it can still be stopped."""
        return self.status in _ACTIVE_EGRESS


@dataclass(frozen=True)
class RecordedTwirpRequest:
    """One request as the peer saw it; ``message``/``claims`` are ``None`` when undecodable."""

    path: str
    headers: dict[str, str]  # lower-cased names
    message: Message | None
    claims: Claims | None
    status: int  # what the peer answered

    @property
    def method(self) -> str:
        """The Twirp method, e.g. ``TransferSIPParticipant``."""
        return self.path.rsplit("/", 1)[-1]


TransferOutcome = TwirpFailure | TransferSIPParticipantResponse
_Handler = Callable[[Any, Claims | None], Message | TwirpFailure]


class LiveKitServerPeer:
    """LiveKit server API on 127.0.0.1 (ephemeral port, own thread); pass ``url`` to the client.

    It keeps rooms of participants (identity → attributes): a transfer needs a participant with
    a ``sip.callID`` attribute, DeleteRoom an existing room, as on the real server.
    """

    def __init__(self, *, api_key: str, api_secret: str, serve: bool = True) -> None:
        """``serve=False``: no HTTP server of its own; another app calls :meth:`handle_twirp`
        (the whole LiveKit peer, ``livekit_peer.py``, serves Twirp beside ``/rtc`` and
        ``/agent``)."""
        self.api_key = api_key
        self.api_secret = api_secret
        """What a client signs its tokens with (``api_key`` is their issuer)."""
        self._verifier = TokenVerifier(api_key, api_secret)
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, dict[str, str]]] = {}
        self._requests: list[RecordedTwirpRequest] = []
        self._transfer_outcomes: list[TransferOutcome] = []
        self._transfer_ids = itertools.count(1)
        self._egresses: dict[str, RecordedEgress] = {}
        self._egress_ids = itertools.count(1)
        self._egress_outcomes: list[TwirpFailure] = []
        self._stall_s = 0.0
        self._stopping = threading.Event()
        self._routes: dict[str, tuple[type[Message], _Handler]] = {
            "/twirp/livekit.SIP/TransferSIPParticipant": (
                TransferSIPParticipantRequest,
                self._transfer,
            ),
            "/twirp/livekit.RoomService/DeleteRoom": (DeleteRoomRequest, self._delete_room),
            "/twirp/livekit.RoomService/RemoveParticipant": (
                RoomParticipantIdentity,
                self._remove_participant,
            ),
            "/twirp/livekit.Egress/StartRoomCompositeEgress": (
                RoomCompositeEgressRequest,
                self._start_room_composite_egress,
            ),
            "/twirp/livekit.Egress/StopEgress": (StopEgressRequest, self._stop_egress),
        }
        self.on_leg_ended: Callable[[str, str], None] | None = None
        """Called with (room, identity) when a transfer or RemoveParticipant ends a leg."""
        self.on_room_deleted: Callable[[str], None] | None = None
        if not serve:
            return
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="livekit-peer", daemon=True
        )

    # -- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> LiveKitServerPeer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()

    @property
    def url(self) -> str:
        """What ``LiveKitAPI(url=…)`` takes (``ws://`` would work too: the client rewrites it)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- state and scripting ------------------------------------------------------------------
    def add_participant(self, room: str, identity: str, attributes: dict[str, str]) -> None:
        """Put a participant in ``room`` (created if needed)."""
        with self._lock:
            self._rooms.setdefault(room, {})[identity] = dict(attributes)

    def add_sip_caller(self, room: str, identity: str, *, call_id: str = "SCL_peer") -> None:
        """A phone caller as LiveKit SIP puts one in a room."""
        attributes = {"sip.callID": call_id, "sip.callStatus": "active"}
        self.add_participant(room, identity, attributes)

    def participants(self, room: str) -> list[str] | None:
        """Identities in ``room``, or ``None`` if the room does not exist."""
        with self._lock:
            members = self._rooms.get(room)
            return None if members is None else list(members)

    def fail_next_transfer(self, failure: TwirpFailure = BUSY_HERE) -> None:
        """The next transfer is answered with ``failure`` (default: SIP 486 Busy Here)."""
        with self._lock:
            self._transfer_outcomes.append(failure)

    def answer_next_transfer(self, response: TransferSIPParticipantResponse) -> None:
        """The next transfer gets this 200 response (e.g. ``STS_TRANSFER_FAILED``)."""
        with self._lock:
            self._transfer_outcomes.append(response)

    def fail_next_egress(self, failure: TwirpFailure = EGRESS_NOT_CONNECTED) -> None:
        """The next StartRoomCompositeEgress is answered with ``failure``."""
        with self._lock:
            self._egress_outcomes.append(failure)

    def egresses(self, room: str | None = None) -> list[RecordedEgress]:
        """Egresses started (of ``room``, or all), oldest first."""
        with self._lock:
            return [e for e in self._egresses.values() if room is None or e.room == room]

    def stall(self, seconds: float) -> None:
        """Hold every later request this long, then drop it unanswered (client timeouts).

        ``stall(0)`` restores normal answers. Stalled requests are still recorded.
        """
        self._stall_s = seconds

    @property
    def requests(self) -> list[RecordedTwirpRequest]:
        """Every request received, rejected ones included, oldest first."""
        with self._lock:
            return list(self._requests)

    def _record(self, request: RecordedTwirpRequest) -> None:
        with self._lock:
            self._requests.append(request)

    # -- authentication (livekit-server's APIKeyAuthMiddleware) -------------------------------
    def _authenticate(self, header: str | None) -> Claims | str | None:
        """Claims, ``None`` without a header, or the plain-text 401 body the server sends."""
        if not header:
            return None
        if not header.startswith("Bearer "):
            return "invalid authorization header. Must start with Bearer "
        token = header.removeprefix("Bearer ")
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError:
            return "invalid authorization token"
        if issuer != self.api_key:
            return "invalid API key"
        try:
            return self._verifier.verify(token)
        except jwt.PyJWTError as exc:
            return f"invalid authorization token: {exc}"

    def handle_twirp(
        self, command: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, bytes, str] | None:
        """One HTTP request (lower-cased headers): status, body, content type; ``None`` when
        :meth:`stall` says to drop it unanswered (after the stall)."""
        path = path.split("?", 1)[0]
        claims: Claims | None = None
        message: Message | None = None
        content_type = headers.get("content-type", "").split(";", 1)[0].strip()
        auth = self._authenticate(headers.get("authorization"))
        route = self._routes.get(path)
        if isinstance(auth, str):
            # The auth middleware runs before Twirp and answers in plain text, not JSON.
            status, body, ctype = 401, auth.encode(), "text/plain; charset=utf-8"
        else:
            claims = auth
            answer: Message | TwirpFailure
            if command != "POST" or route is None:
                answer = TwirpFailure("bad_route", f"no handler for path {path!r}")
            elif content_type not in (_PROTOBUF, _JSON):
                answer = TwirpFailure("bad_route", f"unexpected Content-Type: {content_type!r}")
            else:
                message_class, method = route
                try:
                    message = _decode(message_class, raw, content_type)
                except (DecodeError, json_format.ParseError):
                    answer = TwirpFailure("malformed", "the request could not be decoded")
                else:
                    answer = method(message, claims)
            status, body, ctype = _encode(answer, content_type)
        self._record(RecordedTwirpRequest(path, headers, message, claims, status))
        if self._stall_s:
            self._stopping.wait(self._stall_s)
            return None
        return status, body, ctype

    # -- Twirp methods ------------------------------------------------------------------------
    def _transfer(
        self, request: TransferSIPParticipantRequest, claims: Claims | None
    ) -> Message | TwirpFailure:
        if not request.room_name:
            return TwirpFailure("invalid_argument", "Missing room name")
        if not request.participant_identity:
            return TwirpFailure("invalid_argument", "Missing participant identity")
        if not (claims and claims.sip and claims.sip.call):
            return _DENIED
        if not _is_room_admin(claims, request.room_name):
            return _DENIED
        with self._lock:
            members = self._rooms.get(request.room_name, {})
            attributes = members.get(request.participant_identity)
            if attributes is None:
                return TwirpFailure("not_found", "participant does not exist")
            if "sip.callID" not in attributes:
                return TwirpFailure("invalid_argument", _NO_SIP_SESSION)
            outcome = self._transfer_outcomes.pop(0) if self._transfer_outcomes else None
            if outcome is None:
                outcome = TransferSIPParticipantResponse(
                    transfer_id=f"STR_{next(self._transfer_ids)}",
                    status=SIPTransferStatus.STS_TRANSFER_SUCCESSFUL,
                    reason=SIPTransferReason.STR_COMPLETED,
                    sip_status=SIPStatus(code=200, status="OK"),
                )
            if (
                isinstance(outcome, TransferSIPParticipantResponse)
                and outcome.status == SIPTransferStatus.STS_TRANSFER_SUCCESSFUL
            ):
                del members[request.participant_identity]  # the bridge hangs up our leg
                ended = True
            else:
                ended = False
        if ended and self.on_leg_ended is not None:
            self.on_leg_ended(request.room_name, request.participant_identity)
        return outcome

    def _delete_room(
        self, request: DeleteRoomRequest, claims: Claims | None
    ) -> Message | TwirpFailure:
        if not (claims and claims.video and claims.video.room_create):
            return _DENIED
        with self._lock:
            if self._rooms.pop(request.room, None) is None:
                return TwirpFailure("not_found", "requested room does not exist")
            for egress in self._egresses.values():  # a room composite ends with its room
                if egress.room == request.room and egress.active:
                    egress.status = EgressStatus.EGRESS_COMPLETE
        if self.on_room_deleted is not None:
            self.on_room_deleted(request.room)
        return DeleteRoomResponse()

    def _start_room_composite_egress(
        self, request: RoomCompositeEgressRequest, claims: Claims | None
    ) -> Message | TwirpFailure:
        # egress.go StartEgress: EnsureRecordPermission, then the egress service, then the room.
        if not (claims and claims.video and claims.video.room_record):
            return _DENIED
        with self._lock:
            if self._egress_outcomes:
                return self._egress_outcomes.pop(0)
            if not request.room_name or request.room_name not in self._rooms:
                return TwirpFailure("not_found", "requested room does not exist")
            outputs = (
                request.file_outputs,
                request.stream_outputs,
                request.segment_outputs,
                request.image_outputs,
            )
            if not any(outputs) and not request.HasField("file"):
                return TwirpFailure("invalid_argument", "no outputs")  # the egress validator
            if request.audio_only and request.video_only:
                return TwirpFailure("invalid_argument", "audio_only and video_only are exclusive")
            egress = RecordedEgress(
                egress_id=f"EG_peer{next(self._egress_ids)}",
                room=request.room_name,
                request=request,
                status=EgressStatus.EGRESS_STARTING,
            )
            self._egresses[egress.egress_id] = egress
            return _egress_info(egress)

    def _stop_egress(
        self, request: StopEgressRequest, claims: Claims | None
    ) -> Message | TwirpFailure:
        if not (claims and claims.video and claims.video.room_record):
            return _DENIED
        with self._lock:
            egress = self._egresses.get(request.egress_id)
            if egress is None:
                return TwirpFailure("not_found", "egress does not exist")
            if not egress.active:
                status = EgressStatus.Name(egress.status)
                return TwirpFailure(
                    "failed_precondition", f"egress with status {status} cannot be stopped"
                )
            egress.status = EgressStatus.EGRESS_ENDING
            return _egress_info(egress)

    def _remove_participant(
        self, request: RoomParticipantIdentity, claims: Claims | None
    ) -> Message | TwirpFailure:
        if not _is_room_admin(claims, request.room):
            return _DENIED
        with self._lock:
            members = self._rooms.get(request.room, {})
            if members.pop(request.identity, None) is None:
                return TwirpFailure("not_found", "participant does not exist")
        if self.on_leg_ended is not None:
            self.on_leg_ended(request.room, request.identity)
        return RemoveParticipantResponse()


def _egress_info(egress: RecordedEgress) -> EgressInfo:
    """What the server answers for an egress (the request echoed, as livekit-server does)."""
    return EgressInfo(
        egress_id=egress.egress_id,
        room_id="RM_peer",
        room_name=egress.room,
        source_type=EgressSourceType.EGRESS_SOURCE_TYPE_WEB,
        status=egress.status,
        room_composite=egress.request,
    )


def _is_room_admin(claims: Claims | None, room: str) -> bool:
    """livekit-server's EnsureAdminPermission: ``roomAdmin`` scoped to exactly this room."""
    video = claims.video if claims else None
    return bool(video and video.room_admin and video.room == room)


def _make_handler(peer: LiveKitServerPeer) -> type[BaseHTTPRequestHandler]:
    """Request handler bound to ``peer``: HTTP/1.1 keep-alive, like the real server."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep pytest output clean

        def do_GET(self) -> None:
            self._dispatch()

        def do_POST(self) -> None:
            self._dispatch()

        def _dispatch(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = peer.handle_twirp(self.command, self.path, headers, raw)
            if answer is None:  # stalled: drop the connection unanswered
                self.close_connection = True
                return
            status, body, ctype = answer
            self.send_response(status)
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _decode(message_class: type[Message], raw: bytes, content_type: str) -> Message:
    if content_type == _JSON:
        return json_format.Parse(raw or b"{}", message_class())
    return message_class.FromString(raw)


def _encode(answer: Message | TwirpFailure, content_type: str) -> tuple[int, bytes, str]:
    """Twirp answers in the request's encoding; errors are always JSON."""
    if isinstance(answer, TwirpFailure):
        return answer.status, json.dumps(answer.body()).encode(), _JSON
    if content_type == _JSON:
        return 200, json_format.MessageToJson(answer).encode(), _JSON
    return 200, answer.SerializeToString(), _PROTOBUF
