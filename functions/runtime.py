"""Powertools wiring shared by every function: logger, tracer, metrics, the HTTP handler.

Service name, namespace and log level come from ``template.yaml`` Globals. FastAPI and
Mangum are imported only by :func:`http_handler`, so the SQS consumer never pays for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from functions import snapshot
from functions.log_format import RedactingFormatter

if TYPE_CHECKING:
    from fastapi import FastAPI

_TRUE = {"1", "true", "yes", "on"}


def tracing_on() -> bool:
    """Whether this process records X-Ray traces.

    In Lambda, unless the template's ``TracingMode`` turned them off
    (``POWERTOOLS_TRACE_DISABLED``); never outside Lambda, as Powertools decides too.
    """
    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").lower() in _TRUE
    return bool(os.environ.get("LAMBDA_TASK_ROOT")) and not disabled


class Untraced:
    """Powertools' ``Tracer`` where nothing is traced, without importing the X-Ray SDK.

    Powertools imports the SDK even for a disabled tracer, and that import was about a
    third of a function's cold start (``make bench``, "Cold starts").
    """

    @staticmethod
    def capture_lambda_handler(handler: Callable[..., Any]) -> Callable[..., Any]:
        """The handler itself: no segment to open."""
        return handler


def _tracer() -> Any:
    if not tracing_on():
        return Untraced()
    from aws_lambda_powertools import Tracer

    return Tracer()


snapshot.register()
logger = Logger(logger_formatter=RedactingFormatter())
tracer = _tracer()
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
