"""Lambda entry of the calls API (records, transcripts, health)."""

from functions.calls.routes import router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice calls API", routers=[router])
lambda_handler = http_handler(app)
