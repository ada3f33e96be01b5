"""Self-tests of the PMS contract harness: Prism flags what the vendors refuse, the proxy faults.

Each vendor gets one representative operation: a request built from its description is
answered 2xx from the spec's example with no violation, the same request with a required part
missing is flagged, and ``Prefer: code=404`` gives the spec's 404. The proxy tests run on Mews
(the quickest description to load); faults do not depend on the vendor.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from pms_contract import fault_proxy as faults
from pms_contract.pms_mock import PmsMock, SpecDefectWarning
from pms_contract.specs import SPECS_ENV, SpecsMissing, specs_dir
from pms_contract.violations import (
    Violation,
    assert_no_violation,
    find_violations,
    response_violations,
)

APALEO_AUTH = {"Authorization": "Bearer apaleo-test-token"}
APALEO_OFFERS = {"propertyId": "MUC", "arrival": "2024-05-01", "departure": "2024-05-03"}

MEWS_AVAILABILITY = "/api/connector/v1/services/getAvailability/2024-01-22"
MEWS_TOKENS = {
    "ClientToken": "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D",
    "AccessToken": "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D",
    "Client": "hotelvoice 0.1.0",
}
MEWS_SERVICE = "bd26d8db-86da-4f96-9efc-e5a4654a4a94"

OPERA_HOTEL = "HVDEMO"
OPERA_HEADERS = {
    "authorization": "Bearer opera-test-token",
    "x-app-key": "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",  # the spec wants a UUID v4
    "x-hotelid": OPERA_HOTEL,
}
OPERA_AVAILABILITY = f"/par/v1/hotels/{OPERA_HOTEL}/availability"
OPERA_QUERY = {
    "roomStayStartDate": "2026-07-01",
    "roomStayEndDate": "2026-07-03",
    "adults": 2,
    "roomStayQuantity": 1,
    "roomTypeInfo": "true",
}


def mews_availability(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        **MEWS_TOKENS,
        "ServiceId": MEWS_SERVICE,
        "FirstTimeUnitStartUtc": "2024-02-01T23:00:00.000Z",
        "LastTimeUnitStartUtc": "2024-02-05T23:00:00.000Z",
        "Metrics": ["Occupied", "UsableResources"],
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


Send = Callable[[httpx.Client], httpx.Response]


@dataclass(frozen=True)
class VendorCase:
    """One vendor's representative operation: a valid call, a refused one, a forced 404."""

    fixture: str
    valid: Send
    expect_key: str  # a top-level key of the 2xx example answer
    refused: Send
    refused_status: int
    refused_location: tuple[str, ...]
    not_found: Send


CASES = [
    VendorCase(
        fixture="apaleo_mock",
        valid=lambda c: c.get(
            "/booking/v1/offers", params={**APALEO_OFFERS, "adults": 2}, headers=APALEO_AUTH
        ),
        expect_key="offers",
        refused=lambda c: c.get("/booking/v1/offers", params=APALEO_OFFERS, headers=APALEO_AUTH),
        refused_status=422,
        refused_location=("request", "query"),
        not_found=lambda c: c.get(
            "/booking/v1/reservations/XPGMSXGF-1", headers={**APALEO_AUTH, "Prefer": "code=404"}
        ),
    ),
    VendorCase(
        fixture="mews_mock",
        valid=lambda c: c.post(MEWS_AVAILABILITY, json=mews_availability()),
        expect_key="ResourceCategoryAvailabilities",
        refused=lambda c: c.post(MEWS_AVAILABILITY, json=mews_availability(ServiceId=None)),
        refused_status=400,
        refused_location=("request", "body"),
        not_found=lambda c: c.post(
            MEWS_AVAILABILITY, json=mews_availability(), headers={"Prefer": "code=404"}
        ),
    ),
    VendorCase(
        fixture="opera_mock",
        valid=lambda c: c.get(OPERA_AVAILABILITY, params=OPERA_QUERY, headers=OPERA_HEADERS),
        expect_key="hotelAvailability",
        refused=lambda c: c.get(
            OPERA_AVAILABILITY,
            params=OPERA_QUERY,
            headers={k: v for k, v in OPERA_HEADERS.items() if k != "x-hotelid"},
        ),
        refused_status=400,
        refused_location=("request", "header"),
        not_found=lambda c: c.get(
            OPERA_AVAILABILITY, headers={**OPERA_HEADERS, "Prefer": "code=404"}
        ),
    ),
]
CASE_IDS = [case.fixture.removesuffix("_mock") for case in CASES]


