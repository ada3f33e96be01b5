"""The audit log: who read which personal data, or did which admin action, and when.

Append-only by construction: entries are put with a condition that they do not exist yet, and
the functions' IAM policies allow ``PutItem`` on the table and nothing else (the privacy
function may also query it, to tell a guest who read their calls). Entries expire after the
hotel's ``retention.audit_days``. A read of personal
data whose audit entry cannot be written is refused: no unaudited access.
"""

from __future__ import annotations

from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from hotelvoice import aws
from hotelvoice.auth import Principal
from hotelvoice.errors import Unavailable
from hotelvoice.privacy.retention import expires_at, retention_for
from hotelvoice.settings import get_settings


def audit(
    principal: Principal,
    action: str,
    *,
    hotel_id: str | None,
    resource: str,
    request_id: str,
    at: datetime | None = None,
) -> None:
    """Write one entry; raises :class:`Unavailable` when it cannot be written."""
    table = get_settings().audit_table
    if not table:
        return
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    item = {
        "pk": {"S": f"AUDIT#{moment:%Y-%m-%d}"},
        "sk": {"S": f"{stamp}#{request_id}"},
        "actor": {"S": principal.subject},
        "role": {"S": principal.role.value},
        "action": {"S": action},
        "hotel_id": {"S": hotel_id or "-"},
        "resource": {"S": resource},
        "request_id": {"S": request_id},
        "at": {"S": stamp},
        # Kept as long as the hotel keeps its audit trail (the table's TTL attribute).
        "expires_at": {"N": str(expires_at(retention_for(hotel_id).audit_days, moment))},
    }
    try:
        aws.client("dynamodb").put_item(
            TableName=table, Item=item, ConditionExpression="attribute_not_exists(pk)"
        )
    except (BotoCoreError, ClientError) as exc:
        raise Unavailable("the audit log cannot be written; access refused") from exc
