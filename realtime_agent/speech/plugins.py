"""Which speech plugins a call gets: the one place the worker's ears and voice are chosen.

Vendor engines (ElevenLabs, Azure Speech, Riva direct) join here as optional extras; today
the ears are our ASR proxy and the voice is espeak-ng.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from livekit.agents import stt, tts
from livekit.agents import vad as agents_vad

from hotelvoice.settings import Settings
from realtime_agent.service_auth import Credentials, service_auth
from realtime_agent.speech.asr_proxy_stt import AsrProxySTT
from realtime_agent.speech.local_tts import LocalTTS

PROXIED_ASR_BACKENDS: Final = ("local", "riva")
"""``asr_backend`` values served by the ASR proxy, which the agent reaches over HTTP."""


def stt_for(
    settings: Settings,
    language: str,
    *,
    asr_url: str | None = None,
    credentials: Credentials | None = None,
) -> stt.STT:
    """The speech recogniser for a call, non-streaming (the session adds its VAD).

    Args:
        settings: Configuration; ``asr_backend`` names the engine behind the proxy.
        language: The caller's language, sent to the proxy as a hint.
        asr_url: Base URL of the ASR proxy (``gpu_asr``); default: ``settings.asr_url``.
        credentials: The agent's service credentials; default: as configured.

    Returns:
        An STT for ``AgentSession(stt=..., vad=vad())`` or :func:`streaming`.

    Raises:
        ValueError: If ``asr_backend`` names an engine the agent cannot reach.
    """
    if settings.asr_backend not in PROXIED_ASR_BACKENDS:
        raise ValueError(
            f"unknown ASR backend {settings.asr_backend!r}; "
            f"available: {', '.join(PROXIED_ASR_BACKENDS)}"
        )
    return AsrProxySTT(
        base_url=asr_url or settings.asr_url,
        credentials=credentials if credentials is not None else service_auth(settings),
        language=language,
    )


def tts_for(settings: Settings, language: str) -> tts.TTS:
    """The voice for a call in ``language`` (``en``, ``de``, ``fr``, ``es`` or ``it``).

    ``settings`` will pick the vendor engine once one exists; espeak-ng is the default.
    """
    del settings
    return LocalTTS(language=language)


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
