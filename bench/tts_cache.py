"""How much of what the receptionist says the TTS cache serves, and how fast.

The corpus's calls are replayed one after another through one ``TtsRouter`` (espeak only,
``write_behind`` as in the agent), as one agent process would speak them. Five runs:

* ``lru``: the in-process tier alone, starting empty;
* ``shared_first_agent``: LRU plus the shared tier (S3 + DynamoDB on a moto server, its own
  process), starting empty: the first agent of a fleet;
* ``shared_second_agent``: a fresh LRU on the shared tier the first agent filled: a second
  agent task, whose first hits come over the network;
* ``prewarmed``: LRU only, pre-warmed with the demo hotel's fixed prompts in every language;
* ``prewarmed_large_lru``: the same with a 1 GiB LRU, to show what evictions cost the default.

An utterance is one sentence: the session hands the TTS one sentence at a time, so that is
what is looked up, spoken and stored (``realtime_agent.speech.sentences``). A hit is any
sentence served from a tier; the hit ratio counts every sentence, so text refused caching as
personal data (names, codes, phone numbers) counts as a miss.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from pydantic import BaseModel

from bench.corpus import Corpus
from bench.stats import Percentiles, percentiles
from hotelvoice import aws
from hotelvoice.hotels.demo import DEMO_DIALLED_NUMBER
from hotelvoice.pms.demo_hotel import HOTEL, reservations
from hotelvoice.settings import get_settings
from hotelvoice.tts.cache import CacheTier, LruTier, TieredCache
from hotelvoice.tts.espeak_engine import EspeakEngine
from hotelvoice.tts.router import TtsRouter
from hotelvoice.tts.shared_tier import SharedTier
from local_mode.control_plane import FAKE_CREDENTIALS, LOCAL_REGION
from local_mode.moto_process import MotoProcess
from local_mode.template import load_template
from realtime_agent.prewarm import fixed_sentences
from realtime_agent.speech.sentences import split_sentences

BUCKET = "bench-tts-cache"
TABLE = "bench-tts-cache-index"
LARGE_LRU_BYTES = 2**30


class LanguageHits(BaseModel):
    """One language's share of the replay."""

    utterances: int
    hits: int
    hit_ratio: float


class TtsRun(BaseModel):
    """One replay of the corpus through one router."""

    name: str
    utterances: int
    hits: int
    hit_ratio: float
    """Hits over every agent turn (personal text counts as a miss)."""
    cacheable_hit_ratio: float
    """Hits over the turns that were looked up (personal text excluded)."""
    hits_by_tier: dict[str, int]
    by_language: dict[str, LanguageHits]
    personal: int
    """Turns refused caching as personal data: spoken every time, never stored."""
    hit_latency: Percentiles
    """In-process (LRU) hits: the whole ``synthesize`` call."""
    shared_hit_latency: Percentiles
    """Hits the shared tier answered (S3 + DynamoDB round trips to moto)."""
    miss_latency: Percentiles
    """Turns espeak spoke (misses and personal text), lookups included."""
    lru_entries: int = 0
    lru_mib: float = 0.0
    """The in-process tier at the end of the run (``tts_lru_bytes`` bounds it)."""
    prewarmed: dict[str, int] = {}
    prewarm_s: float = 0.0


class TtsResult(BaseModel):
    """The TTS half of ``speech.json``."""

    calls: int
    utterances: int
    distinct_texts: int
    runs: dict[str, TtsRun]


def hotel_public_texts() -> tuple[str, ...]:
    """What the demo hotel publishes: numbers in these never make a text personal."""
    return (HOTEL.front_desk_phone, HOTEL.address, DEMO_DIALLED_NUMBER)


def guest_names(today: date) -> tuple[str, ...]:
    """The demo guests' names: the agent knows them once it has looked a booking up."""
    rows = reservations(today)
    names = {r["reservation"][f] for r in rows for f in ("guest_first_name", "guest_last_name")}
    return tuple(sorted(name for name in names if name))


def espeak_router(tiers: list[CacheTier]) -> TtsRouter:
    """The agent's router with espeak as its only engine (no vendor keys locally)."""
    return TtsRouter([EspeakEngine()], TieredCache(tiers), write_behind=True)


def lru_tier() -> LruTier:
    """The in-process tier as the settings size it."""
    settings = get_settings()
    return LruTier(settings.tts_lru_bytes, ttl_s=settings.tts_cache_ttl_s)


