"""Daily: delete recordings past each hotel's retention (the bucket's rule is the bound)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from functions.runtime import logger, metrics, tracer
from hotelvoice.privacy.expiry import expire_recordings


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One sweep; the counts per hotel go to the log and a metric (hotel ids only)."""
    deleted = expire_recordings()
    total = sum(deleted.values())
    metrics.add_metric(name="RecordingsExpired", unit=MetricUnit.Count, value=total)
    logger.info("recordings expired", extra={"hotels": len(deleted), "deleted": total})
    return {"deleted": deleted}
