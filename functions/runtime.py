"""Powertools wiring shared by every function: logger, tracer, metrics, the HTTP handler.

Service name, namespace and log level come from ``template.yaml`` Globals. FastAPI and
Mangum are imported only by :func:`http_handler`, so the SQS consumer never pays for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from functions.log_format import RedactingFormatter

if TYPE_CHECKING:
    from fastapi import FastAPI

logger = Logger(logger_formatter=RedactingFormatter())
tracer = Tracer()
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "HotelVoice")
"""Powertools reads the namespace when this is created: a module imported before the
function's environment is in place (a unit test, a tool) still publishes to ours."""

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def http_handler(app: FastAPI) -> LambdaHandler:
    """The Lambda entry point of an HTTP function: Powertools around Mangum around ``app``."""
    from mangum import Mangum

    asgi = Mangum(app, lifespan="off", api_gateway_base_path="/")

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        response = asgi(event, context)
        status = int(response.get("statusCode", 500))
        metrics.add_metric(name=f"Http{status // 100}xx", unit=MetricUnit.Count, value=1)
        return response

    return lambda_handler
