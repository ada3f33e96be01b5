"""Which stays may be asked of a PMS at all: none that began before yesterday, none years away.

The contracts take any calendar date, so that stored reservations and tests with fixed dates
stay readable. A request is different: a stay in year 1 or 9999 reached the vendors' date
arithmetic (Mews' local-midnight conversion overflowed into a 500), and one in the past can
only be refused by the PMS in its own words. "Yesterday" leaves a day of slack for hotels
west of UTC, whose today may still be UTC's yesterday; the horizon is further ahead than any
PMS sells rooms.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final

from hotelvoice.contracts.pms import AvailabilityQuery
from hotelvoice.errors import InvalidRequest

MAX_DAYS_AHEAD: Final = 3 * 366
"""How far ahead an arrival may be: three years."""


def check_bookable(stay: AvailabilityQuery, today: date | None = None) -> None:
    """Refuse (400) a stay that begins before yesterday or more than three years ahead."""
    today = today or datetime.now(UTC).date()
    if stay.arrival < today - timedelta(days=1):
        raise InvalidRequest("arrival is in the past")
    if stay.arrival > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidRequest("arrival is more than three years ahead")
