"""What a LiveKit SIP dispatch rule makes of an inbound call: the room, the caller's identity.

Mirrors ``EvaluateDispatchRule`` in livekit/protocol's ``sip/sip.go``, so the worker meets the
rooms and participants a real SIP bridge creates:

- individual: ``<prefix>_<caller>_<guid>`` (``call-_+4917612345678_aBcD…``);
- direct: the rule's fixed room name, the same for every caller;
- callee: ``<prefix>_<dialled>`` (or the bare dialled number), ``_<guid>`` when randomised.

The caller is ``sip_<number>``, named ``Phone <number>``, with ``sip.phoneNumber``,
``sip.hostname`` and ``sip.trunkPhoneNumber``. A rule that hides phone numbers hashes the
identity (``sip_`` + 16 hex digits of SHA-256), keeps only the last four digits in the name
and the room, and omits those three attributes: the dialled number is then only where the
rule's own attributes put it. A caller who withholds their number reaches the bridge as the
SIP user ``anonymous``.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass, field
from typing import Literal

WITHHELD = "anonymous"
"""The SIP From user of a call whose caller withheld their number."""
_GUID_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class DispatchRule:
    """One ``SIPDispatchRuleInfo``, as far as naming goes."""

    kind: Literal["individual", "direct", "callee"] = "individual"
    room_prefix: str = "call-"
    room_name: str = ""
    """The direct rule's one room."""
    randomize: bool = False
    """Callee rule: a room per call instead of one per dialled number."""
    hide_phone_number: bool = False
    attributes: dict[str, str] = field(default_factory=dict)
    """Set on the SIP participant as they are (operators put their own keys here)."""


@dataclass(frozen=True)
class DispatchedCall:
    """The room and SIP participant the rule makes of a call."""

    room_name: str
    identity: str
    name: str
    attributes: dict[str, str]


def guid() -> str:
    """LiveKit's ``guid.New("")``: 12 random letters and digits."""
    return "".join(secrets.choice(_GUID_ALPHABET) for _ in range(12))


def evaluate(rule: DispatchRule, calling: str, called: str) -> DispatchedCall:
    """The room and participant for a call from ``calling`` (SIP From user) to ``called``."""
    shown = calling
    identity = f"sip_{calling}"
    attributes = dict(rule.attributes)
    if rule.hide_phone_number:
        identity = "sip_" + hashlib.sha256(calling.encode()).hexdigest()[:16]
        shown = calling[-(4 if len(calling) > 4 else 1) :]
    else:
        attributes |= {
            "sip.phoneNumber": calling,
            "sip.hostname": "trunk.example",
            "sip.trunkPhoneNumber": called,
        }
    if rule.kind == "individual":
        room = f"{rule.room_prefix}_{shown}_{guid()}"
    elif rule.kind == "direct":
        room = rule.room_name
    else:
        room = f"{rule.room_prefix}_{called}" if rule.room_prefix else called
        if rule.randomize:
            room += f"_{guid()}"
    return DispatchedCall(room, identity, f"Phone {shown}", attributes)


INDIVIDUAL = DispatchRule()
"""The rule the project's docs set up: a room per call, ``call-_<caller>_<guid>``."""
