"""Spanish lines of the fallback policy (usted); same keys as ``replies_en``."""

from __future__ import annotations

LINES: dict[str, str] = {
    "greeting": (
        "Gracias por llamar a {name}. Soy la asistente automática del hotel. "
        "¿En qué puedo ayudarle?"
    ),
    "greeting_recorded": (
        "Gracias por llamar a {name}. Soy la asistente automática del hotel, "
        "y esta llamada se está grabando. Si prefiere que no se grabe, diga: "
        "no grabe la llamada, o pulse {key}. ¿En qué puedo ayudarle?"
    ),
    "recording_declined": "Entendido, esta llamada ya no se está grabando.",
    "recording_not_active": "Entendido. Esta llamada no se está grabando.",
    "key_star": "asterisco",
    "key_hash": "almohadilla",
    "dtmf_menu": (
        "Pulse 1 para una nueva reserva, 2 para una reserva existente, o 0 para la recepción."
    ),
    "how_can_i_help": "¿En qué puedo ayudarle?",
    "what_else": "¿Qué más puedo hacer por usted?",
    "not_understood": (
        "Perdone, no le he entendido. Puedo consultar la disponibilidad, buscar su reserva "
        "o responder preguntas sobre el hotel."
    ),
    "goodbye": "Gracias por llamar a {name}. ¡Adiós!",
    "ask_arrival": "Por supuesto. ¿Qué día desea llegar?",
    "ask_departure": "¿Y cuándo desea salir, o para cuántas noches?",
    "ask_adults": "¿Cuántos adultos se alojarán?",
    "ask_code": "Claro. ¿Cuál es su número de reserva?",
    "ask_last_name": "Gracias. ¿Y el apellido de la reserva?",
    "front_desk": "Nuestra recepción le atiende en el {phone}.",
    "offer_front_desk": (
        "Siento no haber podido ayudarle. ¿Quiere que le pase con la recepción? "
        "También puede llamar al {phone}."
    ),
    "transfer_notice": "Le paso con la recepción. Un momento, por favor.",
    "transfer_failed": (
        "Lo siento, ahora mismo nadie en la recepción puede atender su llamada. "
        "¿Desea dejar un mensaje? Le devolveremos la llamada."
    ),
    "ask_message": "Por supuesto. ¿Qué mensaje desea dejar para la recepción?",
    "ask_callback_number": (
        "Gracias. ¿A qué número podemos devolverle la llamada? Si es el número desde el que "
        "llama, diga simplemente: este número."
    ),
    "message_taken": (
        "Gracias, he pasado su mensaje a la recepción y le devolverán la llamada. "
        "¿Puedo ayudarle en algo más?"
    ),
    "silence_reprompt": "¿Sigue ahí?",
    "silence_goodbye": (
        "No le oigo desde hace un rato, así que voy a terminar la llamada. "
        "Llame a {name} cuando quiera. ¡Adiós!"
    ),
    "max_duration_goodbye": (
        "Lo siento, tengo que terminar esta llamada. Para cualquier otra cosa, llame a "
        "nuestra recepción al {phone}. ¡Adiós!"
    ),
    "refuse_card_details": (
        "Por su seguridad, no comparta los datos de su tarjeta por teléfono. No los he "
        "guardado. El hotel le enviará un enlace de pago seguro."
    ),
    "refuse_instructions": (
        "Soy la recepcionista del hotel y solo puedo ayudarle con habitaciones, reservas "
        "y preguntas sobre el hotel."
    ),
    "verification_required": (
        "Solo puedo dar detalles de una reserva con el número de reserva y el apellido "
        "de la reserva. ¿Cuál es el número de reserva?"
    ),
    "too_many_attempts": (
        "Lo siento, no puedo verificar esa reserva. ¿Quiere que le pase con la recepción? "
        "También puede llamar al {phone}."
    ),
    "offers": "Para {nights} {stay}, para {guests}, tenemos {options}.",
    "breakfast_included": "El desayuno está incluido.",
    "anything_else": "¿Puedo ayudarle en algo más?",
    "offer": "la habitación {room} por {price} en total",
    "offer_separator": "; ",
    "fully_booked": ("Lo siento, estamos completos {stay}. ¿Le vendrían bien otras fechas?"),
    "stay": "del {arrival} al {departure}",
    "reservation_found": (
        "He encontrado su reserva {code}: {room} {stay}, estado: {status}. "
        "¿Puedo ayudarle en algo más?"
    ),
    "reservation_retry": (
        "No he encontrado ninguna reserva con ese número y ese apellido. "
        "¿Podría decirme de nuevo el número de reserva?"
    ),
    "hotel_info": "{answer} ¿Puedo ayudarle en algo más?",
    "tool_error": (
        "Lo siento, no he podido comprobarlo ahora mismo. Nuestra recepción puede ayudarle "
        "en el {phone}."
    ),
    "nights_one": "una noche",
    "nights_many": "{n} noches",
    "adults_one": "un adulto",
    "adults_many": "{n} adultos",
    "children_one": "un niño",
    "children_many": "{n} niños",
    "guests_and": "{adults} y {children}",
    "status_confirmed": "confirmada",
    "status_checked_in": "en curso",
    "status_checked_out": "finalizada",
    "status_cancelled": "cancelada",
}
