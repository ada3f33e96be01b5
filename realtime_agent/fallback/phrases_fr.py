"""French phrase tables for the fallback NLU: numbers, calendar and grammar markers.

Phrases are lower case, accent-folded and without apostrophes ("aujourd hui",
"apres demain"), as produced by ``text.lower_text``. French counts in twenties
("quatre vingt dix"): those numbers are listed as whole phrases, so the
language-neutral number grammar never needs their arithmetic.
"""

from __future__ import annotations

from .phrases_fr_dialogue import (
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

_UNITS = ("zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf")
_TEENS = _split("dix|onze|douze|treize|quatorze|quinze|seize|dix sept|dix huit|dix neuf")
_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}


def _tens() -> dict[str, int]:
    """20-99, including "vingt et un", "soixante dix" and "quatre vingt dix neuf"."""
    table = dict(_TENS) | {"septante": 70, "octante": 80, "huitante": 80, "nonante": 90}
    for word, value in _TENS.items():
        table[f"{word} et un"] = value + 1
    table["soixante et onze"] = 71
    for base, words in (("soixante", 60), ("quatre vingt", 80)):
        table[base] = words
        for i, teen in enumerate(_TEENS):
            table[f"{base} {teen}"] = words + 10 + i
    table["quatre vingts"] = 80
    for u in range(1, 10):
        table[f"quatre vingt {_UNITS[u]}"] = 80 + u
    return table


def _ordinal(cardinal: str) -> str:
    """Ordinal of a cardinal: "douze" -> "douzieme", "vingt et un" -> "vingt et unieme"."""
    if cardinal.endswith("cinq"):
        return cardinal + "uieme"
    if cardinal.endswith("neuf"):
        return cardinal[:-1] + "vieme"
    if cardinal.endswith("e"):
        return cardinal[:-1] + "ieme"
    return cardinal + "ieme"


def _ordinals() -> dict[str, int]:
    """Ordinals to 31 (days of the month) plus "premier" and "second"."""
    cardinals = {w: i for i, w in enumerate(_UNITS)} | {w: 10 + i for i, w in enumerate(_TEENS)}
    for word in ("vingt", "trente"):
        cardinals[word] = _TENS[word]
        cardinals[f"{word} et un"] = _TENS[word] + 1
        for u in range(2, 10):
            cardinals[f"{word} {_UNITS[u]}"] = _TENS[word] + u
    table = {_ordinal(w): v for w, v in cardinals.items() if 2 <= v <= 31}
    return table | {"premier": 1, "premiere": 1, "second": 2, "seconde": 2}


NUMBERS = NumberWords(
    units={w: i for i, w in enumerate(_UNITS)} | {"une": 1},
    teens={w: 10 + i for i, w in enumerate(_TEENS)},
    tens=_tens(),
    ordinals=_ordinals(),
    hundred=frozenset({"cent", "cents"}),
    thousand=frozenset({"mille"}),
    joiners=frozenset({"et"}),
    ordinal_suffix=r"(?:er|re|e|eme|ieme|nd|nde)",
)

_MONTHS = (
    "janvier|janv",
    "fevrier|fevr|fev",
    "mars",
    "avril|avr",
    "mai",
    "juin",
    "juillet|juil",
    "aout",
    "septembre",
    "octobre|oct",
    "novembre|nov",
    "decembre|dec",
)
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

