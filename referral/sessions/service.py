"""The sessions' rules, shared by the pages and the API: a session is run by its territory's coordinator
(or an admin, or a coordinator of every territory, as referral.policy says); attendance is taken on the day
or after, from the directory's workers (guests from other territories welcome), with partner parents as a
number only; a tie « né en séance » joins two people present. No Flask, no Cypher."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from graph.repositories.sessions import SessionRepository
from graph.repositories.ties import LEVELS
from interop.folding import fold
from referral import policy
from referral.service_errors import INVALID, NotFound, Refused, ServiceError
from referral.sessions import messages

MAX_PARENTS = 200
MAX_PAIRS = 500


class Sessions:
    def __init__(self, principal: policy.Principal, repository: Callable, *, today: date, user: str):
        if principal.role not in policy.MAINTAINERS:
            raise Refused
        self.principal, self.repository, self.today, self.user = principal, repository, today, user

    def _sessions(self) -> SessionRepository:
        return self.repository(SessionRepository)

    def list(self) -> list[dict]:
        """The sessions of the territories the principal may run, by territory then number."""
        allowed = policy.scope(self.principal)
        return self._sessions().list(None if allowed is None else sorted(allowed))

    def session(self, session_id: str) -> dict:
        """One session with its attendees; NotFound when there is none the principal may run."""
        found = self._sessions().get(session_id)
        if found is None or not policy.may_change_territory(self.principal, found["territory"]):
            raise NotFound(session_id)
        return found

    def workers(self, session: dict, words: str = "") -> tuple[list[dict], list[dict]]:
        """Whom to tick: the session's territory's workers, and the guests from elsewhere — those present
        already and, with `words`, those whose name or organisation holds them (20 at most)."""
        everyone = self._sessions().workers(None)
        present = {a["id"] for a in session["attendees"]}
        home = [w for w in everyone if w["territory"] == session["territory"]]
        wanted = fold(words).split() if words else []
        guests = [w for w in everyone if w["territory"] != session["territory"] and (
            w["id"] in present or (wanted and all(word in fold(f"{w['name']} {w['organisation']}")
                                                  for word in wanted)))]
        return home, guests[:20 + len(present)]

    def take_attendance(self, session_id: str, people: Iterable[str], parents: int | None) -> dict:
        session = self.session(session_id)
        people = sorted(set(people))
        if session["date"] > self.today:
            raise self._invalid("session_ahead", messages.NOT_YET_HELD, "people")
        if parents is None or not 0 <= parents <= MAX_PARENTS:
            raise self._invalid("parents", messages.PARENTS, "parents")
        unknown = sorted(set(people) - {w["id"] for w in self._sessions().workers(None)})
        if unknown:
            raise self._invalid("unknown_people", messages.UNKNOWN_PEOPLE % {"ids": ", ".join(unknown[:5])}, "people")
        return self._sessions().set_attendance(session_id, people, parents, self.user)

    def tie_choices(self, session: dict) -> list[tuple[dict, list[tuple[dict, bool]]]]:
        """Per attendee, every other attendee and whether the two know each other already."""
        attendees = session["attendees"]
        tied = self._sessions().tied_pairs([a["id"] for a in attendees])
        return [(a, [(b, frozenset((a["id"], b["id"])) in tied) for b in attendees if b["id"] != a["id"]])
                for a in attendees]

    def record_ties(self, session_id: str, pairs: Iterable[Iterable[str]], level: str = "networking") -> int:
        """Ties first made at the session, for the pairs not tied yet; how many were made."""
        session = self.session(session_id)
        present = {a["id"] for a in session["attendees"]}
        wanted = {frozenset(pair) for pair in pairs}
        if len(wanted) > MAX_PAIRS:
            raise self._invalid("too_many_pairs", messages.TOO_MANY_PAIRS, "pairs")
        if any(len(pair) != 2 or not pair <= present for pair in wanted):
            raise self._invalid("not_present", messages.NOT_PRESENT, "pairs")
        if level not in LEVELS:
            raise self._invalid("level", messages.UNKNOWN_LEVEL, "level")
        return self._sessions().record_ties(session_id, [tuple(sorted(p)) for p in wanted], level, self.user)

    @staticmethod
    def _invalid(code: str, message, field: str) -> ServiceError:
        return ServiceError(INVALID, code, str(message), {field: str(message)})
