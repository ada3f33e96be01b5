"""English lines of the fallback policy; every other language has the same keys.

Templates may use ``{name}`` (the hotel), ``{phone}`` (the front desk) and ``{key}``
(the key that declines recording, a digit or the ``key_star``/``key_hash`` word); the
tool-result lines have their own fields. Lines are written for the ear: short
sentences, no abbreviations, one question at the end.
"""

from __future__ import annotations

LINES: dict[str, str] = {
    # Opening and small talk.
    "greeting": (
        "Thank you for calling {name}. I am the hotel's automated assistant. "
        "How can I help you today?"
    ),
    # A hotel that records calls says so, and how to decline ({key}: the hotel's key).
    "greeting_recorded": (
        "Thank you for calling {name}. I am the hotel's automated assistant, "
        "and this call is recorded. If you would rather not be recorded, say: do not record, "
        "or press {key}. How can I help you today?"
    ),
    "recording_declined": "Understood, this call is no longer recorded.",
    "recording_not_active": "Understood. This call is not recorded.",
    "key_star": "star",
    "key_hash": "hash",
    "dtmf_menu": (
        "Press 1 for a new booking, 2 for an existing reservation, or 0 for the front desk."
    ),
    "how_can_i_help": "How can I help you today?",
    "what_else": "What else can I do for you?",
    "not_understood": (
        "Sorry, I did not catch that. I can check room availability, find your reservation, "
        "or answer questions about the hotel."
    ),
    "goodbye": "Thank you for calling {name}. Goodbye!",
    # Slot filling.
    "ask_arrival": "Of course. On which date would you like to arrive?",
    "ask_departure": "And when would you like to leave, or for how many nights?",
    "ask_adults": "How many adults will be staying?",
    "ask_code": "Certainly. What is your confirmation code?",
    "ask_last_name": "Thank you. And the last name on the booking?",
    # The front desk, transfers and messages.
    "front_desk": "Our front desk team is available at {phone}.",
    "offer_front_desk": (
        "I am sorry I could not help. Shall I connect you to our front desk? "
        "You can also reach them at {phone}."
    ),
    "transfer_notice": "I will connect you to the front desk now. One moment, please.",
    "transfer_failed": (
        "I am sorry, nobody at the front desk can take your call right now. "
        "Would you like to leave a message? We will call you back."
    ),
    "ask_message": "Of course. What message would you like to leave for the front desk?",
    "ask_callback_number": (
        "Thank you. Which number can we call you back on? "
        "If it is the number you are calling from, just say: this number."
    ),
    "message_taken": (
        "Thank you, I have passed your message on to the front desk, "
        "and they will call you back. Is there anything else I can do for you?"
    ),
    # Timers the worker runs.
    "silence_reprompt": "Are you still there?",
    "silence_goodbye": (
        "I have not heard anything for a while, so I will end the call now. "
        "Please call {name} again any time. Goodbye!"
    ),
    "max_duration_goodbye": (
        "I am sorry, I have to end this call now. For anything else, please call our "
        "front desk at {phone}. Goodbye!"
    ),
    # Guard rails.
    "refuse_card_details": (
        "For your security, please do not share card details over the phone. "
        "I did not keep them. The hotel will send you a secure payment link instead."
    ),
    "refuse_instructions": (
        "I am the hotel's receptionist and I can only help with rooms, reservations "
        "and questions about the hotel."
    ),
    "verification_required": (
        "I can only share reservation details once you give me the confirmation code "
        "and the last name on the booking. What is the confirmation code?"
    ),
    "too_many_attempts": (
        "I am sorry, I cannot verify that booking. Shall I connect you to our front desk? "
        "You can also reach them at {phone}."
    ),
    # Tool results.
    "offers": "For {nights} {stay}, for {guests}, we have {options}.",
    "breakfast_included": "Breakfast is included.",
    "anything_else": "Is there anything else I can help with?",
    "offer": "the {room} at {price} in total",
    "offer_separator": "; ",
    "fully_booked": "I am sorry, we are fully booked {stay}. Would other dates work for you?",
    "stay": "from {arrival} to {departure}",
    "reservation_found": (
        "I found your reservation {code}: a {room} {stay}, status {status}. "
        "Anything else I can help with?"
    ),
    "reservation_retry": (
        "I could not find a reservation with that confirmation code and last name. "
        "Could you tell me the confirmation code again?"
    ),
    "hotel_info": "{answer} Anything else I can help with?",
    "tool_error": (
        "I am sorry, I could not check that just now. Our front desk can help at {phone}."
    ),
    # Counted words.
    "nights_one": "{n} night",
    "nights_many": "{n} nights",
    "adults_one": "{n} adult",
    "adults_many": "{n} adults",
    "children_one": "{n} child",
    "children_many": "{n} children",
    "guests_and": "{adults} and {children}",
    "status_confirmed": "confirmed",
    "status_checked_in": "checked in",
    "status_checked_out": "checked out",
    "status_cancelled": "cancelled",
}
