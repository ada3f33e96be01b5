"""Lambda entry of the LiveKit webhook receiver."""

from functions.livekit_webhooks.routes import router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice LiveKit webhooks", routers=[router])
lambda_handler = http_handler(app)
