"""Prometheus metrics of one proxy app, in a registry of its own.

Each app built by ``gpu_asr.app.create_proxy_app`` owns a :class:`ProxyMetrics`, so two apps
in one process (tests) never count into each other, and nothing a library registers in
``prometheus_client``'s global registry leaks into ``GET /metrics``.

``GET /metrics`` needs a service (or admin) token like every other route except ``/health``:
Prometheus fetches one itself with its ``oauth2`` client-credentials scrape option (see the
README's ASR proxy section).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from hotelvoice.errors import HotelVoiceError

LATENCY_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ProxyMetrics:
    """Latency, load and errors of the proxy's offline route and streams."""

    def __init__(self) -> None:
        """Create the metrics in a fresh registry."""
        self.registry = CollectorRegistry()
        self.request_seconds = Histogram(
            "asr_request_seconds",
            "POST /v1/transcribe handling time (audio received to transcript ready).",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.final_latency_seconds = Histogram(
            "asr_stream_final_latency_seconds",
            "From the arrival of the last audio a final covers to the final being sent.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.active_streams = Gauge(
            "asr_active_streams", "Streams being recognised now.", registry=self.registry
        )
        self.streams = Counter(
            "asr_streams", "Streams accepted (after auth and capacity).", registry=self.registry
        )
        self.refused_streams = Counter(
            "asr_streams_refused",
            "Streams refused because the proxy served asr_max_streams already (1013).",
            registry=self.registry,
        )
        self.errors = Counter(
            "asr_errors",
            "Errors answered, by route kind (offline, stream) and error code.",
            ["mode", "code"],
            registry=self.registry,
        )
        self.audio_seconds = Counter(
            "asr_audio_seconds",
            "Seconds of audio received, by route kind (offline, stream).",
            ["mode"],
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)

    @contextmanager
    def offline_request(self) -> Iterator[None]:
        """Time one offline request and count the error it ends with, if any."""
        started = time.perf_counter()
        try:
            yield
        except HotelVoiceError as exc:
            self.errors.labels(mode="offline", code=exc.code).inc()
            raise
        finally:
            self.request_seconds.observe(time.perf_counter() - started)


def metrics_of(app: Any) -> ProxyMetrics:
    """The metrics of the app serving a request (``request.app`` or ``websocket.app``)."""
    metrics: ProxyMetrics = app.state.metrics
    return metrics
