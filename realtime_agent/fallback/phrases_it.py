"""Italian phrase tables for the fallback NLU: numbers, calendar and grammar markers.

Phrases are lower case, accent-folded and without apostrophes ("venerdi", "dall 8"),
as produced by ``text.lower_text``. Italian glues thousands ("duemilaventisei"): a
contraction splits them, and "ventuno", "ventotto" are listed whole.
"""

from __future__ import annotations

from .phrases_it_dialogue import (
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

_UNITS = ("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove")
_TEENS = _split(
    "dieci|undici|dodici|tredici|quattordici|quindici|sedici|diciassette|diciotto|diciannove"
)
_TENS = _split("venti|trenta|quaranta|cinquanta|sessanta|settanta|ottanta|novanta")
_ORDINALS = _split("primo|secondo|terzo|quarto|quinto|sesto|settimo|ottavo|nono|decimo")


def _tens() -> dict[str, int]:
    """20-99 as one word: "ventuno" and "ventotto" drop the vowel before uno/otto."""
    table: dict[str, int] = {}
    for t, word in enumerate(_TENS):
        table[word] = 20 + 10 * t
        for u in range(1, 10):
            unit = _UNITS[u]
            table[(word[:-1] if unit[0] in "uo" else word) + unit] = 20 + 10 * t + u
    return table


def _hundreds() -> dict[str, int]:
    """100-999 as one word: "duecento", "ottocentotredici", "centottanta" (cento + ottanta).

    Bare "cento" stays a multiplier (``hundred``), as in "tre cento".
    """
    rest = (
        {w: i for i, w in enumerate(_UNITS) if i}
        | {w: 10 + i for i, w in enumerate(_TEENS)}
        | _tens()
    )
    table: dict[str, int] = {}
    for h, head in enumerate(("cento", *(f"{u}cento" for u in _UNITS[2:])), start=1):
        if h > 1:
            table[head] = 100 * h
        for word, n in rest.items():
            table[(head[:-1] if word[0] == "o" else head) + word] = 100 * h + n
    return table


NUMBERS = NumberWords(
    units={w: i for i, w in enumerate(_UNITS)} | {"un": 1, "una": 1},
    teens={w: 10 + i for i, w in enumerate(_TEENS)},
    tens=_tens(),
    ordinals={w: 1 + i for i, w in enumerate(_ORDINALS)}
    | {w[:-1] + "a": 1 + i for i, w in enumerate(_ORDINALS)},
    hundred=frozenset({"cento"}),
    thousand=frozenset({"mille", "mila"}),
    joiners=frozenset({"e"}),
    ordinal_suffix=r"(?:o|a)",
    hundreds=_hundreds(),
)

_MONTHS = (
    "gennaio|gen",
    "febbraio|feb",
    "marzo",
    "aprile|apr",
    "maggio|mag",
    "giugno|giu",
    "luglio|lug",
    "agosto|ago",
    "settembre|sett",
    "ottobre|ott",
    "novembre|nov",
    "dicembre|dic",
)
_WEEKDAYS = ("lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica")

MARKERS: dict[str, str] = calendar_markers(_MONTHS, _WEEKDAYS, lambda day: f"{day}|{day} sera")
MARKERS |= (
    markers_for("TO", "al|all|alla|fino al|fino all|fino alla|fino a|a")
    | markers_for("FROM", "dal|dall|dalla|da|a partire dal|a partire da|a partire dall")
    | markers_for("BETWEEN", "tra il|fra il|tra l|fra l")
    | markers_for("AND", "e|ed")
    | markers_for("THE", "il|lo|la|i|gli|le|l")
    | markers_for("OF", "di|del|della|dell")
    | markers_for("IN", "tra|fra|in|entro")
    | markers_for("FOR", "per")
    | markers_for("NEXT", "prossimo|prossima|prossimi|venturo|che viene")
    | markers_for("THIS", "questo|questa|quest")
    | markers_for("TODAY", "oggi")
    | markers_for("TONIGHT", "stasera|stanotte|questa sera|questa notte|oggi sera")
    | markers_for("TOMORROW", "domani|domattina|domani mattina")
    | markers_for("TOMORROW_NIGHT", "domani sera|domani notte|domani in serata")
    | markers_for("AFTER_TOMORROW", "dopodomani|dopo domani")
    | markers_for("MORNING", "mattina|la mattina|di mattina|stamattina")
    | markers_for("WEEKEND", "fine settimana|finesettimana|weekend|week end")
    | markers_for("NIGHTS", "notte|notti|pernottamento|pernottamenti")
    | markers_for("OVERNIGHT", "solo per stanotte")
    | markers_for("WEEKS", "settimana|settimane")
    | markers_for("DAYS", "giorno|giorni")
    | markers_for("FORTNIGHT", "quindicina")
    | markers_for("COUPLE", "coppia|in coppia|paio di|paio")
    | markers_for("FROMNOW", "da oggi|a partire da oggi|da adesso")
    | markers_for(
        "ARRIVE",
        "arrivo|arrivare|arriviamo|arriveremo|arrivero|arrivando|check in|entrata",
    )
    | markers_for(
        "DEPART",
        "partenza|partire|parto|partiamo|partiremo|partiro|ripartire|lasciare la camera"
        "|check out|uscita",
    )
    | markers_for("ADULT", "adulto|adulti|adulta|adulte")
    | markers_for(
        "CHILD",
        "bambino|bambini|bambina|bambine|bimbo|bimbi|bimba|bimbe|neonato|neonati|figlio"
        "|figli|figlia|figlie|minore|minori",
    )
    | markers_for("PEOPLE", "persona|persone|ospite|ospiti")
    | markers_for("OFUS", "di noi")
    | markers_for("WEARE", "siamo|saremo")
    | markers_for(
        "SOLO",
        "solo io|io solo|io sola|da solo|da sola|soltanto io|solo per me|per me solo|per me sola",
    )
    | markers_for(
        "COMPANION",
        "mia moglie|mio marito|il mio compagno|la mia compagna|mio compagno|mia compagna"
        "|la mia ragazza|il mio ragazzo|mia ragazza|mio ragazzo|il mio amico|la mia amica"
        "|mio amico|mia amica|mia madre|mio padre|mia sorella|mio fratello|il mio collega"
        "|la mia collega|il mio fidanzato|la mia fidanzata",
    )
    | markers_for("ME", "io|me|mi")
    | markers_for("WITH", "con|piu|insieme a|assieme a")
    | markers_for("NONE", "senza|nessun|nessuno|nessuna")
    | markers_for("INCLUDING", "di cui|compresi|inclusi|tra cui")
    | markers_for(
        "NOUN",
        "camera|camere|stanza|stanze|piano|piani|ora|ore|minuto|minuti|euro|per cento"
        "|percento|stella|stelle|letto|letti|chiave|chiavi|cifra|cifre|lettera|lettere"
        "|volta|volte|domanda|domande|numero|posto|posti",
    )
)

ITALIAN = Vocabulary(
    language="it",
    numbers=NUMBERS,
    contractions=(
        (r"([a-z])'(?=[a-z0-9])", r"\1 "),
        (r"\b(due|tre|quattro|cinque|sei|sette|otto|nove|dieci)mila", r"\1 mila "),
        (r"\bmille(?=[a-z])", "mille "),
        (r"\bdoppi[ao] vu\b", "w"),
        (r"\bi lunga\b", "j"),
        (r"\bi greca\b", "y"),
        (r"\bwi-?fi\b", "wifi"),
        (r"\bcheck-?in\b", "check in"),
        (r"\bcheck-?out\b", "check out"),
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
        _split("codice|numero|riferimento|conferma|numero di prenotazione|pratica")
    ),
    code_repeat={"doppio": 2, "doppia": 2, "triplo": 3, "tripla": 3},
    day_articles=frozenset(_split("il|l|dal|dall|al|all|del|dell|nel")),
    code_fillers=frozenset({"e"}),
)
