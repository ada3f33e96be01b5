"""A hotel's PMS credentials and the vendor facts worth keeping for a while.

Credentials come from the hotel's own secret (``pms.secret_name``, a JSON object) through
Powertools Parameters, cached for five minutes per Lambda instance: a rotated secret is
picked up without a deployment, and a call does not pay Secrets Manager's latency.
Static vendor data (property facts, room types, age categories) changes rarely and is
cached with a TTL in the same spirit (:class:`TtlCache`).
"""

from __future__ import annotations

import time
from collections import OrderedDict
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

    from hotelvoice.aws import secrets_provider

    try:
        value = secrets_provider().get(
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
    """Values by key for ``ttl_s``, the ``max_entries`` most recent at most.

    A failed load is not cached. One per kind of value and process: a Lambda instance lives
    for hours, so the bound keeps its memory flat.
    """

    def __init__(
        self,
        ttl_s: float,
        clock: Callable[[], float] = time.monotonic,
        *,
        max_entries: int = 10_000,
    ) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._max = max_entries
        self._values: OrderedDict[Any, tuple[float, T]] = OrderedDict()

    async def get(self, key: Any, load: Callable[[], Awaitable[T]]) -> T:
        """The cached value, or ``await load()`` once it is older than the TTL."""
        hit = self.peek(key)
        if hit is not None:
            return hit
        value = await load()
        self.put(key, value)
        return value

    def peek(self, key: Any) -> T | None:
        """The value if it is still fresh, else ``None`` (nothing is loaded)."""
        hit = self._values.get(key)
        if hit is None or self._clock() - hit[0] >= self._ttl_s:
            return None
        return hit[1]

    def put(self, key: Any, value: T) -> None:
        """Keep ``value``; the oldest entry goes past ``max_entries``."""
        self._values[key] = (self._clock(), value)
        self._values.move_to_end(key)
        while len(self._values) > self._max:
            self._values.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (tests: another Lambda instance)."""
        self._values.clear()
