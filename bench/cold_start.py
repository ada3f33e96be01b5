"""Cold starts of the functions, side by side with a naive FastAPI + Mangum + boto3 app.

Each sample is a fresh Python process that imports a function's handler module (the init
phase, as Lambda runs it) and serves one request: the first route of the function without a
token (our auth answers 401, as the naive app does), an SQS batch with one unreadable record
for the consumer, nothing for the scheduled retention run (its run reads every hotel). The
naive app (``bench/naive_lambda_app.py``) does the same work. Rounds interleave the targets,
so a busy moment of this shared machine hits them all; the medians are compared as ratios
within the run. Tracing off is the comparison (the naive app traces nothing); tracing on is
reported beside it, with the X-Ray SDK loaded as Lambda's active tracing needs.

``restored_ms`` is what a function runs when SnapStart resumes it from a snapshot instead:
a second fresh process imports the function and runs the before-snapshot hook (what Lambda
does when it publishes a version: the modules a fresh process leaves to the first request
are imported then), and only then is the after-restore hook (``functions/snapshot.py``) and
the first request timed. Lambda's restore itself happens outside the process and cannot be
measured here, so it is reported beside the fresh-process comparison, never in it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bench.stats import Machine, machine, save_figure, write_model_json

REPO = Path(__file__).resolve().parents[1]
NAIVE = "naive"
TRACE_ROOT = "1-5759e988-bd862e3fe1be46a994272793"
TARGET_RATIO = 0.8
"""Issue 15: each function's import + init + first request at most 0.8× the naive app's."""

_CHILD = """
import importlib, json, sys, time, types
started = time.perf_counter()
spec = json.loads(sys.argv[1])
handler = getattr(importlib.import_module(spec["module"]), spec["attr"])
imported = time.perf_counter()
snapshot = sys.modules.get("functions.snapshot")
if spec["restored"] and snapshot:  # as a copy resumed from a SnapStart snapshot: published
    snapshot.before_snapshot()  # (untimed), then woken
    imported = time.perf_counter()
    snapshot.after_restore()
restored = time.perf_counter()
status = None
if spec["event"] is not None:
    context = types.SimpleNamespace(
        function_name="bench", memory_limit_in_mb=512, aws_request_id="bench-1",
        invoked_function_arn="arn:aws:lambda:eu-central-1:123456789012:function:bench",
        get_remaining_time_in_millis=lambda: 10_000,
    )
    try:
        answer = handler(spec["event"], context)
        status = answer.get("statusCode", "batchItemFailures" in answer and "batch")
    except Exception as error:  # an all-failed SQS batch raises, so that SQS retries it
        status = "raised " + type(error).__name__
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1e3, "request_ms": (done - restored) * 1e3,
                  "restore_hook_ms": (restored - imported) * 1e3, "status": status}))
"""


class ColdStart(BaseModel):
    """One target's medians over the rounds."""

    name: str
    import_ms: float
    request_ms: float
    total_ms: float
    ratio: float
    """``total_ms`` over the naive app's, in the same run."""
    restored_ms: float
    """With SnapStart: the after-restore hook and the first request, what a resumed copy
    runs after Lambda's restore (whose own time cannot be measured here)."""
    status: int | str | None
    samples: int


class ColdStartBench(BaseModel):
    """The cold-start section of ``make bench``."""

    machine: Machine
    rounds: int
    target_ratio: float = TARGET_RATIO
    tracing_off: list[ColdStart]
    tracing_on: list[ColdStart]
    slowest: str
    slowest_imports_ms: dict[str, float]
    """The slowest function's heaviest imports (cumulative ms, ``python -X importtime``)."""
    meets: bool


