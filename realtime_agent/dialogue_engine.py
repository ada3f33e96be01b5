"""Choosing the dialogue engine: an LLM when one is configured, the fallback policy always.

With an OpenAI-compatible endpoint or Azure OpenAI configured, LiveKit's ``FallbackAdapter``
puts the LLM first and the deterministic policy second: an LLM error or a reply slower than
``llm_timeout_s`` hands the turn to the policy, which reads the same chat context. Without
an endpoint the policy alone answers (the embedded default).
"""

from __future__ import annotations

from datetime import date

from livekit.agents import llm

from hotelvoice.contracts.hotels import BookingSettings, RecordingSettings
from hotelvoice.contracts.pms import HotelInfo
from hotelvoice.secrets import secret_value
from hotelvoice.settings import Settings
from realtime_agent.fallback.policy_llm import FallbackPolicyLLM


def configured_llm(settings: Settings) -> llm.LLM | None:
    """The LLM named by the settings, or ``None`` when none is configured."""
    if not (settings.azure_openai_endpoint or settings.llm_base_url):
        return None
    from livekit.plugins import openai as lk_openai

    api_key = secret_value(
        settings.llm_api_key_secret_name,
        override=settings.llm_api_key,
        local_default="local-llm-key",
        what="the LLM API key",
    )
    if settings.azure_openai_endpoint:
        return lk_openai.LLM.with_azure(
            model=settings.llm_model,
            azure_endpoint=settings.azure_openai_endpoint,
            azure_deployment=settings.azure_openai_deployment or settings.llm_model,
            api_version=settings.azure_openai_api_version,
            api_key=api_key,
        )
    return lk_openai.LLM(model=settings.llm_model, base_url=settings.llm_base_url, api_key=api_key)


def dialogue_engine(
    settings: Settings,
    hotel: HotelInfo,
    today: date,
    language: str,
    recording: RecordingSettings | None = None,
    booking: BookingSettings | None = None,
) -> llm.LLM:
    """The LLM the agent session uses for this call.

    ``recording`` is the hotel's recording configuration, which the greeting discloses;
    ``booking`` its booking settings (how many rooms make a group enquiry).
    """
    policy = FallbackPolicyLLM(hotel, today, language, recording=recording, booking=booking)
    primary = configured_llm(settings)
    if primary is None:
        return policy
    return llm.FallbackAdapter(
        [primary, policy], attempt_timeout=settings.llm_timeout_s, max_retry_per_llm=0
    )


def engine_name(engine: llm.LLM) -> str:
    """For transcripts and logs: which engine answered."""
    return "fallback-policy" if isinstance(engine, FallbackPolicyLLM) else f"llm:{engine.model}"
