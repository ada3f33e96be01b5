"""Who is on the line: LiveKit's SIP participant attributes, read once into a typed value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hotelvoice.errors import InvalidRequest


@dataclass(frozen=True)
class SipCaller:
    """The caller as LiveKit's SIP bridge describes them.

    ``trunk_number`` is the number the guest dialled (it picks the hotel); ``phone_number`` is
    the caller id, which may be withheld.
    """

    identity: str
    trunk_number: str
    phone_number: str | None
    sip_call_id: str | None

    @classmethod
    def from_attributes(cls, identity: str, attributes: Mapping[str, str]) -> SipCaller:
        """Read ``sip.*`` attributes; a call without a dialled number cannot be routed."""
        trunk = (attributes.get("sip.trunkPhoneNumber") or "").strip()
        if not trunk:
            raise InvalidRequest("the SIP participant carries no dialled number")
        caller = (attributes.get("sip.phoneNumber") or "").strip()
        return cls(
            identity=identity,
            trunk_number=trunk,
            phone_number=caller if caller and caller.lower() != "anonymous" else None,
            sip_call_id=attributes.get("sip.callID") or None,
        )
