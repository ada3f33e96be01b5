"""German phrase tables for the fallback NLU: numbers, calendar and grammar markers.

Phrases are lower case and accent-folded ("nachste", "fur", "marz"), as produced by
``text.lower_text``. German glues numbers together ("zweitausendsechsundzwanzig"):
the contractions below split off "tausend" and "hundert", and every "-undzwanzig"
compound is listed whole, so the language-neutral number grammar can read them.
"""

from __future__ import annotations

from .phrases_de_dialogue import (
    INTENT_PHRASES,
    LETTER_NAMES,
    NAME_CUES,
    NAME_FILLERS,
    NAME_PARTICLES,
    STOPWORDS,
    TOPIC_PHRASES,
)
from .vocab import NumberWords, Vocabulary, calendar_markers, markers_for
from .vocab import split_phrases as _split

_UNITS = ("null", "eins", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun")
_TEENS = _split("zehn|elf|zwolf|dreizehn|vierzehn|funfzehn|sechzehn|siebzehn|achtzehn|neunzehn")
_TENS = _split("zwanzig|dreissig|vierzig|funfzig|sechzig|siebzig|achtzig|neunzig")
_PREFIXES = ("", "ein", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun")
_ORDINAL_UNITS = _split("erst|zweit|dritt|viert|funft|sechst|siebt|acht|neunt")
_ENDINGS = ("e", "en", "er", "es", "em")


def _tens() -> dict[str, int]:
    """20-99 as German writes them: "einundzwanzig" is one word."""
    table: dict[str, int] = {}
    for t, word in enumerate(_TENS):
        table[word] = 20 + 10 * t
        for u in range(1, 10):
            table[f"{_PREFIXES[u]}und{word}"] = 20 + 10 * t + u
    return table


def _ordinals() -> dict[str, int]:
    """1-99 ordinals in every ending: "erste", "zwolften", "einundzwanzigster"."""
    stems = {w: 1 + i for i, w in enumerate(_ORDINAL_UNITS)} | {"siebent": 7}
    stems |= {f"{w}t": 10 + i for i, w in enumerate(_TEENS)}
    stems |= {f"{w}st": value for w, value in _tens().items()}
    return {f"{stem}{ending}": value for stem, value in stems.items() for ending in _ENDINGS}


def _hundreds() -> dict[str, int]:
    """100-999 as one word: "achthundert", "achthundertdreizehn", "hundertzwei".

    Bare "hundert" stays a multiplier (``hundred``), as in "acht hundert".
    """
    rest = {w: i for i, w in enumerate(_UNITS) if i} | {"ein": 1}
    rest |= {w: 10 + i for i, w in enumerate(_TEENS)} | _tens()
    table: dict[str, int] = {}
    for h, prefix in enumerate(_PREFIXES[1:], start=1):
        for head in {f"{prefix}hundert", "hundert"} if h == 1 else {f"{prefix}hundert"}:
            if head != "hundert":
                table[head] = 100 * h
            table |= {head + word: 100 * h + n for word, n in rest.items()}
    return table


NUMBERS = NumberWords(
    units={w: i for i, w in enumerate(_UNITS)}
    | dict.fromkeys(_split("ein|eine|einen|einem|einer"), 1)
    | {"zwo": 2},
    teens={w: 10 + i for i, w in enumerate(_TEENS)},
    tens=_tens(),
    ordinals=_ordinals(),
    hundred=frozenset({"hundert"}),
    thousand=frozenset({"tausend"}),
    joiners=frozenset({"und"}),
    ordinal_suffix=r"(?:te|ten|ter|tes|tem)",
    hundreds=_hundreds(),
)

_MONTHS = (
    "januar|jan|janner",
    "februar|feb",
    "marz",
    "april|apr",
    "mai",
    "juni|jun",
    "juli|jul",
    "august|aug",
    "september|sept|sep",
    "oktober|okt",
    "november|nov",
    "dezember|dez",
)
_WEEKDAYS = (
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag|sonnabend",
    "sonntag",
)

MARKERS: dict[str, str] = calendar_markers(
    _MONTHS,
    _WEEKDAYS,
    lambda names: "|".join([names, *(f"{n}s|{n}abend" for n in names.split("|"))]),
)
MARKERS |= (
    markers_for("TO", "bis|bis zum|bis zur|bis einschliesslich|bis am|bis und mit")
    | markers_for("FROM", "von|vom|ab|ab dem|ab den|ab am|seit")
    | markers_for("BETWEEN", "zwischen|zwischen dem")
    | markers_for("AND", "und")
    | markers_for("THE", "der|die|das|den|dem|des|zum|zur")
    | markers_for("ON", "am|an|an dem")
    | markers_for("IN", "in|in einer|innerhalb von")
    | markers_for("FOR", "fur|fuer")
    | markers_for("NEXT", "nachste|nachsten|nachster|nachstes|kommende|kommenden|kommendes")
    | markers_for("THIS", "diese|diesen|dieses|diesem|dieser")
    | markers_for("TODAY", "heute")
    | markers_for("TONIGHT", "heute abend|heute nacht|heut abend|heut nacht")
    | markers_for("TOMORROW", "morgen|morgen fruh")
    | markers_for("TOMORROW_NIGHT", "morgen abend|morgen nacht|morgen zur nacht")
    | markers_for("AFTER_TOMORROW", "ubermorgen|uebermorgen")
    # "Guten Morgen" is a greeting and "am Morgen" a time of day, not tomorrow.
    | markers_for("MORNING", "guten morgen|am morgen|jeden morgen|morgens|vormittag")
    | markers_for("WEEKEND", "wochenende")
    | markers_for("NIGHTS", "nacht|nachte|nachten|ubernachtung|ubernachtungen")
    | markers_for("OVERNIGHT", "uber nacht|eine nacht lang")
    | markers_for("WEEKS", "woche|wochen")
    | markers_for("DAYS", "tag|tage|tagen")
    | markers_for("COUPLE", "ein paar|paar")
    | markers_for("FROMNOW", "ab heute|von heute an|ab jetzt")
    | markers_for(
        "ARRIVE",
        "anreise|anreisen|ankunft|ankommen|komme an|kommen an|einchecken|check in|anreisetag"
        "|reise an|reisen an|ankomme",
    )
    | markers_for(
        "DEPART",
        "abreise|abreisen|abfahrt|auschecken|check out|abreisetag|reise ab|reisen ab|fahre ab"
        "|fahren ab|abfahren",
    )
    | markers_for("ADULT", "erwachsene|erwachsener|erwachsenen|erwachsen")
    | markers_for(
        "CHILD", "kind|kinder|kindern|kindes|baby|babys|kleinkind|kleinkinder|sohn|tochter"
    )
    | markers_for("PEOPLE", "person|personen|leute|gast|gaste|gasten|pers")
    | markers_for("OFUS", "von uns")
    | markers_for("WEARE", "wir sind|wir kommen zu|wir werden|wir waren")
    | markers_for(
        "SOLO",
        "allein|alleine|nur ich|nur fur mich|ich allein|ich alleine|fur mich allein"
        "|einzelperson|nur mich",
    )
    | markers_for(
        "COMPANION",
        "meine frau|meiner frau|mein mann|meinem mann|meine partnerin|meiner partnerin"
        "|mein partner|meinem partner|meine freundin|meiner freundin|mein freund"
        "|meinem freund|meine kollegin|meiner kollegin|mein kollege|meinem kollegen"
        "|meine mutter|meiner mutter|mein vater|meinem vater|meine schwester"
        "|meiner schwester|mein bruder|meinem bruder|meine verlobte|mein verlobter",
    )
    | markers_for("ME", "ich|mich|mir")
    | markers_for("WITH", "mit|plus|samt|zusammen mit")
    | markers_for("NONE", "keine|kein|keinen|ohne")
    | markers_for("INCLUDING", "davon|inklusive|einschliesslich|darunter")
    | markers_for(
        "NOUN",
        "zimmer|etage|etagen|stock|stockwerk|uhr|stunde|stunden|minute|minuten|euro|prozent"
        "|stern|sterne|sternen|bett|betten|schlafzimmer|schlussel|ziffer|ziffern|buchstabe"
        "|buchstaben|mal|frage|fragen|schritt|platz|nummer|reservierung|buchung|anfrage",
    )
)

GERMAN = Vocabulary(
    language="de",
    numbers=NUMBERS,
    contractions=(
        # "am 12. Dezember": a day number with a dot is an ordinal ("12te").
        (r"(?<![\d.])(\d{1,2})\.(?=\s|,|$)", r"\1te"),
        (
            r"\b(ein|zwei|drei|vier|funf|sechs|sieben|acht|neun|zehn|elf|zwolf|neunzehn)?"
            r"tausend",
            r" \1 tausend ",
        ),
        (r"\b(ein|zwei|drei|vier|funf|sechs|sieben|acht|neun|neunzehn)?hundert", r" \1 hundert "),
        # "wir sind zu viert": a group size, said as "four people".
        (r"\bzu zweit\b", "zwei personen"),
        (r"\bzu dritt\b", "drei personen"),
        (r"\bzu viert\b", "vier personen"),
        (r"\bzu funft\b", "funf personen"),
        (r"\bzu sechst\b", "sechs personen"),
        (r"\bwi-?fi\b", "wifi"),
        (r"\bw-?lan\b", "wlan"),
        (r"\bcheck-?in\b", "check in"),
        (r"\bcheck-?out\b", "check out"),
        (r"\bgibt's\b", "gibt es"),
        (r"\bwie's\b", "wie es"),
        (r"\bgeht's\b", "geht es"),
        (r"\bwar's\b", "war es"),
    ),
    markers=MARKERS,
    intent_phrases=INTENT_PHRASES,
    topic_phrases=TOPIC_PHRASES,
    name_cues=NAME_CUES,
    name_particles=NAME_PARTICLES,
    name_fillers=NAME_FILLERS,
    stopwords=STOPWORDS,
    letter_names=LETTER_NAMES,
    code_digits={},
    code_cues=frozenset(
        _split(
            "code|buchungscode|bestatigungscode|reservierungscode|nummer|buchungsnummer"
            "|reservierungsnummer|bestatigungsnummer|referenz|referenznummer|kennung"
        )
    ),
    code_repeat={"doppel": 2, "doppelt": 2, "zweimal": 2, "dreimal": 3},
    letter_as_in=("wie", "wie in"),
)
