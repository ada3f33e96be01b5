"""What the agent makes of the PMS API's errors, and vendors' codes on a real call.

The caller hears something different for each: nothing found (404) is an answer, a refusal
(422 ``refused_by_pms``) is relayed, and a rate limit (429), an outage (5xx) or no answer in
time all become the front-desk offer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import httpx
import pytest

from hotelvoice.errors import InvalidRequest, NotFound, RateLimited, RefusedByPms, Unavailable
from hotelvoice.pms.demo_hotel import DEMO_HOTEL_ID
from hotelvoice.settings import get_settings
from realtime_agent.pms_client import DEFAULT_RETRY_AFTER_S, PmsClient
from realtime_agent.scripted_call import run_scripted_call
from realtime_agent.service_auth import LocalServiceToken

DAY = date(2026, 12, 12)


def error(status: int, code: str, message: str, **headers: str) -> httpx.Response:
    body = {"error": {"code": code, "message": message, "request_id": "r"}}
    return httpx.Response(status, json=body, headers=headers)


def client(answer: Callable[[httpx.Request], httpx.Response]) -> PmsClient:
    return PmsClient("http://pms.test", "token", transport=httpx.MockTransport(answer))


async def availability(answer: Callable[[httpx.Request], httpx.Response]) -> None:
    pms = client(answer)
    try:
        await pms.availability("h1", DAY, date(2026, 12, 14), 2)
    finally:
        await pms.aclose()


async def test_a_rate_limit_is_its_own_error_with_the_apis_retry_after() -> None:
    with pytest.raises(RateLimited) as raised:
        await availability(
            lambda _r: error(429, "rate_limited", "slow down", **{"Retry-After": "7"})
        )
    assert raised.value.retry_after_s == 7
    with pytest.raises(RateLimited) as raised:
        await availability(lambda _r: error(429, "rate_limited", "slow down"))
    assert raised.value.retry_after_s == DEFAULT_RETRY_AFTER_S


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_are_an_outage(status: int) -> None:
    with pytest.raises(Unavailable):
        await availability(lambda _r: error(status, "unavailable", "PMS down"))


async def test_no_answer_in_time_is_an_outage() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    with pytest.raises(Unavailable):
        await availability(hang)


async def test_a_refusal_keeps_the_pms_reason_and_other_422s_stay_invalid() -> None:
    reason = "Stays over the trade fair need the group desk"
    with pytest.raises(RefusedByPms) as raised:
        await availability(lambda _r: error(422, "refused_by_pms", reason))
    assert raised.value.message == reason
    with pytest.raises(InvalidRequest):
        await availability(lambda _r: error(422, "invalid_request", "bad dates"))


async def test_not_found_is_an_answer_not_an_outage() -> None:
    with pytest.raises(NotFound):
        await availability(lambda _r: error(404, "not_found", "no such hotel"))
    pms = client(lambda _r: error(404, "not_found", "no match"))
    try:
        assert await pms.find_reservation("h1", "813595", "Smith") is None
    finally:
        await pms.aclose()


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("my booking number is eight one three five nine five", "813595"),
        ("my reservation number is fifty two", "52"),
        ("my booking reference is X P G M S X G F dash one", "XPGMSXGF-1"),
    ],
)
async def test_every_vendors_code_reaches_the_pms_api(plane, api_url, said: str, code: str):
    """Digits only and Apaleo ids pass the API's check: the lookup runs and finds nothing."""
    transcript = await run_scripted_call(
        [said, "Smith"],
        settings=get_settings(),
        credentials=LocalServiceToken(),
        today=plane.today,
        hotel_id=DEMO_HOTEL_ID,
        report_events=False,
    )
    (lookup,) = [c for t in transcript.turns for c in t.tool_calls if c.name == "find_reservation"]
    assert lookup.arguments["confirmation_code"] == code
    assert lookup.ok, lookup.result
    assert json.loads(lookup.result)["found"] is False
