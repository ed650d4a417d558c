"""The sessions' rules, shared by the pages and the API: a session is run by its territory's coordinator
(or an admin, or a coordinator of every territory, as referral.policy says); attendance is taken on the day
or after, from the directory's workers (guests from other territories welcome), with partner parents as a
number only; a tie « né en séance » joins two people present. No Flask, no Cypher."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from graph.repositories.sessions import SessionHeld, SessionRepository
from graph.repositories.ties import LEVELS
from interop.folding import fold
from referral import policy
from referral.service_errors import CONFLICT, INVALID, NotFound, Refused, ServiceError
from referral.sessions import messages

MAX_PARENTS = 200
MAX_PAIRS = 500
GUESTS = 20  # guests found at once: more words narrow the list


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
        """One session with the attendees the principal may read (`hidden`: the others' ids); NotFound when
        there is none the principal may run."""
        found = self._sessions().get(session_id)
        if found is None or not policy.may_change_territory(self.principal, found["territory"]):
            raise NotFound(session_id)
        # An unlisted guest of another territory came: counted, never named to whom the policy hides them.
        readable = [a for a in found["attendees"]
                    if policy.may_read_person(self.principal, {a["territory"]}, a["listed"], a["id"])]
        found["hidden"] = {a["id"] for a in found["attendees"]} - {a["id"] for a in readable}
        found["attendees"] = readable
        return found

    def workers(self, session: dict, words: str = "", ticked: frozenset | set = frozenset()
                ) -> tuple[list[dict], list[dict], int]:
        """Whom to tick: the session's territory's workers, and the guests from elsewhere — those present
        already or `ticked`, and with `words` those whose name, organisation or territory holds them
        (GUESTS at most); and how many more match. Only people the principal may read by name (unlisted
        ones: their territories' coordinators)."""
        everyone = sorted((w for w in self._sessions().workers(None)
                           if policy.may_read_person(self.principal, {w["territory"]}, w["listed"], w["id"])),
                          key=lambda w: fold(w["name"]))
        present = {a["id"] for a in session["attendees"]} | set(ticked)
        home = [w for w in everyone if w["territory"] == session["territory"]]
        wanted = fold(words).split() if words else []
        elsewhere = [w for w in everyone if w["territory"] != session["territory"]]
        guests = [w for w in elsewhere if w["id"] in present]
        found = [w for w in elsewhere if w["id"] not in present and wanted and all(
            word in fold(f"{w['name']} {w['organisation']} {w['territory_name']}") for word in wanted)]
        return home, guests + found[:GUESTS], max(0, len(found) - GUESTS)

    def edit(self, session_id: str, day: date | None, theme: str, place: str, facilitators: str) -> None:
        """Move a session within its cohort, or change its theme, place or facilitators. Its day stays once
        people attended or met there (ties born there are dated that day)."""
        session = self.session(session_id)
        theme, place, facilitators = (theme or "").strip(), (place or "").strip(), (facilitators or "").strip()
        start, end = session["cohort_dates"] or (None, None)
        faults = {}
        if day is None or (start and not start <= day <= end):
            faults["date"] = str(messages.session_dates(start, end))
        elif not self._in_order(session, day):
            faults["date"] = str(messages.SESSION_ORDER)
        if not 2 <= len(theme) <= 120:
            faults["theme"] = str(messages.THEME)
        if len(place) > 200 or len(facilitators) > 200:
            faults["place" if len(place) > 200 else "facilitators"] = str(messages.TOO_LONG)
        if faults:
            raise ServiceError(INVALID, "invalid_session", str(messages.SESSION_NOT_SAVED), faults)
        changes = {"date": day, "theme": theme, "place": place or None, "facilitators": facilitators or None}
        if theme != session["theme"]:
            changes["theme_en"] = None  # the English theme was the template's: no longer this one's
        self._change(session_id, changes, "date")

    def _in_order(self, session: dict, day: date) -> bool:
        """The session stays between the one before it and the one after it, in its cohort and territory."""
        siblings = [s for s in self._sessions().list([session["territory"]])
                    if s["cohort"] == session["cohort"] and not s["cancelled"] and s["id"] != session["id"]]
        return (all(s["date"] < day for s in siblings if s["number"] < session["number"])
                and all(day < s["date"] for s in siblings if s["number"] > session["number"]))

    def cancel(self, session_id: str) -> None:
        """A session not held after all: out of the lists to run and of the evaluation's stages."""
        self.session(session_id)
        self._change(session_id, {"cancelled": True}, "cancel")

    def _change(self, session_id: str, changes: dict, field: str) -> None:
        try:
            self._sessions().update(session_id, changes, self.user)
        except SessionHeld as error:
            message = str(messages.SESSION_HELD)
            raise ServiceError(CONFLICT, "session_held", message, {field: message}) from error

    def take_attendance(self, session_id: str, people: Iterable[str], parents: int | None,
                        shown: Iterable[str] | None = None) -> dict:
        """The workers present are `people` — or, with `shown` (those a page showed ticked when it opened), the
        page's ticks are changes to what it showed: someone another facilitator ticked meanwhile stays. What
        was written, with how many are `present`."""
        session = self.session(session_id)
        people = set(people)
        if shown is not None:
            current, shown = {a["id"] for a in session["attendees"]}, set(shown)
            people = (current - (shown - people)) | (people - shown)
        people = sorted(people)
        if session["cancelled"]:
            raise self._invalid("cancelled", messages.CANCELLED, "people")
        if session["date"] > self.today:
            raise self._invalid("session_ahead", messages.NOT_YET_HELD, "people")
        if parents is None or not 0 <= parents <= MAX_PARENTS:
            raise self._invalid("parents", messages.PARENTS, "parents")
        workers = {w["id"]: w for w in self._sessions().workers(None)}
        # Who came then and works nowhere now, or whom the principal may not see, is not listed to tick: they
        # stay as they were.
        gone = {a["id"] for a in session["attendees"] if a["id"] not in workers} | session["hidden"]
        unknown = sorted(set(people) - set(workers) - gone)
        if unknown:
            shown = ", ".join(person[:40] for person in unknown[:5])
            raise self._invalid("unknown_people", messages.UNKNOWN_PEOPLE % {"ids": shown}, "people")
        # The network as of the session's day holds only people in post then (the evaluation reads it so): each
        # one ticked now is checked against their jobs of that day (those recorded already stay).
        added = sorted(set(people) - {a["id"] for a in session["attendees"]})
        in_post = self._sessions().in_post(added, session["date"]) if added else set()
        late = sorted(workers[p]["name"] for p in added if p in workers and p not in in_post)
        if late:
            raise self._invalid("not_in_post", messages.not_in_post(late, session["date"]), "people")
        # Who met someone there stays on the list: a tie born at the session says they came.
        kept = sorted(a["name"] for a in session["attendees"]
                      if a["met_there"] and a["id"] not in people and a["id"] not in gone)
        if kept:
            raise self._invalid("met_there", messages.met_there(kept), "people")
        present = sorted(set(people) | gone)
        return {**self._sessions().set_attendance(session_id, present, parents, self.user), "present": len(present)}

    def tie_choices(self, session: dict) -> list[tuple[dict, list[tuple[dict, str]]]]:
        """Per attendee, every other attendee: « free » to tick, « tied » already, or « elsewhere » (two people
        of territories the principal does not run: their coordination records it)."""
        attendees = session["attendees"]
        tied = self._sessions().tied_pairs([a["id"] for a in attendees])

        def state(a: dict, b: dict) -> str:
            if frozenset((a["id"], b["id"])) in tied:
                return "tied"
            return "free" if policy.may_tie(self.principal, {a["territory"]}, {b["territory"]}) else "elsewhere"

        return [(a, [(b, state(a, b)) for b in attendees if b["id"] != a["id"]]) for a in attendees]

    def record_ties(self, session_id: str, pairs: Iterable[Iterable[str]], level: str = "networking") -> int:
        """Ties first made at the session, for the pairs not tied yet; how many were made."""
        session = self.session(session_id)
        present = {a["id"]: a for a in session["attendees"]}
        wanted = {frozenset(pair) for pair in pairs}
        if not wanted:
            raise self._invalid("no_pairs", messages.NO_PAIRS, "pairs")
        if len(wanted) > MAX_PAIRS:
            raise self._invalid("too_many_pairs", messages.TOO_MANY_PAIRS, "pairs")
        for pair in wanted:
            if len(pair) != 2 or not pair <= set(present):
                shown = " — ".join(present[p]["name"] if p in present else str(p)[:40] for p in sorted(pair))
                raise self._invalid("not_present", messages.not_present(shown), "pairs")
            a, b = (present[p] for p in sorted(pair))
            if not policy.may_tie(self.principal, {a["territory"]}, {b["territory"]}):
                raise self._invalid("not_yours", messages.not_yours(f"{a['name']} — {b['name']}"), "pairs")
        if level not in LEVELS:
            raise self._invalid("level", messages.UNKNOWN_LEVEL, "level")
        return self._sessions().record_ties(session_id, [tuple(sorted(p)) for p in wanted], level, self.user)

    @staticmethod
    def _invalid(code: str, message, field: str) -> ServiceError:
        return ServiceError(INVALID, code, str(message), {field: str(message)})
