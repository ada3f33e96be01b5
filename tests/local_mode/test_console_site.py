"""``/console/`` in local mode: the built files, their configuration, the development
sign-in, and what none of them may do (escape the folder, mint a token for everyone)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hotelvoice.auth import Role, signing_key, verify_bearer
from hotelvoice.settings import get_settings
from local_mode.console_site import ConsoleSite, local_console
from local_mode.demo_calls import call_events, demo_call_ids, demo_call_scripts, demo_hotels


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>console</title>")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("outside")
    return tmp_path


def sign_in(site: ConsoleSite, body: object, method: str = "POST"):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return site.handle(method, "/console/dev-sign-in", raw)


def test_serves_files_with_security_headers_and_routes_deep_links_to_the_page(dist):
    site = ConsoleSite(dist=dist)
    page = site.handle("GET", "/console/", None)
    assert page.status == 200
    assert b"<title>console</title>" in page.body
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src 'self';" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    script = site.handle("GET", "/console/assets/app.js", None)
    assert script.headers["content-type"] in ("text/javascript", "application/javascript")
    assert "immutable" in script.headers["cache-control"]
    assert site.handle("GET", "/console/calls/abc", None).body == page.body
    assert site.handle("GET", "/console", None).headers["location"] == "/console/"
    assert site.handle("GET", "/v1/calls", None) is None  # the API's, not the console's


@pytest.mark.parametrize(
    "path",
    ["/console/../secret.txt", "/console/assets/../../secret.txt", "/console/missing.js"],
)
def test_nothing_outside_the_built_folder_and_no_page_for_a_missing_file(dist, path):
    answer = ConsoleSite(dist=dist).handle("GET", path, None)
    assert answer.status == 404
    assert b"outside" not in answer.body
    assert json.loads(answer.body)["error"]["code"] == "not_found"


def test_an_unbuilt_console_says_how_to_build_it(tmp_path):
    answer = ConsoleSite(dist=tmp_path / "nothing").handle("GET", "/console/", None)
    assert answer.status == 503
    assert "make console" in json.loads(answer.body)["error"]["message"]


def test_files_are_read_only(dist):
    answer = ConsoleSite(dist=dist).handle("PUT", "/console/index.html", b"x")
    assert answer.status == 405


@pytest.fixture
def local_mode(monkeypatch) -> Iterator[None]:
    """Local mode's signing key, forgotten again afterwards."""
    monkeypatch.setenv("HOTELVOICE_LOCAL_MODE", "true")
    get_settings.cache_clear()
    signing_key.cache_clear()
    yield
    signing_key.cache_clear()


@pytest.mark.usefixtures("local_mode")
def test_development_sign_in_mints_a_token_the_api_accepts_for_that_hotel_only(dist):
    answer = sign_in(ConsoleSite(dist=dist), {"role": "staff", "hotel_id": "aurora-berlin"})
    assert answer.status == 200
    assert answer.headers["cache-control"] == "no-store"
    principal = verify_bearer(f"Bearer {json.loads(answer.body)['access_token']}")
    assert principal.role is Role.STAFF
    assert principal.hotels == ["aurora-berlin"]
    assert not principal.may_see_hotel("seeblick-konstanz")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"role": "staff", "hotel_id": "*"}, 400),
        ({"role": "service", "hotel_id": "aurora-berlin"}, 400),
        ({"role": "staff", "hotel_id": "Aurora Berlin"}, 400),
        ({"role": "staff", "hotel_id": "aurora-berlin", "hotels": ["*"]}, 400),
        (b"not json", 400),
        (b"", 400),
    ],
)
def test_development_sign_in_refuses_what_it_must_not_mint(dist, body, status):
    answer = sign_in(ConsoleSite(dist=dist), body)
    assert answer.status == status
    assert set(json.loads(answer.body)["error"]) == {"code", "message", "request_id"}


def test_development_sign_in_only_by_post_and_only_where_offered(dist):
    assert sign_in(ConsoleSite(dist=dist), b"", method="GET").status == 405
    offline = ConsoleSite(dist=dist, dev_sign_in=False)
    assert sign_in(offline, {"role": "admin", "hotel_id": "*"}).status == 404
    assert (
        json.loads(offline.handle("GET", "/console/config.json", None).body)["dev_sign_in"] is False
    )


def test_with_an_identity_provider_the_console_signs_in_there_and_offers_no_local_tokens(
    monkeypatch,
):
    monkeypatch.setenv("HOTELVOICE_AUTH_ISSUER", "https://id.example.eu/realms/hotels")
    get_settings.cache_clear()
    site = local_console(["aurora-berlin"])
    config = site.config()
    assert config["dev_sign_in"] is False
    assert config["oidc"] == {
        "issuer": "https://id.example.eu/realms/hotels",
        "client_id": "hotelvoice-console",
        "scope": "openid",
    }
    assert "connect-src 'self' https://id.example.eu;" in site._policy()


def test_seeded_calls_are_valid_events_with_stable_ids():
    now = datetime(2026, 12, 6, 12, tzinfo=UTC)
    for number, script in enumerate(demo_call_scripts()):
        first = call_events(f"c-{number}", script, now)
        again = call_events(f"c-{number}", script, now)
        assert [e.event_id for e in first] == [e.event_id for e in again]
        assert len({e.event_id for e in first}) == len(first)
        assert first[0].type == "call.started"
        assert first[-1].type == "call.ended"
    ids = demo_call_ids()
    assert sorted(ids) == sorted(demo_hotels())
    assert len(ids) >= 2
    assert sum(len(v) for v in ids.values()) == len(demo_call_scripts())
