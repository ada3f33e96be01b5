"""The ASR proxy's ASGI app (``uvicorn gpu_asr.app:app``), built by the shared app factory."""

import threading

from fastapi import FastAPI

from gpu_asr.metrics import ProxyMetrics
from gpu_asr.routes import router
from gpu_asr.streaming import StreamLimiter
from hotelvoice.http_app import create_app
from hotelvoice.speech import language_id


def create_proxy_app() -> FastAPI:
    """A proxy app with its own metrics registry and stream count (tests build their own)."""
    proxy = create_app(
        title="hotelvoice ASR proxy", routers=[router], max_body_bytes=4 * 1024 * 1024
    )
    proxy.state.metrics = ProxyMetrics()
    proxy.state.streams = StreamLimiter()
    return proxy


app = create_proxy_app()
# lingua's models take 1-3 s to load: load them while the task starts, not on the first
# caller's first final (a thread, so the health check answers meanwhile).
threading.Thread(target=language_id.preload, name="lingua-preload", daemon=True).start()
