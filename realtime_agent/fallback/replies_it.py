"""Italian lines of the fallback policy (Lei); same keys as ``replies_en``."""

from __future__ import annotations

LINES: dict[str, str] = {
    "greeting": (
        "Grazie per aver chiamato {name}. Sono l'assistente automatica dell'hotel. "
        "Come posso aiutarla?"
    ),
    "greeting_recorded": (
        "Grazie per aver chiamato {name}. Sono l'assistente automatica dell'hotel, "
        "e questa chiamata viene registrata. Se preferisce di no, dica: non registrare, "
        "oppure prema {key}. Come posso aiutarla?"
    ),
    "recording_declined": "D'accordo, questa chiamata non viene più registrata.",
    "recording_not_active": "D'accordo. Questa chiamata non viene registrata.",
    "key_star": "asterisco",
    "key_hash": "cancelletto",
    "dtmf_menu": (
        "Prema 1 per una nuova prenotazione, 2 per una prenotazione esistente, "
        "o 0 per la reception."
    ),
    "how_can_i_help": "Come posso aiutarla?",
    "what_else": "Cos'altro posso fare per lei?",
    "not_understood": (
        "Mi scusi, non ho capito. Posso verificare la disponibilità, trovare la sua "
        "prenotazione o rispondere a domande sull'hotel."
    ),
    "goodbye": "Grazie per aver chiamato {name}. Arrivederci!",
    "ask_arrival": "Certo. In che data desidera arrivare?",
    "ask_departure": "E quando desidera partire, o per quante notti?",
    "ask_adults": "Quanti adulti soggiorneranno?",
    "ask_code": "Certamente. Qual è il suo codice di prenotazione?",
    "ask_last_name": "Grazie. E il cognome della prenotazione?",
    "front_desk": "La nostra reception è raggiungibile al {phone}.",
    "offer_front_desk": (
        "Mi dispiace non esserle stata d'aiuto. Vuole che le passi la reception? "
        "Può anche chiamarla al {phone}."
    ),
    "transfer_notice": "La metto in contatto con la reception. Un momento, per favore.",
    "transfer_failed": (
        "Mi dispiace, al momento nessuno alla reception può rispondere. "
        "Vuole lasciare un messaggio? La richiameremo."
    ),
    "ask_message": "Certo. Quale messaggio desidera lasciare alla reception?",
    "ask_callback_number": (
        "Grazie. A quale numero possiamo richiamarla? Se è il numero da cui sta chiamando, "
        "dica semplicemente: questo numero."
    ),
    "message_taken": (
        "Grazie, ho inoltrato il suo messaggio alla reception, che la richiamerà. "
        "Posso aiutarla in qualcos'altro?"
    ),
    "silence_reprompt": "È ancora in linea?",
    "silence_goodbye": (
        "Non sento più nulla da un po', quindi chiudo la chiamata. "
        "Richiami {name} quando vuole. Arrivederci!"
    ),
    "max_duration_goodbye": (
        "Mi dispiace, devo chiudere questa chiamata. Per qualsiasi altra cosa, chiami la "
        "nostra reception al {phone}. Arrivederci!"
    ),
    "refuse_card_details": (
        "Per la sua sicurezza, non comunichi i dati della carta al telefono. Non li ho "
        "conservati. L'hotel le invierà un link di pagamento sicuro."
    ),
    "refuse_instructions": (
        "Sono la receptionist dell'hotel e posso aiutarla solo con camere, prenotazioni "
        "e domande sull'hotel."
    ),
    "verification_required": (
        "Posso dare dettagli su una prenotazione solo con il codice di prenotazione "
        "e il cognome. Qual è il codice di prenotazione?"
    ),
    "too_many_attempts": (
        "Mi dispiace, non riesco a verificare questa prenotazione. Vuole che le passi la "
        "reception? Può anche chiamarla al {phone}."
    ),
    "offers": "Per {nights} {stay}, per {guests}, abbiamo {options}.",
    "breakfast_included": "La colazione è inclusa.",
    "anything_else": "Posso aiutarla in qualcos'altro?",
    "offer": "la camera {room} a {price} in totale",
    "offer_separator": "; ",
    "fully_booked": ("Mi dispiace, siamo al completo {stay}. Altre date potrebbero andarle bene?"),
    "stay": "da {arrival} a {departure}",
    "reservation_found": (
        "Ho trovato la sua prenotazione {code}: {room} {stay}, stato: {status}. "
        "Posso aiutarla in qualcos'altro?"
    ),
    "reservation_retry": (
        "Non ho trovato nessuna prenotazione con questo codice e questo cognome. "
        "Può ripetermi il codice di prenotazione?"
    ),
    "hotel_info": "{answer} Posso aiutarla in qualcos'altro?",
    "tool_error": (
        "Mi dispiace, non sono riuscita a verificarlo in questo momento. La nostra reception "
        "può aiutarla al {phone}."
    ),
    "nights_one": "una notte",
    "nights_many": "{n} notti",
    "adults_one": "un adulto",
    "adults_many": "{n} adulti",
    "children_one": "un bambino",
    "children_many": "{n} bambini",
    "guests_and": "{adults} e {children}",
    "status_confirmed": "confermata",
    "status_checked_in": "in corso",
    "status_checked_out": "conclusa",
    "status_cancelled": "cancellata",
}
