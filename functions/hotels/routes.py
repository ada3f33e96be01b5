"""Hotel configuration: admins set it, the agent reads it when a number is dialled."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from hotelvoice.audit import audit
from hotelvoice.auth import Role
from hotelvoice.contracts.hotels import E164_PATTERN, HotelConfig, HotelConfigUpdate
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.http_app import HotelId, hotel_principal_with, principal_with, request_id_of
from hotelvoice.pms.registry import check_binding, forget_config
from hotelvoice.privacy.retention import forget_retention
from hotelvoice.settings import get_settings

router = APIRouter(tags=["hotels"])
DialledNumber = Annotated[str, Path(pattern=E164_PATTERN, description="E.164, e.g. +493055501000")]
Admin = hotel_principal_with(Role.ADMIN)
Reader = hotel_principal_with(Role.STAFF, Role.SERVICE)
Agent = principal_with(Role.SERVICE)


def _directory() -> HotelDirectory:
    return HotelDirectory(get_settings().hotels_table)


@router.get("/v1/hotels/{hotel_id}/config")
def get_config(hotel_id: HotelId, principal: Reader) -> HotelConfig:
    """The hotel's receptionist configuration (staff see their own hotels only)."""
    return _directory().get(hotel_id)


@router.put("/v1/hotels/{hotel_id}/config")
def put_config(
    request: Request, hotel_id: HotelId, update: HotelConfigUpdate, principal: Admin
) -> HotelConfig:
    """Create (``version: 0``) or change (the version you read) a hotel's configuration.

    An admin action, so it is audited; a stale version or a number another hotel answers is
    a 409, a PMS connector that is not built or whose secret does not exist a 400, and
    nothing is written.
    """
    check_binding(hotel_id, update.pms)
    config = _directory().put(hotel_id, update, actor=principal.subject)
    forget_retention(hotel_id)  # this instance applies the new retention at once
    forget_config(hotel_id)
    audit(
        principal,
        "hotel.config.updated",
        hotel_id=hotel_id,
        resource=f"hotel/{hotel_id}/config@{config.version}",
        request_id=request_id_of(request),
    )
    return config


@router.get("/v1/dialled-numbers/{number}")
def hotel_for_number(number: DialledNumber, principal: Agent) -> HotelConfig:
    """Which hotel answers a dialled number: the agent's first question on every call."""
    config = _directory().for_number(number)
    principal.require_hotel(config.hotel_id)
    return config
