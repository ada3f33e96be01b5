"""An HTTP function: FastAPI's OpenAPI models are made lean before its routes import FastAPI."""

from functions.openapi_models import defer_openapi_models

defer_openapi_models()
