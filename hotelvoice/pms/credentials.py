"""A hotel's PMS credentials and the vendor facts worth keeping for a while.

Credentials come from the hotel's own secret (``pms.secret_name``, a JSON object) through
Powertools Parameters, cached for five minutes per Lambda instance: a rotated secret is
picked up without a deployment, and a call does not pay Secrets Manager's latency.
Static vendor data (property facts, room types, age categories) changes rarely and is
cached with a TTL in the same spirit (:class:`TtlCache`).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from hotelvoice.contracts.hotels import PmsBinding
from hotelvoice.errors import Unavailable

SECRET_MAX_AGE_S = 300
T = TypeVar("T")


def pms_credentials(binding: PmsBinding) -> dict[str, str]:
    """The hotel's PMS secret as a JSON object of strings (keys per vendor: docs/pms.md)."""
    if not binding.secret_name:
        raise Unavailable("the hotel's PMS credentials are not configured")
    from aws_lambda_powertools.utilities import parameters

    try:
        value = parameters.get_secret(
            binding.secret_name, transform="json", max_age=SECRET_MAX_AGE_S
        )
    except parameters.exceptions.GetParameterError as exc:
        raise Unavailable("the hotel's PMS credentials cannot be read") from exc
    except parameters.exceptions.TransformParameterError as exc:
        raise Unavailable("the hotel's PMS secret is not a JSON object") from exc
    if not isinstance(value, dict):
        raise Unavailable("the hotel's PMS secret is not a JSON object")
    return {str(k): str(v) for k, v in value.items()}


class TtlCache(Generic[T]):
    """Values by key for ``ttl_s``; a failed load is not cached."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._values: dict[Any, tuple[float, T]] = {}

    async def get(self, key: Any, load: Callable[[], Awaitable[T]]) -> T:
        """The cached value, or ``await load()`` once it is older than the TTL."""
        now = self._clock()
        hit = self._values.get(key)
        if hit is not None and now - hit[0] < self._ttl_s:
            return hit[1]
        value = await load()
        self._values[key] = (now, value)
        return value
