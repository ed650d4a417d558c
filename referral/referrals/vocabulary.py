"""Words for the stored codes of a referral, in the user's language."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "sent": _l("envoyée"),
    "accepted": _l("acceptée"),
    "declined": _l("refusée"),
    "in_progress": _l("en cours"),
    "completed": _l("terminée"),
    "cancelled": _l("annulée"),
}
# The button that makes each change.
ACTION_LABELS = {
    "accepted": _l("Accepter"),
    "declined": _l("Refuser"),
    "in_progress": _l("Commencer l'accompagnement"),
    "completed": _l("Clore la référence"),
    "cancelled": _l("Annuler la référence"),
}
REASON_LABELS = {
    "no_capacity": _l("pas de place pour l'instant"),
    "not_eligible": _l("la famille n'est pas admissible"),
    "not_my_field": _l("hors de mon champ d'action"),
    "other": _l("autre raison"),
}
OUTCOME_LABELS = {
    "got_help": _l("la famille a reçu de l'aide"),
    "could_not_get_help": _l("la famille n'a pas pu être aidée"),
    "could_not_reach": _l("impossible de joindre la famille"),
    "no_longer_needed": _l("le besoin n'existe plus"),
}
URGENCY_LABELS = {"low": _l("faible"), "normal": _l("normale"), "high": _l("élevée")}


def register(state) -> None:
    state.app.jinja_env.globals.update(
        STATUS_LABELS=STATUS_LABELS, ACTION_LABELS=ACTION_LABELS, REASON_LABELS=REASON_LABELS,
        OUTCOME_LABELS=OUTCOME_LABELS, URGENCY_LABELS=URGENCY_LABELS,
    )
