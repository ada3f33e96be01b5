"""An Idempotency-Key stands for one request: the same key with another body is a 409.

The PMSes replay a write by its key (Apaleo's ``Idempotency-Key``, Mews' ``ChannelNumber``,
OPERA's external reference, the demo PMS's record), and none of them compares the request:
a client that reused a key for another guest or another stay got the first booking back,
with 200 and ``created: false``, and the second guest's booking was lost without a word.
The first request under a key binds it to a hash of its body in the idempotency table, for
as long as a client may retry (``hotelvoice.idempotency_table``).
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from hotelvoice.errors import Conflict
from hotelvoice.idempotency_table import claim_once


def bind_key(scoped_key: str, request: BaseModel) -> None:
    """Bind ``scoped_key`` to ``request`` on first use; a 409 if it is bound to another.

    Where the table does not answer, the write goes on as before: the PMS still replays the
    key, and only a reused key's other body goes unnoticed.
    """
    body = hashlib.sha256(request.model_dump_json().encode()).hexdigest()
    if claim_once(f"pms-write#{scoped_key}", body=body) == "taken":
        raise Conflict(
            "this Idempotency-Key was used for another request; use a new key",
            code="idempotency_key_reused",
        )
