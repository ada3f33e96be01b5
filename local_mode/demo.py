"""``make demo``: one whole hotel call on the embedded default, spoken and recorded.

The caller's lines are synthesised (espeak-ng) and recognised (pocketsphinx with the hotel
grammar); the recognised text goes to the real receptionist (fallback policy, or an LLM if
configured), whose tools call the real PMS API. The caller books a room (the room chosen,
name, e-mail read back, a special request, the read-back, yes, the code spelled), then
checks an existing reservation (verification: a code misread by one digit first) and
cancels it (the free deadline stated, then a yes), and asks for a taxi, which the agent
cannot book itself: it becomes a request for the front desk with a reference number.
Afterwards the demo reads both bookings back from the PMS API by code and last name, shows
the booking made, the booking cancelled and the request in the stored call record, and the
confirmation e-mails as SES (moto) accepted them.

The agent's replies are spoken sentence by sentence through the TTS router, as the worker
speaks them: the hotel's fixed prompts were pre-warmed into the shared cache (S3 + DynamoDB
in local AWS), so the call reports its cache hits. The call events travel API → SQS →
consumer → DynamoDB, and the stored record is read back through the calls API.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from hotelvoice.auth import Role
from hotelvoice.contracts.hotels import HotelConfig
from hotelvoice.contracts.pms import ReservationStatus
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID, is_sold_out_night, reservations
from hotelvoice.settings import Settings, get_settings
from hotelvoice.tts.router import TtsRouter
from local_mode.console_site import ConsoleSite, console_hint
from local_mode.control_plane import LocalControlPlane
from local_mode.demo_booking import NewBooking, room_free, show_booking, show_cancelled
from local_mode.demo_calls import demo_hotels
from local_mode.demo_record import print_record
from local_mode.spoken import spoken_code, spoken_day, spoken_email
from realtime_agent.scripted_call import run_scripted_call
from realtime_agent.service_auth import service_auth
from realtime_agent.transcript import CallTranscript

DEMO_CALLER_NUMBER = "+49 151 5550 0101"
LOCAL_API_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class DemoScript:
    """The caller's lines and the facts they refer to."""

    lines: list[str]
    arrival: date
    departure: date
    confirmation_code: str
    last_name: str
    first_name: str
    wrong_code: str
    guest_email: str | None = None
    """The address the demo PMS holds for the existing reservation (its cancellation's e-mail)."""
    new_booking: NewBooking = field(default_factory=NewBooking)


def demo_script(today: date) -> DemoScript:
    """A stay three weeks out with the double free, a booking of it, and a real booking."""
    new = NewBooking()
    offset = 21
    while any(is_sold_out_night(offset + n) for n in range(3)) or not room_free(
        today, offset, 3, new.room_code
    ):
        offset += 1
    arrival = today + timedelta(days=offset)
    departure = arrival + timedelta(days=3)
    seeded = next(
        r
        for r in reservations(today)
        if r["reservation"]["status"] == ReservationStatus.CONFIRMED.value
    )
    booking = seeded["reservation"]
    code, last = booking["confirmation_code"], booking["guest_last_name"]
    taken = {r["reservation"]["confirmation_code"] for r in reservations(today)}
    wrong = next(
        f"{code[:-1]}{d}" for d in "0123456789" if f"{code[:-1]}{d}" not in taken
    )  # a code misread by one digit: no booking has it
    lines = [
        "hello",
        f"do you have a room from {spoken_day(arrival)} to {spoken_day(departure)} for two adults",
        f"i will take the {new.room_word} room",
        f"my name is {new.first_name.lower()} {new.last_name.lower()}",
        spoken_email(new.email),
        "yes",  # the address read back is right
        "yes",  # the number I am calling from
        new.request,
        "yes",  # the read-back: book it
        "i would like to check my reservation",
        f"my confirmation code is {spoken_code(wrong)}",
        f"the name is {last.lower()}",
        f"it is {spoken_code(code)}",  # the name is remembered: the code alone is retried
        "i would like to cancel it",
        "yes please cancel it",  # after the fee or the free deadline
        "could you book me a taxi for tomorrow morning at seven",
        "please take a request",
        "yes",  # the number I am calling from
        "yes please",  # the request read back: send it
        "thank you goodbye",
    ]
    first = booking["guest_first_name"]
    return DemoScript(lines, arrival, departure, code, last, first, wrong, seeded["guest_email"])


