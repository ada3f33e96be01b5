"""Spelled names leave stored transcripts and logs; what the hotel needs stays readable.

Callers spell their names on the phone and speech-to-text writes the letters one by one,
as spelling-alphabet words or as "X as in Y". The sentences below are the way callers
(and the agent reading back) say them in each language we answer in; every one also
carries what the front desk needs from the turn: dates, codes, amounts, room words.
"""

from __future__ import annotations

import json

import pytest

from hotelvoice.redaction import redact, redact_spelled_names

SPELLED = {
    "en": [
        (
            "Doe-Smith, that's D-O-E dash S-M-I-T-H, arriving on 2026-12-16",
            "Doe-Smith, that's [name], arriving on 2026-12-16",
        ),
        (
            "It's Smith, S M I T H, booking HV4026 for two nights",
            "It's Smith, [name], booking HV4026 for two nights",
        ),
        (
            "s as in sugar, m, i, t, h, and the code is H V 1 0 4 2",
            "[name], and the code is H V 1 0 4 2",
        ),
        (
            "my name is spelled K-O-W-A-L-S-K-I, a deluxe double at 258 euros",
            "my name is spelled [name], a deluxe double at 258 euros",
        ),
        (
            "Delta Oscar Echo, for December 12th, two adults",
            "[name], for December 12th, two adults",
        ),
        (
            "my last name is O'Brien, O apostrophe B R I E N",
            "my last name is [name], [name]",
        ),
        ("Lee, L E E, two adults, arriving Friday", "Lee, [name], two adults, arriving Friday"),
        (
            "So that's W-E-B-E-R, and booking HV-4K2P9 is confirmed for 258 euros.",
            "So that's [name], and booking HV-4K2P9 is confirmed for 258 euros.",
        ),
        (
            "S M I T H, I have a booking from 2026-12-16 to 19.12.2026",
            "[name], I have a booking from 2026-12-16 to 19.12.2026",
        ),
        ("Smith, S M I T H H V 1 0 4 2", "Smith, [name] H V 1 0 4 2"),
        ("my name is Li, L I, room for one", "my name is [name], [name], room for one"),
    ],
    "de": [
        (
            "Müller, M Ü L L E R, ich komme am 19.12.2026 an",
            "Müller, [name], ich komme am 19.12.2026 an",
        ),
        (
            "Ich buchstabiere: Martha, Ulrich, Ludwig, Ludwig, Emil, Richard. "
            "Buchungsnummer HV4026.",
            "Ich buchstabiere: [name]. Buchungsnummer HV4026.",
        ),
        (
            "Schmidt, S wie Siegfried, C wie Cäsar, H wie Heinrich, M, I, D wie Dora, T",
            "Schmidt, [name]",
        ),
        ("Mein Nachname ist Weiß, W E I Eszett", "Mein Nachname ist [name], [name]"),
        (
            "Das ist K wie Kaufmann, O wie Otto, C wie Cäsar, H wie Heinrich, für zwei Nächte",
            "Das ist [name], für zwei Nächte",
        ),
        (
            "Anna, Aachen, Nürnberg, Nürnberg, Aachen, Doppelzimmer für 2 Personen",
            "Anna, [name], Doppelzimmer für 2 Personen",
        ),
        (
            "Meyer mit Ypsilon, also M E Y E R, Buchung H V eins null vier zwei",
            "Meyer mit Ypsilon, also [name], Buchung H V eins null vier zwei",
        ),
        ("Müller mit Doppel-L: M U Doppel-L E R", "Müller mit Doppel-L: [name]"),
    ],
    "fr": [
        (
            "Dupont, D comme Denis, U comme Ursule, P comme Pierre, O, N, T, "
            "j'arrive le 16 décembre",
            "Dupont, [name], j'arrive le 16 décembre",
        ),
        (
            "Je m'appelle Lefèvre, ça s'écrit L E F E accent grave V R E",
            "Je m'appelle [name], ça s'écrit [name]",
        ),
        (
            "Mon nom c'est Roux, R O U X, pour deux nuits, chambre double à 120 euros",
            "Mon nom c'est [name], [name], pour deux nuits, chambre double à 120 euros",
        ),
        (
            "Le numéro de réservation est H V un zéro quatre deux, au nom de Martin",
            "Le numéro de réservation est H V un zéro quatre deux, au nom de [name]",
        ),
        (
            "Alors, Golf Alpha Romeo Charlie India Alpha, pour le 3 mars",
            "Alors, [name], pour le 3 mars",
        ),
        ("M A R T I N tiret D U B O I S, chambre 12", "[name], chambre 12"),
        ("c'est L Y, comme lycée", "c'est [name], comme lycée"),
    ],
    "es": [
        (
            "García, se escribe G, A, R, C, I con acento, A, llego el 3 de mayo",
            "García, se escribe [name], llego el 3 de mayo",
        ),
        (
            "Mi apellido es Pérez: pe de París, e, erre de Roma, e, zeta de Zaragoza",
            "Mi apellido es [name]: [name]",
        ),
        (
            "D de Dinamarca, I de Italia, A de Antonio, Z, para dos noches del 3 al 5 de junio",
            "[name], para dos noches del 3 al 5 de junio",
        ),
        (
            "El localizador es H V uno cero cuatro dos, a nombre de Ruiz",
            "El localizador es H V uno cero cuatro dos, a nombre de [name]",
        ),
        ("Sí, es R U I Z, habitación doble, 90 euros", "Sí, es [name], habitación doble, 90 euros"),
        ("Ana, A N A, y quiero una habitación doble", "Ana, [name], y quiero una habitación doble"),
        ("Núñez, ene, u, eñe, e, zeta", "Núñez, [name]"),
    ],
    "it": [
        (
            "Mi chiamo Rossi, R O S S I, e vorrei una camera doppia dal 12 al 15 dicembre",
            "Mi chiamo [name], [name], e vorrei una camera doppia dal 12 al 15 dicembre",
        ),
        (
            "Il cognome si scrive B come Bologna, I come Imola, A come Ancona, N come Napoli, "
            "C come Como, H come hotel, I",
            "Il cognome si scrive [name]",
        ),
        (
            "D come Domodossola, O come Otranto, e il codice è H V uno zero quattro due",
            "[name], e il codice è H V uno zero quattro due",
        ),
        ("Sono Ferri, effe, e, erre, erre, i", "Sono Ferri, [name]"),
        (
            "Il mio cognome è Esposito, E S P O S I T O, due notti a 90 euro",
            "Il mio cognome è [name], [name], due notti a 90 euro",
        ),
        ("Gallo, G-A-L-L-O, arrivo il 2026-12-16", "Gallo, [name], arrivo il 2026-12-16"),
    ],
}

