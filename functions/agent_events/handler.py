"""Lambda entry of the agent call-events API."""

from functions.agent_events.routes import router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice agent call events", routers=[router])
lambda_handler = http_handler(app)
