"""Access and erasure requests for one guest of one hotel: admins only, always audited.

The body names the guest (phone, e-mail, name, confirmation code) so that nothing personal
is in a URL or an access log. The audit entry is written first and names the guest only by a
keyed hash: an export or erasure that cannot be audited does not happen.
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import BotoCoreError, ClientError
from fastapi import APIRouter, Request

from functions.runtime import metrics
from hotelvoice.audit import audit
from hotelvoice.auth import Principal, Role
from hotelvoice.contracts.privacy import ErasureReport, ExportAnswer, PrivacyRequest
from hotelvoice.errors import Unavailable
from hotelvoice.http_app import principal_with, request_id_of
from hotelvoice.privacy.erasure import erase_subject
from hotelvoice.privacy.export import answer_for, export_subject
from hotelvoice.privacy.keys import request_hash
from hotelvoice.settings import get_settings

router = APIRouter(prefix="/v1/privacy", tags=["privacy"])
_COLD_START_SETTINGS = get_settings()
"""Read at cold start, while this function's own variables (exports bucket, dead-letter
queue, TTS cache) are in place; in local mode functions share one process environment."""
Admin = principal_with(Role.ADMIN)


def _authorise(request: Request, body: PrivacyRequest, principal: Principal, action: str) -> None:
    principal.require_hotel(body.hotel_id)
    audit(
        principal,
        action,
        hotel_id=body.hotel_id,
        resource=f"subject/{request_hash(body.subject.identifiers())}",
        request_id=request_id_of(request),
    )


@router.post("/export")
def export(request: Request, body: PrivacyRequest, principal: Admin) -> ExportAnswer:
    """Everything the hotel holds about the guest (GDPR Art. 15), inline or as a link."""
    _authorise(request, body, principal, "privacy.export")
    try:
        answer = answer_for(export_subject(body, _COLD_START_SETTINGS), _COLD_START_SETTINGS)
    except (BotoCoreError, ClientError) as exc:
        raise Unavailable("a store did not answer; repeat the export") from exc
    metrics.add_metric(name="PrivacyExports", unit=MetricUnit.Count, value=1)
    return answer


@router.post("/erase")
def erase(request: Request, body: PrivacyRequest, principal: Admin) -> ErasureReport:
    """Erase the guest from every store (GDPR Art. 17); repeating it is harmless."""
    _authorise(request, body, principal, "privacy.erase")
    try:
        report = erase_subject(body, _COLD_START_SETTINGS)
    except (BotoCoreError, ClientError) as exc:
        # Every step is idempotent: a repeat finishes what this one began.
        raise Unavailable("a store did not answer; repeat the erasure to finish it") from exc
    metrics.add_metric(name="PrivacyErasures", unit=MetricUnit.Count, value=1)
    return report
