"""German lines of the fallback policy (formal "Sie"); same keys as ``replies_en``."""

from __future__ import annotations

LINES: dict[str, str] = {
    "greeting": (
        "Vielen Dank für Ihren Anruf im {name}. Ich bin die automatische Assistentin "
        "des Hotels. Wie kann ich Ihnen helfen?"
    ),
    "greeting_recorded": (
        "Vielen Dank für Ihren Anruf im {name}. Ich bin die automatische Assistentin "
        "des Hotels, und dieses Gespräch wird aufgezeichnet. Wenn Sie das nicht möchten, "
        "sagen Sie: bitte nicht aufnehmen, oder drücken Sie die {key}. "
        "Wie kann ich Ihnen helfen?"
    ),
    "recording_declined": "Verstanden, dieses Gespräch wird nicht mehr aufgezeichnet.",
    "recording_not_active": "Verstanden. Dieses Gespräch wird nicht aufgezeichnet.",
    "key_star": "Sterntaste",
    "key_hash": "Rautetaste",
    "dtmf_menu": (
        "Drücken Sie die 1 für eine neue Buchung, die 2 für eine bestehende Reservierung "
        "oder die 0 für die Rezeption."
    ),
    "how_can_i_help": "Wie kann ich Ihnen helfen?",
    "what_else": "Was kann ich sonst noch für Sie tun?",
    "not_understood": (
        "Entschuldigung, das habe ich nicht verstanden. Ich kann freie Zimmer prüfen, "
        "Ihre Reservierung finden oder Fragen zum Hotel beantworten."
    ),
    "goodbye": "Vielen Dank für Ihren Anruf im {name}. Auf Wiederhören!",
    "ask_arrival": "Gerne. An welchem Tag möchten Sie anreisen?",
    "ask_departure": "Und wann möchten Sie abreisen, oder für wie viele Nächte?",
    "ask_adults": "Wie viele Erwachsene werden übernachten?",
    "ask_code": "Sehr gerne. Wie lautet Ihre Buchungsnummer?",
    "ask_last_name": "Danke. Und auf welchen Nachnamen läuft die Buchung?",
    "front_desk": "Sie erreichen unsere Rezeption unter {phone}.",
    "offer_front_desk": (
        "Es tut mir leid, dass ich nicht helfen konnte. Soll ich Sie mit unserer Rezeption "
        "verbinden? Sie erreichen sie auch unter {phone}."
    ),
    "transfer_notice": "Ich verbinde Sie jetzt mit der Rezeption. Einen Moment bitte.",
    "transfer_failed": (
        "Es tut mir leid, an der Rezeption kann gerade niemand Ihren Anruf annehmen. "
        "Möchten Sie eine Nachricht hinterlassen? Wir rufen Sie zurück."
    ),
    "ask_message": "Gerne. Welche Nachricht darf ich an die Rezeption weitergeben?",
    "ask_callback_number": (
        "Danke. Unter welcher Nummer können wir Sie zurückrufen? Wenn es die Nummer ist, "
        "von der Sie anrufen, sagen Sie einfach: diese Nummer."
    ),
    "message_taken": (
        "Vielen Dank, ich habe Ihre Nachricht an die Rezeption weitergegeben, "
        "und man ruft Sie zurück. Kann ich sonst noch etwas für Sie tun?"
    ),
    "silence_reprompt": "Sind Sie noch da?",
    "silence_goodbye": (
        "Ich habe eine Weile nichts gehört und beende das Gespräch jetzt. "
        "Rufen Sie das {name} gerne jederzeit wieder an. Auf Wiederhören!"
    ),
    "max_duration_goodbye": (
        "Es tut mir leid, ich muss das Gespräch jetzt beenden. Für alles Weitere erreichen "
        "Sie unsere Rezeption unter {phone}. Auf Wiederhören!"
    ),
    "refuse_card_details": (
        "Zu Ihrer Sicherheit nennen Sie bitte keine Kartendaten am Telefon. Ich habe sie "
        "nicht gespeichert. Das Hotel schickt Ihnen stattdessen einen sicheren Zahlungslink."
    ),
    "refuse_instructions": (
        "Ich bin die Rezeptionistin des Hotels und kann Ihnen nur bei Zimmern, "
        "Reservierungen und Fragen zum Hotel helfen."
    ),
    "verification_required": (
        "Auskünfte zu einer Reservierung kann ich nur geben, wenn Sie mir die Buchungsnummer "
        "und den Nachnamen der Buchung nennen. Wie lautet die Buchungsnummer?"
    ),
    "too_many_attempts": (
        "Es tut mir leid, ich kann diese Buchung nicht bestätigen. Soll ich Sie mit unserer "
        "Rezeption verbinden? Sie erreichen sie auch unter {phone}."
    ),
    "offers": "Für {nights} {stay}, für {guests}, haben wir {options}.",
    "breakfast_included": "Das Frühstück ist inklusive.",
    "anything_else": "Kann ich sonst noch etwas für Sie tun?",
    "offer": "das Zimmer {room} für insgesamt {price}",
    "offer_separator": "; ",
    "fully_booked": (
        "Es tut mir leid, wir sind {stay} ausgebucht. Würden andere Daten für Sie passen?"
    ),
    "stay": "von {arrival} bis {departure}",
    "reservation_found": (
        "Ich habe Ihre Reservierung {code} gefunden: {room} {stay}, Status: {status}. "
        "Kann ich sonst noch etwas für Sie tun?"
    ),
    "reservation_retry": (
        "Ich habe keine Reservierung mit dieser Buchungsnummer und diesem Nachnamen gefunden. "
        "Können Sie mir die Buchungsnummer bitte noch einmal nennen?"
    ),
    "hotel_info": "{answer} Kann ich sonst noch etwas für Sie tun?",
    "tool_error": (
        "Es tut mir leid, das konnte ich gerade nicht prüfen. Unsere Rezeption hilft Ihnen "
        "gerne unter {phone}."
    ),
    "nights_one": "eine Nacht",
    "nights_many": "{n} Nächte",
    "adults_one": "einen Erwachsenen",
    "adults_many": "{n} Erwachsene",
    "children_one": "ein Kind",
    "children_many": "{n} Kinder",
    "guests_and": "{adults} und {children}",
    "status_confirmed": "bestätigt",
    "status_checked_in": "eingecheckt",
    "status_checked_out": "ausgecheckt",
    "status_cancelled": "storniert",
}
