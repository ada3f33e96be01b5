"""Italian dialogue phrase tables: intents, info topics, names and spelled codes.

Split from ``phrases_it.py`` to keep each module short. Phrases are lower case,
accent-folded and without apostrophes ("e tutto", "un altra").
"""

from __future__ import annotations

from .phrases_common import CARD_BRANDS, INJECTION_COMMON, NATO_LETTERS, letter_table
from .vocab import split_phrases as _split

INTENT_PHRASES: dict[str, tuple[str, ...]] = {
    "transfer_strong": _split(
        "con una persona|persona reale|persona vera|essere umano|con qualcuno"
        "|parlare con qualcuno|un operatore|una operatrice|operatore|un addetto|un impiegato"
        "|mi passi|mi passa|passarmi|mi metta in contatto|mettermi in contatto|trasferisca"
        "|trasferire|mi trasferisca|il direttore|un responsabile|il responsabile"
        "|receptionist|portiere"
    ),
    "transfer_weak": _split("reception|ricezione|parlare con|front desk|banco"),
    "goodbye": _split(
        "arrivederci|arrivederla|e tutto grazie|questo e tutto|per ora e tutto|e tutto qui"
        "|basta cosi|nient altro|niente altro|buona giornata|buona serata|ciao ciao|a presto"
        "|riattaccare|a dopo|a posto cosi|sono a posto|siamo a posto"
    ),
    "reservation_strong": _split(
        "la mia prenotazione|mia prenotazione|nostra prenotazione|le mie prenotazioni"
        "|ho una prenotazione|abbiamo una prenotazione|ho prenotato|abbiamo prenotato"
        "|numero di prenotazione|codice di prenotazione|codice di conferma"
        "|numero di conferma|cancellare la mia|annullare la mia|modificare la mia"
        "|cambiare la mia|controllare la mia|verificare la mia|disdire la mia"
    ),
    "availability_strong": _split(
        "prenotare una camera|una camera|una stanza|fare una prenotazione"
        "|nuova prenotazione|disponibilita|camere libere|camera libera|camere disponibili"
        "|camera disponibile|stanze libere|prenotare|soggiornare|pernottare"
    ),
    # After info topics: "la colazione è compresa nel prezzo?" asks about breakfast.
    "price": _split(
        "quanto costa|quanto costerebbe|quanto viene|quanto verrebbe|quanto mi costa|prezzo"
        "|prezzi|tariffa|tariffe"
    ),
    "availability_weak": _split(
        "camera|camere|stanza|stanze|libera|libere|disponibile|notte|notti|soggiorno|suite"
    ),
    "reservation_weak": _split("prenotazione|prenotazioni|prenotato|prenotata|codice"),
    "affirm": _split(
        "si|certo|esatto|esattamente|corretto|va bene|d accordo|perfetto|certamente|giusto"
        "|ok|okay|si grazie|volentieri|senz altro|proprio cosi|si certo|confermo|bene"
        "|benissimo|vada pure|assolutamente"
    ),
    "deny": _split(
        "no|no grazie|sbagliato|non e corretto|non e giusto|per niente|non esatto"
        "|non e cosi|non proprio|negativo"
    ),
    "greeting": _split("ciao|buongiorno|buonasera|salve|pronto|buon pomeriggio"),
    "time_question": _split(
        "a che ora|che ora|quando|orario|orari|presto|tardi|da che ora|fino a che ora"
    ),
    "message": _split(
        "lasciare un messaggio|un messaggio|lasciare un recapito|richiamarmi|richiamatemi"
        "|richiamare|mi puo richiamare|essere ricontattato|ricontattarmi"
        "|mi richiami|mi richiamate|essere richiamato|essere richiamata|richiamata"
        "|farmi richiamare|mi faccia richiamare"
    ),
    "same_number": _split(
        "questo numero|lo stesso numero|stesso numero|questo stesso numero|il mio numero"
        "|numero da cui chiamo|da cui sto chiamando|da cui chiamo"
    ),
    "phone_plus": _split("piu"),
    "card": _split(
        "carta di credito|carta di debito|numero della carta|numero di carta"
        "|codice di sicurezza|data di scadenza|bancomat"
    )
    + CARD_BRANDS,
    "injection": _split(
        "ignora|ignori|ignorare|dimentica le tue|dimentichi le sue|le tue istruzioni"
        "|le sue istruzioni|le tue regole|le sue regole|ora sei|adesso sei|da ora sei"
        "|fai finta|faccia finta|comportati come|nuove istruzioni|modalita sviluppatore"
    )
    + INJECTION_COMMON,
    "third_party": _split(
        "tutte le prenotazioni|la prenotazione di|le prenotazioni di"
        "|prenotazione del signor|prenotazione della signora|altri ospiti|altri clienti"
        "|lista degli ospiti|chi alloggia|chi soggiorna|un altra persona|altra persona"
        "|in che camera alloggia|in quale camera alloggia|in che camera sta|in quale camera sta"
        "|alloggia il|alloggia la|soggiorna il|soggiorna la|camera del signor"
        "|camera della signora"
    ),
}

TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "check_in": _split(
        "check in|orario di arrivo|ora di arrivo|arrivo|entrare in camera|entrare nella camera"
        "|entrare in stanza|entrare nella stanza"
    ),
    "check_out": _split("check out|orario di partenza|ora di partenza|lasciare la camera|partenza"),
    "breakfast": _split("colazione|prima colazione"),
    "parking": _split("parcheggio|parcheggiare|garage|auto|macchina|posto auto"),
    "pets": _split("animale|animali|cane|cani|gatto|gatti|animali domestici|animale domestico"),
    "wifi": _split("wifi|wi fi|internet|connessione"),
    "cancellation": _split(
        "cancellazione|cancellare|annullare|annullamento|disdetta|disdire|rimborso|rimborsabile"
        "|disdico|disdiciamo|cancello|cancelliamo|annullo|annulliamo|penale"
    ),
    "address": _split(
        "indirizzo|dove siete|dove si trova|dove e l hotel|dove vi trovate|come arrivare"
        "|come ci arrivo|come si arriva|posizione"
    ),
    "phone": _split("numero di telefono|telefono|il vostro numero"),
}

NAME_CUES: dict[str, tuple[str, ...]] = {
    "last": _split("cognome e|il mio cognome e|mio cognome e|cognome"),
    "first": _split("nome di battesimo e|il mio nome di battesimo e|nome di battesimo"),
    "full": _split(
        "mi chiamo|il mio nome e|mio nome e|a nome di|a nome|sotto il nome di|intestata a"
        "|prenotazione a nome di|nome e"
    ),
    "opening": _split("sono|qui e|parla|sono il signor|sono la signora"),
    "weak": _split("e"),
}

NAME_PARTICLES = frozenset(_split("di|de|del|della|da|dal|la|lo|li|van|von|san|santa"))
NAME_FILLERS = frozenset(
    _split(
        "ehm|eh|allora|dunque|beh|si|certo|ok|grazie|prego|il|mio|cognome|nome|e|signor"
        "|signore|signora|buongiorno|buonasera|salve|ciao|pronto|scusi|scusate|senta"
    )
)
STOPWORDS = frozenset(
    _split(
        "io|tu|lui|lei|noi|voi|loro|mi|ti|ci|vi|si|lo|la|li|le|gli|ne|il|i|un|uno|una|di|a"
        "|da|in|con|su|per|tra|fra|del|dello|della|dei|degli|delle|al|allo|alla|ai|agli"
        "|alle|dal|dalla|dai|nel|nella|nei|sul|sulla|e|ed|o|ma|che|chi|cui|come|quando"
        "|dove|quanto|quanta|perche|non|no|sono|sei|siamo|siete|era|ero|sara|essere|ho|hai"
        "|ha|abbiamo|hanno|avere|vorrei|voglio|posso|puo|potrei|mio|mia|miei|mie|tuo|tua"
        "|suo|sua|nostro|nostra|vostro|vostra|questo|questa|quello|quella|qui|qua|li|oggi"
        "|domani|ieri|stasera|notte|notti|settimana|fine|giorno|giorni|camera|camere|stanza"
        "|hotel|prenotazione|nome|cognome|codice|numero|libera|disponibile|persona|persone"
        "|adulto|adulti|bambino|bambini|solo|sola|colazione|parcheggio|wifi|cancellare"
        "|signor|signore|signora|signorina|ciao|grazie|prego|arrivederci|ehm|eh|allora"
        "|beh|certo|bene|ok|okay|lunedi|martedi|mercoledi|giovedi|venerdi|sabato|domenica"
        "|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre"
        "|novembre|dicembre|ignora|regole|istruzioni|sistema|dimmi|mostra|elenco|anche"
        "|ancora|gia|piu|meno|molto|tutto|tutti|niente|nulla|qualcosa|qualcuno|altro|altra"
        "|nuovo|nuova|giusto|esatto|chiamo|chiama|sto|sta|fa|va|pronto|ora|adesso|poi"
        "|prenotato|confermato|cancellato|compitato|lettera"
    )
)

_ITALIAN_LETTERS = (
    "bi b,ci c,di d,effe f,gi g,acca h,elle l,emme m,enne n,pi p,cu q,erre r,esse s,ti t"
    ",vu|vi v,ics x,ipsilon y,zeta z,ancona a,bologna|bari b,como c,domodossola d"
    ",empoli e,firenze f,genova g,imola i,jolly j,kursaal k,livorno l,milano m,napoli n"
    ",otranto o,palermo p,quarto q,roma r,savona s,torino t,udine u,venezia v"
    ",washington w,xeres x,york y,zara z"
)
LETTER_NAMES: dict[str, str] = NATO_LETTERS | letter_table(_ITALIAN_LETTERS)
