"""Keyed hashes and sealed values: how personal data is stored so it can be found and erased.

* A **keyed hash** (HMAC-SHA256 with ``SubjectHashKey`` from Secrets Manager) groups a guest's
  calls and names them in the audit log. Unlike a plain SHA-256 of a phone number, nobody
  without the key can try all numbers to reverse it.
* A **sealed value** is the value itself, encrypted: AES-256-GCM under a data key that KMS
  generated and that is stored, encrypted by the ``DataKey``, beside the ciphertext (envelope
  encryption). One data key serves a process for an hour, so sealing costs no KMS call per
  item. Erasing the item erases the value; deleting the KMS key would erase them all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from functools import lru_cache

from hotelvoice import aws
from hotelvoice.contracts.pms import normalise_confirmation_code
from hotelvoice.secrets import secret_value
from hotelvoice.settings import LOCAL_SUBJECT_KEY, get_settings

SEALED_PREFIX = "sealed:v1:"
DATA_KEY_LIFETIME_S = 3600


@lru_cache(maxsize=1)
def _subject_key() -> bytes:
    settings = get_settings()
    return secret_value(
        settings.subject_key_secret_name,
        override=settings.subject_key,
        local_default=LOCAL_SUBJECT_KEY,
        what="the subject hash key",
    ).encode()


def subject_hash(kind: str, canonical_value: str) -> str:
    """The keyed hash of one identifier (``kind``: phone, email, name, code)."""
    digest = hmac.new(_subject_key(), f"{kind}:{canonical_value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def request_hash(identifiers: dict[str, str]) -> str:
    """One keyed hash for a whole request (the audit log's name for the subject)."""
    material = json.dumps(sorted(identifiers.items()), ensure_ascii=False)
    return subject_hash("request", material)


def reservation_resource(confirmation_code: str) -> str:
    """How the audit log names a booking: by the keyed hash of its code, never the code."""
    return f"reservation/{subject_hash('code', normalise_confirmation_code(confirmation_code))}"


class _DataKeys:
    """The process's current data key, and the plaintext of keys already decrypted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[bytes, bytes, float] | None = None
        self._opened: dict[bytes, bytes] = {}

    def current(self, key_id: str) -> tuple[bytes, bytes]:
        """(plaintext, encrypted blob) of a data key younger than an hour."""
        with self._lock:
            if self._current is None or time.monotonic() - self._current[2] > DATA_KEY_LIFETIME_S:
                answer = aws.client("kms").generate_data_key(KeyId=key_id, KeySpec="AES_256")
                self._current = (answer["Plaintext"], answer["CiphertextBlob"], time.monotonic())
                self._opened[answer["CiphertextBlob"]] = answer["Plaintext"]
            return self._current[0], self._current[1]

    def open(self, blob: bytes) -> bytes:
        """The plaintext of an encrypted data key (KMS once per key and process)."""
        with self._lock:
            if blob not in self._opened:
                if len(self._opened) > 256:
                    self._opened.clear()
                self._opened[blob] = aws.client("kms").decrypt(CiphertextBlob=blob)["Plaintext"]
            return self._opened[blob]

    def forget(self) -> None:
        """Drop cached keys (tests that switch KMS endpoints)."""
        with self._lock:
            self._current = None
            self._opened.clear()


DATA_KEYS = _DataKeys()


def seal(value: str) -> str | None:
    """Encrypt ``value`` under a fresh-enough data key.

    ``None`` when no KMS key is configured: the caller then keeps the keyed hash only, never
    the plain value.
    """
    key_id = get_settings().data_key_id
    if not key_id:
        return None
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # with the first value

    plaintext_key, blob = DATA_KEYS.current(key_id)
    nonce = os.urandom(12)
    ciphertext = AESGCM(plaintext_key).encrypt(nonce, value.encode(), None)
    parts = [base64.b64encode(p).decode() for p in (blob, nonce, ciphertext)]
    return SEALED_PREFIX + ".".join(parts)


def unseal(sealed: str) -> str:
    """The value of :func:`seal`'s output (raises ``ValueError`` for anything else)."""
    if not sealed.startswith(SEALED_PREFIX):
        raise ValueError("not a sealed value")
    try:
        blob, nonce, ciphertext = (
            base64.b64decode(p) for p in sealed[len(SEALED_PREFIX) :].split(".")
        )
    except ValueError as exc:
        raise ValueError("not a sealed value") from exc
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(DATA_KEYS.open(blob)).decrypt(nonce, ciphertext, None).decode()
