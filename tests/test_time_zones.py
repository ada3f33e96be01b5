"""Names that are not time zones, whichever way ``ZoneInfo`` refuses them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from hotelvoice.time_zones import zone_named


def test_a_zone_is_found():
    assert zone_named("Europe/Berlin") == ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize("name", ["Mars/Base", "America", "Europe", "Europe/", "../etc/passwd", ""])
def test_what_is_not_a_zone_is_none(name):
    assert zone_named(name) is None
