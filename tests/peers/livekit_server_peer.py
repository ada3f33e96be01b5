"""A local HTTP peer that speaks LiveKit's server API: Twirp over HTTP with protobuf bodies.

Tests drive the *real* ``livekit.api.LiveKitAPI`` against this server instead of patching our
code, so request encoding, token signing and Twirp error decoding run exactly as in
production. Behaviour follows livekit-server (``pkg/service/auth.go``, ``roomservice.go``,
``sip.go``) and twirp: see README.md for what is and is not modelled.
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

__all__ = ["BUSY_HERE", "LiveKitServerPeer", "RecordedTwirpRequest", "TwirpFailure"]

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

    def __init__(self, *, api_key: str, api_secret: str) -> None:
        self.api_key = api_key
        self._verifier = TokenVerifier(api_key, api_secret)
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, dict[str, str]]] = {}
        self._requests: list[RecordedTwirpRequest] = []
        self._transfer_outcomes: list[TransferOutcome] = []
        self._transfer_ids = itertools.count(1)
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
        }
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
        return outcome

    def _delete_room(
        self, request: DeleteRoomRequest, claims: Claims | None
    ) -> Message | TwirpFailure:
        if not (claims and claims.video and claims.video.room_create):
            return _DENIED
        with self._lock:
            if self._rooms.pop(request.room, None) is None:
                return TwirpFailure("not_found", "requested room does not exist")
        return DeleteRoomResponse()

    def _remove_participant(
        self, request: RoomParticipantIdentity, claims: Claims | None
    ) -> Message | TwirpFailure:
        if not _is_room_admin(claims, request.room):
            return _DENIED
        with self._lock:
            members = self._rooms.get(request.room, {})
            if members.pop(request.identity, None) is None:
                return TwirpFailure("not_found", "participant does not exist")
        return RemoveParticipantResponse()


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
            path = self.path.split("?", 1)[0]
            claims: Claims | None = None
            message: Message | None = None
            content_type = headers.get("content-type", "").split(";", 1)[0].strip()

            auth = peer._authenticate(headers.get("authorization"))
            route = peer._routes.get(path)
            if isinstance(auth, str):
                # The auth middleware runs before Twirp and answers in plain text, not JSON.
                status, body, ctype = 401, auth.encode(), "text/plain; charset=utf-8"
            else:
                claims = auth
                answer: Message | TwirpFailure
                if self.command != "POST" or route is None:
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
            peer._record(RecordedTwirpRequest(path, headers, message, claims, status))
            if peer._stall_s:
                peer._stopping.wait(peer._stall_s)
                self.close_connection = True
                return
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
