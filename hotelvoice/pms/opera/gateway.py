"""Which OPERA Cloud gateway a deployment may call: the hotel group's own, in the EU only.

OHIP has no shared host: each hotel group (tenant) gets its own gateway,
``https://<tenant>.hospitality-api.<oci region>.ocs.oraclecloud.com`` (Oracle's test and
UAT environments live under ``ocs.oc-test.com``). Guests' names and phone numbers travel in
these requests, so a gateway outside an EU region, or none at all, is refused when the
connector is built, before anything is sent. A loopback address is allowed for local mocks.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from hotelvoice.errors import Unavailable

EU_OCI_REGIONS: frozenset[str] = frozenset(
    {
        "eu-amsterdam-1",
        "eu-frankfurt-1",
        "eu-frankfurt-2",
        "eu-madrid-1",
        "eu-madrid-2",
        "eu-marseille-1",
        "eu-milan-1",
        "eu-paris-1",
        "eu-stockholm-1",
        "eu-turin-1",
    }
)
"""Oracle Cloud regions in EU member states (commercial and EU Sovereign Cloud). Zurich and
London are not in the EU and are not on the list."""
OCI_GATEWAY_DOMAINS = ("ocs.oraclecloud.com", "ocs.oc-test.com")


class GatewayRefused(Unavailable):
    """The configured OPERA gateway is missing, malformed or outside the EU."""


def eu_gateway(base_url: str) -> str:
    """``base_url`` without a trailing slash, or :class:`GatewayRefused` saying why.

    Accepted: ``https://<tenant>.hospitality-api.<EU OCI region>.ocs.oraclecloud.com`` (or
    ``ocs.oc-test.com``), and ``http(s)://`` on a loopback address (a local mock).
    """
    url = (base_url or "").strip().rstrip("/")
    if not url:
        raise GatewayRefused(
            "no OPERA Cloud gateway is configured: set HOTELVOICE_PMS_BASE_URLS "
            '{"opera": "https://<tenant>.hospitality-api.<eu region>.ocs.oraclecloud.com"}'
        )
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if _loopback(host) and parts.scheme in ("http", "https"):
        return url
    if parts.scheme != "https":
        raise GatewayRefused(f"the OPERA Cloud gateway must use https: {url}")
    region = _oci_region(host)
    if region is None:
        raise GatewayRefused(
            f"{host} is not an OPERA Cloud gateway (<tenant>.hospitality-api.<region>."
            f"{OCI_GATEWAY_DOMAINS[0]})"
        )
    if region not in EU_OCI_REGIONS:
        allowed = ", ".join(sorted(EU_OCI_REGIONS))
        raise GatewayRefused(
            f"the OPERA Cloud gateway {host} is in {region}, not an EU region; allowed: {allowed}"
        )
    return url


def _oci_region(host: str) -> str | None:
    for domain in OCI_GATEWAY_DOMAINS:
        if host.endswith("." + domain):
            labels = host.removesuffix("." + domain).split(".")
            if len(labels) >= 3 and labels[-2] == "hospitality-api":
                return labels[-1]
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
