"""Spanish dialogue phrase tables: intents, info topics, names and spelled codes.

Split from ``phrases_es.py`` to keep each module short. Phrases are lower case and
accent-folded ("recepcion", "habitacion").
"""

from __future__ import annotations

from .phrases_common import CARD_BRANDS, INJECTION_COMMON, NATO_LETTERS, letter_table
from .vocab import split_phrases as _split

INTENT_PHRASES: dict[str, tuple[str, ...]] = {
    "transfer_strong": _split(
        "con una persona|persona real|un humano|con alguien|hablar con alguien|un agente"
        "|operador|operadora|recepcionista|paseme|pasame|comuniqueme|comunicarme con"
        "|transfiera|transfierame|transferir|un empleado|una empleada|el gerente|encargado"
        "|encargada|el responsable|con un asesor|atencion personal"
    ),
    "transfer_weak": _split("recepcion|hablar con|front desk|mostrador"),
    "goodbye": _split(
        "adios|hasta luego|hasta pronto|eso es todo|es todo|nada mas|nada mas gracias|chao"
        "|chau|que tenga buen dia|que tenga un buen dia|colgar|eso seria todo"
    ),
    "reservation_strong": _split(
        "mi reserva|nuestra reserva|mis reservas|tengo una reserva|tenemos una reserva"
        "|hice una reserva|hicimos una reserva|he reservado|hemos reservado|ya reserve"
        "|numero de reserva|codigo de reserva|numero de confirmacion|codigo de confirmacion"
        "|localizador|cancelar mi|cambiar mi|modificar mi|anular mi|consultar mi|revisar mi"
    ),
    "availability_strong": _split(
        "reservar una habitacion|una habitacion|hacer una reserva|nueva reserva|disponibilidad"
        "|habitaciones libres|habitacion libre|habitaciones disponibles|habitacion disponible"
        "|reservar|alojarme|alojarnos|hospedarme|hospedarnos"
    ),
    # After info topics: "¿el desayuno va incluido en el precio?" asks about breakfast.
    "price": _split(
        "cuanto cuesta|cuanto costaria|cuanto me costaria|cuanto vale|cuanto sale|cuanto seria"
        "|precio|precios|tarifa|tarifas"
    ),
    "availability_weak": _split(
        "habitacion|habitaciones|libre|disponible|noche|noches|estancia|suite|cuarto"
    ),
    "reservation_weak": _split("reserva|reservas|reservado|reservada|codigo"),
    "affirm": _split(
        "si|claro|correcto|exacto|de acuerdo|vale|perfecto|por supuesto|esta bien|eso es"
        "|asi es|ok|okay|si por favor|desde luego|efectivamente|sin duda|bueno|genial"
        "|adelante|si gracias"
    ),
    "deny": _split(
        "no|no gracias|incorrecto|no es correcto|no es asi|para nada|esta mal|no es eso"
        "|negativo|tampoco"
    ),
    "greeting": _split("hola|buenos dias|buenas tardes|buenas noches|buenas|alo|diga|digame"),
    "time_question": _split(
        "a que hora|que hora|cuando|hora|horas|horario|horarios|temprano|tarde"
    ),
    "message": _split(
        "dejar un mensaje|un mensaje|dejar un recado|un recado|devolver la llamada"
        "|me devuelvan la llamada|que me llamen|me llamen|llamarme|me llame|me llamen de vuelta"
    ),
    "same_number": _split(
        "este numero|el mismo numero|mismo numero|este mismo numero|mi numero"
        "|numero desde el que llamo|del que llamo|desde el que llamo"
    ),
    "phone_plus": _split("mas"),
    "card": _split(
        "numero de tarjeta|tarjeta de credito|tarjeta de debito|codigo de seguridad"
        "|fecha de caducidad|fecha de vencimiento"
    )
    + CARD_BRANDS,
    "injection": _split(
        "ignora|ignore|ignorar|olvida tus|olvide sus|tus instrucciones|sus instrucciones"
        "|tus reglas|sus reglas|ahora eres|ahora es usted|a partir de ahora eres|finge"
        "|haz como si|haga como si|actua como|nuevas instrucciones|modo desarrollador"
    )
    + INJECTION_COMMON,
    "third_party": _split(
        "todas las reservas|la reserva de|las reservas de|reserva del senor"
        "|reserva de la senora|otros huespedes|otros clientes|lista de huespedes"
        "|quien se aloja|quien esta alojado|otra persona|esta alojado|esta alojada"
        "|estan alojados|se aloja el|se aloja la|se hospeda el|se hospeda la"
        "|en que habitacion esta|habitacion del senor|habitacion de la senora"
    ),
}

TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "check_in": _split(
        "check in|hora de entrada|hora de llegada|entrada|registro|entrar en la habitacion"
        "|entrar a la habitacion|entrar al cuarto|entrar en el cuarto"
    ),
    "check_out": _split(
        "check out|hora de salida|dejar la habitacion|salida|desalojar la habitacion"
    ),
    "breakfast": _split("desayuno|desayunos|desayunar"),
    "parking": _split(
        "parking|aparcamiento|aparcar|estacionamiento|estacionar|garaje|coche|carro|auto"
    ),
    "pets": _split("mascota|mascotas|perro|perros|gato|gatos|animal|animales"),
    "wifi": _split("wifi|wi fi|internet|conexion"),
    "cancellation": _split(
        "cancelacion|cancelar|anulacion|anular|reembolso|politica de cancelacion|devolucion"
        "|cancelo|cancelamos|anulo|anulamos|devuelven el dinero|gastos de cancelacion"
    ),
    "address": _split(
        "direccion|donde estan|donde esta el hotel|donde se encuentra|donde queda"
        "|como llego|como llegar|ubicacion|ubicados|ubicado"
    ),
    "phone": _split("numero de telefono|telefono|su numero"),
}

NAME_CUES: dict[str, tuple[str, ...]] = {
    "last": _split("apellido es|mi apellido es|apellido|apellidos"),
    "first": _split("nombre de pila es|nombre de pila|mi nombre de pila"),
    "full": _split(
        "me llamo|mi nombre es|el nombre es|a nombre de|bajo el nombre de|esta a nombre de"
        "|reservado a nombre de|nombre es"
    ),
    "opening": _split("soy|le habla|habla"),
    "weak": _split("es"),
}

NAME_PARTICLES = frozenset(_split("de|del|la|las|los|y|van|von|da|di|san|santa"))
NAME_FILLERS = frozenset(
    _split(
        "eh|em|este|pues|bueno|si|claro|vale|gracias|por|favor|es|el|la|mi|apellido"
        "|nombre|senor|senora|hola|buenos|dias|buenas|tardes|ok|mire|oiga|perdone|disculpe"
    )
)
STOPWORDS = frozenset(
    _split(
        "yo|tu|usted|el|ella|nosotros|nosotras|ellos|ellas|ustedes|me|te|se|le|les|lo|la"
        "|los|las|nos|mi|mis|su|sus|tus|nuestro|nuestra|un|una|unos|unas|de|del|al|a|en"
        "|con|por|para|sin|sobre|entre|hasta|desde|y|e|o|u|ni|pero|que|quien|cual|como"
        "|cuando|donde|cuanto|cuanta|es|soy|son|eres|somos|esta|estoy|estan|estamos|era"
        "|fue|ser|estar|ha|he|han|hay|hemos|tengo|tiene|tenemos|quiero|quisiera|queria"
        "|puedo|puede|podria|si|no|ya|muy|mas|menos|bien|mal|todo|todos|nada|algo|alguien"
        "|nadie|este|esta|esto|ese|esa|eso|aqui|alli|ahi|hoy|manana|ayer|noche|noches"
        "|semana|fin|dia|dias|habitacion|habitaciones|hotel|reserva|nombre|apellido"
        "|codigo|numero|libre|disponible|persona|personas|adulto|adultos|nino|ninos|solo"
        "|sola|desayuno|parking|wifi|cancelar|senor|senora|senorita|hola|adios|gracias"
        "|favor|vale|claro|bueno|pues|eh|em|lunes|martes|miercoles|jueves|viernes|sabado"
        "|domingo|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre"
        "|noviembre|diciembre|ignora|reglas|instrucciones|sistema|dime|muestra|lista"
        "|tambien|otra|otro|nuevo|nueva|correcto|exacto|llamo|llama|deletreo|deletrear"
        "|como|oiga|mire|ok|okay|reservado|confirmado|cancelado"
    )
)

_SPANISH_LETTERS = (
    "be b,ce c,de d,efe f,ge g,hache h,jota j,ka k,ele l,eme m,ene n,pe p,cu q,erre|ere r"
    ",ese s,te t,uve|ve v,equis x,ye y,zeta|ceta z,antonio a,barcelona b,carmen c"
    ",dolores d,enrique e,francia f,gerona g,historia h,ines i,jose j,kilo k,lorenzo l"
    ",madrid m,navarra n,oviedo o,paris p,querido q,ramon r,sevilla s,tarragona t,ulises u"
    ",valencia v,washington w,xilofono x,yegua y,zaragoza z"
)
LETTER_NAMES: dict[str, str] = NATO_LETTERS | letter_table(_SPANISH_LETTERS)
