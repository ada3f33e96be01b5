"""Which speech plugins a call gets: the one place the worker's ears and voice are chosen.

The voice is always the shared TTS router (cache, then ElevenLabs → Azure → espeak, whichever
have keys); one router per worker process, so its in-process cache serves every call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Final

from livekit.agents import stt
from livekit.agents import vad as agents_vad

from hotelvoice.settings import Settings
from hotelvoice.speech.riva_locales import riva_language
from hotelvoice.tts.router import TtsRouter
from hotelvoice.tts.voices import VoiceOverrides
from realtime_agent.service_auth import Credentials, service_auth
from realtime_agent.speech.asr_proxy_stt import AsrProxySTT
from realtime_agent.speech.asr_stream_stt import AsrStreamSTT
from realtime_agent.speech.routed_tts import NoNames, RoutedTTS

AGENT_STT_MODES: Final = ("proxy-stream", "proxy", "riva")
"""``agent_stt`` values: the proxy's WebSocket, the proxy's HTTP API per utterance, or Riva
directly through livekit-plugins-nvidia (where the agent can reach Riva's gRPC port)."""


def stt_for(
    settings: Settings,
    language: str,
    *,
    asr_url: str | None = None,
    credentials: Credentials | None = None,
) -> stt.STT:
    """The speech recogniser for a call (the session adds its VAD).

    Args:
        settings: Configuration; ``agent_stt`` picks the plugin.
        language: The caller's language, sent as a hint.
        asr_url: Base URL of the ASR proxy (``gpu_asr``); default: ``settings.asr_url``.
        credentials: The agent's service credentials; default: as configured.

    Returns:
        ``proxy-stream``: :class:`AsrStreamSTT`, streaming (partials while the caller speaks);
        ``proxy``: :class:`AsrProxySTT`, one request per utterance cut by the VAD;
        ``riva``: livekit-plugins-nvidia's STT at ``settings.riva_uri``, plaintext gRPC.

    Raises:
        ValueError: If ``agent_stt`` names no known mode.
    """
    mode = settings.agent_stt
    if mode == "riva":
        from livekit.plugins import nvidia  # grpc and riva.client only where used

        return nvidia.STT(
            server=settings.riva_uri,
            use_ssl=False,
            language_code=riva_language(language),
            punctuate=False,  # "december twelfth", as the dialogue's parsers expect
        )
    if mode not in AGENT_STT_MODES:
        raise ValueError(f"unknown agent STT {mode!r}; available: {', '.join(AGENT_STT_MODES)}")
    base_url = asr_url or settings.asr_url
    auth = credentials if credentials is not None else service_auth(settings)
    if mode == "proxy-stream":
        return AsrStreamSTT(base_url=base_url, credentials=auth, language=language)
    return AsrProxySTT(base_url=base_url, credentials=auth, language=language)


def tts_for(
    settings: Settings,
    language: str,
    *,
    hotel_voices: VoiceOverrides | None = None,
    public_texts: Iterable[str] = (),
    known_names: Callable[[], Iterable[str]] = NoNames,
) -> RoutedTTS:
    """The voice for a call in ``language`` (``en``, ``de``, ``fr``, ``es`` or ``it``).

    Args:
        settings: Configuration: the engine chain, keys, cache tiers, audio format.
        language: The language spoken first; ``update_options`` switches it.
        hotel_voices: The hotel's own voices (``HotelSettings.voices``).
        public_texts: The hotel's published facts, which do not make a sentence personal.
        known_names: Names of this call's guest: sentences with them are never cached.
    """
    return RoutedTTS(
        process_router(settings),
        language=language,
        hotel_voices=hotel_voices,
        public_texts=public_texts,
        known_names=known_names,
    )


_ROUTERS: dict[str, TtsRouter] = {}


def process_router(settings: Settings) -> TtsRouter:
    """The worker's router for these settings, built once: calls share its cache and breakers.

    Cache writes go behind the utterance (``write_behind``): a caller never waits on S3.
    """
    key = settings.model_dump_json()
    if key not in _ROUTERS:
        _ROUTERS[key] = TtsRouter.from_settings(settings, write_behind=True)
    return _ROUTERS[key]


@lru_cache(maxsize=1)
def vad() -> agents_vad.VAD:
    """Silero VAD, loaded once per process (blocking, ~100 ms: call it in the prewarm).

    Raises:
        ImportError: If the ``agent`` extra (``livekit-plugins-silero``) is not installed.
    """
    try:
        from livekit.plugins import silero
    except ImportError as exc:
        raise ImportError(
            "voice activity detection needs livekit-plugins-silero: pip install 'hotelvoice[agent]'"
        ) from exc
    return silero.VAD.load(sample_rate=16000)


def streaming(recognizer: stt.STT, vad_model: agents_vad.VAD | None = None) -> stt.STT:
    """Make a non-streaming recogniser streaming: the VAD cuts utterances, one request each.

    ``AgentSession`` does this itself when given ``vad=``; this is for code that calls
    ``stt.stream()`` directly.
    """
    if recognizer.capabilities.streaming:
        return recognizer
    return stt.StreamAdapter(stt=recognizer, vad=vad_model or vad())
