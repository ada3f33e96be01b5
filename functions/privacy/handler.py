"""Lambda entry of the privacy API (access and erasure requests)."""

from functions.privacy.routes import router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice privacy API", routers=[router])
lambda_handler = http_handler(app)