@pytest.fixture
def client_for() -> Iterator[Callable[[PmsMock], httpx.Client]]:
    clients: list[httpx.Client] = []

    def make(mock: PmsMock) -> httpx.Client:
        client = httpx.Client(base_url=mock.url, timeout=15)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def mews(mews_mock: PmsMock, client_for: Callable[[PmsMock], httpx.Client]) -> httpx.Client:
    return client_for(mews_mock)


# -- Prism: each vendor's description accepts, refuses, forces 404 ---------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_request_the_spec_allows_gets_its_example_without_violation(
    case: VendorCase, request: pytest.FixtureRequest, client_for: Callable[[PmsMock], httpx.Client]
) -> None:
    mock: PmsMock = request.getfixturevalue(case.fixture)

    response = case.valid(client_for(mock))

    assert response.is_success, response.text
    assert_no_violation(response)
    assert case.expect_key in response.json()
    assert [r.method for r in mock.requests] == [response.request.method]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_request_missing_a_required_part_is_flagged(
    case: VendorCase, request: pytest.FixtureRequest, client_for: Callable[[PmsMock], httpx.Client]
) -> None:
    mock: PmsMock = request.getfixturevalue(case.fixture)

    with mock.expect_violations() as caught:
        response = case.refused(client_for(mock))

    assert response.status_code == case.refused_status
    assert response_violations(response), "the client sees the sl-violations header too"
    assert [v.location[:2] for v in caught] == [case.refused_location]
    assert mock.requests[0].violations == tuple(caught)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_prefer_code_404_gives_the_spec_404(
    case: VendorCase, request: pytest.FixtureRequest, client_for: Callable[[PmsMock], httpx.Client]
) -> None:
    mock: PmsMock = request.getfixturevalue(case.fixture)

    response = case.not_found(client_for(mock))

    assert response.status_code == 404
    assert_no_violation(response)


def test_apaleo_without_a_bearer_token_is_refused_401(
    apaleo_mock: PmsMock, client_for: Callable[[PmsMock], httpx.Client]
) -> None:
    client = client_for(apaleo_mock)
    with apaleo_mock.expect_violations() as caught:
        basic = client.get(
            "/booking/v1/offers",
            params={**APALEO_OFFERS, "adults": 2},
            headers={"Authorization": "Basic dXNlcjpwYXNz"},
        )
    assert basic.status_code == 401
    assert [v.code for v in caught] == ["401"]


def test_a_path_the_spec_lacks_is_flagged(
    apaleo_mock: PmsMock, client_for: Callable[[PmsMock], httpx.Client]
) -> None:
    with apaleo_mock.expect_violations() as caught:
        response = client_for(apaleo_mock).get("/booking/v1/offer", headers=APALEO_AUTH)
    assert response.status_code == 404
    assert [v.code for v in caught] == ["NO_PATH_MATCHED_ERROR"]


def test_a_status_the_spec_lacks_cannot_be_forced(mews: httpx.Client, mews_mock: PmsMock) -> None:
    """Prism answers a ``Prefer: code=`` the operation does not list with its own 404."""
    with mews_mock.expect_violations() as caught:
        response = mews.post(
            MEWS_AVAILABILITY, json=mews_availability(), headers={"Prefer": "code=503"}
        )
    assert response.status_code == 404
    assert [v.code for v in caught] == ["NOT_FOUND"]


def test_mews_defines_429_with_retry_after(mews: httpx.Client) -> None:
    response = mews.post(
        MEWS_AVAILABILITY, json=mews_availability(), headers={"Prefer": "code=429"}
    )
    assert response.status_code == 429
    assert response.headers["Retry-After"].isdigit()
    assert response.json() == {"Message": "Too many requests."}
    assert_no_violation(response)


