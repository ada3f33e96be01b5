"""The functions publish CloudWatch EMF metrics: accepted/rejected, PMS latency, queue lag."""

from __future__ import annotations

import json


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
