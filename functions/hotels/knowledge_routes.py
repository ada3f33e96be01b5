"""A hotel's knowledge base: admins edit it entry by entry, staff and the agent read it.

The entries live inside the hotel's configuration (``HotelSettings.knowledge``), so a change
is a configuration change: the same versioned, conditional write as ``PUT /config``, the
same audit trail, and the agent's next call reads it. Editing one entry must not need the
whole configuration, so the route reads the current version and writes on top of it; a
concurrent change of the configuration makes that write fail and the route reads again
(a few times) rather than overwrite it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, ValidationError

from hotelvoice.audit import audit
from hotelvoice.auth import Principal, Role
from hotelvoice.contracts.hotels import HotelConfig, HotelConfigUpdate
from hotelvoice.contracts.knowledge import (
    ENTRY_ID_PATTERN,
    KnowledgeEntry,
    KnowledgeEntryUpdate,
    check_knowledge,
)
from hotelvoice.errors import Conflict, InvalidRequest, NotFound
from hotelvoice.hotels.store import HotelDirectory
from hotelvoice.http_app import HotelId, hotel_principal_with, request_id_of
from hotelvoice.pms.registry import forget_config
from hotelvoice.settings import get_settings

router = APIRouter(prefix="/v1/hotels/{hotel_id}/knowledge", tags=["hotels"])
EntryIdPath = Annotated[
    str, Path(pattern=ENTRY_ID_PATTERN, description="lower case, digits, - and _")
]
Admin = hotel_principal_with(Role.ADMIN)
Reader = hotel_principal_with(Role.STAFF, Role.SERVICE)
WRITE_ATTEMPTS = 3
"""Reads and conditional writes before a busy configuration is answered with 409."""


class KnowledgeBase(BaseModel):
    """A hotel's knowledge entries and the configuration version they belong to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hotel_id: str
    version: int
    """The configuration's version (every entry change makes a new one)."""
    entries: list[KnowledgeEntry]


def _directory() -> HotelDirectory:
    return HotelDirectory(get_settings().hotels_table)


@router.get("")
def list_knowledge(hotel_id: HotelId, principal: Reader) -> KnowledgeBase:
    """The hotel's knowledge entries (staff see their own hotels only)."""
    config = _directory().get(hotel_id)
    return KnowledgeBase(hotel_id=hotel_id, version=config.version, entries=config.knowledge)


@router.put("/{entry_id}")
def put_knowledge_entry(
    request: Request,
    hotel_id: HotelId,
    entry_id: EntryIdPath,
    content: KnowledgeEntryUpdate,
    principal: Admin,
) -> KnowledgeEntry:
    """Create or replace one entry; a new configuration version, audited.

    400 where the knowledge base would break its limits (entries, size, one entry per
    topic); 404 where the hotel has no configuration yet.
    """
    if content.id not in (None, entry_id):
        raise InvalidRequest(f"the body's id {content.id} is not the path's {entry_id}")
    entry = KnowledgeEntry(id=entry_id, **content.model_dump(exclude={"id"}))

    def change(entries: list[KnowledgeEntry]) -> list[KnowledgeEntry]:
        kept = [e for e in entries if e.id != entry_id]
        if len(kept) == len(entries):
            return [*entries, entry]
        return [entry if e.id == entry_id else e for e in entries]

    config = _write(hotel_id, change, principal)
    _audit(request, principal, "hotel.knowledge.updated", config, entry_id)
    return entry


@router.delete("/{entry_id}", status_code=204)
def delete_knowledge_entry(
    request: Request, hotel_id: HotelId, entry_id: EntryIdPath, principal: Admin
) -> Response:
    """Remove one entry (404 if the hotel has none by that id); audited."""

    def change(entries: list[KnowledgeEntry]) -> list[KnowledgeEntry]:
        kept = [e for e in entries if e.id != entry_id]
        if len(kept) == len(entries):
            raise NotFound(f"no knowledge entry {entry_id}")
        return kept

    config = _write(hotel_id, change, principal)
    _audit(request, principal, "hotel.knowledge.deleted", config, entry_id)
    return Response(status_code=204)


Change = Callable[[list[KnowledgeEntry]], list[KnowledgeEntry]]
"""What a route does to the current entries (it may raise ``NotFound``)."""


def _write(hotel_id: str, change: Change, principal: Principal) -> HotelConfig:
    """Apply ``change`` to the current entries and store them as the next version."""
    directory = _directory()
    for attempt in range(WRITE_ATTEMPTS):
        current = directory.get(hotel_id)
        entries = change(list(current.knowledge))
        try:
            check_knowledge(entries)
            update = HotelConfigUpdate(
                **current.model_dump(
                    exclude={"hotel_id", "version", "updated_at", "updated_by", "knowledge"}
                ),
                knowledge=entries,
                version=current.version,
            )
        except (ValueError, ValidationError) as exc:
            raise InvalidRequest(_reason(exc)) from exc
        try:
            config = directory.put(hotel_id, update, actor=principal.subject)
        except Conflict:
            if attempt + 1 == WRITE_ATTEMPTS:
                raise
            continue
        forget_config(hotel_id)  # this instance's /info lays the new entries over at once
        return config
    raise Conflict("the configuration is changing; try again")  # pragma: no cover


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]) for e in exc.errors())
    return str(exc)


def _audit(
    request: Request, principal: Principal, action: str, config: HotelConfig, entry_id: str
) -> None:
    audit(
        principal,
        action,
        hotel_id=config.hotel_id,
        resource=f"hotel/{config.hotel_id}/knowledge/{entry_id}@{config.version}",
        request_id=request_id_of(request),
    )
