"""Production auth: tokens from an OpenID provider (discovery → JWKS → RS256), as in AWS.

The local provider peer stands in for Cognito/Entra ID; the control plane is switched to it
the way the template switches it (``HOTELVOICE_AUTH_ISSUER``), and the agent gets its token
by the client-credentials grant.
"""

from __future__ import annotations

import httpx
import pytest
from peers.oidc_provider_peer import OidcProviderPeer

from hotelvoice.auth import Role, mint_token, verify_bearer
from hotelvoice.errors import Unauthorized, Unavailable
from hotelvoice.settings import LOCAL_SIGNING_SECRET, get_settings
from realtime_agent.pms_client import PmsClient
from realtime_agent.service_auth import ClientCredentials

HOTEL = "aurora-berlin"


@pytest.fixture
def provider(monkeypatch):
    with OidcProviderPeer() as peer:
        monkeypatch.setenv("HOTELVOICE_AUTH_ISSUER", peer.issuer)
        get_settings.cache_clear()
        yield peer
    get_settings.cache_clear()


def bearer(token: str) -> str:
    return f"Bearer {token}"


def test_a_provider_token_becomes_a_principal(provider):
    token = provider.issue("frontdesk@aurora", role="staff", hotels=[HOTEL])
    principal = verify_bearer(bearer(token))
    assert (principal.subject, principal.role, principal.hotels) == (
        "frontdesk@aurora",
        Role.STAFF,
        [HOTEL],
    )


def test_entra_style_role_lists_and_space_separated_hotels(provider, monkeypatch):
    monkeypatch.setenv("HOTELVOICE_AUTH_ROLE_CLAIM", "roles")
    get_settings.cache_clear()
    token = provider.issue("ops", roles=["reader", "admin"], hotels="a b")
    principal = verify_bearer(bearer(token))
    assert (principal.role, principal.hotels) == (Role.ADMIN, ["a", "b"])


def test_the_shared_key_is_never_accepted_once_a_provider_is_configured(provider):
    # Same issuer and audience, signed HS256 with the key the cursors use: must not pass.
    forged = mint_token("intruder", Role.ADMIN, ["*"], key=LOCAL_SIGNING_SECRET)
    with pytest.raises(Unauthorized):
        verify_bearer(bearer(forged))


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-api"},
        {"iss": "https://evil.example"},
        {"role": "superuser"},
        {"ttl_s": -60},
        {"hotels": [1, 2]},
    ],
    ids=["wrong-audience", "wrong-issuer", "unknown-role", "expired", "bad-hotels"],
)
def test_bad_provider_tokens_are_401(provider, claims):
    token = provider.issue("someone", **({"role": "staff", "hotels": [HOTEL]} | claims))
    with pytest.raises(Unauthorized):
        verify_bearer(bearer(token))


def test_a_rotated_key_is_fetched_and_old_tokens_stop_working(provider, monkeypatch):
    monkeypatch.setenv("HOTELVOICE_AUTH_JWKS_COOLDOWN_S", "0")
    get_settings.cache_clear()
    old = provider.issue("svc", role="service", hotels=["*"])
    verify_bearer(bearer(old))
    provider.rotate_key()
    new = provider.issue("svc", role="service", hotels=["*"])
    assert verify_bearer(bearer(new)).subject == "svc"
    with pytest.raises(Unauthorized):
        verify_bearer(bearer(old))
    assert provider.jwks_fetches >= 2


def test_an_unreachable_provider_is_503_not_401(monkeypatch):
    monkeypatch.setenv("HOTELVOICE_AUTH_ISSUER", "https://127.0.0.1:9")
    get_settings.cache_clear()
    try:
        token = mint_token("x", Role.STAFF, [HOTEL], key=LOCAL_SIGNING_SECRET)
        with pytest.raises(Unavailable):
            verify_bearer(bearer(token))
    finally:
        get_settings.cache_clear()


async def test_the_agent_gets_its_token_by_client_credentials_and_the_api_accepts_it(
    plane, api_url, provider
):
    provider.add_client("agent-eu-1", "s3cret", role="service", hotels=["*"])
    credentials = ClientCredentials(provider.token_url, "agent-eu-1", "s3cret")
    pms = PmsClient(api_url, credentials)
    try:
        info = await pms.hotel_info(HOTEL)
        await pms.hotel_info(HOTEL)
    finally:
        await pms.aclose()
    assert info.hotel_id == HOTEL
    assert len(provider.token_requests) == 1, "the token is reused until it nears expiry"
    assert provider.token_requests[0]["grant_type"] == "client_credentials"


async def test_the_api_refuses_local_tokens_and_other_hotels_in_provider_mode(
    plane, api_url, provider
):
    async with httpx.AsyncClient(base_url=api_url) as http:
        local = mint_token("local", Role.SERVICE, ["*"])
        refused = await http.get(
            f"/v1/hotels/{HOTEL}/info", headers={"authorization": bearer(local)}
        )
        other = provider.issue("frontdesk", role="staff", hotels=["another-hotel"])
        forbidden = await http.get(
            f"/v1/hotels/{HOTEL}/info", headers={"authorization": bearer(other)}
        )
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"
    assert forbidden.status_code == 403


async def test_a_wrong_client_secret_is_a_clear_error(provider):
    provider.add_client("agent-eu-1", "s3cret", role="service", hotels=["*"])
    credentials = ClientCredentials(provider.token_url, "agent-eu-1", "wrong")
    with pytest.raises(Unavailable, match="refused the agent"):
        await credentials.token()
