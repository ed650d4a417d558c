"""The referral's status machine: its statuses, who may make each change, what a change needs — and the two
writes that follow it (sending, moving on), each done by the repository in one transaction.

Pure rules (no Flask, no Cypher): the repository (graph/repositories/referrals.py) is handed the statuses a
change may follow and the party who may make it, checks them against the referral's current status under
its write lock, and reports what it found; the refusals are raised here.
"""

from __future__ import annotations

from datetime import date, datetime

STATUSES = ("sent", "accepted", "declined", "in_progress", "completed", "cancelled")
OPEN_STATUSES = ("sent", "accepted", "in_progress")
DECLINE_REASONS = ("no_capacity", "not_eligible", "not_my_field", "other")
OUTCOMES = ("got_help", "could_not_get_help", "could_not_reach", "no_longer_needed")
URGENCIES = ("low", "normal", "high")
SENDER, RECEIVER = "sender", "receiver"

# New status → (the statuses it may follow, the party who may make it).
TRANSITIONS = {
    "accepted": (("sent",), RECEIVER),
    "declined": (("sent",), RECEIVER),
    "in_progress": (("accepted",), RECEIVER),
    # Closing right after accepting is allowed: « impossible de joindre la famille » needs no start.
    "completed": (("accepted", "in_progress"), RECEIVER),
    "cancelled": (OPEN_STATUSES, SENDER),
}


class ReferralError(Exception):
    """A refused request; `field` names the input at fault when there is one."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message or self.__class__.__name__)
        self.field = field


class ReferralNotFound(ReferralError):
    """No such referral, or the person is not one of its two parties (the same to them)."""


class WrongParty(ReferralError):
    """A party asked for a change that belongs to the other one (e.g. the sender accepting)."""


class TransitionNotAllowed(ReferralError):
    def __init__(self, current: str, target: str):
        super().__init__(f"{current} → {target}", field="status")
        self.current, self.target = current, target


class InvalidReferral(ReferralError):
    """Input the graph refuses: unknown or unlisted receiver, self-referral, unknown need, missing reason…"""


class KeyReused(ReferralError):
    """The request key was used by this sender for another referral: nothing was sent."""


class ReceiverPaused(ReferralError):
    """The receiver takes no new referrals until `until`, and the sender did not say they knew."""

    def __init__(self, name: str, until: date):
        super().__init__("paused", field="despite_pause")
        self.name, self.until = name, until


def next_statuses(status: str, party: str | None) -> list[str]:
    """The statuses this party may move the referral to from `status`."""
    return [target for target, (sources, who) in TRANSITIONS.items() if status in sources and who == party]


def send(repository, *, sender: str, receiver: str, need: str, language: str | None, urgency: str,
         note: str | None, request_key: str | None, now: datetime, today: date,
         despite_pause: bool = False) -> tuple[dict, bool]:
    """(the referral, True) when created; (the earlier one, False) when `request_key` was already used by this
    sender for the same referral (KeyReused for another). The receiver must be listed and work somewhere on
    `today`, whichever way the referral comes; one who takes no referrals until a later day gets one only
    `despite_pause` (the sender says they know)."""
    if urgency not in URGENCIES:
        raise InvalidReferral("urgency", field="urgency")
    if sender == receiver:
        raise InvalidReferral("self", field="to")
    referral, created, missing = repository.create(
        sender=sender, receiver=receiver, need=need, language=language, urgency=urgency, note=note,
        request_key=request_key, now=now, today=today, despite_pause=despite_pause)
    if missing == "paused":
        raise ReceiverPaused(referral["name"], referral["accepting_until"])
    if missing == "key_reused":
        raise KeyReused("key_reused", field="request_key")
    if missing:
        raise InvalidReferral(missing, field={"sender": "from", "receiver": "to"}.get(missing, missing))
    return referral, created


def change_status(repository, referral_id: str, *, actor: str, status: str, now: datetime, today: date,
                  reason: str | None = None, outcome: str | None = None, detail: str | None = None) -> dict:
    """Move the referral on, as `actor` (a person id); the referral after it, with `tie_created` when
    accepting tied the two people."""
    if status not in TRANSITIONS:
        raise InvalidReferral("status", field="status")
    if status == "declined" and reason not in DECLINE_REASONS:
        raise InvalidReferral("reason", field="reason")
    if status == "completed" and outcome not in OUTCOMES:
        raise InvalidReferral("outcome", field="outcome")
    if status == "declined" and reason == "other" and not (detail or "").strip():
        raise InvalidReferral("detail", field="detail")  # « autre raison » says which, in a few words
    sources, party = TRANSITIONS[status]
    found = repository.move(
        referral_id, actor=actor, status=status, sources=sources, party=party, now=now, today=today,
        reason=reason if status == "declined" else None, outcome=outcome if status == "completed" else None,
        detail=(detail or "").strip() or None if status == "declined" and reason == "other" else None,
        tie_on=status == "accepted", rank_on=status == "completed")
    if not found["is_party"]:
        raise ReferralNotFound(referral_id)
    if not found["by_party"]:
        raise WrongParty(status, field="status")
    if not found["changed"]:
        raise TransitionNotAllowed(found["current"], status)
    referral = repository.get(referral_id)
    referral["tie_created"] = found["tie_created"]
    return referral
