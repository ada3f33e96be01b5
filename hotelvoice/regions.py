"""The EU-only rule, in one place.

Guests' voices, names and phone numbers are personal data under the GDPR; hotel groups that
deploy us require processing inside the EU. Settings, the SAM template and the speech-plane
stack all check against this list.
"""

EU_REGIONS: frozenset[str] = frozenset(
    {
        "eu-central-1",
        "eu-central-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
    }
)


def require_eu_region(region: str) -> str:
    """Return ``region`` unchanged, or refuse to run outside the EU."""
    if region not in EU_REGIONS:
        allowed = ", ".join(sorted(EU_REGIONS))
        raise ValueError(f"region {region!r} is not an EU region; allowed: {allowed}")
    return region
