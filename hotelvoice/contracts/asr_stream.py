"""The ASR proxy's streaming protocol (``WS /v1/transcribe/stream``), shared by both ends.

Handshake: ``GET /v1/transcribe/stream?sample_rate=8000|16000[&language=de]`` with
``Authorization: Bearer <service token>``. Then the client sends binary frames of 16-bit
little-endian mono PCM at that rate (any size up to ``MAX_FRAME_BYTES``, even byte counts),
and text frames holding one :class:`ClientMessage` as JSON: ``flush`` asks for a final of what
was heard so far, ``end`` says no more audio is coming.

The server answers with text frames holding one :class:`ServerMessage` each: ``partial``
results while the caller speaks, a ``final`` per utterance, an ``error`` just before an
abnormal close, and ``end`` after the last final, then closes with ``CLOSE_NORMAL``.
Every abnormal close uses one of the codes below, with the error ``code`` as the reason.
The server accepts every handshake and refuses afterwards (bad token, bad query, too many
streams), so a refusal, too, is an ``error`` message and a close code, never a bare HTTP status.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, Field

from hotelvoice.contracts.asr import WordTiming

MAX_FRAME_BYTES: Final = 64 * 1024
"""Largest binary frame accepted (2 s at 16 kHz); bigger frames are ``bad_audio``."""

CLOSE_NORMAL: Final = 1000
"""After ``end``: every final has been sent."""
CLOSE_BAD_REQUEST: Final = 4400
"""Bad audio (odd byte count, frame too large, too long in total) or a malformed message."""
CLOSE_UNAUTHORIZED: Final = 4401
"""Missing, expired or invalid token."""
CLOSE_FORBIDDEN: Final = 4403
"""A valid token without the ``service`` role."""
CLOSE_OVERLOADED: Final = 1013
"""Try again later: the proxy already serves its maximum of concurrent streams."""
CLOSE_BACKEND_UNAVAILABLE: Final = 1011
"""The recogniser failed and did not come back within the stream's reconnect budget."""
CLOSE_IDLE: Final = 4408
"""No audio or message for longer than the idle timeout."""


class FlushMessage(BaseModel):
    """Finish the current utterance now: a ``final`` follows for what was heard.

    Every flush gets its final, with empty text when nothing was heard since the last one.
    """

    type: Literal["flush"]


class EndMessage(BaseModel):
    """No more audio: the server sends the last finals, then ``end``, then closes."""

    type: Literal["end"]


ClientMessage = Annotated[FlushMessage | EndMessage, Field(discriminator="type")]


class PartialResult(BaseModel):
    """What the recogniser thinks so far; a later partial or final replaces it."""

    type: Literal["partial"] = "partial"
    text: str
    stability: float | None = None


class FinalResult(BaseModel):
    """One utterance, recognised for good."""

    type: Literal["final"] = "final"
    text: str
    confidence: float | None = None
    words: list[WordTiming] = Field(default_factory=list)
    language: str
    """The hint, or lingua's guess from the text when the client gave none."""
    start_s: float = 0.0
    """Offset of the utterance from the start of the stream."""
    end_s: float = 0.0


class StreamError(BaseModel):
    """Why the server is about to close the stream abnormally."""

    code: str
    message: str


class ErrorMessage(BaseModel):
    """Sent once, right before a close with one of the ``CLOSE_*`` codes."""

    type: Literal["error"] = "error"
    error: StreamError


class StreamEnd(BaseModel):
    """The last message of a stream the client ended."""

    type: Literal["end"] = "end"
    audio_s: float


ServerMessage = Annotated[
    PartialResult | FinalResult | ErrorMessage | StreamEnd, Field(discriminator="type")
]
