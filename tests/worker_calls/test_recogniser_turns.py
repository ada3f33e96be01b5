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
import test_line_control
import test_phone_calls
from rig import WorkerRig

RECOGNISER_TURNS = {"HOTELVOICE_AGENT_TURN_DETECTION": "stt"}


@pytest.fixture(scope="module")
def worker_rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerRig]:
    with WorkerRig(tmp_path_factory.mktemp("worker-stt"), settings=RECOGNISER_TURNS) as running:
        yield running


def test_the_pms_totals_are_quoted_after_a_question_the_recogniser_ended(
    worker_rig: WorkerRig,
) -> None:
    assert worker_rig.environment["HOTELVOICE_AGENT_TURN_DETECTION"] == "stt"
    test_phone_calls.test_the_agent_answers_with_the_ai_disclosure_and_quotes_the_pms_totals(
        worker_rig
    )


def test_a_caller_talking_over_a_long_answer_stops_it_without_a_vad(
    worker_rig: WorkerRig,
) -> None:
    assert worker_rig.environment["HOTELVOICE_AGENT_TURN_DETECTION"] == "stt"
    test_line_control.test_the_caller_talks_over_a_long_answer_and_is_answered(worker_rig)
