"""Each principal has a per-minute budget; past it: 429 with Retry-After, others unaffected."""

from __future__ import annotations

import pytest

from hotelvoice.auth import Principal, Role
from hotelvoice.errors import RateLimited
from hotelvoice.rate_limit import WINDOW_S, enforce_rate_limit
from hotelvoice.settings import get_settings

INFO = "/v1/hotels/aurora-berlin/info"


def test_a_principal_past_its_limit_gets_429_with_retry_after(plane):
    limit = get_settings().rate_limits["staff"]
    greedy = {"authorization": f"Bearer {plane.token(Role.STAFF, ['aurora-berlin'], 'greedy')}"}
    statuses = []
    for _ in range(2 * limit + 1):  # two windows at most, should the minute turn mid-test
        response = plane.api.request("GET", INFO, greedy)
        statuses.append(response.status)
        if response.status == 429:
            break
    assert statuses[-1] == 429
    assert set(statuses[:-1]) == {200}
    assert 1 <= int(response.headers["retry-after"]) <= WINDOW_S
    assert response.json()["error"]["code"] == "rate_limited"
    patient = {"authorization": f"Bearer {plane.token(Role.STAFF, ['aurora-berlin'], 'patient')}"}
    assert plane.api.request("GET", INFO, patient).status == 200


def test_the_window_counts_exactly_the_limit(plane):
    limit = get_settings().rate_limits["admin"]
    principal = Principal(subject="exact", role=Role.ADMIN, hotels=["*"])
    start = 1_900_000_000 - 1_900_000_000 % WINDOW_S
    for n in range(limit):
        enforce_rate_limit(principal, now=start + n * 0.01)
    with pytest.raises(RateLimited) as refused:
        enforce_rate_limit(principal, now=start + 10)
    assert refused.value.retry_after_s == WINDOW_S - 10
    enforce_rate_limit(principal, now=start + WINDOW_S)  # the next window starts afresh
