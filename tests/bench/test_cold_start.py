"""The cold-start bench measures what it says: every function, the same first request.

A real sample per kind of target (a fresh process each, about a second): the naive app and an
HTTP function answer the tokenless request with 401, the consumer refuses its unreadable
batch; and the report's arithmetic on numbers small enough to check by hand.
"""

from __future__ import annotations

from pathlib import Path

from bench.cold_start import (
    NAIVE,
    ColdStart,
    ColdStartBench,
    _sample,
    cold_start_summary,
    targets,
    write_cold_start_chart,
    write_cold_start_json,
)
from bench.stats import machine
from local_mode.template import load_template


def test_every_function_of_the_template_is_measured_beside_the_naive_app() -> None:
    found = targets()
    assert set(found) == {NAIVE, *(f.logical_id for f in load_template().functions())}
    assert found["RetentionFunction"]["event"] is None  # scheduled: its run reads every hotel
    assert found["CallEventsConsumerFunction"]["event"]["Records"]


def test_a_sample_is_an_import_and_the_first_request_in_a_fresh_process() -> None:
    found = targets()
    for name, expected in ((NAIVE, 401), ("CallsFunction", 401)):
        sample = _sample(found[name], traced=False)
        assert sample["status"] == expected, (name, sample)
        assert sample["import_ms"] > 0
        assert sample["request_ms"] > 0
        assert sample["restore_hook_ms"] >= 0
    resumed = _sample(found["PmsFunction"], traced=False, restored=True)
    assert resumed["status"] == 401  # published (the snapshot's imports), woken, asked
    consumer = _sample(found["CallEventsConsumerFunction"], traced=False)
    assert consumer["status"] == "raised BatchProcessingError"  # SQS retries the batch


def _row(name: str, total: float, ratio: float) -> ColdStart:
    return ColdStart(
        name=name,
        import_ms=total - 10,
        request_ms=10,
        total_ms=total,
        ratio=ratio,
        restored_ms=12,
        status=401,
        samples=3,
    )


def test_the_report_says_which_function_misses_the_target(tmp_path: Path) -> None:
    rows = [_row(NAIVE, 500, 1.0), _row("PmsFunction", 450, 0.9)]
    bench = ColdStartBench(
        machine=machine(),
        rounds=3,
        tracing_off=rows,
        tracing_on=rows,
        slowest="PmsFunction",
        slowest_imports_ms={"fastapi": 250.0},
        meets=False,
    )
    text = cold_start_summary(bench)
    assert "PmsFunction" in text
    assert "0.9×" in text
    assert "does NOT meet" in text
    assert "after a SnapStart restore 12 ms" in text
    write_cold_start_json(bench, tmp_path / "cold_start.json")
    write_cold_start_chart(bench, tmp_path / "cold_start.png")
    assert ColdStartBench.model_validate_json((tmp_path / "cold_start.json").read_text()) == bench
    assert (tmp_path / "cold_start.png").stat().st_size > 10_000