def targets() -> dict[str, dict[str, Any]]:
    """Name → module, handler attribute and first event, for the naive app and each function."""
    from local_mode.http_api import build_event
    from local_mode.template import load_template

    found: dict[str, dict[str, Any]] = {
        NAIVE: {
            "module": "bench.naive_lambda_app",
            "attr": "lambda_handler",
            "event": _naive_event(),
            "env": {},
        }
    }
    for function in load_template().functions():
        module, attr = function.module_and_attr
        event: dict[str, Any] | None = None
        if function.routes:
            route = function.routes[0]
            path = route.path.replace("{", "").replace("}", "")
            event = build_event(
                route, _params(route.path), route.method, path, "", {}, None, "$default"
            )
        elif function.sqs_sources:
            event = {"Records": [_sqs_record()]}
        env = {k: v for k, v in function.environment.items() if isinstance(v, str)}
        found[function.logical_id] = {"module": module, "attr": attr, "event": event, "env": env}
    return found


def _params(path: str) -> dict[str, str]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return {name: name for name in names}


def _naive_event() -> dict[str, Any]:
    from local_mode.http_api import HttpRoute, build_event

    route = HttpRoute("GET", "/v1/items/{item_id}", NAIVE)
    return build_event(route, {"item_id": "a"}, "GET", "/v1/items/a", "", {}, None, "$default")


def _sqs_record() -> dict[str, Any]:
    return {
        "messageId": "bench-1",
        "receiptHandle": "bench",
        "body": "not an event",
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "0"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-central-1:123456789012:bench",
        "awsRegion": "eu-central-1",
    }


def _environment(extra: dict[str, str], *, traced: bool) -> dict[str, str]:
    """What Lambda gives a function: its region and variables, fake credentials, no network."""
    keep = ("PATH", "HOME", "LANG", "SYSTEMROOT")
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        **extra,
        "PYTHONPATH": str(REPO),
        "AWS_REGION": "eu-central-1",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_LAMBDA_FUNCTION_NAME": "bench",
        "LAMBDA_TASK_ROOT": str(REPO),
        "POWERTOOLS_TRACE_DISABLED": "false" if traced else "true",
        "_X_AMZN_TRACE_ID": f"Root={TRACE_ROOT};Parent=53995c3f42cd8ad8;Sampled=0",
        "AWS_XRAY_CONTEXT_MISSING": "IGNORE_ERROR",
    }


def _fresh_python(
    spec: dict[str, Any], args: list[str], *, traced: bool
) -> subprocess.CompletedProcess:
    """A new interpreter with the function's environment, as Lambda starts one."""
    done = subprocess.run(  # noqa: S603 - our interpreter, our code, our payload
        [sys.executable, *args],
        env=_environment(spec["env"], traced=traced),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{spec['module']} failed:\n{done.stderr[-2000:]}")
    return done


def _sample(spec: dict[str, Any], *, traced: bool, restored: bool = False) -> dict[str, Any]:
    payload = json.dumps({k: spec[k] for k in ("module", "attr", "event")} | {"restored": restored})
    done = _fresh_python(spec, ["-c", _CHILD, payload], traced=traced)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(specs: dict[str, dict[str, Any]], rounds: int, *, traced: bool) -> list[ColdStart]:
    """Medians over ``rounds`` interleaved rounds, each target once per round."""
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in specs}
    resumed: dict[str, list[dict[str, Any]]] = {name: [] for name in specs}
    for _ in range(rounds):
        for name, spec in specs.items():
            samples[name].append(_sample(spec, traced=traced))
            resumed[name].append(_sample(spec, traced=traced, restored=True))
    naive_total = statistics.median(s["import_ms"] + s["request_ms"] for s in samples[NAIVE])
    results = []
    for name, taken in samples.items():
        total = statistics.median(s["import_ms"] + s["request_ms"] for s in taken)
        results.append(
            ColdStart(
                name=name,
                import_ms=round(statistics.median(s["import_ms"] for s in taken), 1),
                request_ms=round(statistics.median(s["request_ms"] for s in taken), 1),
                total_ms=round(total, 1),
                ratio=round(total / naive_total, 2),
                restored_ms=round(
                    statistics.median(
                        s["restore_hook_ms"] + s["request_ms"] for s in resumed[name]
                    ),
                    1,
                ),
                status=taken[-1]["status"],
                samples=len(taken),
            )
        )
    return results


