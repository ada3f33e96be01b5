"""The ASR proxy's ASGI app (``uvicorn gpu_asr.app:app``), built by the shared app factory."""

from gpu_asr.routes import router
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice ASR proxy", routers=[router], max_body_bytes=4 * 1024 * 1024)
