"""English phrase tables for the fallback NLU: numbers, calendar and grammar markers.

Everything English lives here so that the grammars in ``dates.py``,
``guests.py``, ``codes.py``, ``names.py`` and ``intents.py`` stay language
neutral. Phrases are lower case, contractions already expanded ("that is all",
not "that's all") and hyphens replaced by spaces ("check in"), because that is
what ``text.lower_text`` produces from both typed text and ASR output.
"""

from __future__ import annotations

from .phrases_en_dialogue import (
    INTENT_PHRASES,
    LETTER_NAMES,
    NAME_CUES,
    NAME_FILLERS,
    NAME_PARTICLES,
    STOPWORDS,
    TOPIC_PHRASES,
)
from .vocab import NumberWords, Vocabulary, calendar_markers
from .vocab import split_phrases as _split


def _to(marker: str, phrases: str) -> dict[str, str]:
    """Map every phrase in a ``|``-separated list onto one canonical marker."""
    return dict.fromkeys(_split(phrases), marker)


_UNITS = _split("zero|one|two|three|four|five|six|seven|eight|nine")
_TEENS = _split("ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen")
_TENS = _split("twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
_ORDINAL_UNITS = _split("first|second|third|fourth|fifth|sixth|seventh|eighth|ninth")
_ORDINAL_TEENS = _split(
    "tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    "|eighteenth|nineteenth"
)
_ORDINAL_TENS = _split(
    "twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth"
)

NUMBERS = NumberWords(
    units={w: i for i, w in enumerate(_UNITS)} | {"nought": 0},
    teens={w: 10 + i for i, w in enumerate(_TEENS)},
    tens={w: 20 + 10 * i for i, w in enumerate(_TENS)} | {"fourty": 40},
    ordinals={w: 1 + i for i, w in enumerate(_ORDINAL_UNITS)}
    | {w: 10 + i for i, w in enumerate(_ORDINAL_TEENS)}
    | {w: 20 + 10 * i for i, w in enumerate(_ORDINAL_TENS)},
    hundred=frozenset({"hundred"}),
    thousand=frozenset({"thousand"}),
    joiners=frozenset({"and"}),
    ordinal_suffix=r"(?:st|nd|rd|th)",
)

_MONTHS = (
    "january|jan",
    "february|feb",
    "march|mar",
    "april|apr",
    "may",
    "june|jun",
    "july|jul",
    "august|aug",
    "september|sept|sep",
    "october|oct",
    "november|nov",
    "december|dec",
)
# "sat"/"sun" are left out on purpose: too likely to be ordinary words.
_WEEKDAYS = (
    "monday",
    "tuesday|tues|tue",
    "wednesday|wed",
    "thursday|thurs|thur|thu",
    "friday|fri",
    "saturday",
    "sunday",
)

MARKERS: dict[str, str] = calendar_markers(_MONTHS, _WEEKDAYS)
MARKERS |= (
    _to("TO", "to|until|till|til|through|thru|up to|up until|up till")
    | _to("FROM", "from")
    | _to("BETWEEN", "between")
    | _to("AND", "and")
    | _to("THE", "the")
    | _to("OF", "of")
    | _to("ON", "on")
    | _to("IN", "in")
    | _to("FOR", "for")
    | _to("A", "a|an")
    | _to("NEXT", "next|the coming|this coming")
    | _to("THIS", "this")
    | _to("TODAY", "today")
    | _to("TONIGHT", "tonight|this evening|this night")
    | _to("TOMORROW", "tomorrow")
    | _to("TOMORROW_NIGHT", "tomorrow night|tomorrow evening|tomorrow nite")
    | _to("AFTER_TOMORROW", "day after tomorrow|the day after tomorrow")
    | _to("WEEKEND", "weekend|week end")
    | _to("NIGHTS", "night|nights")
    | _to("OVERNIGHT", "overnight|for the night|just the night")
    | _to("WEEKS", "week|weeks")
    | _to("DAYS", "day|days")
    | _to("FORTNIGHT", "fortnight")
    | _to("COUPLE", "couple|a couple|a couple of|couple of")
    | _to("FROMNOW", "from now|from today")
    | _to(
        "ARRIVE",
        "arrive|arriving|arrival|check in|checking in|checkin|coming in|get in|getting in"
        "|starting|beginning|get there|getting there",
    )
    | _to(
        "DEPART",
        "leave|leaving|depart|departing|departure|check out|checking out|checkout"
        "|head home|heading home|go home|going home",
    )
    | _to("ADULT", "adult|adults|grown up|grown ups|grownup|grownups")
    | _to(
        "CHILD",
        "child|children|kid|kids|baby|babies|infant|infants|toddler|toddlers"
        "|little one|little ones",
    )
    | _to("PEOPLE", "people|person|persons|guest|guests|pax")
    | _to("OFUS", "of us")
    | _to(
        "SOLO",
        "just me|only me|me alone|myself|just myself|only myself|by myself|alone"
        "|on my own|just for me|only for me|single person|solo",
    )
    | _to(
        "COMPANION",
        "my wife|my husband|my partner|my girlfriend|my boyfriend|my friend|my colleague"
        "|my fiance|my fiancee|my mother|my father|my mom|my mum|my dad|my sister|my brother",
    )
    | _to("ME", "me|i")
    | _to("WITH", "with|plus|along with")
    | _to("NONE", "no|without")
    | _to("INCLUDING", "including|includes|of which|of them")
    # Nouns that show a number is not a day or a guest count ("the 2nd floor", "for 2 rooms").
    | _to(
        "NOUN",
        "floor|floors|time|times|name|names|room|rooms|suite|suites|option|options|choice"
        "|hour|hours|minute|minutes|euro|euros|dollar|dollars|pound|pounds|percent|star"
        "|stars|bed|beds|bedroom|bedrooms|key|keys|digit|digits|letter|letters|thing|things"
        "|question|questions|step|place",
    )
)

ENGLISH = Vocabulary(
    language="en",
    numbers=NUMBERS,
    contractions=(
        (r"\bwon't\b", "will not"),
        (r"\bcan't\b", "can not"),
        (r"\bcannot\b", "can not"),
        (r"n't\b", " not"),
        (r"\blet's\b", "let us"),
        (r"'s\b", " is"),
        (r"'re\b", " are"),
        (r"'m\b", " am"),
        (r"'ll\b", " will"),
        (r"'d\b", " would"),
        (r"'ve\b", " have"),
        (r"\bthats\b", "that is"),
        (r"\bits\b", "it is"),
        (r"\bim\b", "i am"),
        (r"\bwi-?fi\b", "wifi"),
        (r"\bx-ray\b", "xray"),  # the spelling alphabet's X, one word like the others
    ),
    markers=MARKERS,
    intent_phrases=INTENT_PHRASES,
    topic_phrases=TOPIC_PHRASES,
    name_cues=NAME_CUES,
    name_particles=NAME_PARTICLES,
    name_fillers=NAME_FILLERS,
    stopwords=STOPWORDS,
    letter_names=LETTER_NAMES,
    code_digits={"oh": "0", "o": "0", "nil": "0"},
    code_cues=frozenset(_split("code|confirmation|reference|number|booking number")),
    code_repeat={"double": 2, "triple": 3},
    letter_as_in=("as in", "like", "for"),
)
