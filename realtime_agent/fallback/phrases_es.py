"""Spanish phrase tables for the fallback NLU: numbers, calendar and grammar markers.

Phrases are lower case and accent-folded ("manana", "miercoles", "nino"), as produced
by ``text.lower_text``. Spanish says days with cardinals ("el doce de diciembre"):
``day_articles`` tells the tokenizer that a number after "el", "del" or "al" is a day.
"""

from __future__ import annotations

from .phrases_es_dialogue import (
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

_UNITS = ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve")
_TEENS = _split("diez|once|doce|trece|catorce|quince|dieciseis|diecisiete|dieciocho|diecinueve")
_TENS = _split("veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa")
_TWENTIES = _split(
    "veintiuno|veintidos|veintitres|veinticuatro|veinticinco|veintiseis|veintisiete"
    "|veintiocho|veintinueve"
)
_ORDINALS = _split("primero|segundo|tercero|cuarto|quinto|sexto|septimo|octavo|noveno|decimo")


def _tens() -> dict[str, int]:
    """20-99: "veintiuno" is one word, "treinta y uno" three."""
    table = {w: 20 + 10 * i for i, w in enumerate(_TENS)}
    table |= {w: 21 + i for i, w in enumerate(_TWENTIES)} | {"veintiun": 21, "veintiuna": 21}
    for i, word in enumerate(_TENS[1:], start=1):
        for u in range(1, 10):
            table[f"{word} y {_UNITS[u]}"] = 20 + 10 * i + u
        table[f"{word} y un"] = table[f"{word} y una"] = 21 + 10 * i
    return table


_HUNDREDS = _split(
    "doscientos|trescientos|cuatrocientos|quinientos|seiscientos|setecientos"
    "|ochocientos|novecientos"
)


def _hundreds() -> dict[str, int]:
    """200-900 as one word, in both genders: "ochocientos", "quinientas"."""
    table = {w: 200 + 100 * i for i, w in enumerate(_HUNDREDS)}
    return table | {w[:-2] + "as": n for w, n in table.items()}


NUMBERS = NumberWords(
    units={w: i for i, w in enumerate(_UNITS)} | {"un": 1, "una": 1},
    teens={w: 10 + i for i, w in enumerate(_TEENS)} | {"diez y seis": 16},
    tens=_tens(),
    ordinals={w: 1 + i for i, w in enumerate(_ORDINALS)}
    | {"primer": 1, "primera": 1, "segunda": 2, "tercer": 3, "tercera": 3},
    hundred=frozenset({"cien", "ciento", "cientos"}),
    thousand=frozenset({"mil"}),
    joiners=frozenset({"y"}),
    ordinal_suffix=r"(?:o|a|ro|ra|do|da|to|ta|vo|va|no|na|mo|ma)",
    hundreds=_hundreds(),
)

_MONTHS = (
    "enero",
    "febrero|feb",
    "marzo",
    "abril|abr",
    "mayo",
    "junio|jun",
    "julio|jul",
    "agosto",
    "septiembre|setiembre|sept",
    "octubre|oct",
    "noviembre|nov",
    "diciembre|dic",
)
_WEEKDAYS = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")

MARKERS: dict[str, str] = calendar_markers(_MONTHS, _WEEKDAYS)
MARKERS |= (
    markers_for("TO", "al|hasta|hasta el|a")
    | markers_for("FROM", "del|desde|desde el|a partir del|a partir de|a partir de el")
    | markers_for("BETWEEN", "entre|entre el")
    | markers_for("AND", "y|e")
    | markers_for("THE", "el|la|los|las|dia")
    | markers_for("OF", "de")
    | markers_for("IN", "en|dentro de")
    | markers_for("FOR", "por|para|durante")
    | markers_for("NEXT", "proximo|proxima|proximos|que viene|entrante")
    | markers_for("THIS", "este|esta|estos")
    | markers_for("TODAY", "hoy|hoy mismo")
    | markers_for("TONIGHT", "esta noche|hoy por la noche|esta tarde")
    | markers_for("TOMORROW", "manana|manana temprano")
    | markers_for(
        "TOMORROW_NIGHT", "manana por la noche|manana en la noche|manana por la tarde|manana noche"
    )
    | markers_for("AFTER_TOMORROW", "pasado manana")
    # "por la mañana" is a time of day, not tomorrow.
    | markers_for("MORNING", "por la manana|de la manana|esta manana|en la manana")
    | markers_for("WEEKEND", "fin de semana|finde")
    | markers_for("NIGHTS", "noche|noches")
    | markers_for("OVERNIGHT", "solo esta noche|una sola noche")
    | markers_for("WEEKS", "semana|semanas")
    | markers_for("DAYS", "dias")
    | markers_for("FORTNIGHT", "quincena")
    | markers_for("COUPLE", "pareja|en pareja|un par de|par de")
    | markers_for("FROMNOW", "a partir de hoy|desde hoy|a partir de ahora")
    | markers_for(
        "ARRIVE",
        "llegada|llegar|llego|llegamos|llegaremos|llegare|entrada|entrar|check in|ingreso|registro",
    )
    | markers_for(
        "DEPART",
        "salida|salir|salgo|salimos|saldremos|saldre|irnos|marcharnos|check out"
        "|me voy|nos vamos|dejar la habitacion",
    )
    | markers_for("ADULT", "adulto|adultos|adulta|adultas|mayores")
    | markers_for("CHILD", "nino|ninos|nina|ninas|bebe|bebes|hijo|hijos|hija|hijas|menor|menores")
    | markers_for("PEOPLE", "persona|personas|huesped|huespedes|pax")
    | markers_for("OFUS", "de nosotros")
    | markers_for("WEARE", "somos|seremos|vamos a ser|vamos")
    | markers_for(
        "SOLO",
        "solo yo|yo solo|yo sola|solo para mi|solamente yo|unicamente yo|para mi solo"
        "|para mi sola|yo nada mas|viajo solo|viajo sola",
    )
    | markers_for(
        "COMPANION",
        "mi esposa|mi esposo|mi mujer|mi marido|mi pareja|mi novia|mi novio|mi amigo"
        "|mi amiga|mi madre|mi padre|mi hermana|mi hermano|mi companero|mi companera"
        "|mi prometida|mi prometido|mi colega",
    )
    | markers_for("ME", "yo|mi")
    | markers_for("WITH", "con|mas|junto con")
    | markers_for("NONE", "sin|ningun|ninguno|ninguna")
    | markers_for("INCLUDING", "incluidos|incluyendo|de los cuales|entre ellos")
    | markers_for(
        "NOUN",
        "habitacion|habitaciones|cuarto|cuartos|piso|pisos|planta|plantas|hora|horas|minuto"
        "|minutos|euro|euros|por ciento|estrella|estrellas|cama|camas|llave|llaves|digito"
        "|digitos|letra|letras|vez|veces|pregunta|preguntas|numero|plaza|plazas",
    )
)

SPANISH = Vocabulary(
    language="es",
    numbers=NUMBERS,
    contractions=(
        (r"\buve doble\b", "w"),
        (r"\bdoble uve\b", "w"),
        (r"\bdoble ve\b", "w"),
        (r"\bi griega\b", "y"),
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
        _split("codigo|numero|referencia|localizador|confirmacion|numero de reserva")
    ),
    code_repeat={"doble": 2, "triple": 3},
    day_articles=frozenset(_split("el|del|al|dia")),
    code_fillers=frozenset({"y"}),
)
