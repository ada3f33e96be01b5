"""Which stays may be asked of a PMS at all: none before 2000, none more than three years ahead.

The contracts take any calendar date, so that stored reservations and tests with fixed dates
stay readable. A request is different: a stay in year 1 or 9999 reached the vendors' date
arithmetic (Mews' local-midnight conversion overflowed into a 500), and no PMS sells rooms
three years ahead. A stay in the recent past is left to the PMS, which refuses it in its own
words (relayed as ``refused_by_pms``): the agent never asks for one, since it knows the
hotel's today, and the API's clock is not the caller's (a client on a test day, a hotel west
of UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final

from hotelvoice.contracts.pms import AvailabilityQuery
from hotelvoice.errors import InvalidRequest

MAX_DAYS_AHEAD: Final = 3 * 366
"""How far ahead an arrival may be: three years."""
EARLIEST_ARRIVAL: Final = date(2000, 1, 1)
"""Before it a date is a mistake, not a stay."""


def check_bookable(stay: AvailabilityQuery, today: date | None = None) -> None:
    """Refuse (400) a stay that begins before 2000 or more than three years ahead."""
    today = today or datetime.now(UTC).date()
    if stay.arrival < EARLIEST_ARRIVAL:
        raise InvalidRequest(f"arrival is before {EARLIEST_ARRIVAL.year}")
    if stay.arrival > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidRequest("arrival is more than three years ahead")