def heaviest_imports(spec: dict[str, Any], top: int = 12) -> dict[str, float]:
    """The modules that take longest to import (cumulative, children included)."""
    done = _fresh_python(spec, ["-X", "importtime", "-c", f"import {spec['module']}"], traced=False)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (
            part.strip() for part in line.removeprefix("import time:").split("|")
        )
        rows.append((name, int(cumulative) / 1000))
    rows.sort(key=lambda row: row[1], reverse=True)
    return {name: round(ms, 1) for name, ms in rows[1 : top + 1]}


def run_cold_starts(rounds: int = 5) -> ColdStartBench:
    """Both tracing modes, the slowest function's imports, and whether every function meets."""
    specs = targets()
    off = measure(specs, rounds, traced=False)
    on = measure(specs, max(2, rounds // 2), traced=True)
    functions = [r for r in off if r.name != NAIVE]
    slowest = max(functions, key=lambda r: r.total_ms)
    return ColdStartBench(
        machine=machine(),
        rounds=rounds,
        tracing_off=off,
        tracing_on=on,
        slowest=slowest.name,
        slowest_imports_ms=heaviest_imports(specs[slowest.name]),
        meets=all(r.ratio <= TARGET_RATIO for r in functions),
    )


def cold_start_summary(bench: ColdStartBench) -> str:
    """Lines a person reads: each function's total and ratio, tracing off then on."""
    on = {r.name: r for r in bench.tracing_on}
    lines = [f"cold starts (median of {bench.rounds}; target ≤ {bench.target_ratio}× naive):"]
    for r in bench.tracing_off:
        traced = on.get(r.name)
        extra = f", traced {traced.total_ms:.0f} ms ({traced.ratio}×)" if traced else ""
        lines.append(
            f"  {r.name:28} {r.total_ms:6.0f} ms = import {r.import_ms:.0f} + request "
            f"{r.request_ms:.0f}  {r.ratio}×  [{r.status}]{extra}; "
            f"after a SnapStart restore {r.restored_ms:.0f} ms"
        )
    lines.append(f"  slowest: {bench.slowest}; its heaviest imports (ms, cumulative):")
    lines += [f"    {name}: {ms}" for name, ms in list(bench.slowest_imports_ms.items())[:8]]
    lines.append("  meets the target" if bench.meets else "  does NOT meet the target")
    return "\n".join(lines)


def write_cold_start_chart(bench: ColdStartBench, path: Path) -> None:
    """One bar per target (import and first request stacked), the naive app and the target."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(bench.tracing_off, key=lambda r: r.total_ms)
    naive = next(r for r in rows if r.name == NAIVE)
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 1.8))
    names = [r.name for r in rows]
    ax.barh(names, [r.import_ms for r in rows], color="#4c72b0", label="import + init")
    ax.barh(
        names,
        [r.request_ms for r in rows],
        left=[r.import_ms for r in rows],
        color="#dd8452",
        label="first request",
    )
    ax.axvline(naive.total_ms, color="black", linestyle="--", label="naive app")
    ax.axvline(
        naive.total_ms * bench.target_ratio,
        color="green",
        linestyle=":",
        label=f"target ({bench.target_ratio}× naive)",
    )
    for r in rows:
        ax.text(
            r.total_ms + 5, r.name, f"{r.total_ms:.0f} ms · {r.ratio}×", va="center", fontsize=8
        )
    ax.set_xlabel("ms, fresh process (median), tracing off")
    ax.set_title("Lambda cold start: import + init + first request, against a naive FastAPI app")
    ax.legend(loc="lower right", fontsize=8)
    save_figure(fig, path)


def write_cold_start_json(bench: ColdStartBench, path: Path) -> None:
    """``cold_start.json``."""
    write_model_json(bench, path)