UNCHANGED = {
    "en": [
        "I have a room for two adults, is breakfast included?",
        "Is Room A or B quieter?",
        "Do you have rooms A, B or C free?",
        "Options A, B, C, which one is cheapest?",
        "I'd like a twin room from December 12 to 15, about 200 euros a night",
        "my confirmation code is h v one zero four two",
        "It's HV-4K2P9, and I arrive at 6 p.m.",
        "The code is H V 4 K 2 P 9",
        "That is H V 1 4 1 5, correct?",
        "h v double four one two",
        "e.g. a late check-out at 1 p.m. or so",
        "Is there a golf hotel near you? I like Italy a lot.",
        "I'm calling from the U.S.A. about a B&B",
    ],
    "de": [
        "Ich hätte gern ein Zimmer vom 19.12.2026 bis 22.12.2026 für 2 Personen",
        "Ist Zimmer A oder B ruhiger?",
        "Meine Buchungsnummer ist h v eins null vier zwei",
        "Das Frühstück kostet z.B. 15 Euro, d.h. 30 Euro für zwei",
        "Wir kommen aus Berlin, Hamburg und München",
        "Ich nehme die U-Bahn und bin gegen 18 Uhr da",
        "HV vierzehn fünfzehn",
    ],
    "fr": [
        "Il y a à deux pas un parking ?",
        "Y a-t-il une chambre libre du 16 au 19 décembre ?",
        "J'ai réservé une chambre à 120 €, c'est H V un quatre un cinq",
        "c'est H V quatorze quinze",
        "Est-ce que c'est la chambre A ou la B ?",
        "Je voudrais une chambre, et à quelle heure est le petit-déjeuner ?",
        "H V quatre-vingt-dix-neuf zéro zéro",
    ],
    "es": [
        "Quiero una habitación doble y una individual, o dos dobles, del 3 al 5 de mayo",
        "¿La habitación A o la B?",
        "Sí, es h v uno cero cuatro dos",
        "Vamos a Madrid, Sevilla y Granada",
        "Voy a ir a la playa y a comer",
        "Es de España, de Valencia",
        "hache uve veintidós treinta y cuatro",
    ],
    "it": [
        "Vorrei una camera doppia e una singola, o due doppie, dal 12 al 15 dicembre",
        "sì, è H V quattordici quindici",
        "sì, è h v uno zero quattro due",
        "è a due passi dalla stazione e ha il parcheggio",
        "Andiamo a Milano, Roma e Napoli",
        "C'è la camera A o la B?",
        "i bambini e i genitori arrivano alle 18",
    ],
}


