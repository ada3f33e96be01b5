"""How the agent takes turns on a phone line: when the caller has finished, when they barge in.

One place for LiveKit's ``TurnHandlingOptions`` as the worker uses them, and for the VAD a
call gets, because the two decide together what a call costs: LiveKit's end-of-turn model
and Silero run per call on the worker's CPU, the recogniser's own endpointing (``stt``)
costs the worker nothing.
"""

from __future__ import annotations

from typing import Any

from livekit.agents import inference
from livekit.agents import vad as agents_vad

from hotelvoice.settings import Settings
from realtime_agent.speech.plugins import vad

TELEPHONY_TURN_HANDLING = {
    "endpointing": {"min_delay": 0.4, "max_delay": 2.5},
    "interruption": {
        "enabled": True,
        "mode": "vad",
        # Telephone lines carry coughs and line noise: half a second of voice activity that
        # the streaming STT hears as at least one word interrupts, less is ignored, and a
        # pause of 1.5 s after a false start resumes the agent.
        "min_duration": 0.5,
        "min_words": 1,
        "resume_false_interruption": True,
        "false_interruption_timeout": 1.5,
    },
}
"""Barge-in tuned for 8 kHz phone audio (LiveKit's ``TurnHandlingOptions``).

The turn detector is added per call by :func:`turn_handling_for`, never left to LiveKit.
"""

TURN_DETECTOR_VERSION = "v1-mini"
"""LiveKit's end-of-turn model that runs in this process (``livekit.local_inference``).

Pinned because LiveKit's default follows the launch mode: ``dev`` and ``console`` (which set
``LIVEKIT_DEV_MODE``) or a LiveKit Cloud host pick ``v1``, which streams the caller's audio to
``agent-gateway.livekit.cloud`` whenever LiveKit credentials are present, a host outside the
configured ones (EU-only rule); ``start`` picks ``v1-mini``. Pinned, every mode behaves as
production does. It knows en, de, fr, es and it.
"""


def local_turn_detector() -> inference.TurnDetector:
    """One call's end-of-turn detector: the in-process model, with no gateway to fall to."""
    return inference.TurnDetector(version=TURN_DETECTOR_VERSION)


def turn_handling_for(settings: Settings) -> dict:
    """The telephony barge-in options for the configured STT.

    The word minimum needs words while the caller speaks: with one request per utterance
    (``agent_stt=proxy``) words only arrive after the caller stops, so a minimum would keep
    the agent talking over them (``test_barge_in.py`` found this); that mode interrupts on
    voice activity alone.

    The turn detection is always named: ``vad`` or ``stt`` as configured, or for ``model``
    the in-process model (:data:`TURN_DETECTOR_VERSION`); left out, LiveKit would pick its
    cloud model in ``dev`` and ``console``.
    """
    interruption = dict(TELEPHONY_TURN_HANDLING["interruption"])
    if settings.agent_stt == "proxy":
        interruption["min_words"] = 0
    return {
        **TELEPHONY_TURN_HANDLING,
        "interruption": interruption,
        "turn_detection": (
            local_turn_detector()
            if settings.agent_turn_detection == "model"
            else settings.agent_turn_detection
        ),
    }


def call_vad(settings: Settings, loaded: dict[str, Any]) -> agents_vad.VAD | None:
    """The process's Silero VAD, or none where the recogniser ends the caller's turns.

    With ``agent_turn_detection=stt`` the recogniser's partial words start a barge-in and its
    final ends the turn, so a VAD per call would only spend CPU (about a fifth of a
    listening call's, ``docs/architecture.md``). ``loaded`` is the job process's userdata,
    where the prewarm left the VAD.
    """
    if settings.agent_turn_detection == "stt":
        return None
    return loaded.get("vad") or vad()
