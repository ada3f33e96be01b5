"""Build the cloud TTS engines from settings, or leave them out when they have no key.

Keys come from the settings (ECS injects secrets as variables) or from Secrets Manager by
name; a deployment with neither simply runs without that vendor, and the router falls back
to the next engine. Vendor SDKs are imported only when their engine is built: the
ElevenLabs SDK alone takes about a second to import, which a Lambda cold start should not
pay for an engine it does not use.
"""

from __future__ import annotations

from hotelvoice.secrets import secret_value
from hotelvoice.settings import Settings, get_settings
from hotelvoice.tts.engine import TtsEngine

VENDOR_ENGINES = ("elevenlabs", "azure")
"""The engine names this module builds; ``espeak`` (local, keyless) is built elsewhere."""


def engine_named(name: str, settings: Settings | None = None) -> TtsEngine | None:
    """The vendor engine called ``name``, or None when it has no credentials configured.

    Args:
        name: ``elevenlabs`` or ``azure``.
        settings: Defaults to the process settings.

    Raises:
        ValueError: ``name`` is not a vendor engine (a typo in ``HOTELVOICE_TTS_ENGINES``
            must fail loudly, not silently drop a voice).
        ImportError: The vendor's SDK is not installed (the ``agent`` or ``functions`` extra).
    """
    settings = settings or get_settings()
    if name == "elevenlabs":
        key = _key(
            settings.elevenlabs_api_key, settings.elevenlabs_api_key_secret_name, "ElevenLabs"
        )
        if not key:
            return None
        from hotelvoice.tts.elevenlabs_engine import ElevenLabsEngine

        return ElevenLabsEngine(
            key,
            base_url=settings.elevenlabs_base_url,
            model=settings.elevenlabs_model,
            zero_retention=settings.elevenlabs_zero_retention,
            timeout_s=settings.tts_first_audio_timeout_s,
        )
    if name == "azure":
        key = _key(settings.azure_speech_key, settings.azure_speech_key_secret_name, "Azure")
        if not key:
            return None
        from hotelvoice.tts.azure_engine import AzureSpeechEngine

        return AzureSpeechEngine(
            key,
            region=settings.azure_speech_region,
            host=settings.azure_speech_host,
            timeout_s=settings.tts_first_audio_timeout_s,
        )
    raise ValueError(f"{name!r} is not a vendor TTS engine (known: {', '.join(VENDOR_ENGINES)})")


UNSET_SECRET = "unset"  # noqa: S105 - a marker, not a secret
"""What ``template.yaml`` creates the vendor key secrets with: the vendor stays out of the
chain until an operator puts a real key there."""


def _key(value: str, secret_name: str, vendor: str) -> str:
    """The key itself, else the named secret; empty when neither is configured."""
    if not value and secret_name:
        value = secret_value(secret_name, local_default="", what=f"the {vendor} speech key")
    return "" if value.strip() == UNSET_SECRET else value