@pytest.mark.parametrize(
    ("said", "stored"),
    [case for cases in SPELLED.values() for case in cases],
)
def test_a_spelled_name_is_taken_out_and_the_rest_of_the_turn_kept(said: str, stored: str) -> None:
    assert redact(said) == stored


@pytest.mark.parametrize("said", [text for texts in UNCHANGED.values() for text in texts])
def test_ordinary_sentences_codes_and_room_letters_are_left_alone(said: str) -> None:
    assert redact(said) == said


def test_every_language_has_spelled_names_and_sentences_left_alone() -> None:
    assert set(SPELLED) == set(UNCHANGED) == {"en", "de", "fr", "es", "it"}
    assert all(len(SPELLED[lang]) >= 5 and len(UNCHANGED[lang]) >= 5 for lang in SPELLED)


@pytest.mark.parametrize(
    ("said", "stored"),
    [
        ("S M I T H, 2 nights", "[name], 2 nights"),
        ("S. M. I. T. H. 2 nights", "[name]. 2 nights"),
        ("S,M,I,T,H, 2 nights", "[name], 2 nights"),
        ("s-m-i-t-h, 2 nights", "[name], 2 nights"),
        ("S M I T H dash J O N E S, 2 nights", "[name], 2 nights"),
        ("Sierra Mike India Tango Hotel, 2 nights", "[name], 2 nights"),
        ("S as in Sugar, M as in Mary, I, T, H, 2 nights", "[name], 2 nights"),
        ("Hotel Alpha Zulu Echo Lima, 2 nights", "[name], 2 nights"),
    ],
)
def test_every_way_of_writing_a_spelling_is_one_placeholder(said: str, stored: str) -> None:
    assert redact(said) == stored


def test_two_letters_are_a_name_only_after_a_cue_or_between_hyphens() -> None:
    assert redact("it's N G, two nights") == "it's N G, two nights"
    assert redact("that's N G, two nights") == "that's [name], two nights"
    assert redact("N-G, two nights") == "[name], two nights"
    assert redact("a -k flag") == "a -k flag"


def test_a_verified_name_spelled_out_is_redacted_even_when_short() -> None:
    assert redact("W E B E R, and Li is L I", ["Weber", "Li"]) == "[name], and [name] is [name]"


def test_a_code_after_a_spelled_name_keeps_its_letters() -> None:
    assert redact("R O S S I, H V 4 K 2 P 9") == "[name], H V 4 K 2 P 9"
    assert redact("R O S S I HV1042") == "[name] HV1042"


def test_tool_results_and_log_values_keep_their_shape() -> None:
    result = json.dumps({"found": True, "confirmation_code": "HV4026", "room": "A", "x": "b c d"})
    assert json.loads(redact(result))["confirmation_code"] == "HV4026"
    assert redact("^[A-Z]{3}$ and 0-9") == "^[A-Z]{3}$ and 0-9"


def test_redacting_twice_changes_nothing_more() -> None:
    for cases in SPELLED.values():
        for said, stored in cases:
            assert redact(stored) == stored, said
    assert redact_spelled_names("[name] [name]") == "[name] [name]"
