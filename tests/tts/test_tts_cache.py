"""Cache keys, the in-process LRU, the S3 + DynamoDB shared tier (moto) and the tiered walk."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto_tts_cache import CacheStore, mocked_aws, new_store

from hotelvoice import aws
from hotelvoice.tts.cache import CacheKey, LruTier, TieredCache
from hotelvoice.tts.engine import AudioFormat, Voice
from hotelvoice.tts.shared_tier import SharedTier

VOICE = Voice("azure", "de-DE-KatjaNeural", "de-DE")
FMT = AudioFormat.PCM_16000
TTL_S = 3600


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def key(text: str, voice: Voice = VOICE, fmt: AudioFormat = FMT) -> CacheKey:
    return CacheKey.of(voice, fmt, text)


# -- keys ------------------------------------------------------------------------------


def test_key_covers_everything_that_shapes_the_audio() -> None:
    base = key("Guten Tag.")
    others = [
        key("Guten Tag!"),
        key("guten Tag."),
        key("Guten Tag.", Voice("elevenlabs", "de-DE-KatjaNeural", "de-DE")),
        key("Guten Tag.", Voice("azure", "de-DE-ConradNeural", "de-DE")),
        key("Guten Tag.", Voice("azure", "de-DE-KatjaNeural", "de-AT")),
        key("Guten Tag.", fmt=AudioFormat.PCM_8000),
    ]
    assert len({base.digest, *(k.digest for k in others)}) == 1 + len(others)
    assert len(base.digest) == 64


def test_key_is_stable_over_spelling_variants() -> None:
    assert key("  Guten\u00a0Tag\u2026 ").digest == key("Guten Tag...").digest


# -- LRU ---------------------------------------------------------------------------------


async def test_lru_hit_miss_and_ttl() -> None:
    clock = FakeClock()
    lru = LruTier(1000, ttl_s=60, clock=clock)
    assert await lru.get(key("a")) is None
    await lru.put(key("a"), b"\x01\x00" * 10)
    assert await lru.get(key("a")) == b"\x01\x00" * 10
    clock.now += 59.9
    assert await lru.get(key("a")) is not None
    clock.now += 0.1
    assert await lru.get(key("a")) is None
    assert (len(lru), lru.size_bytes) == (0, 0)


async def test_lru_evicts_least_recently_used_by_bytes() -> None:
    lru = LruTier(300, ttl_s=60, clock=FakeClock())
    for name in "abc":
        await lru.put(key(name), name.encode() * 100)
    assert await lru.get(key("a"))  # "a" is now the most recent, "b" the least
    await lru.put(key("d"), b"d" * 100)
    assert await lru.get(key("b")) is None
    assert [await lru.get(key(n)) is not None for n in "acd"] == [True, True, True]
    assert lru.size_bytes == 300
    await lru.put(key("e"), b"e" * 150)  # the two least recent ("a", "c") make room
    assert [await lru.get(key(n)) is not None for n in "acde"] == [False, False, True, True]
    assert (len(lru), lru.size_bytes) == (2, 250)


async def test_lru_skips_entries_larger_than_its_budget() -> None:
    lru = LruTier(100, ttl_s=60)
    await lru.put(key("big"), b"x" * 101)
    assert await lru.get(key("big")) is None
    assert lru.size_bytes == 0


async def test_lru_replacing_an_entry_keeps_the_byte_count_right() -> None:
    lru = LruTier(1000, ttl_s=60)
    await lru.put(key("a"), b"x" * 100)
    await lru.put(key("a"), b"y" * 40)
    assert (len(lru), lru.size_bytes) == (1, 40)


# -- shared tier (moto) -------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto() -> Iterator[None]:
    with mocked_aws():
        yield


@pytest.fixture
def store(moto: None) -> CacheStore:
    return new_store()


def shared(store: CacheStore, clock: FakeClock) -> SharedTier:
    return SharedTier(store.bucket, store.table, ttl_s=TTL_S, clock=clock)


async def test_shared_tier_writes_object_then_index(store: CacheStore) -> None:
    clock = FakeClock()
    tier = shared(store, clock)
    k = key("Willkommen im Hotel Aurora.")
    assert await tier.get(k) is None
    await tier.put(k, b"\x10\x00" * 500)
    assert await tier.get(k) == b"\x10\x00" * 500

    [obj] = store.objects()
    assert obj["Key"] == f"tts/{k.digest}.pcm" == tier.object_key(k)
    head = aws.client("s3").head_object(Bucket=store.bucket, Key=obj["Key"])
    assert head["Metadata"] == {
        "engine": "azure",
        "voice": "de-DE-KatjaNeural",
        "locale": "de-DE",
        "format": "pcm_16000",
    }
    [item] = store.items()
    assert item["pk"] == {"S": k.digest}
    assert item["object_key"] == {"S": obj["Key"]}
    assert item["bytes"] == {"N": "1000"}
    assert int(item["expires_at"]["N"]) == int(clock.now) + TTL_S


async def test_an_expired_index_item_is_a_miss_before_dynamodb_deletes_it(
    store: CacheStore,
) -> None:
    clock = FakeClock()
    tier = shared(store, clock)
    k = key("Auf Wiederhören.")
    await tier.put(k, b"\x01\x02" * 50)
    clock.now += TTL_S
    assert await tier.get(k) is None
    assert len(store.items()) == 1  # still there: DynamoDB's TTL runs late

    await tier.put(k, b"\x03\x04" * 50)  # an expired entry may be replaced
    assert await tier.get(k) == b"\x03\x04" * 50


async def test_a_racing_second_writer_does_not_replace_the_index(store: CacheStore) -> None:
    clock = FakeClock()
    first, second = shared(store, clock), shared(store, clock)
    k = key("Einen Moment, bitte.")
    await first.put(k, b"\x01\x00" * 10)
    clock.now += 5
    await second.put(k, b"\x02\x00" * 10)
    [item] = store.items()
    assert item["created_at"] == {"N": str(int(clock.now) - 5)}
    assert first.errors == second.errors == 0


async def test_an_index_item_whose_object_is_gone_is_a_miss(store: CacheStore) -> None:
    tier = shared(store, FakeClock())
    k = key("Gute Nacht.")
    await tier.put(k, b"\x01\x00" * 10)
    aws.client("s3").delete_object(Bucket=store.bucket, Key=tier.object_key(k))
    assert await tier.get(k) is None
    assert tier.errors == 0


async def test_aws_failures_are_misses_not_exceptions(moto: None) -> None:
    tier = SharedTier("no-such-bucket", "no-such-table", ttl_s=TTL_S)
    assert await tier.get(key("Hallo.")) is None
    await tier.put(key("Hallo."), b"\x00\x00")
    assert tier.errors == 2


# -- tiered -------------------------------------------------------------------------------


async def test_tiered_walk_backfills_faster_tiers_and_counts(store: CacheStore) -> None:
    lru = LruTier(10_000, ttl_s=TTL_S)
    tier = shared(store, FakeClock())
    cache = TieredCache([lru, tier])
    k = key("Wie kann ich helfen?")
    assert await cache.get(k) is None
    await tier.put(k, b"\x05\x00" * 20)  # another process cached it

    hit = await cache.get(k)
    assert hit is not None
    assert (hit.tier, hit.audio) == ("shared", b"\x05\x00" * 20)
    assert await lru.get(k) == hit.audio  # back-filled
    again = await cache.get(k)
    assert again is not None
    assert again.tier == "lru"

    stats = cache.stats.as_dict()
    assert stats["lookups"] == 3
    assert stats["hits"] == 2
    assert stats["tiers"]["lru"] == {"hits": 1, "misses": 2, "puts": 0}
    assert stats["tiers"]["shared"] == {"hits": 1, "misses": 1, "puts": 0}


async def test_tiered_put_writes_every_tier(store: CacheStore) -> None:
    lru = LruTier(10_000, ttl_s=TTL_S)
    cache = TieredCache([lru, shared(store, FakeClock())])
    await cache.put(key("Danke."), b"\x01\x00" * 8)
    assert len(lru) == 1
    assert (len(store.objects()), len(store.items())) == (1, 1)
    assert await cache.get(key("Danke."), count=False) is not None
    assert cache.stats.lookups == 0