MARKERS: dict[str, str] = calendar_markers(_MONTHS, _WEEKDAYS, lambda day: f"{day}|{day} soir")
MARKERS |= (
    markers_for("TO", "au|jusqu au|jusqu a|jusqu|jusque|aux")
    | markers_for("FROM", "du|depuis|a partir du|a partir de|a compter du|des le")
    | markers_for("BETWEEN", "entre")
    | markers_for("AND", "et")
    | markers_for("THE", "le|la|les|l")
    | markers_for("OF", "de|d")
    | markers_for("IN", "dans|d ici")
    | markers_for("FOR", "pour|pendant|durant")
    | markers_for("NEXT", "prochain|prochaine|prochains|prochaines|qui vient")
    | markers_for("THIS", "ce|cette|cet")
    | markers_for("TODAY", "aujourd hui|aujourdhui")
    | markers_for("TONIGHT", "ce soir|cette nuit")
    | markers_for("TOMORROW", "demain|demain matin")
    | markers_for("TOMORROW_NIGHT", "demain soir|demain dans la nuit|la nuit de demain")
    | markers_for("AFTER_TOMORROW", "apres demain|apres demain soir")
    | markers_for("MORNING", "ce matin|le matin|du matin|matin")
    | markers_for("WEEKEND", "week end|weekend|fin de semaine")
    | markers_for("NIGHTS", "nuit|nuits|nuitee|nuitees")
    | markers_for("OVERNIGHT", "pour la nuit|juste pour la nuit|pour une nuit seulement")
    | markers_for("WEEKS", "semaine|semaines")
    | markers_for("DAYS", "jour|jours|journee|journees")
    | markers_for("FORTNIGHT", "quinzaine")
    | markers_for("COUPLE", "couple|en couple")
    | markers_for("FROMNOW", "a partir de maintenant|a partir d aujourd hui")
    | markers_for(
        "ARRIVE",
        "arrivee|arriver|arrive|arrivons|arriverai|arriverons|arrivant|check in"
        "|enregistrement|debut du sejour|venir|viendrai|viendrons",
    )
    | markers_for(
        "DEPART",
        "depart|partir|pars|partirai|partirons|partons|quitter|check out|repartir|repars"
        "|fin du sejour|repartirai|quitterai",
    )
    | markers_for("ADULT", "adulte|adultes")
    | markers_for("CHILD", "enfant|enfants|bebe|bebes|fils|fille|filles|gamin|gamins")
    | markers_for("PEOPLE", "personne|personnes|voyageur|voyageurs|pers")
    | markers_for("OFUS", "d entre nous")
    | markers_for("WEARE", "nous sommes|on est|nous serons|on sera|nous venons a")
    | markers_for(
        "SOLO",
        "seul|seule|moi seul|moi seule|juste moi|uniquement moi|rien que moi|pour moi seul"
        "|pour moi seule|en solo",
    )
    | markers_for(
        "COMPANION",
        "ma femme|mon mari|mon epouse|mon epoux|mon compagnon|ma compagne|mon copain"
        "|ma copine|mon ami|mon amie|mon partenaire|ma partenaire|ma mere|mon pere|ma soeur"
        "|mon frere|mon fiance|ma fiancee|mon collegue|ma collegue",
    )
    | markers_for("ME", "moi|je|j")
    | markers_for("WITH", "avec|plus|accompagne de|accompagnee de")
    | markers_for("NONE", "sans|pas d|pas de|aucun|aucune")
    | markers_for("INCLUDING", "dont|y compris|parmi lesquels")
    | markers_for(
        "NOUN",
        "chambre|chambres|etage|etages|heure|heures|minute|minutes|euro|euros|pour cent"
        "|pourcent|etoile|etoiles|lit|lits|cle|cles|chiffre|chiffres|lettre|lettres|fois"
        "|question|questions|place|places|numero|salle|reservation|reservations|demande",
    )
)

FRENCH = Vocabulary(
    language="fr",
    numbers=NUMBERS,
    contractions=(
        (r"([a-z])'(?=[a-z0-9])", r"\1 "),
        (r"\bdouble v(e)?\b", "w"),
        (r"\bi grec\b", "y"),
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
    code_cues=frozenset(_split("code|numero|reference|confirmation|numero de reservation|dossier")),
    code_repeat={"double": 2, "triple": 3},
    day_articles=frozenset(_split("le|au|du|l|jusqu")),
    letter_as_in=("comme", "comme dans"),
)
