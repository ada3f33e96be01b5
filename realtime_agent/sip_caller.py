"""Who is on the line: LiveKit's SIP participant attributes, read once into a typed value.

LiveKit SIP sets ``sip.trunkPhoneNumber`` (the number dialled) and ``sip.phoneNumber`` (the
caller id) on the caller, unless the dispatch rule hides phone numbers: then neither is there
(the identity is a hash), and the hotel's number must come from the rule's own attributes,
:data:`DIALLED_NUMBER_ATTRIBUTE` (``docs/telephony.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hotelvoice.errors import InvalidRequest

DIALLED_NUMBER_ATTRIBUTE = "hotelvoice.dialledNumber"
"""Set by a dispatch rule that hides phone numbers: the hotel number the rule answers."""


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
        """Read ``sip.*`` attributes; a call without a dialled number cannot be routed.

        A caller id without a digit (``anonymous``, ``restricted``, ``unknown``…: what
        carriers put in the SIP From of a withheld number) is no number.
        """
        trunk = (
            attributes.get("sip.trunkPhoneNumber") or attributes.get(DIALLED_NUMBER_ATTRIBUTE) or ""
        ).strip()
        if not trunk:
            raise InvalidRequest(
                "the SIP participant carries no dialled number (a dispatch rule that hides "
                f"phone numbers must set the {DIALLED_NUMBER_ATTRIBUTE} attribute)"
            )
        caller = (attributes.get("sip.phoneNumber") or "").strip()
        return cls(
            identity=identity,
            trunk_number=trunk,
            phone_number=caller if any(c.isdigit() for c in caller) else None,
            sip_call_id=attributes.get("sip.callID") or None,
        )
