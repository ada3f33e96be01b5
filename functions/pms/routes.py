"""PMS lookups for the agent (and staff): hotel info, availability, reservation lookup."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from aws_lambda_powertools.metrics import MetricUnit, single_metric
from fastapi import APIRouter, Query, Request

from functions.runtime import metrics
from hotelvoice.audit import audit
from hotelvoice.auth import Role
from hotelvoice.contracts.hotels import HotelConfig
from hotelvoice.contracts.pms import (
    Availability,
    AvailabilityQuery,
    HotelInfo,
    Reservation,
    ReservationLookup,
)
from hotelvoice.http_app import HotelId, hotel_principal_with, request_id_of
from hotelvoice.pms import vendor_http
from hotelvoice.pms.registry import connector_for, hotel_config
from hotelvoice.pms.stay_window import check_bookable
from hotelvoice.privacy.keys import reservation_resource
from hotelvoice.settings import get_settings

router = APIRouter(prefix="/v1/hotels/{hotel_id}", tags=["pms"])


@asynccontextmanager
async def pms_call(operation: str) -> AsyncIterator[None]:
    """Time one connector call: the PMS is the slowest thing the caller waits for."""
    started = time.perf_counter()
    try:
        with vendor_http.call_budget(get_settings().pms_budget_s):
            yield
    finally:
        metrics.add_metric(
            name=f"PmsLatency{operation}",
            unit=MetricUnit.Milliseconds,
            value=(time.perf_counter() - started) * 1000,
        )


def vendor_call_metrics(call: vendor_http.VendorCall) -> None:
    """Latency, errors and breaker state per hotel and vendor (ids only as dimensions)."""
    with single_metric(
        name="PmsVendorLatency",
        unit=MetricUnit.Milliseconds,
        value=call.latency_ms,
        namespace=metrics.namespace or "HotelVoice",
    ) as metric:
        metric.add_dimension(name="vendor", value=call.vendor)
        metric.add_dimension(name="hotel_id", value=call.hotel_id)
        metric.add_dimension(name="operation", value=call.operation)
        metric.add_dimension(name="outcome", value=call.outcome)
        metric.add_dimension(name="breaker", value=call.breaker.value)


if vendor_call_metrics not in vendor_http.observers:
    vendor_http.observers.append(vendor_call_metrics)


Reader = hotel_principal_with(Role.SERVICE, Role.STAFF)
Agent = hotel_principal_with(Role.SERVICE)


@router.get("/info")
async def hotel_info(hotel_id: HotelId, principal: Reader) -> HotelInfo:
    """Facts about the hotel the receptionist may tell any caller.

    The PMS's (name, address, time zone, currency …) with the hotel's own answers from its
    configuration (``facts``) laid over them, language by language and topic by topic.
    """
    async with pms_call("HotelInfo"):
        info = await connector_for(hotel_id).hotel_info(hotel_id)
    return with_configuration(info, hotel_config(hotel_id))


def with_configuration(info: HotelInfo, config: HotelConfig | None) -> HotelInfo:
    """``info`` with the hotel's knowledge base laid over it (it wins).

    An entry with a ``topic`` replaces the PMS's text for that topic, language by language;
    the whole knowledge base travels along for free questions. The front desk's number
    comes from the configuration where the PMS keeps none.
    """
    if config is None:
        return info
    merged = {lang: dict(topics) for lang, topics in info.policy_texts.items()}
    for entry in config.knowledge:
        if entry.topic is None:
            continue
        for language, answer in entry.answers.items():
            merged.setdefault(language, {})[entry.topic] = answer
    update: dict[str, object] = {"policy_texts": merged, "knowledge": config.knowledge}
    if not info.front_desk_phone.strip() and config.front_desk.startswith("tel:"):
        update["front_desk_phone"] = config.front_desk.removeprefix("tel:")
    return info.model_copy(update=update)


@router.get("/availability")
async def availability(
    hotel_id: HotelId, query: Annotated[AvailabilityQuery, Query()], principal: Reader
) -> Availability:
    """Room types bookable for the stay, with totals computed by the PMS."""
    check_bookable(query)
    async with pms_call("Availability"):
        return await connector_for(hotel_id).availability(hotel_id, query)


@router.post("/reservations/lookup")
async def find_reservation(
    request: Request, hotel_id: HotelId, lookup: ReservationLookup, principal: Agent
) -> Reservation:
    """A reservation, only when the code and the second factor both match.

    A POST so that names and phone numbers never appear in URLs or access logs. A disclosed
    reservation is personal data: the disclosure is audited.
    """
    async with pms_call("Reservation"):
        reservation = await connector_for(hotel_id).find_reservation(hotel_id, lookup)
    audit(
        principal,
        "reservation.read",
        hotel_id=hotel_id,
        # The booking by keyed hash: the audit log outlives an erasure, and a code plus the
        # PMS names the guest. An access request finds these entries by the same hash.
        resource=reservation_resource(reservation.confirmation_code),
        request_id=request_id_of(request),
    )
    return reservation
