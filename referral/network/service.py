"""« Mon réseau »'s rules: a person's ties by how they met, the declared ties waiting for their
confirmation, the people they may declare a tie with, and their referrals. Only a principal who is a
person of the network has one (Refused otherwise). No Flask, no Cypher: repositories come from
`repository(cls)`; a refused tie change raises ServiceError with its reason."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

from analysis.timeline import ORIGINS
from graph.repositories.referrals import ReferralRepository
from graph.repositories.ties import TieError, TieRepository
from interop.folding import fold
from referral import policy
from referral.network import messages
from referral.service_errors import CONFLICT, INVALID, MISSING, Refused, ServiceError

# A tie change refused by the graph: why, in the service's words.
TIE_ERROR_KINDS = {"unknown_person": MISSING, "self": INVALID, "exists": CONFLICT, "not_found": MISSING,
                   "not_at_session": INVALID}


@contextmanager
def _tie_change() -> Iterator[None]:
    try:
        yield
    except TieError as error:
        raise ServiceError(TIE_ERROR_KINDS[error.code], error.code, str(messages.TIE_ERRORS[error.code])) from error


class MyNetwork:
    def __init__(self, principal: policy.Principal, repository: Callable):
        if not principal.person:
            raise Refused
        self.me = principal.person
        self.repository = repository

    def overview(self) -> dict:
        """My ties grouped by origin, those others declared that I have yet to confirm, my referrals."""
        ties = self.repository(TieRepository).of(self.me)
        to_confirm = [t for t in ties if t["tie"].get("declared_by") and t["tie"].get("confirmed") is False
                      and t["tie"]["declared_by"] != self.me]
        groups = {origin: [t for t in ties if t["tie"]["origin"] == origin and t not in to_confirm]
                  for origin in ORIGINS}
        referrals = self.repository(ReferralRepository).boxes(self.me, ("sent", "received"))
        return {"groups": groups, "to_confirm": to_confirm, "referrals": referrals}

    def people_to_declare(self, query: str = "", limit: int | None = None) -> tuple[list[tuple[str, str]], int]:
        """(id, label) of the people I have no tie with yet whose name, organisation or territory holds
        every word of `query` (accents and case aside), the first `limit` of them; and how many match."""
        words = re.findall(r"\w+", fold(query))
        if query.strip() and not words:  # only punctuation: it names nobody, rather than everybody
            return [], 0
        found = [(p["id"], f"{p['name']} — {p['organisation'] or ''} ({p['territory'] or ''})")
                 for p in self.repository(TieRepository).unlinked(self.me)]
        folded = [(key, text, fold(text)) for key, text in found]
        matching = [(key, text) for key, text, plain in folded if all(word in plain for word in words)]
        return matching[:limit], len(matching)

    def sessions(self) -> list[dict]:
        """The EI sessions I attended, each with the attendees I am not tied with yet."""
        return self.repository(TieRepository).met_at_sessions(self.me)

    def met_at(self, session: str, others: list[str], now: datetime) -> int:
        """I met these attendees of the session for the first time there: each tie waits for their
        confirmation, dated the session's day. How many were declared (a tie made meanwhile is left)."""
        made = 0
        for other in sorted(set(others)):
            try:
                with _tie_change():
                    self.repository(TieRepository).declare(self.me, other, None, "networking", now, session=session)
                made += 1
            except ServiceError as error:
                if error.code != "exists":
                    raise
        return made

    def declare(self, other: str, since: date, level: str, now: datetime) -> None:
        with _tie_change():
            self.repository(TieRepository).declare(self.me, other, since, level, now)

    def confirm(self, other: str, now: datetime) -> None:
        with _tie_change():
            self.repository(TieRepository).confirm(self.me, other, now)

    def remove(self, other: str) -> None:
        with _tie_change():
            self.repository(TieRepository).remove(self.me, other)
