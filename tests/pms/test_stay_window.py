"""The stays a request may ask a PMS about."""

from __future__ import annotations

from datetime import date

import pytest

from hotelvoice.contracts.pms import AvailabilityQuery
from hotelvoice.errors import InvalidRequest
from hotelvoice.pms.stay_window import check_bookable

TODAY = date(2026, 12, 6)


def stay(arrival: str, departure: str) -> AvailabilityQuery:
    return AvailabilityQuery(arrival=arrival, departure=departure, adults=1)


@pytest.mark.parametrize(
    ("arrival", "departure"),
    [
        ("2026-12-05", "2026-12-06"),  # past stays are the PMS's to refuse, in its words
        ("2024-02-01", "2024-02-03"),
        ("2026-12-06", "2026-12-07"),
        ("2029-12-06", "2029-12-07"),
    ],
)
def test_from_2000_to_three_years_ahead_may_be_asked(arrival, departure):
    check_bookable(stay(arrival, departure), TODAY)


@pytest.mark.parametrize(
    ("arrival", "departure", "says"),
    [
        ("0001-01-01", "0001-01-02", "before 2000"),
        ("1999-12-31", "2000-01-02", "before 2000"),
        ("2029-12-12", "2029-12-13", "three years"),
        ("9999-12-30", "9999-12-31", "three years"),
    ],
)
def test_the_past_and_the_far_future_are_refused(arrival, departure, says):
    with pytest.raises(InvalidRequest, match=says):
        check_bookable(stay(arrival, departure), TODAY)
