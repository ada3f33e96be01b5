"""Whole calls where the recogniser ends the caller's turns (``agent_turn_detection=stt``).

The cheapest configuration per call (``docs/architecture.md``): the worker runs no VAD and no
end-of-turn model; the ASR proxy's partial words start a barge-in and its final ends the
turn. The same calls as with the default turn-taking, so a difference shows as a failure
here and not there: the PMS's totals quoted after a question, and a caller talking over a
long answer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rig import WorkerRig
from test_line_control import test_the_caller_talks_over_a_long_answer_and_is_answered
from test_phone_calls import test_the_agent_answers_with_the_ai_disclosure_and_quotes_the_pms_totals

__all__ = [
    "test_the_agent_answers_with_the_ai_disclosure_and_quotes_the_pms_totals",
    "test_the_caller_talks_over_a_long_answer_and_is_answered",
]


@pytest.fixture(scope="module")
def worker_rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerRig]:
    settings = {"HOTELVOICE_AGENT_TURN_DETECTION": "stt"}
    with WorkerRig(tmp_path_factory.mktemp("worker-stt"), settings=settings) as running:
        yield running
