"""What the referral pages and the API share: send, move on, show, and say why a request is refused."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from graph.repositories.referrals import (
    OPEN_STATUSES,
    RECEIVER,
    SENDER,
    TRANSITIONS,
    InvalidReferral,
    ReferralError,
    ReferralNotFound,
    ReferralRepository,
    TransitionNotAllowed,
    WrongParty,
    next_statuses,
)
from referral import policy
from referral.clock import local_now, utc_now
from referral.graphdb import repo
from referral.labels import STATUS_LABELS, label

# A referral nobody acted on for a week is flagged to both parties.
STALE_AFTER = timedelta(days=7)


def send(user, *, to: str, need: str, language: str | None, urgency: str, note: str | None,
         request_key: str | None) -> tuple[dict, bool]:
    return repo(ReferralRepository).create(
        sender=user.person_id, receiver=to, need=need, language=language, urgency=urgency,
        note=(note or "").strip() or None, request_key=request_key or None, now=utc_now(),
    )


def change(user, referral_id: str, status: str, reason: str | None = None, outcome: str | None = None) -> dict:
    return repo(ReferralRepository).change_status(
        referral_id, actor=user.person_id, status=status, reason=reason or None, outcome=outcome or None,
        now=utc_now(), today=local_now().date(),
    )


def party(referral: dict, user) -> str | None:
    if user.person_id and user.person_id == referral["sender"]["id"]:
        return SENDER
    if user.person_id and user.person_id == referral["receiver"]["id"]:
        return RECEIVER
    return None


def can_see(referral: dict, user) -> bool:
    """Only the two parties, and admins, see a referral and its note."""
    return party(referral, user) is not None or user.role == policy.ADMIN


def is_stale(referral: dict, now: datetime | None = None) -> bool:
    return referral["status"] in OPEN_STATUSES and referral["updated_at"] <= (now or utc_now()) - STALE_AFTER


def actions_for(referral: dict, user) -> list[str]:
    return next_statuses(referral["status"], party(referral, user))


def refusal(error: ReferralError) -> tuple[int, str, str, dict]:
    """(HTTP status, code, message, fields) for a refused referral request, in the user's language."""
    if isinstance(error, ReferralNotFound):
        return 404, "not_found", _("Cette référence n'existe pas."), {}
    if isinstance(error, WrongParty):
        message = (_("Seule la personne qui a envoyé la référence peut l'annuler.")
                   if TRANSITIONS[str(error)][1] == SENDER
                   else _("Seule la personne qui reçoit la référence peut faire ce changement."))
        return 403, "not_your_change", message, {"status": message}
    if isinstance(error, TransitionNotAllowed):
        message = _("Une référence %(current)s ne peut pas devenir %(target)s.",
                    current=label(STATUS_LABELS, error.current), target=label(STATUS_LABELS, error.target))
        return 422, "transition_not_allowed", message, {"status": message}
    messages = {
        "to": _("Cette personne n'est pas dans le répertoire.") if str(error) == "receiver"
        else _("On ne se réfère pas une famille à soi-même."),
        "need": _("Besoin inconnu."),
        "urgency": _("Urgence inconnue : low, normal ou high."),
        "status": _("Statut inconnu : accepted, declined, in_progress, completed ou cancelled."),
        "reason": _("Indiquez la raison du refus : no_capacity, not_eligible, not_my_field ou other."),
        "outcome": _("Indiquez le résultat : got_help, could_not_get_help, could_not_reach ou no_longer_needed."),
        "from": _("Votre compte n'est lié à aucune personne du répertoire."),
    }
    message = messages.get(error.field, _("Certaines données sont invalides."))
    code = "invalid_referral" if isinstance(error, InvalidReferral) else "invalid_input"
    return 422, code, message, {error.field or "referral": message}