def test_an_unflagged_refusal_fails_the_test_that_sent_it(
    mews: httpx.Client, mews_mock: PmsMock
) -> None:
    """What the per-test guard runs at teardown: a connector test cannot pass a refused request."""
    mews.post(MEWS_AVAILABILITY, json=mews_availability(Metrics=["NotAMetric"]))

    with pytest.raises(pytest.fail.Exception, match=r"broke the mews API description"):
        mews_mock.raise_for_violations()
    mews_mock.raise_for_violations()  # drained: nothing left for the guard


def test_expect_violations_fails_when_prism_flags_nothing(
    mews: httpx.Client, mews_mock: PmsMock
) -> None:
    with (
        pytest.raises(AssertionError, match="expected Prism to flag"),
        mews_mock.expect_violations(),
    ):
        mews.post(MEWS_AVAILABILITY, json=mews_availability())


# -- the fault proxy -------------------------------------------------------------------------


def test_proxy_answers_429_with_retry_after_then_forwards(
    mews: httpx.Client, mews_mock: PmsMock
) -> None:
    mews_mock.inject(faults.rate_limited(retry_after=7), times=2)

    answers = [mews.post(MEWS_AVAILABILITY, json=mews_availability()) for _ in range(3)]

    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "7"
    assert answers[0].json()["Message"] == "Injected by the fault proxy."  # Mews' error shape
    assert mews_mock.proxy.pending_faults == 0
    recorded = mews_mock.requests
    assert [r.status for r in recorded] == [429, 429, 200]
    assert all(r.json()["AccessToken"] == MEWS_TOKENS["AccessToken"] for r in recorded)
    assert recorded[0].headers["content-type"] == "application/json"


def test_proxy_answers_5xx_in_the_order_injected(mews: httpx.Client, mews_mock: PmsMock) -> None:
    mews_mock.inject(faults.status(503, retry_after=2))
    mews_mock.inject(faults.status(500))
    mews_mock.inject(faults.status(502, json_body={"Message": "Bad gateway."}))

    answers = [mews.post(MEWS_AVAILABILITY, json=mews_availability()) for _ in range(4)]

    assert [a.status_code for a in answers] == [503, 500, 502, 200]
    assert answers[0].headers["Retry-After"] == "2"
    assert answers[2].json() == {"Message": "Bad gateway."}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (CASES[0], b""),  # Apaleo's description gives its 5xx no body
        (CASES[1], {"Message": "Injected by the fault proxy.", "RequestId": None}),
        (CASES[2], {"type": "about:blank", "title": "Injected by the fault proxy.", "status": 503}),
    ],
    ids=CASE_IDS,
)
def test_an_injected_status_has_the_vendors_error_shape(
    case: VendorCase,
    expected: object,
    request: pytest.FixtureRequest,
    client_for: Callable[[PmsMock], httpx.Client],
) -> None:
    mock: PmsMock = request.getfixturevalue(case.fixture)
    mock.inject(faults.status(503))

    response = case.valid(client_for(mock))

    assert response.status_code == 503
    assert (response.json() if expected else response.content) == expected


def test_proxy_faults_only_the_paths_asked_for(mews: httpx.Client, mews_mock: PmsMock) -> None:
    mews_mock.inject(faults.status(503), path_contains="/rates/getPricing")

    response = mews.post(MEWS_AVAILABILITY, json=mews_availability())

    assert response.status_code == 200
    assert mews_mock.proxy.pending_faults == 1


def test_proxy_delays_an_answer(mews: httpx.Client, mews_mock: PmsMock) -> None:
    mews_mock.inject(faults.delay(0.6))

    began = time.monotonic()
    slow = mews.post(MEWS_AVAILABILITY, json=mews_availability())
    slow_s = time.monotonic() - began
    mews.post(MEWS_AVAILABILITY, json=mews_availability())

    assert slow.status_code == 200
    assert slow_s >= 0.6  # a lower bound: no load makes a delay shorter
    first, second = mews_mock.requests[-2:]
    assert isinstance(first.fault, faults.Delay)
    assert isinstance(second.fault, faults.Forward)  # the next one is not delayed


