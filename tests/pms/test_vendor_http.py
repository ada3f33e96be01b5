"""How every PMS connector behaves when its vendor misbehaves (hotelvoice.pms.vendor_http)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from hotelvoice.breaker import BreakerState
from hotelvoice.errors import InvalidRequest, NotFound, RateLimited, SoldOut, Unavailable
from hotelvoice.pms import vendor_http
from hotelvoice.pms.vendor_http import VendorCall, VendorHttp


class Script:
    """A vendor that answers from a list, recording what it was asked."""

    def __init__(self, *answers: int | tuple[int, dict[str, str]] | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        return httpx.Response(status, headers=headers, json={"ok": status < 400})


def vendor(script: Script, hotel: str | None = None, **kwargs) -> VendorHttp:
    client = httpx.AsyncClient(
        base_url="https://pms.example", transport=httpx.MockTransport(script)
    )
    return VendorHttp("acme", hotel or f"h-{uuid.uuid4().hex[:6]}", client, **kwargs)


def call(http: VendorHttp, *, idempotent: bool = True) -> httpx.Response:
    return asyncio.run(http.request("GET", "/x", operation="Read", idempotent=idempotent))


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(vendor_http, "BACKOFF_BASE_S", 0.001)


def test_a_read_is_retried_through_a_503_and_a_dropped_connection():
    script = Script(503, httpx.ConnectError("reset"), 200)
    assert call(vendor(script)).status_code == 200
    assert len(script.requests) == 3


def test_a_write_without_an_idempotency_key_is_sent_once():
    script = Script(503, 200)
    with pytest.raises(Unavailable):
        call(vendor(script), idempotent=False)
    assert len(script.requests) == 1


def test_retry_after_is_honoured_and_a_wait_past_the_budget_is_a_rate_limit_at_once():
    short = Script((429, {"retry-after": "0"}), 200)
    assert call(vendor(short)).status_code == 200
    long = Script((429, {"retry-after": "30"}), 200)
    with pytest.raises(RateLimited) as refused:
        call(vendor(long, budget_s=2.0))
    assert refused.value.retry_after_s == 30
    assert len(long.requests) == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, InvalidRequest),
        (422, InvalidRequest),
        (404, NotFound),
        (409, SoldOut),
        (401, Unavailable),
        (500, Unavailable),
    ],
)
def test_answers_map_onto_the_ports_error_family(status, error):
    with pytest.raises(error):
        call(vendor(Script(status)))


def test_a_vendor_may_read_its_own_errors():
    def classify(response: httpx.Response):
        return SoldOut("no rooms") if response.status_code == 403 else None

    with pytest.raises(SoldOut):
        call(vendor(Script(403), classify=classify))
    with pytest.raises(NotFound):
        call(vendor(Script(404), classify=classify))


def test_one_hotels_failing_pms_opens_its_breaker_and_leaves_other_hotels_alone():
    seen: list[VendorCall] = []
    vendor_http.observers.append(seen.append)
    try:
        down = Script(503)
        broken = vendor(down, hotel="down-hotel", max_attempts=1)
        for _ in range(vendor_http.BREAKER_FAILURES):
            with pytest.raises(Unavailable):
                call(broken)
        asked = len(down.requests)
        with pytest.raises(Unavailable):
            call(broken)
        assert len(down.requests) == asked  # not even asked while the breaker is open
        assert broken.breaker.state is BreakerState.OPEN
        healthy = vendor(Script(200), hotel="other-hotel")
        assert call(healthy).status_code == 200
    finally:
        vendor_http.observers.remove(seen.append)
        vendor_http._breakers.pop(("acme", "down-hotel"), None)
    outcomes = [(c.hotel_id, c.outcome) for c in seen]
    assert outcomes[-1] == ("other-hotel", "ok")
    assert ("down-hotel", "unavailable") in outcomes
    assert seen[-2].breaker is BreakerState.OPEN


def test_a_timeout_is_unavailable_after_the_retries():
    script = Script(httpx.ReadTimeout("slow"))
    with pytest.raises(Unavailable):
        call(vendor(script))
    assert len(script.requests) == 3


def test_a_failing_metrics_observer_never_fails_the_guests_request():
    def broken(_call: VendorCall) -> None:
        raise RuntimeError("metrics backend down")

    vendor_http.observers.append(broken)
    try:
        assert call(vendor(Script(200))).status_code == 200
    finally:
        vendor_http.observers.remove(broken)


def test_the_pms_function_reports_each_vendor_call_per_hotel_and_vendor(capsys):
    import json

    from functions.pms.routes import vendor_call_metrics

    assert vendor_call_metrics in vendor_http.observers
    vendor_call_metrics(
        VendorCall(
            "mews",
            "aurora-munich",
            "Availability",
            "rate_limited",
            429,
            812.0,
            2,
            BreakerState.CLOSED,
        )
    )
    emf = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert emf["PmsVendorLatency"] == [812.0]
    assert emf["vendor"] == "mews"
    assert emf["hotel_id"] == "aurora-munich"
    assert emf["outcome"] == "rate_limited"
    assert emf["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [
        ["vendor", "hotel_id", "operation", "outcome", "breaker"]
    ]


def test_one_port_call_gets_one_budget_however_many_requests_it_chains():
    asked: list[str] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        await asyncio.sleep(0.3)  # a lower bound: no machine answers sooner
        return httpx.Response(200, json={})

    client = httpx.AsyncClient(base_url="https://pms.example", transport=httpx.MockTransport(slow))
    http = VendorHttp("acme", f"h-{uuid.uuid4().hex[:6]}", client, budget_s=30.0)

    async def token_facts_lookup() -> None:
        with vendor_http.call_budget(0.5):
            for step in ("/token", "/facts", "/lookup"):
                await http.request("GET", step, operation="Chain", idempotent=True)

    with pytest.raises(Unavailable):
        asyncio.run(token_facts_lookup())
    assert asked == ["/token", "/facts"]  # the third is not even sent: no time was left
