"""Each hotel's retention, looked up once every few minutes per process, and TTL arithmetic.

Every item the control plane writes about a call carries ``expires_at`` (epoch seconds, the
tables' TTL attribute) inside the hotel's retention. DynamoDB deletes expired items within
days, so readers never rely on TTL alone for correctness, only for storage limitation.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice.contracts.hotels import RetentionSettings
from hotelvoice.errors import NotFound
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.settings import get_settings

DAY_S = 24 * 3600
LOOKUP_TTL_S = 300.0
DEFAULT_RETENTION = RetentionSettings()
"""For a call whose hotel is not known yet, and for hotels without a configuration."""

_lock = threading.Lock()
_cache: dict[str, tuple[RetentionSettings, float]] = {}


def retention_for(hotel_id: str | None) -> RetentionSettings:
    """The hotel's retention (defaults when unknown or its configuration cannot be read)."""
    if not hotel_id:
        return DEFAULT_RETENTION
    now = time.monotonic()
    with _lock:
        cached = _cache.get(hotel_id)
        if cached and now - cached[1] < LOOKUP_TTL_S:
            return cached[0]
    try:
        retention = HotelDirectory(get_settings().hotels_table).get(hotel_id).retention
    except NotFound:
        retention = DEFAULT_RETENTION
    except (BotoCoreError, ClientError):
        return DEFAULT_RETENTION  # not cached: the next write asks again
    with _lock:
        _cache[hotel_id] = (retention, now)
    return retention


def forget_retention(hotel_id: str | None = None) -> None:
    """Drop cached retention (after a configuration change in the same process, tests)."""
    with _lock:
        if hotel_id is None:
            _cache.clear()
        else:
            _cache.pop(hotel_id, None)


def expires_at(days: int, since: datetime | None = None) -> int:
    """Epoch seconds ``days`` after ``since`` (now when absent or in the future)."""
    now = datetime.now(UTC)
    base = min(since.astimezone(UTC), now) if since else now
    return int(base.timestamp()) + days * DAY_S
