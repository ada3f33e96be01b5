"""What one utterance gives back: its chunks or its whole audio, and how it was made.

Kept apart from the router so callers (the TTS Lambda, the agent's plugin, the benchmark)
read the result types without the routing logic around them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field
from typing import Self

from hotelvoice.errors import Unavailable
from hotelvoice.tts.cache import CacheKey
from hotelvoice.tts.engine import AudioFormat, Voice


class SpeechUnavailable(Unavailable):
    """No engine could speak the utterance (and no cached copy existed).

    The agent apologises with what it has and offers the front desk; the Lambda answers 503.
    """

    code = "speech_unavailable"

    def __init__(self, message: str, *, failed: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.failed = tuple(failed)


@dataclass
class UtteranceOutcome:
    """What happened to one utterance, filled in while it is spoken."""

    voice: Voice | None = None
    key: CacheKey | None = None
    cache_tier: str | None = None
    stored: bool = False
    failed: list[str] = field(default_factory=list)
    restarts: int = 0


@dataclass(frozen=True)
class Synthesis:
    """One whole utterance and how it was made (what the Lambda returns).

    Attributes:
        audio: 16-bit mono PCM at ``fmt``'s rate (empty for text with nothing to say).
        fmt: The audio format.
        voice: The voice that spoke it (``voice.engine`` is the engine).
        cache_hit: Served from the cache.
        cache_tier: The tier that had it (``lru``, ``shared``), None on a miss.
        stored: Handed to the cache now (written, or being written with ``write_behind``).
        key: The cache key of this audio; None for text that may not be cached.
        failed: Engines that failed before one succeeded, in order.
    """

    audio: bytes
    fmt: AudioFormat
    voice: Voice
    cache_hit: bool
    cache_tier: str | None
    stored: bool
    key: CacheKey | None
    failed: tuple[str, ...]


class SpeechStream:
    """Chunks of one utterance as soon as they exist; ``async for`` over it.

    The attributes fill in while it plays: ``voice`` is known with the first chunk, ``stored``
    at the end. Stopping early (barge-in) is fine: ``aclose`` releases the engine.
    """

    def __init__(
        self, events: AsyncGenerator[bytes | None, None], outcome: UtteranceOutcome
    ) -> None:
        self._events = events
        self._outcome = outcome

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> bytes:
        while True:
            event = await anext(self._events)
            if event is not None:  # None: the next engine starts the utterance over
                return event

    async def aclose(self) -> None:
        """Stop speaking: the engine's request is closed, nothing is cached."""
        await self._events.aclose()

    @property
    def voice(self) -> Voice | None:
        """The voice speaking now (None before the first chunk)."""
        return self._outcome.voice

    @property
    def cache_hit(self) -> bool:
        """Served from the cache."""
        return self._outcome.cache_tier is not None

    @property
    def cache_tier(self) -> str | None:
        """The tier that had it."""
        return self._outcome.cache_tier

    @property
    def stored(self) -> bool:
        """Written to the cache (known once the stream is exhausted)."""
        return self._outcome.stored

    @property
    def failed(self) -> tuple[str, ...]:
        """Engines that failed for this utterance."""
        return tuple(self._outcome.failed)

    @property
    def restarts(self) -> int:
        """Times a failing engine's partial audio was followed by a restart."""
        return self._outcome.restarts


@dataclass
class RouterStats:
    """Counts for logs, ``make demo`` and ``make bench`` (cache counts are in the cache)."""

    utterances: int = 0
    served_by: Counter[str] = field(default_factory=Counter)
    engine_failures: Counter[str] = field(default_factory=Counter)
    fallbacks: int = 0
    """Utterances an engine other than the chain's first spoke (or served from its cache)."""
    not_cached_personal: int = 0
    unavailable: int = 0


@dataclass(frozen=True)
class PrewarmReport:
    """What :meth:`TtsRouter.prewarm` did with each text."""

    stored: int = 0
    already_cached: int = 0
    personal: int = 0
    failed: int = 0
