"""``make load`` measures a real call: one caller, through the real worker, answered.

One level of one call (about a minute): the worker, the LiveKit peer, the control plane as
``hotelvoice api`` and the instant recogniser in processes of their own, the agent's speech
timed by its packets. What must hold on any machine: the call is set up, greeted and
answered, the answer's delay is at least the turn-taking wait the worker leaves (it cannot
answer before the caller has finished), the worker's and the generator's processes are
metered apart, and the JSON and the chart are written.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.worker_load import main


def test_one_call_through_the_real_worker_is_answered_and_measured(tmp_path: Path) -> None:
    result = main(["--levels", "1", "--out", str(tmp_path)])

    (level,) = result.levels
    assert level.setup_failures == 0
    assert level.unanswered == 0
    assert level.job_statuses == {"JS_SUCCESS": 1}
    (delay,) = level.delays_s
    # the recogniser's 0.25 s gap and LiveKit's 0.4 s endpointing come first, by design
    assert result.turn_wait_s <= delay < 5.0
    assert level.worker_cpu_cores > 0
    assert level.generator_cpu_cores > 0
    assert level.pss_peak_mib > level.pss_idle_mib > 0
    assert level.listening_pct_by_thread
    written = json.loads((tmp_path / "load.json").read_text())
    assert written["levels"][0]["delays_s"] == [delay]
    assert (tmp_path / "load.png").stat().st_size > 10_000
    assert "worker.log" in {p.name for p in (tmp_path / "logs").iterdir()}
