"""Powertools' JSON log format with personal data redacted before a line is written.

Redaction uses the core's one :func:`~hotelvoice.redaction.redact` on every string value,
and drops the values of keys that name a person or a contact (``last_name``,
``caller_number`` …) whatever their shape.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from hotelvoice.redaction import redact

PERSONAL_KEYS = ("first_name", "last_name", "guest_name", "caller", "phone", "email", "card")
"""Substrings of keys whose values are personal data."""
_POWERTOOLS_KEYS = frozenset({"function_name", "function_arn", "service", "location", "level"})


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Structured logs as Powertools writes them, minus phone numbers, e-mails, cards, names."""

    def serialize(self, log: dict[str, Any]) -> str:
        """Redact, then let Powertools serialise."""
        return super().serialize(log=_scrub(log))


def _scrub(value: Any, key: str = "") -> Any:
    if key and key not in _POWERTOOLS_KEYS and any(p in key.lower() for p in PERSONAL_KEYS):
        return "[redacted]"
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value
