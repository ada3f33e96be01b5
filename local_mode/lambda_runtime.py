"""Invoking the real handlers in process, with each function's template environment.

Functions share one process, so they share ``os.environ``: the control plane puts the
variables all functions agree on (the template's Globals) into the process environment, and
each function's own values (``POWERTOOLS_SERVICE_NAME`` …) are in place while its handler
module is imported — its cold start, when Powertools and the settings read them. The control
plane cold-starts every function before it serves, so no request thread swaps variables
under a test or the agent reading them; after that invocations run concurrently, as separate
Lambda instances would.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from hotelvoice.settings import get_settings
from local_mode.resources import ACCOUNT_ID, LocalResources
from local_mode.template import FunctionSpec

_ENV_LOCK = threading.RLock()
INVOKING: ContextVar[str | None] = ContextVar("hotelvoice_invoking", default=None)
"""The logical id of the function whose invocation this code runs in (tasks and threads it
starts inherit it): which function made an AWS call, for the least-privilege test."""


@dataclass
class LocalLambdaContext:
    """The attributes of the Lambda context object that Powertools and Mangum read."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    deadline: float
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's configured timeout."""
        return max(int((self.deadline - time.monotonic()) * 1000), 0)


def shared_environment(functions: list[LocalFunction]) -> dict[str, str]:
    """The variables every function has with the same value: the process-wide part."""
    if not functions:
        return {}
    common = dict(functions[0].environment)
    for function in functions[1:]:
        common = {k: v for k, v in common.items() if function.environment.get(k) == v}
    return common


@contextmanager
def function_environment(env: dict[str, str]) -> Iterator[None]:
    """Put ``env`` in place for the duration of an import, then take back only ``env``.

    Other threads share ``os.environ``: emptying it to restore a snapshot would let them
    read a blank environment (a settings object built then is cached with every default),
    and would undo what they set meanwhile. So only the keys of ``env`` are put back.
    """
    with _ENV_LOCK:
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        get_settings.cache_clear()
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            get_settings.cache_clear()


class LocalFunction:
    """One template function, invokable with a Lambda event."""

    def __init__(
        self, spec: FunctionSpec, resources: LocalResources, extra_env: dict[str, str]
    ) -> None:
        self.spec = spec
        self.name = f"{resources.stack_name}-{spec.logical_id}"
        self.arn = f"arn:aws:lambda:{resources.region}:{ACCOUNT_ID}:function:{self.name}"
        self.environment = {
            **{k: str(resources.resolve(v)) for k, v in spec.environment.items()},
            "AWS_REGION": resources.region,
            "AWS_DEFAULT_REGION": resources.region,
            "AWS_LAMBDA_FUNCTION_NAME": self.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
            **extra_env,
        }
        self._handler: Callable[[dict[str, Any], Any], Any] | None = None

    def load(self) -> Callable[[dict[str, Any], Any], Any]:
        """Import the handler module with this function's environment (the cold start)."""
        with _ENV_LOCK:
            if self._handler is None:
                with function_environment(self.environment):
                    module_name, attr = self.spec.module_and_attr
                    self._handler = getattr(importlib.import_module(module_name), attr)
            return self._handler

    def invoke(self, event: dict[str, Any]) -> Any:
        """Run the handler once, as Lambda would (cold on the first call)."""
        handler = self._handler or self.load()
        _ensure_event_loop()
        context = LocalLambdaContext(
            function_name=self.name,
            memory_limit_in_mb=self.spec.memory_mb,
            invoked_function_arn=self.arn,
            aws_request_id=str(uuid.uuid4()),
            deadline=time.monotonic() + self.spec.timeout_s,
            log_group_name=f"/aws/lambda/{self.name}",
        )
        token = INVOKING.set(self.spec.logical_id)
        try:
            return handler(event, context)
        finally:
            INVOKING.reset(token)


def _ensure_event_loop() -> None:
    """Lambda runs handlers on a main thread with an event loop; server threads have none."""
    try:
        asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        asyncio.set_event_loop(asyncio.new_event_loop())
