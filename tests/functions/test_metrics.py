"""The functions publish CloudWatch EMF metrics: accepted/rejected, PMS latency, queue lag."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.functions.call_event_wire import call_event, post_json


def emf_metrics(output: str) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for line in output.splitlines():
        if not line.startswith("{") or '"_aws"' not in line:
            continue
        record = json.loads(line)
        for directive in record["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                found.setdefault(metric["Name"], []).append(record[metric["Name"]])
    return found


def test_pms_latency_events_and_webhook_rejections_are_measured(plane, service_headers, capfd):
    # Local mode's threaded server may run one function twice at once (Lambda never does):
    # Powertools' buffer can then keep an earlier test's points, flushed by this request.
    from functions.runtime import metrics

    metrics.clear_metrics()
    capfd.readouterr()
    plane.api.request("GET", "/v1/hotels/aurora-berlin/info", service_headers)
    event = {
        "type": "call.turn",
        "event_id": "metrics-1:turn:0",
        "call_id": "metrics-1",
        "occurred_at": "2026-11-25T10:00:00Z",
        "index": 0,
        "role": "caller",
        "text": "hi",
    }
    plane.api.request(
        "POST",
        "/v1/calls/metrics-1/events",
        {**service_headers, "content-type": "application/json"},
        json.dumps(event),
    )
    plane.api.request("POST", "/v1/livekit/webhook", {"authorization": "Bearer forged"}, "{}")
    plane.drain()
    metrics = emf_metrics(capfd.readouterr().out)
    assert metrics["PmsLatencyHotelInfo"][0][0] > 0
    assert metrics["AgentEventsAccepted"] == [[1.0]]
    assert metrics["WebhooksRejected"] == [[1.0]]
    assert "Http4xx" in metrics
    assert metrics["CallEventsApplied"]
    assert metrics["CallEventQueueLag"][0][0] >= 0


def ended_calls(output: str) -> list[tuple[str, list[float]]]:
    """(outcome, count) of each ``CallsEnded`` data point in the EMF output."""
    found: list[tuple[str, list[float]]] = []
    for line in output.splitlines():
        if line.startswith("{") and '"CallsEnded"' in line:
            record = json.loads(line)
            assert record["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["outcome"]]
            found.append((record["outcome"], record["CallsEnded"]))
    return found


def test_each_ended_call_is_counted_once_by_its_outcome(plane, service_headers, capfd):
    start = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    events = []
    for call_id, outcome in (("metrics-ok", "completed"), ("metrics-failed", "failed")):
        events += [
            call_event(call_id, "call.started", 0, start=start, hotel_id="aurora-berlin",
                       language="en", caller_number="+4930123456"),
            call_event(call_id, "call.ended", 9, start=start, outcome=outcome),
        ]  # fmt: skip
    capfd.readouterr()
    for event in [*events, events[-1]]:  # the failed call's end redelivered
        answer = post_json(plane, service_headers, f"/v1/calls/{event['call_id']}/events", event)
        assert answer.status == 202, answer.body
    plane.drain()
    assert sorted(ended_calls(capfd.readouterr().out)) == [("completed", [1.0]), ("failed", [1.0])]
