"""Lambda entry of the calls API: records, the front desk's inbox, the dashboard, health."""

from functions.calls.inbox_routes import router as inbox_router
from functions.calls.routes import router
from functions.calls.stats_routes import router as stats_router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app

app = create_app(title="hotelvoice calls API", routers=[router, inbox_router, stats_router])
lambda_handler = http_handler(app)
