"""Lambda entry of the LiveKit webhook receiver."""

from functions import snapshot
from functions.livekit_webhooks.routes import LAZY_IMPORTS, router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice LiveKit webhooks", routers=[router])
lambda_handler = http_handler(app)
snapshot.warm_also(*LAZY_IMPORTS)
