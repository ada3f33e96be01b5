"""Secrets come from Secrets Manager (through Powertools Parameters), never from code.

Local mode has fixed, public development values so that a laptop needs no cloud account;
they are refused outside local mode.
"""

from __future__ import annotations

from hotelvoice.settings import get_settings

LOCAL_LIVEKIT_API_KEY = "devkey"
LOCAL_LIVEKIT_API_SECRET = "hotelvoice-local-livekit-secret-0123456789"  # noqa: S105


class MissingSecret(RuntimeError):
    """A deployment forgot to name a secret: fail at start-up, loudly."""


def secret_value(secret_name: str, *, override: str = "", local_default: str, what: str) -> str:
    """Resolve a secret: explicit override, else Secrets Manager, else the local default."""
    if override:
        return override
    if secret_name:
        from hotelvoice.aws import secrets_provider

        return str(secrets_provider().get(secret_name, max_age=300))
    if get_settings().local_mode:
        return local_default
    raise MissingSecret(f"no secret configured for {what}; set its Secrets Manager name")


def livekit_credentials() -> tuple[str, str]:
    """LiveKit API key and secret, named as LiveKit's own tools name them."""
    settings = get_settings()
    secret = secret_value(
        settings.livekit_secret_name,
        override=settings.livekit_api_secret,
        local_default=LOCAL_LIVEKIT_API_SECRET,
        what="the LiveKit API secret",
    )
    return settings.livekit_api_key, secret
