"""What the demo hotel answers about its policies, in each of its five languages.

Language -> topic -> spoken text, the shape of ``HotelInfo.policy_texts``. Written for
the ear: times as people say them, no abbreviations. The facts match ``demo_hotel.HOTEL``.
"""

from __future__ import annotations

POLICY_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "check_in": "Check-in is from 15:00.",
        "check_out": "Check-out is until 11:00.",
        "breakfast": "Breakfast buffet from 6:30 to 10:30, included in every rate.",
        "parking": "Underground parking next door, 25 euros per night; no reservation needed.",
        "pets": "Dogs up to 15 kilograms are welcome for 20 euros per night.",
        "wifi": "Free Wi-Fi everywhere in the hotel; the network is Aurora-Guest.",
        "cancellation": (
            "Free cancellation until 6 pm the day before arrival; "
            "later cancellations are charged the first night."
        ),
        "address": "The hotel is at Torstrasse 101, 10119 Berlin, Germany.",
        "phone": "The front desk number is +49 30 5550 1000.",
    },
    "de": {
        "check_in": "Der Check-in ist ab 15 Uhr möglich.",
        "check_out": "Der Check-out ist bis 11 Uhr.",
        "breakfast": (
            "Das Frühstücksbuffet gibt es von 6:30 bis 10:30 Uhr, in jedem Tarif inklusive."
        ),
        "parking": (
            "Gleich nebenan gibt es eine Tiefgarage für 25 Euro pro Nacht; "
            "eine Reservierung ist nicht nötig."
        ),
        "pets": "Hunde bis 15 Kilogramm sind für 20 Euro pro Nacht willkommen.",
        "wifi": "Im ganzen Hotel gibt es kostenloses WLAN; das Netzwerk heißt Aurora-Guest.",
        "cancellation": (
            "Sie können bis 18 Uhr am Tag vor der Anreise kostenlos stornieren; "
            "danach berechnen wir die erste Nacht."
        ),
        "address": "Das Hotel liegt in der Torstraße 101, 10119 Berlin.",
        "phone": "Die Rezeption erreichen Sie unter +49 30 5550 1000.",
    },
    "fr": {
        "check_in": "L'arrivée est possible à partir de 15 heures.",
        "check_out": "Le départ se fait jusqu'à 11 heures.",
        "breakfast": (
            "Le petit-déjeuner buffet est servi de 6 h 30 à 10 h 30, inclus dans tous les tarifs."
        ),
        "parking": (
            "Un parking souterrain se trouve juste à côté, 25 euros par nuit ; "
            "pas besoin de réserver."
        ),
        "pets": "Les chiens jusqu'à 15 kilos sont les bienvenus pour 20 euros par nuit.",
        "wifi": "Le wifi est gratuit dans tout l'hôtel ; le réseau s'appelle Aurora-Guest.",
        "cancellation": (
            "L'annulation est gratuite jusqu'à 18 heures la veille de l'arrivée ; "
            "après, la première nuit est facturée."
        ),
        "address": "L'hôtel se trouve Torstrasse 101, 10119 Berlin, en Allemagne.",
        "phone": "Vous pouvez joindre la réception au +49 30 5550 1000.",
    },
    "es": {
        "check_in": "La entrada es a partir de las 15:00.",
        "check_out": "La salida es hasta las 11:00.",
        "breakfast": (
            "El desayuno bufé se sirve de 6:30 a 10:30 y está incluido en todas las tarifas."
        ),
        "parking": (
            "Hay un aparcamiento subterráneo al lado, por 25 euros la noche; "
            "no hace falta reservar."
        ),
        "pets": "Los perros de hasta 15 kilos son bienvenidos por 20 euros la noche.",
        "wifi": "Hay wifi gratis en todo el hotel; la red se llama Aurora-Guest.",
        "cancellation": (
            "La cancelación es gratuita hasta las 18:00 del día anterior a la llegada; "
            "después se cobra la primera noche."
        ),
        "address": "El hotel está en Torstrasse 101, 10119 Berlín, Alemania.",
        "phone": "Puede llamar a la recepción al +49 30 5550 1000.",
    },
    "it": {
        "check_in": "Il check-in è dalle 15:00.",
        "check_out": "Il check-out è entro le 11:00.",
        "breakfast": (
            "La colazione a buffet è servita dalle 6:30 alle 10:30 ed è inclusa in ogni tariffa."
        ),
        "parking": (
            "C'è un parcheggio sotterraneo accanto all'hotel, 25 euro a notte; non serve prenotare."
        ),
        "pets": "I cani fino a 15 chili sono i benvenuti per 20 euro a notte.",
        "wifi": "Il wifi è gratuito in tutto l'hotel; la rete si chiama Aurora-Guest.",
        "cancellation": (
            "La cancellazione è gratuita fino alle 18:00 del giorno prima dell'arrivo; "
            "dopo viene addebitata la prima notte."
        ),
        "address": "L'hotel si trova in Torstrasse 101, 10119 Berlino, Germania.",
        "phone": "Può chiamare la reception al +49 30 5550 1000.",
    },
}
