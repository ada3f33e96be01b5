"""French lines of the fallback policy (vouvoiement); same keys as ``replies_en``."""

from __future__ import annotations

LINES: dict[str, str] = {
    "greeting": (
        "Merci d'avoir appelé {name}. Je suis l'assistante automatique de l'hôtel. "
        "Comment puis-je vous aider ?"
    ),
    "greeting_recorded": (
        "Merci d'avoir appelé {name}. Je suis l'assistante automatique de l'hôtel, "
        "et cet appel est enregistré. Si vous préférez ne pas être enregistré, dites : "
        "ne m'enregistrez pas, ou tapez {key}. Comment puis-je vous aider ?"
    ),
    "recording_declined": "C'est noté, cet appel n'est plus enregistré.",
    "recording_not_active": "C'est noté. Cet appel n'est pas enregistré.",
    "key_star": "étoile",
    "key_hash": "dièse",
    "dtmf_menu": (
        "Tapez 1 pour une nouvelle réservation, 2 pour une réservation existante, "
        "ou 0 pour la réception."
    ),
    "how_can_i_help": "Comment puis-je vous aider ?",
    "what_else": "Que puis-je faire d'autre pour vous ?",
    "not_understood": (
        "Pardon, je n'ai pas bien compris. Je peux vérifier les disponibilités, retrouver "
        "votre réservation ou répondre à vos questions sur l'hôtel."
    ),
    "goodbye": "Merci d'avoir appelé {name}. Au revoir !",
    "ask_arrival": "Bien sûr. À quelle date souhaitez-vous arriver ?",
    "ask_departure": "Et quand souhaitez-vous partir, ou pour combien de nuits ?",
    "ask_adults": "Combien d'adultes séjourneront ?",
    "ask_code": "Certainement. Quel est votre numéro de réservation ?",
    "ask_last_name": "Merci. Et le nom de famille de la réservation ?",
    "front_desk": "Notre réception est joignable au {phone}.",
    "offer_front_desk": (
        "Je suis désolée de ne pas avoir pu vous aider. Voulez-vous que je vous passe "
        "la réception ? Vous pouvez aussi la joindre au {phone}."
    ),
    "transfer_notice": "Je vous passe la réception. Un instant, s'il vous plaît.",
    "transfer_failed": (
        "Je suis désolée, personne à la réception ne peut prendre votre appel pour le moment. "
        "Souhaitez-vous laisser un message ? Nous vous rappellerons."
    ),
    "ask_message": "Bien sûr. Quel message souhaitez-vous laisser à la réception ?",
    "ask_callback_number": (
        "Merci. À quel numéro pouvons-nous vous rappeler ? Si c'est le numéro depuis lequel "
        "vous appelez, dites simplement : ce numéro."
    ),
    "message_taken": (
        "Merci, j'ai transmis votre message à la réception, qui vous rappellera. "
        "Puis-je faire autre chose pour vous ?"
    ),
    "silence_reprompt": "Êtes-vous toujours là ?",
    "silence_goodbye": (
        "Je n'entends plus rien, je vais donc mettre fin à l'appel. "
        "N'hésitez pas à rappeler {name}. Au revoir !"
    ),
    "max_duration_goodbye": (
        "Je suis désolée, je dois mettre fin à cet appel. Pour toute autre demande, "
        "appelez notre réception au {phone}. Au revoir !"
    ),
    "refuse_card_details": (
        "Pour votre sécurité, ne communiquez pas vos données bancaires par téléphone. "
        "Je ne les ai pas conservées. L'hôtel vous enverra un lien de paiement sécurisé."
    ),
    "refuse_instructions": (
        "Je suis la réceptionniste de l'hôtel et je peux seulement vous aider pour les "
        "chambres, les réservations et les questions sur l'hôtel."
    ),
    "verification_required": (
        "Je ne peux donner les détails d'une réservation qu'avec le numéro de réservation "
        "et le nom de famille. Quel est le numéro de réservation ?"
    ),
    "too_many_attempts": (
        "Je suis désolée, je ne peux pas vérifier cette réservation. Voulez-vous que je vous "
        "passe la réception ? Vous pouvez aussi la joindre au {phone}."
    ),
    "offers": "Pour {nights} {stay}, pour {guests}, nous avons {options}.",
    "breakfast_included": "Le petit-déjeuner est inclus.",
    "anything_else": "Puis-je vous aider pour autre chose ?",
    "offer": "la chambre {room} à {price} au total",
    "offer_separator": " ; ",
    "fully_booked": (
        "Je suis désolée, nous sommes complets {stay}. D'autres dates vous conviendraient-elles ?"
    ),
    "stay": "du {arrival} au {departure}",
    "reservation_found": (
        "J'ai trouvé votre réservation {code} : {room} {stay}, statut : {status}. "
        "Puis-je vous aider pour autre chose ?"
    ),
    "reservation_retry": (
        "Je n'ai trouvé aucune réservation avec ce numéro et ce nom de famille. "
        "Pouvez-vous me redonner le numéro de réservation ?"
    ),
    "hotel_info": "{answer} Puis-je vous aider pour autre chose ?",
    "tool_error": (
        "Je suis désolée, je n'ai pas pu vérifier cela pour le moment. Notre réception peut "
        "vous aider au {phone}."
    ),
    "nights_one": "une nuit",
    "nights_many": "{n} nuits",
    "adults_one": "un adulte",
    "adults_many": "{n} adultes",
    "children_one": "un enfant",
    "children_many": "{n} enfants",
    "guests_and": "{adults} et {children}",
    "status_confirmed": "confirmée",
    "status_checked_in": "en cours de séjour",
    "status_checked_out": "séjour terminé",
    "status_cancelled": "annulée",
}
