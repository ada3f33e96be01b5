"""Lambda entry of the PMS API: reads (hotel facts, availability, lookups) and writes."""

from functions import snapshot
from functions.pms.booking_routes import router as booking_router
from functions.pms.routes import router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app
from hotelvoice.pms.registry import VENDOR_PACKAGES

app = create_app(title="hotelvoice PMS API", routers=[router, booking_router])
lambda_handler = http_handler(app)
snapshot.warm_also("httpx", *(f"hotelvoice.pms.{vendor}" for vendor in VENDOR_PACKAGES))
