"""Send a guest's e-mail through Amazon SES (v2), at most once per write, never failing it.

The write (a booking, a cancellation, an amendment) is done before anything is sent, and a
send that fails does not undo or fail it: :func:`send_once` answers ``False`` and logs why
(the SES error code, the hotel; never the address or the text). Each write sends at most
once: a claim ``mail#<hash of the write's scoped idempotency key>`` is put in the idempotency
table first, and only the request that put it sends. A retried request (a lost answer) finds
the claim and sends nothing, also when the first send failed: the front desk then sends it
(the answer said ``confirmation_sent: false``).

SES runs in the stack's (EU) region; the sender is ``HOTELVOICE_MAIL_FROM``, an address of the
SES identity the PMS function may send as (``template.yaml``: ``MailFrom``, ``MailIdentity``).
"""

from __future__ import annotations

import hashlib
import logging

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.idempotency_table import Claim, claim_once
from hotelvoice.mail.confirmation import Email
from hotelvoice.settings import get_settings

logger = logging.getLogger(__name__)


def claim(scope: str) -> Claim:
    """``first`` for the one request that may send for ``scope``; ``taken`` for the others.

    ``unknown`` where the idempotency table did not answer: nothing is sent then, rather
    than risking a second message.
    """
    return claim_once(f"mail#{hashlib.sha256(f'mail|{scope}'.encode()).hexdigest()}")


def send(to: str, email: Email, *, hotel_id: str) -> bool:
    """Send ``email`` to ``to`` through SES; ``False`` (logged without personal data) on error."""
    settings = get_settings()
    try:
        aws.client("sesv2").send_email(
            FromEmailAddress=settings.mail_from,
            Destination={"ToAddresses": [to]},
            Content={
                "Simple": {
                    "Subject": {"Data": email.subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": email.body, "Charset": "UTF-8"}},
                }
            },
        )
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "unknown")
        logger.warning("confirmation e-mail not sent", extra={"hotel_id": hotel_id, "error": code})
        return False
    except BotoCoreError as exc:
        error = type(exc).__name__
        logger.warning("confirmation e-mail not sent", extra={"hotel_id": hotel_id, "error": error})
        return False
    return True


def send_once(scope: str, to: str, email: Email, *, hotel_id: str) -> bool | None:
    """Send for one write: ``True``/``False`` as sent; ``None`` where a retry had claimed it."""
    claimed = claim(scope)
    if claimed == "taken":
        return None
    if claimed == "unknown":
        return False
    return send(to, email, hotel_id=hotel_id)