async def replay(name: str, router: TtsRouter, corpus: Corpus, names: tuple[str, ...]) -> TtsRun:
    """Speak every call's turns in order; time each one and note where it came from."""
    public = hotel_public_texts()
    tiers: list[str | None] = []
    languages: list[str] = []
    latencies: list[float] = []
    personal = 0
    for call in corpus.calls:
        for utterance in call.utterances:
            for sentence in split_sentences(utterance.text):
                refused = router.stats.not_cached_personal
                started = time.perf_counter()
                result = await router.synthesize(
                    sentence, locale=utterance.language, known_names=names, public_texts=public
                )
                latencies.append(time.perf_counter() - started)
                personal += router.stats.not_cached_personal - refused
                tiers.append(result.cache_tier)
                languages.append(utterance.language)
    await router.flush()
    run = _run_of(name, tiers, languages, latencies, personal)
    assert router.cache is not None
    lru = router.cache.tiers[0]
    if isinstance(lru, LruTier):
        run.lru_entries, run.lru_mib = len(lru), round(lru.size_bytes / 2**20, 1)
    return run


def _run_of(
    name: str,
    tiers: list[str | None],
    languages: list[str],
    latencies: list[float],
    personal: int,
) -> TtsRun:
    hits = sum(tier is not None for tier in tiers)
    total, looked_up = len(tiers), len(tiers) - personal
    by_language = {}
    for language in sorted(set(languages)):
        mine = [tier for tier, lang in zip(tiers, languages, strict=True) if lang == language]
        mine_hits = sum(tier is not None for tier in mine)
        by_language[language] = LanguageHits(
            utterances=len(mine), hits=mine_hits, hit_ratio=round(mine_hits / len(mine), 4)
        )
    return TtsRun(
        name=name,
        utterances=total,
        hits=hits,
        hit_ratio=round(hits / total, 4) if total else 0.0,
        cacheable_hit_ratio=round(hits / looked_up, 4) if looked_up else 0.0,
        hits_by_tier=dict(Counter(tier for tier in tiers if tier is not None)),
        by_language=by_language,
        personal=personal,
        hit_latency=percentiles(_where(latencies, tiers, "lru")),
        shared_hit_latency=percentiles(_where(latencies, tiers, "shared")),
        miss_latency=percentiles(_where(latencies, tiers, None)),
    )


def _where(latencies: list[float], tiers: list[str | None], tier: str | None) -> list[float]:
    return [s for s, t in zip(latencies, tiers, strict=True) if t == tier]


@contextmanager
def shared_tier_on_moto() -> Iterator[SharedTier]:
    """An empty shared tier: the template's bucket and index table on a moto server."""
    saved = dict(os.environ)
    moto = MotoProcess().start()
    try:
        os.environ.update(
            {**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": moto.url, "AWS_REGION": LOCAL_REGION}
        )
        get_settings.cache_clear()
        aws.reset_clients()
        table = load_template().resources["TtsCacheTable"]["Properties"]
        aws.client("dynamodb").create_table(
            TableName=TABLE,
            BillingMode=table["BillingMode"],
            AttributeDefinitions=table["AttributeDefinitions"],
            KeySchema=table["KeySchema"],
        )
        aws.client("s3").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION}
        )
        yield SharedTier(BUCKET, TABLE, ttl_s=get_settings().tts_cache_ttl_s)
    finally:
        moto.stop()
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
        aws.reset_clients()


async def prewarmed_replay(
    name: str, lru: LruTier, corpus: Corpus, names: tuple[str, ...]
) -> TtsRun:
    """Pre-warm a fresh router with the fixed prompts of the corpus's languages, then replay."""
    router = espeak_router([lru])
    started = time.perf_counter()
    report = await router.prewarm(
        fixed_sentences(HOTEL, sorted({u.language for c in corpus.calls for u in c.utterances})),
        public_texts=hotel_public_texts(),
    )
    prewarm_s = time.perf_counter() - started
    run = await replay(name, router, corpus, names)
    run.prewarmed = vars(report).copy()
    run.prewarm_s = round(prewarm_s, 2)
    return run


async def run_tts(corpus: Corpus, today: date) -> TtsResult:
    """The replays of the corpus (see the module docstring)."""
    names = guest_names(today)
    runs = [await replay("lru", espeak_router([lru_tier()]), corpus, names)]
    with shared_tier_on_moto() as shared:
        runs.append(
            await replay("shared_first_agent", espeak_router([lru_tier(), shared]), corpus, names)
        )
        runs.append(
            await replay("shared_second_agent", espeak_router([lru_tier(), shared]), corpus, names)
        )
    runs.append(await prewarmed_replay("prewarmed", lru_tier(), corpus, names))
    big = LruTier(LARGE_LRU_BYTES, ttl_s=get_settings().tts_cache_ttl_s)
    runs.append(await prewarmed_replay("prewarmed_large_lru", big, corpus, names))
    texts = {(u.language, u.text) for c in corpus.calls for u in c.utterances}
    return TtsResult(
        calls=len(corpus.calls),
        utterances=corpus.utterances,
        distinct_texts=len(texts),
        runs={run.name: run for run in runs},
    )
