"""What the referral service says (French msgids, translated when shown), so that service.py needs no Flask."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from referral.labels import STATUS_LABELS, label

NO_PERSON = _l("Votre compte n'est lié à aucune personne du répertoire.")
NOT_FOUND = _l("Cette référence n'existe pas.")
UNKNOWN_BOX = _l("Boîte inconnue : sent ou received.")
SENDER_ONLY = _l("Seule la personne qui a envoyé la référence peut l'annuler.")
RECEIVER_ONLY = _l("Seule la personne qui reçoit la référence peut faire ce changement.")
INVALID = _l("Certaines données sont invalides.")
# A field the graph refused, by the name the form and the API give it.
FIELD_ERRORS = {
    "need": _l("Besoin inconnu."),
    "urgency": _l("Urgence inconnue : low, normal ou high."),
    "status": _l("Statut inconnu : accepted, declined, in_progress, completed ou cancelled."),
    "reason": _l("Indiquez la raison du refus : no_capacity, not_eligible, not_my_field ou other."),
    "outcome": _l("Indiquez le résultat : got_help, could_not_get_help, could_not_reach ou no_longer_needed."),
    "from": NO_PERSON,
    "detail": _l("« Autre raison » : dites laquelle en quelques mots."),
}
UNKNOWN_RECEIVER = _l("Cette personne n'est pas dans le répertoire.")
SELF_REFERRAL = _l("On ne se réfère pas une famille à soi-même.")
KEY_REUSED = _l("Cette request_key (ou cet en-tête Idempotency-Key) a déjà servi à envoyer une autre référence : "
                "prenez-en une nouvelle pour une nouvelle référence.")
FORM_USED = _l("Ce formulaire avait déjà servi à envoyer une autre référence, qui n'a pas changé. Vérifiez "
               "ci-dessous et envoyez de nouveau pour faire une nouvelle référence.")


def paused(name: str, until) -> LazyString:
    """Said when shown (the date too, in the reader's language): the service raises it without Flask."""
    return _l("%(name)s ne prend pas de nouvelles références jusqu'au %(date)s : pour la référer quand même, "
              "confirmez que vous le savez ; sinon, choisissez une autre personne.", name=name,
              date=LazyString(format_date, until, "d MMMM y"))
MESSAGE_LENGTH = _l("Écrivez un message de 1 à 1000 caractères.")


def transition_not_allowed(current: str, target: str) -> str:
    return _("Une référence %(current)s ne peut pas devenir %(target)s.",
             current=label(STATUS_LABELS, current), target=label(STATUS_LABELS, target))
