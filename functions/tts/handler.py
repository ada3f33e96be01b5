"""Lambda entry of the TTS API."""

from functions import snapshot
from functions.runtime import http_handler
from functions.tts.routes import router
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice TTS API", routers=[router])
lambda_handler = http_handler(app)
snapshot.warm_also("numpy", "hotelvoice.tts.vendors")
