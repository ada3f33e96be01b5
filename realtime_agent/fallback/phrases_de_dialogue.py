"""German dialogue phrase tables: intents, info topics, names and spelled codes.

Split from ``phrases_de.py`` to keep each module short. Phrases are lower case and
accent-folded ("fruhstuck", "ruckruf"), as produced by ``text.lower_text``. The cue
group names are the ones ``intents.py`` and ``guards.py`` rank.
"""

from __future__ import annotations

from .phrases_common import CARD_BRANDS, INJECTION_COMMON, NATO_LETTERS, letter_table
from .vocab import split_phrases as _split

INTENT_PHRASES: dict[str, tuple[str, ...]] = {
    "transfer_strong": _split(
        "mensch|menschen|echten person|echte person|mit einer person|mit jemandem"
        "|jemanden sprechen|jemandem sprechen|mitarbeiter|mitarbeiterin|mitarbeitenden"
        "|rezeptionist|rezeptionistin|manager|geschaftsfuhrer|operator|vermittlung"
        "|verbinden sie mich|verbinden mich|stellen sie mich durch|durchstellen|weiterleiten"
        "|weiterverbinden|verbinden"
    ),
    "transfer_weak": _split("rezeption|empfang|sprechen mit|reden mit|front desk"),
    "goodbye": _split(
        "tschuss|auf wiederhoren|auf wiedersehen|wiederhoren|das wars|das war es|das war alles"
        "|das ist alles|nichts weiter|sonst nichts|schonen tag noch|einen schonen tag"
        "|bis dann|bis bald|auflegen|mehr brauche ich nicht"
    ),
    "reservation_strong": _split(
        "meine reservierung|meine buchung|unsere reservierung|unsere buchung"
        "|meiner reservierung|meiner buchung|unserer reservierung|unserer buchung"
        "|bestehende reservierung|bestehende buchung|buchungsnummer|reservierungsnummer"
        "|bestatigungsnummer|buchungscode|bestatigungscode|reservierungscode|habe gebucht"
        "|haben gebucht|habe reserviert|haben reserviert|habe eine reservierung"
        "|haben eine reservierung|habe eine buchung|haben eine buchung|umbuchen"
    ),
    "availability_strong": _split(
        "zimmer buchen|ein zimmer|zimmer reservieren|reservieren|buchen|reservierung machen"
        "|buchung machen|neue reservierung|neue buchung|verfugbarkeit|verfugbar|noch frei"
        "|freie zimmer|freies zimmer|zimmer frei|ubernachten"
    ),
    # After info topics: "ist das Frühstück im Preis inbegriffen?" asks about breakfast.
    "price": _split(
        "was kostet|was kosten|wie viel kostet|wieviel kostet|wie teuer|preis|preise|kosten"
        "|zimmerpreis|zimmerpreise"
    ),
    "availability_weak": _split("zimmer|frei|nacht|nachte|ubernachtung|aufenthalt|suite"),
    "reservation_weak": _split("reservierung|buchung|reserviert|gebucht|code"),
    "affirm": _split(
        "ja|jawohl|jep|genau|richtig|stimmt|korrekt|gerne|gern|ja bitte|okay|ok|in ordnung"
        "|passt|das passt|einverstanden|sicher|naturlich|klar|auf jeden fall|das stimmt"
        "|ist richtig|sehr gerne|bitte sehr|machen sie das|perfekt|prima|gut"
    ),
    "deny": _split(
        "nein|ne|nee|nicht richtig|falsch|stimmt nicht|das stimmt nicht|nein danke"
        "|lieber nicht|ist falsch|nicht korrekt|auf keinen fall"
    ),
    "greeting": _split(
        "hallo|guten tag|guten morgen|guten abend|gruss gott|gruss sie|servus|moin|hi|hey"
    ),
    "time_question": _split(
        "wann|uhrzeit|wie viel uhr|wieviel uhr|ab wann|bis wann|fruh|fruhestens|spat"
        "|spatestens|zeit|zeiten"
    ),
    "message": _split(
        "nachricht hinterlassen|eine nachricht|nachricht fur|ruckruf|zuruckrufen|ruckrufen"
        "|rufen sie mich zuruck|ruft mich zuruck|mich zuruckrufen|zuruckgerufen"
        "|etwas ausrichten|ausrichten"
    ),
    "same_number": _split(
        "diese nummer|dieser nummer|dieselbe nummer|derselben nummer|gleiche nummer"
        "|gleichen nummer|von der ich anrufe|mit der ich anrufe|meine nummer|meiner nummer"
    ),
    "phone_plus": _split("plus"),
    "card": _split(
        "kreditkarte|kreditkartennummer|kartennummer|ec karte|girokarte"
        "|debitkarte|prufnummer|prufziffer|sicherheitscode|ablaufdatum|gultig bis"
    )
    + CARD_BRANDS,
    "injection": _split(
        "ignoriere|ignorier|ignorieren sie|vergiss deine|vergessen sie ihre|deine anweisungen"
        "|ihre anweisungen|deine regeln|ihre regeln|du bist jetzt|sie sind jetzt|ab jetzt bist"
        "|tu so als|tun sie so als|spiel die rolle|systemanweisung|neue anweisungen"
        "|entwicklermodus"
    )
    + INJECTION_COMMON,
    "third_party": _split(
        "alle reservierungen|alle buchungen|reservierung von|buchung von|reservierung des"
        "|buchung des|reservierung der|buchung der|andere gaste|anderen gaste|anderer gaste"
        "|gasteliste|wer wohnt|wer ubernachtet|jemand anderen|eines anderen"
        "|wohnt herr|wohnt frau|ubernachtet herr|ubernachtet frau|reist herr|reist frau"
        "|kommt herr|kommt frau|in welchem zimmer|welche zimmernummer|zimmernummer von"
        "|zimmernummer des|zimmernummer der|bei ihnen gast|bei ihnen zu gast|gast bei ihnen"
        "|welche gaste|ob herr|ob frau|seine buchung|seiner buchung|seine reservierung"
        "|seiner reservierung|seine buchungsdaten|buchungsdaten von"
    ),
}

TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "check_in": _split(
        "check in|einchecken|eincheck|anreise|ankunft|zimmerbezug|zimmer beziehen|ins zimmer"
        "|aufs zimmer|auf das zimmer|bezugsfertig"
    ),
    "check_out": _split("check out|auschecken|auscheck|abreise|zimmer verlassen|zimmerraumung"),
    "breakfast": _split("fruhstuck|fruhstucken|fruhstucksbuffet"),
    "parking": _split(
        "parken|parkplatz|parkplatze|parkhaus|tiefgarage|garage|mein auto|meinem auto|auto"
        "|parkmoglichkeit|parkmoglichkeiten"
    ),
    "pets": _split("haustier|haustiere|hund|hunde|hundin|katze|katzen|tier|tiere"),
    "wifi": _split("wifi|wlan|w lan|internet|wi fi"),
    "cancellation": _split(
        "stornierung|stornieren|storno|stornobedingungen|stornogebuhr|ruckerstattung"
        "|kostenlos stornieren|kostenfrei stornieren|absagen|absage|stornierungsbedingungen"
        "|stornogebuhren"
    ),
    "address": _split(
        "adresse|anschrift|wo sind sie|wo ist das hotel|wo liegt|wo befindet|wie komme ich"
        "|anfahrt|wegbeschreibung|liegt das hotel|liegt ihr hotel|wo genau|wo finde ich"
    ),
    "phone": _split("telefonnummer|rufnummer|ihre nummer|telefon"),
}

NAME_CUES: dict[str, tuple[str, ...]] = {
    "last": _split(
        "nachname ist|familienname ist|zuname ist|nachname lautet|nachname|familienname|zuname"
    ),
    "first": _split("vorname ist|vorname lautet|vorname"),
    "full": _split(
        "mein name ist|ich heisse|ich heise|name lautet|der name ist|auf den namen"
        "|unter dem namen|auf den namen von|gebucht auf|lautet auf|lauft auf|name"
    ),
    "opening": _split("ich bin|hier ist|hier spricht|am apparat ist"),
    "weak": _split("das ist|es ist"),
}

