"""Synthesised audio, kept so a prompt is paid for and waited for once.

Most of what a receptionist says is the same on every call (greeting, questions, hotel
facts), so audio is cached under a hash of everything that shapes it: engine, voice, locale,
format and the normalised text. Two tiers sit behind one protocol: an in-process LRU (a hit
costs microseconds) and S3 with a DynamoDB index (:mod:`hotelvoice.tts.shared_tier`: a hit
costs one round trip, and the whole fleet shares it). :class:`TieredCache` walks them
fastest first and copies a slower tier's hit into the faster ones.

Personal text is never offered to the cache: :mod:`hotelvoice.tts.router` decides that
before calling ``put``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from hotelvoice.tts.engine import AudioFormat, Voice
from hotelvoice.tts.normalise import normalise

CACHE_SCHEME: Final = "hotelvoice-tts/1"
"""Hashed into every key: changing how audio is made or keyed bumps it, and no old entry
can ever be served for a new key."""


@dataclass(frozen=True)
class CacheKey:
    """Where one utterance's audio lives in every tier.

    Attributes:
        digest: SHA-256 hex of the scheme, engine, voice id, locale, format and text.
        voice: The voice that spoke it (engine, voice id, locale).
        fmt: The audio format.
    """

    digest: str
    voice: Voice
    fmt: AudioFormat

    @classmethod
    def of(cls, voice: Voice, fmt: AudioFormat, text: str) -> CacheKey:
        """The key of ``text`` spoken by ``voice`` in ``fmt`` (``text`` is normalised here)."""
        material = [CACHE_SCHEME, voice.engine, voice.voice_id, voice.locale, fmt.value]
        encoded = json.dumps([*material, normalise(text)], ensure_ascii=False)
        return cls(hashlib.sha256(encoded.encode()).hexdigest(), voice, fmt)


class CacheTier(Protocol):
    """One place audio can be kept; a tier never raises for a miss or a lost write."""

    name: str

    async def get(self, key: CacheKey) -> bytes | None:
        """The audio, or None when absent or expired."""
        ...

    async def put(self, key: CacheKey, audio: bytes) -> None:
        """Keep ``audio`` under ``key`` (best effort)."""
        ...


class LruTier:
    """In-process, bounded by bytes, entries expire; O(1) per operation.

    A lock makes it safe from worker threads too; on the event loop it is never contended.
    """

    def __init__(
        self,
        max_bytes: int,
        *,
        ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
        name: str = "lru",
    ) -> None:
        """Start empty.

        Args:
            max_bytes: Audio bytes kept at most; least recently used entries go first.
            ttl_s: An entry's lifetime from when it was stored.
            clock: Monotonic seconds; tests pass a fake.
            name: The tier's name in stats.
        """
        self.name = name
        self._max_bytes = max_bytes
        self._ttl_s = ttl_s
        self._clock = clock
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def size_bytes(self) -> int:
        """Audio bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: CacheKey) -> bytes | None:
        """The audio if present and fresh; a hit becomes the most recently used."""
        with self._lock:
            entry = self._entries.get(key.digest)
            if entry is None:
                return None
            audio, expires_at = entry
            if self._clock() >= expires_at:
                self._drop(key.digest)
                return None
            self._entries.move_to_end(key.digest)
            return audio

    async def put(self, key: CacheKey, audio: bytes) -> None:
        """Store, evicting the least recently used until it fits; too big: not stored."""
        if len(audio) > self._max_bytes:
            return
        with self._lock:
            if key.digest in self._entries:
                self._drop(key.digest)
            self._entries[key.digest] = (audio, self._clock() + self._ttl_s)
            self._bytes += len(audio)
            while self._bytes > self._max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, digest: str) -> None:
        audio, _ = self._entries.pop(digest)
        self._bytes -= len(audio)


@dataclass
class TierCounts:
    """Lookups one tier answered, and writes it took."""

    hits: int = 0
    misses: int = 0
    puts: int = 0


@dataclass
class CacheStats:
    """Hit and miss counts per tier, for ``make demo``, ``make bench`` and metrics."""

    tiers: dict[str, TierCounts] = field(default_factory=dict)
    lookups: int = 0
    hits: int = 0

    @property
    def hit_ratio(self) -> float:
        """Share of lookups answered by any tier (0 before the first lookup)."""
        return self.hits / self.lookups if self.lookups else 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON output."""
        return {
            "lookups": self.lookups,
            "hits": self.hits,
            "hit_ratio": round(self.hit_ratio, 4),
            "tiers": {name: vars(counts).copy() for name, counts in self.tiers.items()},
        }


@dataclass(frozen=True)
class CacheHit:
    """Audio found, and the tier that had it."""

    audio: bytes
    tier: str


class TieredCache:
    """Tiers fastest first: a lookup stops at the first hit and copies it into faster tiers."""

    def __init__(self, tiers: Sequence[CacheTier]) -> None:
        """Use ``tiers`` in this order (e.g. ``[LruTier, SharedTier]``)."""
        self.tiers = list(tiers)
        self.stats = CacheStats(tiers={tier.name: TierCounts() for tier in self.tiers})

    async def get(self, key: CacheKey, *, count: bool = True) -> CacheHit | None:
        """The audio from the first tier that has it, back-filling the tiers before it.

        Args:
            key: What to look up.
            count: False for bookkeeping lookups (pre-warming) that must not skew the stats.
        """
        if count:
            self.stats.lookups += 1
        for index, tier in enumerate(self.tiers):
            audio = await tier.get(key)
            counts = self.stats.tiers[tier.name]
            if audio is None:
                counts.misses += int(count)
                continue
            counts.hits += int(count)
            self.stats.hits += int(count)
            for faster in self.tiers[:index]:
                await faster.put(key, audio)
            return CacheHit(audio, tier.name)
        return None

    async def put(self, key: CacheKey, audio: bytes) -> None:
        """Write every tier, fastest first."""
        for tier in self.tiers:
            await tier.put(key, audio)
            self.stats.tiers[tier.name].puts += 1
