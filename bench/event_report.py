"""``events.json``, ``events.png`` and the terminal lines of the event-path bench."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")  # files only: no display on CI or a server
import matplotlib.pyplot as plt

from bench.event_path import BASELINE, BATCHED, KINDS, EventPathResult
from bench.stats import save_figure, write_model_json

LABELS = {
    BATCHED: "outbox batches,\nshared client",
    BASELINE: "one event a request,\nclients per call",
}


def write_event_json(result: EventPathResult, path: Path) -> Path:
    """The whole result as indented JSON."""
    write_model_json(result, path)
    return path


def write_event_chart(result: EventPathResult, path: Path) -> Path:
    """Three panels, the two ways side by side: requests, new clients, CPU, per call."""
    runs = [result.runs[BATCHED], result.runs[BASELINE]]
    names = [LABELS[run.name] for run in runs]
    fig, (requests, clients, cpu) = plt.subplots(1, 3, figsize=(15, 5))

    bottom = [0.0] * len(runs)
    for kind in KINDS:
        values = [run.requests_per_call[kind] for run in runs]
        requests.bar(names, values, bottom=bottom, label=kind)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for x, total in enumerate(bottom):
        requests.text(x, total, f"{total:g}", ha="center", va="bottom")
    requests.set_ylim(0, max(bottom) * 1.15)
    requests.set_ylabel("HTTP requests per call")
    ratio = result.ratios
    requests.set_title(
        f"Requests: ×{ratio['all_requests']:g} (events ×{ratio['event_requests']:g})"
    )
    requests.legend(fontsize=8)

    values = [run.clients_per_call for run in runs]
    clients.bar(names, values, color="tab:purple")
    for x, value in enumerate(values):
        clients.text(x, value, f"{value:g}", ha="center", va="bottom")
    clients.set_ylim(0, max(max(values) * 1.15, 1))
    clients.set_ylabel("new httpx clients per call")
    clients.set_title("New HTTP clients (TLS context each)")

    width = 0.38
    xs = range(len(runs))
    process = [run.process_cpu_s_per_call * 1000 for run in runs]
    agent = [run.agent_cpu_s_per_call * 1000 for run in runs]
    cpu.bar([x - width / 2 for x in xs], process, width, label="process (agent + local API)")
    cpu.bar([x + width / 2 for x in xs], agent, width, label="agent (event-loop thread)")
    cpu.set_xticks(list(xs), names)
    cpu.set_ylabel("CPU ms per call")
    cpu.set_title(
        f"CPU: process ×{result.ratios['process_cpu']:g}, agent ×{result.ratios['agent_cpu']:g}"
    )
    cpu.legend(fontsize=8)

    fig.suptitle(
        f"hotelvoice event path: the demo's {len(result.script)}-line call, "
        f"{runs[0].calls} calls each way, {result.machine.cpus_usable} CPUs "
        "(one run: compare bars with each other)"
    )
    save_figure(fig, path)
    return path


def event_summary(result: EventPathResult) -> str:
    """A few lines for the terminal."""
    lines = [f"event path ({len(result.script)}-line call, per call):"]
    for name in (BATCHED, BASELINE):
        run = result.runs[name]
        requests = ", ".join(f"{k} {run.requests_per_call[k]:g}" for k in KINDS)
        lines.append(
            f"  {name:>15}: requests {requests}; {run.events_per_call:g} events; "
            f"{run.clients_per_call:g} new clients; CPU {run.process_cpu_s_per_call * 1000:.0f} ms "
            f"(agent {run.agent_cpu_s_per_call * 1000:.0f} ms); {run.failed_events} events failed"
        )
    r = result.ratios
    lines.append(
        f"  one-per-request ÷ batched: event requests ×{r['event_requests']:g}, all requests "
        f"×{r['all_requests']:g}, process CPU ×{r['process_cpu']:g}, "
        f"agent CPU ×{r['agent_cpu']:g}"
    )
    return "\n".join(lines)
