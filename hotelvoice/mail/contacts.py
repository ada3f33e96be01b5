"""Where a booking's change and cancellation e-mails go: the address the booking holds.

A booking made with an e-mail address keeps it in the PMS; its later changes and
cancellations are confirmed there, in the booking's language, whoever asked for them. The
agent never learns the address (a verified caller is told about the booking, not the
guest's contact details): the PMS routes ask the connector for it after the write.

Not every connector can answer: the capability is optional (:class:`BookingContacts`, checked
at run time). Where a connector lacks it, or the booking holds no address, only an address
the caller gave with the request (``confirm_to``) is written to, and none is written to where
there is neither.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from hotelvoice.contracts.pms import ConfirmationRecipient


@runtime_checkable
class BookingContacts(Protocol):
    """A connector that can tell where the guest of a booking is e-mailed."""

    async def booking_contact(
        self, hotel_id: str, confirmation_code: str
    ) -> ConfirmationRecipient | None:
        """The booking's e-mail address and language (``None``: it holds no address)."""
        ...


async def booking_contact(
    connector: object, hotel_id: str, confirmation_code: str
) -> ConfirmationRecipient | None:
    """The booking's contact where ``connector`` can tell it, else ``None``.

    Called only after a write the caller was verified for (code and last name or phone).
    """
    if not isinstance(connector, BookingContacts):
        return None
    return await connector.booking_contact(hotel_id, confirmation_code)


def recipient(
    held: ConfirmationRecipient | None, given: ConfirmationRecipient | None
) -> ConfirmationRecipient:
    """The booking's own address first, else the one the caller gave.

    The language likewise: the booking's, else the caller's; the hotel's first language is
    the last resort, chosen when the e-mail is written.
    """
    held = held or ConfirmationRecipient()
    given = given or ConfirmationRecipient()
    return ConfirmationRecipient(
        email=held.email or given.email, language=held.language or given.language
    )
