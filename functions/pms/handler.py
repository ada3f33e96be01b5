"""Lambda entry of the PMS API."""

from functions.pms.routes import router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice PMS API", routers=[router])
lambda_handler = http_handler(app)
