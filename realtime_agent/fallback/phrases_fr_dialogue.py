"""French dialogue phrase tables: intents, info topics, names and spelled codes.

Split from ``phrases_fr.py`` to keep each module short. Phrases are lower case,
accent-folded and without apostrophes ("c est tout", "petit dejeuner").
"""

from __future__ import annotations

from .phrases_common import CARD_BRANDS, INJECTION_COMMON, NATO_LETTERS, letter_table
from .vocab import split_phrases as _split

INTENT_PHRASES: dict[str, tuple[str, ...]] = {
    "transfer_strong": _split(
        "un humain|une vraie personne|a une personne|avec une personne|a quelqu un"
        "|avec quelqu un|un conseiller|une conseillere|un agent|un employe|une employee"
        "|un operateur|une operatrice|un standardiste|le standard|un receptionniste"
        "|une receptionniste|le responsable|un responsable|le directeur|le gerant"
        "|passez moi|me passer|transferez moi|me transferer|mettez moi en relation"
        "|me mettre en relation|connectez moi|me connecter"
    ),
    "transfer_weak": _split("reception|accueil|parler a|parler avec|front desk"),
    "goodbye": _split(
        "au revoir|bonne journee|bonne soiree|bonne fin de journee|c est tout|ce sera tout"
        "|ca sera tout|rien d autre|a bientot|raccrocher|c est bon merci|ce sera tout merci"
    ),
    "reservation_strong": _split(
        "ma reservation|notre reservation|mes reservations|ma chambre reservee"
        "|reservation existante|j ai une reservation|nous avons une reservation"
        "|on a une reservation|j ai reserve|nous avons reserve|on a reserve"
        "|numero de reservation|code de reservation|numero de confirmation"
        "|code de confirmation|annuler ma|modifier ma|changer ma|verifier ma|consulter ma"
    ),
    "availability_strong": _split(
        "reserver une chambre|une chambre|faire une reservation|nouvelle reservation"
        "|disponibilite|disponibilites|chambre disponible|chambres disponibles|chambre libre"
        "|chambres libres|des chambres|reserver|sejourner"
    ),
    # After info topics: "le petit-déjeuner est compris dans le prix ?" asks about breakfast.
    "price": _split(
        "combien coute|combien ca coute|combien coutent|combien ca fait|quel est le prix"
        "|quel prix|prix|tarif|tarifs"
    ),
    "availability_weak": _split("chambre|chambres|libre|disponible|nuit|nuits|sejour|suite"),
    "reservation_weak": _split("reservation|reservations|reserve|code"),
    "affirm": _split(
        "oui|ouais|ouaip|d accord|exactement|c est ca|c est exact|c est correct|c est bien ca"
        "|parfait|tout a fait|bien sur|volontiers|ok|okay|absolument|entendu|oui merci"
        "|oui s il vous plait|certainement|je confirme|tres bien|ca marche|allez y"
        "|avec plaisir|correct|exact"
    ),
    "deny": _split(
        "non|non merci|pas du tout|c est faux|ce n est pas ca|ce n est pas correct|incorrect"
        "|pas correct|pas exact|faux|pas vraiment"
    ),
    "greeting": _split("bonjour|bonsoir|salut|allo|coucou"),
    "time_question": _split(
        "quelle heure|a quelle heure|quand|heure|heures|tot|tard|horaire|horaires"
    ),
    "message": _split(
        "laisser un message|un message|laisser un mot|me rappeler|me rappelle|me rappeliez"
        "|rappelez moi|rappeler|rappel|qu on me rappelle|transmettre un message"
    ),
    "same_number": _split(
        "ce numero|le meme numero|meme numero|ce meme numero|mon numero|ce numero ci"
        "|numero d ou j appelle|celui d ou j appelle|numero avec lequel j appelle"
    ),
    "phone_plus": _split("plus"),
    "card": _split(
        "carte bancaire|carte de credit|carte bleue|numero de carte"
        "|cryptogramme|code de securite|date d expiration|date de validite"
    )
    + CARD_BRANDS,
    "injection": _split(
        "ignore|ignorez|ignorer|oublie tes|oubliez vos|tes instructions|vos instructions"
        "|tes regles|vos regles|tu es maintenant|vous etes maintenant|desormais tu"
        "|fais comme si|faites comme si|joue le role|jouez le role|nouvelles instructions"
        "|mode developpeur"
    )
    + INJECTION_COMMON,
    "third_party": _split(
        "toutes les reservations|reservation de monsieur|reservation de madame"
        "|reservation d un autre|autres clients|liste des clients|qui loge|qui sejourne"
        "|quelqu un d autre|la reservation de|les reservations de|arrive monsieur"
        "|arrive madame|arrivee de monsieur|arrivee de madame|dans quelle chambre est"
        "|dans quelle chambre loge|dans quelle chambre se trouve|dans quelle chambre dort"
        "|numero de chambre de|loge chez vous|sejourne chez vous|est client chez vous"
        "|est cliente chez vous|quels clients|quel client|est ce que monsieur|est ce que madame"
        "|si monsieur|si madame|sa reservation|sa chambre|son numero de chambre"
    ),
}

TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "check_in": _split(
        "check in|heure d arrivee|enregistrement|arrivee|arriver|prendre la chambre"
        "|prendre possession de la chambre|acceder a la chambre|avoir la chambre"
        "|entrer dans la chambre"
    ),
    "check_out": _split("check out|heure de depart|liberer la chambre|depart"),
    "breakfast": _split("petit dejeuner|petit dej|petits dejeuners|dejeuner"),
    "parking": _split("parking|stationnement|garer|se garer|garage|ma voiture|voiture"),
    "pets": _split(
        "animal|animaux|chien|chiens|chat|chats|animal de compagnie|animaux de compagnie"
    ),
    "wifi": _split("wifi|wi fi|internet|connexion"),
    "cancellation": _split(
        "annulation|annuler|annule|remboursement|rembourse|rembourser|conditions d annulation"
    ),
    "address": _split(
        "adresse|ou etes vous|ou se trouve|ou est l hotel|ou vous trouvez|comment venir"
        "|comment aller|comment se rendre|itineraire|situe|situes|vous etes ou|ou exactement"
        "|vous trouvez ou|se trouve l hotel"
    ),
    "phone": _split("numero de telephone|telephone|votre numero"),
}

NAME_CUES: dict[str, tuple[str, ...]] = {
    "last": _split("nom de famille est|nom de famille c est|nom de famille|patronyme"),
    "first": _split("prenom est|prenom c est|prenom"),
    "full": _split(
        "je m appelle|mon nom est|mon nom c est|je suis monsieur|je suis madame|au nom de"
        "|sous le nom de|sous le nom|c est au nom de|reserve au nom de|nom est"
    ),
    "opening": _split("je suis|ici|c est monsieur|c est madame"),
    "weak": _split("c est"),
}

NAME_PARTICLES = frozenset(_split("de|du|des|la|le|van|von|d|di|da|del|della|saint"))
NAME_FILLERS = frozenset(
    _split(
        "euh|heu|hum|bah|ben|alors|oui|bon|donc|voila|merci|s|il|vous|plait|c|est|le|la"
        "|mon|nom|nom|de|famille|monsieur|madame|bonjour|bonsoir|ok|d|accord|ici"
    )
)
STOPWORDS = frozenset(
    _split(
        "je|j|tu|il|elle|on|nous|vous|ils|elles|me|m|te|t|se|s|moi|toi|lui|eux|le|la|les|l"
        "|un|une|des|du|de|d|au|aux|ce|cet|cette|ces|c|ca|mon|ma|mes|ton|ta|tes|son|sa|ses"
        "|notre|nos|votre|vos|leur|leurs|et|ou|mais|donc|or|ni|car|que|qu|qui|quoi|dont"
        "|est|es|suis|sommes|etes|sont|ai|as|a|avons|avez|ont|etait|serait|sera|fait|faire"
        "|pas|ne|n|non|oui|si|plus|tres|bien|bon|mal|tout|tous|toute|toutes|rien|quelque"
        "|chose|ici|la|y|en|dans|sur|sous|pour|par|avec|sans|chez|vers|entre|apres|avant"
        "|depuis|pendant|quand|comment|pourquoi|combien|quel|quelle|quels|quelles|ok"
        "|merci|bonjour|bonsoir|salut|revoir|euh|heu|hum|bah|ben|alors|voila|aujourd|hui"
        "|demain|soir|matin|nuit|nuits|semaine|week|end|jour|jours|chambre|chambres|hotel"
        "|reservation|nom|prenom|famille|code|numero|libre|disponible|personne|personnes"
        "|adulte|adultes|enfant|enfants|seul|seule|petit|dejeuner|parking|wifi|annuler"
        "|monsieur|madame|mademoiselle|appelle|appelez|appeler|lundi|mardi|mercredi|jeudi"
        "|vendredi|samedi|dimanche|janvier|fevrier|mars|avril|mai|juin|juillet|aout"
        "|septembre|octobre|novembre|decembre|ignore|ignorez|regles|instructions|systeme"
        "|dis|dites|montre|liste|deja|encore|aussi|seulement|juste|meme|autre|autres"
        "|nouveau|nouvelle|correct|exact|faux|vrai|epelle|epeler|comme|voudrais|veux|peux"
        "|pouvez|puis|dit|vu|ah|oh|eh|reserve|confirme|annule|ete|eu"
    )
)

_FRENCH_LETTERS = (
    "be|bey b,ce|cey c,de|dey d,eu e,effe|ef f,ge|gey g,hache|ache h,ji|gi j,ka k,elle|el l"
    ",emme|em m,enne|en n,pe|pey p,qu|ku q,erre|er r,esse|es s,te|tey t,ve|vey v,ixe|iks x"
    ",zede|zed z,anatole a,berthe b,celestin c,desire d,eugene e,francois f,gaston g"
    ",henri h,irma i,joseph j,kleber k,louis l,marcel m,nicolas n,pierre p,quintal q"
    ",raoul r,suzanne s,therese t,ursule u,william w,xavier x,yvonne y,zoe z"
)
LETTER_NAMES: dict[str, str] = NATO_LETTERS | letter_table(_FRENCH_LETTERS)
