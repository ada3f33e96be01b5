"""``python -m realtime_agent.prewarm --hotel ID …``: speak each hotel's fixed prompts ahead.

Greeting, keypad menu, hold and transfer notices, goodbyes, apologies and the questions the
receptionist asks are the same on every call, so they are synthesised once per hotel and
language into the shared cache (S3 + DynamoDB) before the first caller hears them: the
first call of the day is as quick as the hundredth, and the vendor is paid once. Run it
after a hotel's configuration or voices change (it skips what is already cached).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterable

from hotelvoice.contracts.hotels import HotelConfig, RecordingSettings
from hotelvoice.contracts.pms import HotelInfo
from hotelvoice.errors import HotelVoiceError
from hotelvoice.settings import get_settings
from hotelvoice.tts.router import TtsRouter
from hotelvoice.tts.utterance import PrewarmReport
from hotelvoice.tts.voices import canonical_locale
from realtime_agent.fallback.replies import replies_for
from realtime_agent.pms_client import PmsClient
from realtime_agent.service_auth import service_auth
from realtime_agent.speech.sentences import sentences_of


def fixed_sentences(
    hotel: HotelInfo, languages: Iterable[str], recording: RecordingSettings | None = None
) -> dict[str, list[str]]:
    """``{locale: [sentence, …]}`` of the hotel's fixed prompts in each of ``languages``.

    ``recording`` picks the greeting the hotel's callers hear (with or without the
    recording disclosure and its key).
    """
    return {
        canonical_locale(language): sentences_of(
            replies_for(hotel, language, recording).fixed_prompts().values()
        )
        for language in languages
    }


def public_texts(hotel: HotelInfo, config: HotelConfig) -> tuple[str, ...]:
    """The hotel's own published facts: numbers in them make no sentence personal."""
    return (hotel.front_desk_phone, hotel.address, *config.dialled_numbers)


async def prewarm_hotel(router: TtsRouter, hotel: HotelInfo, config: HotelConfig) -> PrewarmReport:
    """Put the hotel's fixed prompts into ``router``'s cache, with the hotel's voices."""
    return await router.prewarm(
        fixed_sentences(hotel, config.languages, config.recording),
        config.voices,
        public_texts=public_texts(hotel, config),
    )


async def _prewarm(hotel_ids: list[str]) -> int:
    settings = get_settings()
    if not (settings.tts_cache_bucket and settings.tts_cache_table):
        print("no shared TTS cache configured (HOTELVOICE_TTS_CACHE_BUCKET/TABLE)", file=sys.stderr)
        return 2
    router = TtsRouter.from_settings(settings)
    pms = PmsClient(settings.api_url, service_auth(settings), timeout_s=settings.api_timeout_s)
    try:
        for hotel_id in hotel_ids:
            try:
                hotel, config = await pms.hotel_info(hotel_id), await pms.hotel_config(hotel_id)
            except HotelVoiceError as exc:
                print(f"{hotel_id}: {exc}", file=sys.stderr)
                return 1
            report = await prewarm_hotel(router, hotel, config)
            print(
                f"{hotel_id}: {report.stored} stored, {report.already_cached} already cached, "
                f"{report.personal} personal (never cached), {report.failed} failed"
            )
            if report.failed:
                return 1
    finally:
        await router.aclose()
        await pms.aclose()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit 1 when a hotel is unknown or a prompt could not be spoken."""
    parser = argparse.ArgumentParser(prog="python -m realtime_agent.prewarm", description=__doc__)
    parser.add_argument("--hotel", action="append", required=True, help="hotel id (repeatable)")
    args = parser.parse_args(argv)
    return asyncio.run(_prewarm(args.hotel))


if __name__ == "__main__":
    sys.exit(main())
