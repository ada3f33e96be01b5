"""What the fallback policy says, per language (English first; others join here).

Replies use only facts from the hotel's configuration and from tool results, which already
carry PMS-computed totals and spoken dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotelvoice.contracts.pms import HotelInfo


@dataclass(frozen=True)
class Replies:
    """The English phrasing of every policy move."""

    hotel: HotelInfo

    @property
    def greeting(self) -> str:
        """Hotel name, AI and recording disclosure, open question."""
        return (
            f"Thank you for calling {self.hotel.name}. I am the hotel's automated assistant, "
            "and this call may be recorded. How can I help you today?"
        )

    how_can_i_help = "How can I help you today?"
    what_else = "What else can I do for you?"
    ask_arrival = "Of course. On which date would you like to arrive?"
    ask_departure = "And when would you like to leave, or for how many nights?"
    ask_adults = "How many adults will be staying?"
    ask_code = "Certainly. What is your confirmation code?"
    ask_last_name = "Thank you. And the last name on the booking?"
    not_understood = (
        "Sorry, I did not catch that. I can check room availability, find your reservation, "
        "or answer questions about the hotel."
    )

    @property
    def offer_front_desk(self) -> str:
        """After repeated misunderstanding: a human is the better help."""
        return (
            "I am sorry I could not help. You can reach our front desk at "
            f"{self.hotel.front_desk_phone}. Is there anything else?"
        )

    @property
    def front_desk(self) -> str:
        """The caller asks for a person."""
        return f"Our front desk team is available at {self.hotel.front_desk_phone}."

    @property
    def goodbye(self) -> str:
        """Closing line."""
        return f"Thank you for calling {self.hotel.name}. Goodbye!"

    def tool_result(self, name: str, data: dict[str, Any]) -> str:
        """Speak a tool's JSON result; anything unreadable becomes an apology."""
        if name == "check_availability" and "offers" in data:
            return self._offers(data)
        if name == "find_reservation" and "found" in data:
            return self._reservation(data)
        if name == "get_hotel_info" and "answer" in data:
            return f"{data['answer']} Anything else I can help with?"
        return (
            "I am sorry, I could not check that just now. "
            f"Our front desk can help at {self.hotel.front_desk_phone}."
        )

    def _offers(self, data: dict[str, Any]) -> str:
        nights = f"{data['nights']} night{'s' if data['nights'] != 1 else ''}"
        stay = f"from {data['arrival_spoken']} to {data['departure_spoken']}"
        if not data["offers"]:
            return f"I am sorry, we are fully booked {stay}. Would other dates work for you?"
        options = "; ".join(f"the {o['room_type']} at {_money(o)} in total" for o in data["offers"])
        return (
            f"For {nights} {stay}, for {_guests(data)}, we have {options}. "
            "Breakfast is included. Is there anything else I can help with?"
        )

    def _reservation(self, data: dict[str, Any]) -> str:
        if data["found"]:
            return (
                f"I found your reservation {data['confirmation_code']}: a {data['room_type']} "
                f"from {data['arrival_spoken']} to {data['departure_spoken']}, "
                f"status {data['status'].replace('_', ' ')}. Anything else I can help with?"
            )
        if data.get("attempts_left"):
            return (
                "I could not find a reservation with that confirmation code and last name. "
                "Could you tell me the confirmation code again?"
            )
        return (
            "I am sorry, I cannot verify that booking. Our front desk can help at "
            f"{self.hotel.front_desk_phone}."
        )


def _money(offer: dict[str, Any]) -> str:
    amount = offer["total_minor"] / 100
    euros = f"{amount:,.2f}".replace(".00", "")
    return f"{euros} euros" if offer["currency"] == "EUR" else f"{euros} {offer['currency']}"


def _guests(data: dict[str, Any]) -> str:
    adults = f"{data['adults']} adult{'s' if data['adults'] != 1 else ''}"
    if data.get("children"):
        return f"{adults} and {data['children']} child{'ren' if data['children'] != 1 else ''}"
    return adults


def replies_for(hotel: HotelInfo, language: str = "en") -> Replies:
    """The phrasing for ``language``; English until other languages are added."""
    del language
    return Replies(hotel)