def run_demo(out_dir: Path, *, speech: bool = True) -> CallTranscript:
    """Play the demo call and write transcript and audio into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plane = LocalControlPlane().start()
    try:
        url = plane.serve()
        os.environ["HOTELVOICE_API_URL"] = url
        # The local API runs in this process, sharing its CPU with speech synthesis and
        # recognition: give it more time than a deployed API needs.
        os.environ.setdefault("HOTELVOICE_API_TIMEOUT_S", str(LOCAL_API_TIMEOUT_S))
        get_settings.cache_clear()
        script = demo_script(plane.today)
        print(f"Local control plane: {url} (moto at {plane.endpoint_url})")
        print(f"Dialogue: {'LLM at ' + _llm_url() if _llm_url() else 'offline fallback policy'}\n")
        heard = _hear(script.lines, out_dir) if speech else script.lines
        transcript = asyncio.run(
            run_scripted_call(
                heard,
                settings=get_settings(),
                credentials=service_auth(),
                hotel_id=DEMO_HOTEL_ID,
                today=plane.today,
                caller_number=DEMO_CALLER_NUMBER,
            )
        )
        print(transcript.render())
        if speech:
            asyncio.run(_speak_agent(transcript, out_dir, plane, script))
        (out_dir / "transcript.json").write_text(transcript.model_dump_json(indent=2))
        plane.drain()
        record = plane.api.request(  # type: ignore[union-attr]
            "GET",
            f"/v1/calls/{transcript.call_id}",
            {"authorization": f"Bearer {plane.token(Role.STAFF, [DEMO_HOTEL_ID])}"},
        ).json()
        (out_dir / "call_record.json").write_text(json.dumps(record, indent=2))
        print_record(record)
        shown = show_booking(transcript, plane, url, script.new_booking)
        cancelled = show_cancelled(
            plane, url, script.confirmation_code, script.last_name, script.guest_email
        )
        shown["cancelled"] = cancelled
        (out_dir / "booking.json").write_text(json.dumps(shown, indent=2, ensure_ascii=False))
        print(f"\nTranscript, call record, booking and WAVs written to {out_dir.resolve()}")
        print(
            "\nThe front desk's console: run `make api` and open "
            f"http://127.0.0.1:3000/console/ ({console_hint(ConsoleSite(hotels=demo_hotels()))})."
        )
        return transcript
    finally:
        plane.stop()


def _llm_url() -> str:
    settings = get_settings()
    return settings.azure_openai_endpoint or settings.llm_base_url


def _hear(lines: list[str], out_dir: Path) -> list[str]:
    """Speak each caller line, recognise it, keep what the agent will hear.

    A line the recogniser returns nothing for is passed on as typed and flagged, so the
    demo still completes and says so plainly.
    """
    from hotelvoice.speech.espeak_tts import EspeakSynthesizer
    from hotelvoice.speech.sphinx_asr import HotelSpeechRecognizer
    from hotelvoice.speech.wer import corpus_word_error_rate

    tts, asr = EspeakSynthesizer(), HotelSpeechRecognizer()
    heard, recognised = [], []
    print("Caller audio → local ASR (pocketsphinx, hotel grammar):")
    for n, line in enumerate(lines, 1):
        pcm = tts.synthesize(line)
        pcm.write_wav(out_dir / f"caller_{n:02d}.wav")
        text = asr.transcribe(pcm).text
        mark = (
            "✓" if text == line else ("✗ nothing recognised, typed line used" if not text else "≈")
        )
        recognised.append(text)
        heard.append(text or line)
        print(f"  {mark} said: {line!r}\n    heard: {text!r}")
    wer = corpus_word_error_rate(list(zip(lines, recognised, strict=True)))
    print(f"  word error rate over the call: {wer:.3f}\n")
    return heard


async def _speak_agent(
    transcript: CallTranscript, out_dir: Path, plane: LocalControlPlane, script: DemoScript
) -> None:
    """Pre-warm the hotel's prompts, then speak the agent's turns as a fresh worker would."""
    from hotelvoice.pms.demo_hotel import HOTEL
    from hotelvoice.speech.audio import Pcm
    from realtime_agent.prewarm import prewarm_hotel, public_texts
    from realtime_agent.speech.sentences import sentences_of

    assert plane.resources is not None
    refs = plane.resources.refs
    settings = get_settings().model_copy(
        update={
            "tts_cache_bucket": refs["TtsCacheBucket"],
            "tts_cache_table": refs["TtsCacheTable"],
        }
    )
    hotel = HOTEL
    config = await _demo_config(settings)
    warmer = TtsRouter.from_settings(settings)
    report = await prewarm_hotel(warmer, hotel, config)
    await warmer.aclose()
    print(
        f"\nTTS pre-warm ({', '.join(config.languages)}): {report.stored} prompt sentences "
        f"stored in the shared cache (S3 + DynamoDB), {report.already_cached} already there"
    )
    router = TtsRouter.from_settings(settings)  # a fresh worker: empty in-process cache
    agent_turns = [t for t in transcript.turns if t.role == "agent" and t.text]
    new = script.new_booking
    names = (script.last_name, script.first_name, new.last_name, new.first_name)
    spoken = 0
    for n, turn in enumerate(agent_turns, 1):
        audio = b""
        for sentence in sentences_of([turn.text]):
            result = await router.synthesize(
                sentence,
                locale=transcript.final_language or "en",
                hotel_voices=config.voices,
                known_names=names,
                public_texts=public_texts(hotel, config),
            )
            audio += result.audio
            spoken += 1
        Pcm(audio, router.fmt.sample_rate).write_wav(out_dir / f"agent_{n:02d}.wav")
    await router.aclose()
    _print_tts(router, spoken)


async def _demo_config(settings: Settings) -> HotelConfig:
    return await asyncio.to_thread(HotelDirectory(settings.hotels_table).get, DEMO_HOTEL_ID)


def _print_tts(router: TtsRouter, spoken: int) -> None:
    tiers = router.cache.stats.as_dict()["tiers"] if router.cache is not None else {}
    hits = sum(tier["hits"] for tier in tiers.values())
    by_tier = ", ".join(f"{name} {tier['hits']}" for name, tier in tiers.items())
    personal = router.stats.not_cached_personal
    chain = " → ".join(e.name for e in router.engines)
    print(
        f"TTS router ({chain}): {spoken} agent sentences: {hits} from the cache ({by_tier}), "
        f"{spoken - hits - personal} synthesised and stored, {personal} synthesised but never "
        "cached (personal data)"
    )
