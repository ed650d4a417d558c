"""Who is told what about a referral, and when: the rules of the notifications, shared by the pages, the API
and `flask --app app notify due`. No Flask, no Cypher: notifications are written to the outbox
(graph/repositories/notifications.py) and sent by referral/notify/dispatch.py.

- the receiver, when a referral is sent to them;
- the other party, when one of them accepts, declines, completes or cancels it;
- both, once a week while it stays open without a change (the first time after 7 days);
- the receiver, when the sender « relance » it; the other party, when one writes them a message (its text
  stays on the site).
A person is reminded of one referral once a day at most, by the weekly reminder or a relance.
Each person chooses every message, a daily digest or none; a person with no e-mail gets none. Nothing that
could identify a family goes out: the need, the family's language, the urgency, a link — never the note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from graph.repositories.notifications import NOTIFY_MODES, NotificationRepository

REMIND_AFTER = timedelta(days=7)
# Status changes the other party is told of (« en cours » is the receiver's own bookkeeping).
TOLD = {"accepted": "sender", "declined": "sender", "completed": "sender", "cancelled": "receiver"}


def takes_email(recipient: dict | None) -> bool:
    """Someone with an address who did not choose « aucun courriel »."""
    return bool(recipient and recipient["email"] and recipient["mode"] != "none")


def state_for(recipient: dict | None) -> str | None:
    """The state a notification is written in for its recipient: their daily digest, or to be sent now;
    None when they receive no e-mail."""
    if not takes_email(recipient):
        return None
    return "digest" if recipient["mode"] == "digest" else "pending"


class Notices:
    def __init__(self, repository: Callable, now: datetime, today: date):
        self.repository = repository
        self.now = now
        self.today = today

    def _outbox(self) -> NotificationRepository:
        return self.repository(NotificationRepository)

    def _enqueue(self, rows: list[dict]) -> int:
        """Write the rows for the people who want them (every message or the digest) and have an address:
        their preferences are read in the writing transaction (one round trip less per change)."""
        defaults = {"status": None, "reason": None, "detail": None, "outcome": None, "day": None}
        return self._outbox().enqueue([{**defaults, **row} for row in rows], self.now, state_for)

    def referral_sent(self, referral: dict) -> int:
        return self._enqueue([{"key": f"received:{referral['id']}", "kind": "received",
                               "person": referral["receiver"]["id"], "referral": referral["id"]}])

    def status_changed(self, referral: dict) -> int:
        """The other party of the referral's last change, when it is one they are told of."""
        event = referral["history"][-1]
        party = TOLD.get(event["status"])
        if not party:
            return 0
        return self._enqueue([{"key": f"status:{referral['id']}:{event['seq']}", "kind": "status",
                               "person": referral[party]["id"], "referral": referral["id"],
                               "status": event["status"], "reason": event.get("reason"),
                               "detail": event.get("detail"), "outcome": event.get("outcome")}])

    def message_posted(self, referral: dict, seq: int | None, by: str) -> int:
        """The other worker, told a message waits for them (never its text)."""
        other = referral["receiver"] if by == referral["sender"]["id"] else referral["sender"]
        # One e-mail an hour at most for a conversation: three quick messages are one « nouveau message ».
        hour = self.now.strftime("%Y-%m-%dT%H")
        return self._enqueue([{"key": f"message:{referral['id']}:{other['id']}:{hour}", "kind": "message",
                               "person": other["id"], "referral": referral["id"]}]) if seq is not None else 0

    def receiver_told(self, referral: dict) -> str:
        """Whether the receiver of a referral was told by e-mail: "sent", "waiting" (about to be, or in the
        morning's digest) or "not" (no e-mail wanted or possible, or every attempt failed) — the sender's
        page says so, for the sender to call or write when they were not."""
        state = self._outbox().state_of(f"received:{referral['id']}")
        return {"sent": "sent", "pending": "waiting", "sending": "waiting", "digest": "waiting"}.get(state, "not")

    def _day(self, referral_id: str, person: str) -> str:
        """The day a person is reminded of a referral: a relance and the weekly reminder share it."""
        return f"{referral_id}:{person}:{self.today.isoformat()}"

    def nudge_state(self, referral: dict) -> str:
        """Whether the sender may « relancer » the receiver now (the receiver is the one who has something
        to do): "ready"; "already" when the receiver was reminded of it today (relance or weekly reminder);
        "unreachable" when they receive no e-mail."""
        other = referral["receiver"]
        if not takes_email(self.preferences(other["id"])):
            return "unreachable"
        return "already" if self._outbox().day_taken(self._day(referral["id"], other["id"])) else "ready"

    def nudge(self, referral: dict) -> str:
        """« Relancer »: the receiver is reminded now ("sent"), else why not (see nudge_state)."""
        state = self.nudge_state(referral)
        if state != "ready":
            return state
        other = referral["receiver"]
        written = self._enqueue([{"key": f"nudge:{referral['id']}:{self.today.isoformat()}:{other['id']}",
                                  "kind": "nudge", "person": other["id"], "referral": referral["id"],
                                  "day": self._day(referral["id"], other["id"])}])
        return "sent" if written else "already"

    def reminders(self) -> int:
        """Both parties of each referral open and unchanged for a week or more, once per week of silence."""
        rows = []
        for referral in self._outbox().stale_referrals(self.now - REMIND_AFTER):
            weeks = (self.now - referral["updated_at"]).days // 7
            for person in (referral["sender"], referral["receiver"]):
                rows.append({"key": f"reminder:{referral['id']}:{weeks}:{person}", "kind": "reminder",
                             "person": person, "referral": referral["id"], "day": self._day(referral["id"], person)})
        return self._enqueue(rows) if rows else 0

    def preferences(self, person_id: str) -> dict | None:
        return self._outbox().recipients([person_id]).get(person_id)

    def choose(self, person_id: str, mode: str) -> bool:
        if mode not in NOTIFY_MODES:
            raise ValueError(mode)
        return self._outbox().set_preferences(person_id, mode=mode)

    def chosen_language(self, person_id: str) -> str | None:
        return self._outbox().chosen_locale(person_id)

    def speak(self, person_id: str, locale: str) -> None:
        """The language the person reads their messages in: the one they last chose on the site."""
        self._outbox().set_preferences(person_id, locale=locale)