def test_a_delay_longer_than_the_client_timeout_times_out(mews_mock: PmsMock) -> None:
    mews_mock.inject(faults.delay(2.0))

    with (
        httpx.Client(base_url=mews_mock.url, timeout=0.3) as impatient,
        pytest.raises(httpx.ReadTimeout),
    ):
        impatient.post(MEWS_AVAILABILITY, json=mews_availability())


def test_proxy_resets_the_connection(mews: httpx.Client, mews_mock: PmsMock) -> None:
    mews_mock.inject(faults.reset())

    with pytest.raises(httpx.ReadError, match="reset"):  # an RST, not a clean close
        mews.post(MEWS_AVAILABILITY, json=mews_availability())
    after = mews.post(MEWS_AVAILABILITY, json=mews_availability())

    assert after.status_code == 200
    assert [r.status for r in mews_mock.requests] == [None, 200]


def test_a_faulted_request_is_still_validated(mews: httpx.Client, mews_mock: PmsMock) -> None:
    """A retry loop that only ever meets injected 503s is still checked against the spec."""
    mews_mock.inject(faults.status(503))

    with mews_mock.expect_violations() as caught:
        response = mews.post(MEWS_AVAILABILITY, json=mews_availability(Client=None))

    assert response.status_code == 503
    assert "Client" in caught[0].message


def test_proxy_records_method_path_query_headers_and_body(
    apaleo_mock: PmsMock, client_for: Callable[[PmsMock], httpx.Client]
) -> None:
    client_for(apaleo_mock).get(
        "/booking/v1/offers",
        params={**APALEO_OFFERS, "adults": 2, "childrenAges": [4, 9]},
        headers=APALEO_AUTH,
    )

    (sent,) = apaleo_mock.requests
    assert (sent.method, sent.path) == ("GET", "/booking/v1/offers")
    assert "childrenAges=4&childrenAges=9" in sent.query
    assert sent.headers["authorization"] == APALEO_AUTH["Authorization"]
    assert sent.body == b""
    assert isinstance(sent.fault, faults.Forward)


# -- reading Prism's reports (no Prism needed) -----------------------------------------------


def test_a_response_side_violation_is_a_spec_defect_not_the_callers_fault() -> None:
    header = (
        '[{"location":["response","body","offers"],"severity":"Error","code":"type",'
        '"message":"must be array"},{"location":["request","query","x"],"severity":"Warning",'
        '"code":"deprecated","message":"x is deprecated"}]'
    )
    found = find_violations("GET", "/x", 200, {"SL-Violations": header}, b"{}")
    assert [v.from_request for v in found] == [False, True]


def test_a_spec_defect_warns_without_failing_the_test(tmp_path: Path) -> None:
    """Apaleo's reservation examples lack required ``balance``: not the connector's fault."""
    mock = PmsMock("apaleo", tmp_path / "apaleo.mock.json", tmp_path / "prism.log")
    defect = Violation(
        "GET",
        "/booking/v1/reservations/XPGMSXGF-1",
        200,
        ("response", "body"),
        "Error",
        "required",
        "Response body must have required property 'balance'",
    )
    mock.violations.add([defect])

    with pytest.warns(SpecDefectWarning, match="balance"):
        mock.raise_for_violations()


def test_a_truncated_violation_header_still_counts() -> None:
    found = find_violations("GET", "/x", 422, {"sl-violations": "Too many violations! [{"}, b"")
    assert found
    assert found[0].from_request


def test_a_vendor_problem_json_is_not_a_violation() -> None:
    body = b'{"type":"https://example.com/errors/validation","title":"Invalid","status":400}'
    headers = {"content-type": "application/problem+json"}
    assert find_violations("POST", "/x", 400, headers, body) == []


def test_a_prism_made_refusal_says_what_to_do() -> None:
    body = (
        b'{"type":"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT",'
        b'"title":"Cannot serialise complex objects as text","status":500,"detail":""}'
    )
    headers = {"content-type": "application/problem+json"}
    (found,) = find_violations("GET", "/inventory/v1/properties/MUC", 500, headers, body)
    assert found.code == "NO_COMPLEX_OBJECT_TEXT"
    assert "Accept: application/json" in found.message


def test_missing_specs_say_where_they_were_looked_for(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SPECS_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(SpecsMissing, match=rf"not found at .*nowhere; set {SPECS_ENV}"):
        specs_dir()
