"""What the agent asks the LiveKit server to do to a call: transfer, hang up, record.

All go through the server API (``livekit.api.LiveKitAPI``, Twirp), not through the room
connection: only the server can REFER a SIP caller elsewhere, end the call for everyone or
start an egress. Every failure surfaces as ``RoomActionFailed`` so the dialogue has one thing
to catch: apologise and take a message instead (or, for a recording, carry on without one).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import TracebackType

import aiohttp
from livekit.api import LiveKitAPI, ServerError, SipCallError
from livekit.protocol.egress import (
    EgressStatus,
    EncodedFileOutput,
    EncodedFileType,
    RoomCompositeEgressRequest,
    S3Upload,
    StopEgressRequest,
)
from livekit.protocol.room import DeleteRoomRequest, RoomParticipantIdentity
from livekit.protocol.sip import (
    SIPTransferReason,
    SIPTransferStatus,
    TransferSIPParticipantRequest,
)

from hotelvoice.contracts.call_events import ID_PATTERN
from hotelvoice.contracts.hotels import HOTEL_ID_PATTERN
from hotelvoice.errors import HotelVoiceError
from hotelvoice.settings import Settings

log = logging.getLogger("hotelvoice.agent.room_actions")

_SIP_URI = re.compile(r"^(tel|sip|sips):\S+$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-./()]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_FAILED_EGRESS = (
    EgressStatus.EGRESS_FAILED,
    EgressStatus.EGRESS_ABORTED,
    EgressStatus.EGRESS_LIMIT_REACHED,
)


@dataclass(frozen=True)
class RecordingTarget:
    """The S3 bucket LiveKit egress writes call recordings to (``settings.recordings_bucket``).

    No credentials travel with the request: the hotel group's egress writes with its own
    role (self-hosted egress on AWS uses its task role; see ``docs/telephony.md``).
    """

    bucket: str
    region: str

    @classmethod
    def from_settings(cls, settings: Settings) -> RecordingTarget | None:
        """The configured bucket, or ``None`` when none is (calls then go unrecorded)."""
        if not settings.recordings_bucket:
            return None
        return cls(settings.recordings_bucket, settings.aws_region)


def recording_path(hotel_id: str, call_id: str) -> str | None:
    """``recordings/<hotel_id>/<call_id>.ogg``, or ``None`` if an id is unfit for the key.

    Object keys must hold no personal data: the ids are checked against the patterns the
    call record uses, which a room named after the caller (``call-_+4917…``) fails.
    """
    if re.fullmatch(HOTEL_ID_PATTERN, hotel_id) is None:
        return None
    if re.fullmatch(ID_PATTERN, call_id) is None:
        return None
    return f"recordings/{hotel_id}/{call_id}.ogg"


class RoomActionFailed(HotelVoiceError):
    """The LiveKit server did not do what the agent asked; the caller is still on the line.

    ``twirp_code`` is the server's error code (``None`` when no Twirp error came back, e.g. a
    timeout or a transfer the server reported as failed); ``sip_status_code`` is set when the
    transfer target answered with a SIP error (486 busy, 480 unavailable…).
    """

    status = 502
    code = "room_action_failed"

    def __init__(
        self,
        action: str,
        message: str,
        *,
        twirp_code: str | None = None,
        http_status: int | None = None,
        sip_status_code: int | None = None,
        transfer_reason: str | None = None,
    ) -> None:
        super().__init__(f"{action} failed: {message}")
        self.action = action
        self.twirp_code = twirp_code
        self.http_status = http_status
        self.sip_status_code = sip_status_code
        self.transfer_reason = transfer_reason


def transfer_uri(target: str) -> str:
    """``tel:``/``sip:`` URIs unchanged; a bare E.164 number (``+49 30 1234567``) as ``tel:``.

    Raises ``ValueError`` for anything else, so a misconfigured front-desk number can be
    rejected when the hotel's settings are loaded rather than in the middle of a call.
    """
    target = target.strip()
    if _SIP_URI.match(target):
        return target
    number = _SEPARATORS.sub("", target)
    if not _E164.match(number):
        raise ValueError(f"not a tel:/sip: URI or E.164 number: {target!r}")
    return f"tel:{number}"


class RoomActions:
    """Server-side actions on the call's room; one per worker process, closed with ``aclose``.

    Requests are made once, without the SDK's multi-region failover: a caller on hold is
    better served by a prompt failure (and a message taken) than by retries, and replaying a
    transfer could dial the front desk twice. Every request is bounded by ``request_timeout_s``
    except a transfer, which may also ring the target for ``ring_timeout_s``.
    """

    def __init__(
        self,
        url: str,
        api_key: str,
        api_secret: str,
        *,
        request_timeout_s: float = 5.0,
        ring_timeout_s: float = 20.0,
    ) -> None:
        self._url = url
        self._api_key = api_key
        self._api_secret = api_secret
        self._request_timeout_s = request_timeout_s
        self._ring_timeout_s = ring_timeout_s
        self._api: LiveKitAPI | None = None

    def _client(self) -> LiveKitAPI:
        # aiohttp sessions must be created inside the running loop, so not in __init__.
        if self._api is None:
            self._api = LiveKitAPI(
                self._url,
                self._api_key,
                self._api_secret,
                timeout=aiohttp.ClientTimeout(total=self._request_timeout_s),
                failover=False,
            )
        return self._api

    async def aclose(self) -> None:
        """Close the HTTP session; safe to call twice or before any request."""
        if self._api is not None:
            api, self._api = self._api, None
            await api.aclose()

    async def __aenter__(self) -> RoomActions:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def transfer_caller(
        self,
        room: str,
        participant_identity: str,
        transfer_to: str,
        *,
        play_dialtone: bool = False,
    ) -> str:
        """Cold-transfer the SIP caller (SIP REFER); returns the server's transfer id.

        After success the caller has left the room and the agent should end its session.
        ``transfer_to`` is a ``tel:``/``sip:`` URI or a bare E.164 number.
        """
        try:
            target = transfer_uri(transfer_to)
        except ValueError as exc:
            raise RoomActionFailed("transfer", str(exc), twirp_code="invalid_argument") from exc
        request = TransferSIPParticipantRequest(
            room_name=room,
            participant_identity=participant_identity,
            transfer_to=target,
            play_dialtone=play_dialtone,
        )
        request.ringing_timeout.FromNanoseconds(int(self._ring_timeout_s * 1e9))
        timeout_s = self._ring_timeout_s + self._request_timeout_s
        async with _bounded("transfer", timeout_s):
            response = await self._client().sip.transfer_sip_participant(request, timeout=timeout_s)
        # A 200 can still carry a failed outcome; an older server answers an empty body, which
        # decodes as STS_TRANSFER_ONGOING and means it accepted the transfer.
        if response.status == SIPTransferStatus.STS_TRANSFER_FAILED:
            reason = SIPTransferReason.Name(response.reason)
            sip_code = response.sip_status.code or None
            log.warning("transfer failed: %s (SIP %s)", reason, sip_code)
            raise RoomActionFailed(
                "transfer",
                f"the server reported {reason}",
                sip_status_code=sip_code,
                transfer_reason=reason,
            )
        return response.transfer_id

    async def end_call(self, room: str) -> None:
        """Hang up by deleting the room: LiveKit SIP ends the call of every SIP participant."""
        async with _bounded("end_call", self._request_timeout_s):
            await self._client().room.delete_room(DeleteRoomRequest(room=room))

    async def start_recording(self, room: str, filepath: str, target: RecordingTarget) -> str:
        """Record the room's audio (room composite egress, Ogg) to ``target``; the egress id.

        The room's mixed audio is what the caller and the agent heard. No manifest is
        written next to the file: it would name the room and its participants.
        """
        request = RoomCompositeEgressRequest(
            room_name=room,
            audio_only=True,
            file_outputs=[
                EncodedFileOutput(
                    file_type=EncodedFileType.OGG,
                    filepath=filepath,
                    disable_manifest=True,
                    s3=S3Upload(bucket=target.bucket, region=target.region),
                )
            ],
        )
        async with _bounded("start_recording", self._request_timeout_s):
            info = await self._client().egress.start_room_composite_egress(request)
        if info.status in _FAILED_EGRESS or not info.egress_id:
            status = EgressStatus.Name(info.status)
            raise RoomActionFailed("start_recording", f"the server reported {status}")
        return info.egress_id

    async def stop_recording(self, egress_id: str) -> None:
        """Stop an egress; what it wrote so far stays in the bucket (the hotel's retention)."""
        async with _bounded("stop_recording", self._request_timeout_s):
            await self._client().egress.stop_egress(StopEgressRequest(egress_id=egress_id))

    async def remove_participant(self, room: str, identity: str) -> None:
        """Drop one participant (a SIP caller is hung up) while the room lives on."""
        async with _bounded("remove_participant", self._request_timeout_s):
            await self._client().room.remove_participant(
                RoomParticipantIdentity(room=room, identity=identity)
            )


@asynccontextmanager
async def _bounded(action: str, timeout_s: float) -> AsyncIterator[None]:
    """Our own deadline and error translation around one server call.

    The deadline cannot be left to the SDK: livekit-api passes ``timeout=None`` to aiohttp for
    room calls, which switches the session's timeout off instead of inheriting it.
    """
    try:
        async with asyncio.timeout(timeout_s):
            yield
    except (ServerError, aiohttp.ClientError, TimeoutError) as exc:
        raise _failed(action, exc) from exc


def _failed(action: str, exc: BaseException) -> RoomActionFailed:
    """One error type for the dialogue, keeping the server's code for logs and branching."""
    if isinstance(exc, ServerError):
        # livekit-server's auth middleware answers 401 in plain text: the SDK then reports
        # code "unknown" with an empty message, so the HTTP status is the only clue.
        sip = exc if isinstance(exc, SipCallError) else None
        log.warning("%s failed: %s (HTTP %s)", action, exc.code, exc.status)
        return RoomActionFailed(
            action,
            f"{exc.code}: {exc.message or 'no message'} (HTTP {exc.status})",
            twirp_code=exc.code,
            http_status=exc.status,
            sip_status_code=sip.sip_status_code if sip else None,
            transfer_reason=sip.sip_transfer_reason if sip else None,
        )
    if isinstance(exc, TimeoutError):
        log.warning("%s failed: no answer in time", action)
        return RoomActionFailed(action, "the LiveKit server did not answer in time")
    log.warning("%s failed: %s", action, type(exc).__name__)
    return RoomActionFailed(action, f"the LiveKit server is unreachable ({type(exc).__name__})")
