"""Pre-warming: a hotel's fixed prompts go into the shared cache once, sentence by sentence,
so a fresh worker's first call is served from it."""

from __future__ import annotations

import asyncio

from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, HOTEL
from hotelvoice.settings import get_settings
from hotelvoice.tts.router import TtsRouter
from realtime_agent.fallback.replies import replies_for
from realtime_agent.prewarm import fixed_sentences, prewarm_hotel
from realtime_agent.speech.sentences import sentences_of


def _cached_settings(plane):
    refs = plane.resources.refs
    return get_settings().model_copy(
        update={
            "tts_cache_bucket": refs["TtsCacheBucket"],
            "tts_cache_table": refs["TtsCacheTable"],
            "tts_engines": ["espeak"],
        }
    )


async def test_prompts_are_stored_once_and_a_fresh_worker_hits_them(plane) -> None:
    settings = _cached_settings(plane)
    config = await asyncio.to_thread(HotelDirectory(settings.hotels_table).get, DEMO_HOTEL_ID)
    config = config.model_copy(update={"languages": ["it"]})  # one language keeps it quick
    first, again = TtsRouter.from_settings(settings), TtsRouter.from_settings(settings)
    try:
        stored = await prewarm_hotel(first, HOTEL, config)
        repeated = await prewarm_hotel(again, HOTEL, config)
    finally:
        await first.aclose()
        await again.aclose()

    sentences = fixed_sentences(HOTEL, config.languages)["it-IT"]
    assert stored.stored == len(sentences) > 20
    assert (stored.personal, stored.failed) == (0, 0)  # the front desk's number is public
    assert repeated.stored == 0
    assert repeated.already_cached == len(sentences)

    worker = TtsRouter.from_settings(settings)  # a new process: its LRU is empty
    greeting = sentences_of([replies_for(HOTEL, "it").greeting])
    try:
        results = [await worker.synthesize(s, locale="it") for s in greeting]
    finally:
        await worker.aclose()
    assert [r.cache_tier for r in results] == ["shared"] * len(greeting)


def test_prompts_are_cut_into_the_sentences_the_session_speaks() -> None:
    greeting = replies_for(HOTEL, "en").greeting
    sentences = sentences_of([greeting, greeting])

    assert len(sentences) == 3  # each sentence once
    assert " ".join(sentences) == greeting
