"""Lambda entry of the hotel configuration API."""

from functions.hotels import knowledge_routes
from functions.hotels.routes import router
from functions.runtime import http_handler
from hotelvoice.http_app import create_app

app = create_app(
    title="hotelvoice hotel configuration API", routers=[router, knowledge_routes.router]
)
lambda_handler = http_handler(app)