NAME_PARTICLES = frozenset(_split("von|van|de|der|den|zu|vom|zur|di|da|del|la|le|ten|ter"))
NAME_FILLERS = frozenset(
    _split(
        "ahm|ah|ahem|hm|hmm|also|ja|genau|bitte|danke|gerne|okay|ok|gut|na|so|der|die|das"
        "|ist|name|nachname|mein|meiner|lautet|hallo|guten|tag|morgen|abend|herr|frau|auf"
    )
)
STOPWORDS = frozenset(
    _split(
        "ich|du|er|sie|es|wir|ihr|mich|mir|dich|dir|uns|euch|ihnen|ihn|ihm|mein|meine|meinen"
        "|meinem|meiner|dein|deine|unser|unsere|ihre|ihren|der|die|das|den|dem|des|ein|eine"
        "|einen|einem|einer|und|oder|aber|nicht|kein|keine|ja|nein|doch|auch|noch|schon|nur"
        "|mal|bitte|danke|gerne|gern|hallo|tschuss|am|an|auf|aus|bei|bis|fur|fuer|in|im|mit"
        "|nach|seit|von|vom|vor|zu|zum|zur|uber|unter|um|ab|ist|bin|sind|war|waren|habe|hat"
        "|haben|hatte|hatten|mochte|mochten|wurde|wurden|kann|konnen|konnte|will|wollen|soll"
        "|wer|was|wann|wo|wie|warum|welche|welcher|welches|hier|da|dort|jetzt|heute|morgen"
        "|ubermorgen|gestern|woche|wochenende|nacht|nachte|abend|tag|tage|zimmer|hotel"
        "|buchung|reservierung|name|namen|nachname|vorname|code|nummer|frei|gut|richtig"
        "|falsch|genau|klar|okay|ok|also|so|dann|denn|weil|wenn|dass|ob|sehr|viel|viele"
        "|alle|alles|nichts|etwas|jemand|niemand|mensch|person|personen|erwachsene|kinder"
        "|kind|allein|einzelzimmer|doppelzimmer|fruhstuck|parkplatz|wlan|stornieren|herr"
        "|frau|guten|lautet|heisse|heise|gebucht|reserviert|anreise|abreise|montag|dienstag"
        "|mittwoch|donnerstag|freitag|samstag|sonntag|januar|februar|marz|april|mai|juni"
        "|juli|august|september|oktober|november|dezember|ignoriere|regeln|anweisungen|sag"
        "|zeig|liste|system|ahm|ah|hm|eben|halt|wieder|neu|andere|anderen|ihr|ihrer|lang"
        "|sage|sagen|gesagt|buchstabiert|buchstabieren|wie|bestatigt|storniert"
    )
)

_GERMAN_LETTERS = (
    "ah a,be|beh b,ce|ceh|tse|ze c,de|deh d,eh e,ef|eff f,ge|geh g,ha|hah h,ih i,jot|jott j"
    ",ka|kah k,el|ell l,em|emm m,en|enn n,oh o,pe|peh p,ku|kuh q,er|err r,es|ess s,te|teh t"
    ",uh u,vau|fau v,we|weh w,ix|iks x,ypsilon|upsilon y,zett|zet z"
    ",anton a,berta|bertha b,casar|charlotte c,dora d,emil e,friedrich f,gustav g"
    ",heinrich h,ida i,julius j,kaufmann|konrad k,ludwig l,martha m,nordpol n,otto o"
    ",paula p,quelle q,richard r,samuel|siegfried s,theodor t,ulrich u,viktor v,wilhelm w"
    ",xanthippe x,zacharias|zeppelin z"
)
LETTER_NAMES: dict[str, str] = NATO_LETTERS | letter_table(_GERMAN_LETTERS)
