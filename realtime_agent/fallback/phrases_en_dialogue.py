"""English dialogue phrase tables: intents, info topics, names and spelled codes.

Split from ``phrases_en.py`` only to keep each module short; ``phrases_en``
assembles both halves into the ``ENGLISH`` vocabulary. Phrases are lower case
with contractions expanded, as produced by ``text.lower_text``.
"""

from __future__ import annotations

from .phrases_common import CARD_BRANDS, INJECTION_COMMON, NATO_LETTERS
from .vocab import split_phrases as _split

INTENT_PHRASES: dict[str, tuple[str, ...]] = {
    "transfer_strong": _split(
        "human|real person|live person|to a person|with a person|someone|somebody|operator"
        "|agent|representative|receptionist|manager|staff member|member of staff"
        "|transfer me|connect me|put me through"
    ),
    "transfer_weak": _split("front desk|reception|the desk|speak to|speak with|talk to|talk with"),
    "goodbye": _split(
        "bye|goodbye|good bye|bye bye|that is all|that is it|that will be all|nothing else"
        "|no further questions|i am done|have a nice day|have a good day|talk to you later"
        "|hang up|that is everything|see you"
    ),
    "reservation_strong": _split(
        "my reservation|my booking|our reservation|our booking|existing reservation"
        "|existing booking|confirmation|confirmation number|confirmation code"
        "|reservation number|booking number|booking reference|reference number|my code"
        "|already booked|have a reservation|have a booking|made a reservation"
        "|made a booking|cancel my|change my|modify my|look up|check my|i booked|we booked"
    ),
    "availability_strong": _split(
        "book a|to book|like to book|booking a|make a reservation|make a booking"
        "|new reservation|new booking|reserve|availability|vacancy|vacancies|any rooms"
        "|a room|free rooms|rooms available|room available|available rooms|spare room"
    ),
    # After info topics: "how much is breakfast" asks about breakfast.
    "price": _split("how much|price|prices|rate|rates|cost|costs"),
    "availability_weak": _split("room|rooms|available|stay|staying|night|nights|book|free|suite"),
    "reservation_weak": _split("reservation|reservations|booking|bookings|booked|code"),
    "affirm": _split(
        "yes|yeah|yep|yup|yes please|sure|correct|that is correct|that is right|right"
        "|exactly|absolutely|ok|okay|alright|all right|sounds good|go ahead|please do"
        "|that works|perfect|confirm|definitely|of course|certainly|affirmative|i think so"
        "|is correct|is right|that is fine|fine"
    ),
    "deny": _split(
        "no|nope|nah|not really|not quite|not right|not correct|incorrect|wrong|negative"
        "|no thanks|no thank you|is wrong|is not right|is not correct|i do not think so"
    ),
    "greeting": _split(
        "hello|hi|hey|hiya|howdy|greetings|good morning|good afternoon|good evening"
    ),
    # A check-in/out mention only counts as an info question next to one of these
    # when dates are present ("when can I check in on the 12th" vs "check in on the 12th").
    "time_question": _split("time|times|when|early|earliest|late|latest|hours|what time"),
    "message": _split(
        "leave a message|take a message|leave a note|pass on a message|call me back"
        "|callback|call back to me|get back to me|have someone call me|someone call me back"
        "|ring me back|message for"
    ),
    "same_number": _split(
        "this number|the same number|same number|my number|the number i am calling from"
        "|number i am calling from|the one i am calling from|caller id"
    ),
    "phone_plus": _split("plus"),
    "card": _split(
        "credit card|debit card|card number|card details|security code|expiry date"
        "|expiration date|card expires|card is valid until"
    )
    + CARD_BRANDS,
    "injection": _split(
        "ignore your|ignore all|ignore previous|ignore the previous|ignore the rules"
        "|ignore any|ignore these|disregard|forget your|forget all|forget the rules"
        "|forget everything|you are now|from now on you|pretend to be|pretend you"
        "|pretend that|act as|roleplay|role play|your instructions|your prompt|your rules"
        "|new instructions|override|admin mode|debug mode"
    )
    + INJECTION_COMMON,
    "third_party": _split(
        "reservation of|booking of|reservations of|bookings of|all reservations"
        "|all bookings|all the reservations|all the bookings|other guests|another guest"
        "|someone else|somebody else|guest list|list of guests|who is staying"
        "|who else is staying|room number of"
    ),
}

TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "check_in": _split("check in|checkin|checking in"),
    "check_out": _split("check out|checkout|checking out"),
    "breakfast": _split("breakfast|morning meal"),
    "parking": _split("parking|park|car park|garage|my car|valet"),
    "pets": _split("pet|pets|dog|dogs|cat|cats|animal|animals|pet friendly"),
    "wifi": _split("wifi|wi fi|internet|wireless|wlan"),
    "cancellation": _split(
        "cancellation|cancel|cancelling|canceling|refund|refundable|cancellation policy"
    ),
    "address": _split(
        "address|where are you|where is the hotel|located|location|directions|how do i get"
        "|how to get|how can i get|where exactly"
    ),
    "phone": _split("phone number|telephone|telephone number|your number|contact number"),
}

NAME_CUES: dict[str, tuple[str, ...]] = {
    "last": _split("last name is|surname is|family name is|last name|surname|family name"),
    "first": _split("first name is|given name is|first name|given name"),
    "full": _split(
        "my name is|the name is|name is|under the name of|under the name|in the name of"
        "|booked under|it is under|is under"
    ),
    # Only at the very start of the utterance ("hi, this is Anna Smith").
    "intro": _split("this is"),
    # Only when the name ends the utterance ("it's Miller", not "it's raining today").
    "weak": _split("it is"),
}

NAME_PARTICLES = frozenset(
    _split("van|von|de|der|den|da|di|du|del|della|la|le|st|bin|al|el|ten|ter|mac|dos|das")
)
NAME_FILLERS = frozenset(
    _split(
        "um|uh|er|erm|hmm|yes|yeah|sure|ok|okay|please|thanks|thank|you|so|well|it|is"
        "|its|the|my|name|last|surname|family|that|would|be|hi|hello|hey|oh|of|course|good"
        "|morning|afternoon|evening"
    )
)
STOPWORDS = frozenset(
    _split(
        "a|an|the|on|in|at|of|for|to|from|by|with|under|about|and|or|but|not|no|yes|yeah"
        "|ok|okay|it|its|is|was|be|been|am|are|i|me|my|mine|we|us|our|you|your|he|she|they"
        "|them|this|that|there|here|what|which|who|when|where|why|how|booking|booked"
        "|reservation|room|rooms|name|names|hotel|tomorrow|today|tonight|yesterday|weekend"
        "|week|night|nights|morning|evening|afternoon|next|last|first|fine|good|great"
        "|correct|right|wrong|sure|please|thanks|thank|sorry|just|only|also|still|already"
        "|same|different|booking|one|two|three|four|five|six|seven|eight|nine|ten|single"
        "|double|twin|suite|breakfast|parking|wifi|check|cancel|calling|looking|trying"
        "|wondering|hoping|going|interested|here|over|done|all|nothing|something|anything"
        "|everything|none|true|false|possible|available|fully|full|free|late|early|again"
        "|hello|hi|hey|bye|goodbye|human|person|someone|agent|reception|code|number"
        "|adult|adults|child|children|kids|people|guests|alone|myself|mr|mrs|ms|miss|dr"
        "|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february"
        "|march|april|may|june|july|august|september|october|november|december"
        "|spelled|spell|spelt|as|like|actually|um|uh|er|erm|hmm|well|so|then|too|very"
        "|different|new|old|another|other|correct|confirmed|confirm|cancelled|changed"
        "|ignore|rules|tell|all|show|give|list|system|prompt|instructions"
    )
)

_SPOKEN_LETTERS = (
    ("aitch|haitch", "h"),
    ("bee", "b"),
    ("cee|see|sea", "c"),
    ("dee", "d"),
    ("eff", "f"),
    ("gee", "g"),
    ("jay", "j"),
    ("kay", "k"),
    ("el|ell", "l"),
    ("em", "m"),
    ("en", "n"),
    ("pee", "p"),
    ("cue|queue", "q"),
    ("ar", "r"),
    ("ess", "s"),
    ("tee|tea", "t"),
    ("vee", "v"),
    ("ex", "x"),
    ("wy|why|wye", "y"),
    ("zed|zee", "z"),
)
LETTER_NAMES: dict[str, str] = dict(NATO_LETTERS)
for _words, _letter in _SPOKEN_LETTERS:
    LETTER_NAMES |= dict.fromkeys(_words.split("|"), _letter)
