"""« Qui appeler ? »: the search's rules, shared by the page (routes.py) and GET /api/v1/contacts
(referral/api/contacts.py), both through referral/search/web.py.

No Flask, no Cypher: repositories come from `repository(cls)`; the clock (`now`) and the geocoder
(`locate`) from the caller. What the searcher asks
(`Question`) becomes one SearchCriteria for the graph, ranked by referral/ranking.py. A search the data
refuse — a postal code that places nobody, a distance with nothing to measure it from, words that name
no need nor service — raises InvalidSearch naming the fields at fault.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial

from graph.repositories.contacts import ContactRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.staff import StaffRepository, current_territories
from graph.repositories.territories import TerritoryRepository
from graph.search_criteria import Reading, SearchCriteria
from graph.search_query import NO_ID
from referral import policy
from referral.geocode import GeocodeError, Position
from referral.ranking import RANKING
from referral.search.hours import is_open
from referral.search.messages import DISTANCE_NEEDS_AN_ORIGIN, need_not_understood
from referral.search.reasons import Context, reasons
from referral.search.results import Ranked, Result, SearchPage, path_to, ranked
from referral.service_errors import NotFound

PAGE_SIZE = 10
# A need with at most this many entries in the search projection (graph/search_index.py; one per job,
# need and territory, every territory counted) is read in one statement rather than tier by tier: on
# the demo network a search's statements went from 5.8 to 4 (a territory's real directory is of that size).
WHOLE_UP_TO = 300


@dataclass(frozen=True)
class Question:
    """What the searcher asks, as the search form read it."""

    need: str  # a taxonomy id or words
    territory: str | None = None  # None: every territory
    language: str | None = None  # ISO 639 code
    near: str | None = None  # the family's postal code (or address); else distances from the searcher's work
    max_km: float | None = None
    open_now: bool = False
    page: int = 1


class InvalidSearch(Exception):
    """Fields at fault that only the data could tell: {field name: message}."""

    def __init__(self, fields: dict):
        super().__init__(", ".join(fields))
        self.fields = fields


class Search:
    """The search as one searcher (a principal, and the name their paths start with) may run it now."""

    def __init__(self, principal: policy.Principal, repository: Callable, *, name: str | None, now: datetime,
                 locate: Callable[[str], Position]):
        self.principal = principal
        self.repository = repository
        self.name = name  # the searcher's, at the start of a path to a contact
        self.now = now  # in Montréal: "open now", and the day ties and pauses are read at
        self.locate = locate  # text → Position, or GeocodeError saying what is wrong

    @property
    def today(self) -> date:
        return self.now.date()

    def territories(self) -> list[dict]:
        return self.repository(TerritoryRepository).names()

    def needs(self) -> list[dict]:
        return self.repository(NeedRepository).list()

    def faults(self, need: str | None, near: str | None) -> dict:
        """What the data say of a need and a postal code that a form with other faults still holds (None:
        at fault already), so that every fault is told at once."""
        faults = self._need_faults(need) if need else {}
        if near:
            try:
                self.locate(near)
            except GeocodeError as error:
                faults["near"] = str(error)
        return faults

    def _criteria(self, question: Question) -> SearchCriteria:
        page = question.page
        return SearchCriteria(
            ranking=RANKING, today=self.today, limit=page * PAGE_SIZE, first=(page - 1) * PAGE_SIZE,
            me=self.principal.person, territories=(question.territory,) if question.territory else None,
            home=question.territory or self.principal.territory, language=question.language,
            origin=self._origin(question), max_km=question.max_km,
            is_open=partial(is_open, at=self.now) if question.open_now else None, whole_up_to=WHOLE_UP_TO)

    def run(self, question: Question) -> SearchPage:
        """One page of the best people to call: the database matches the need's words, ranks every
        candidate and details one page, in one transaction (ContactRepository.find)."""
        page, criteria = question.page, self._criteria(question)
        found = self.repository(ContactRepository).find(question.need, criteria)
        if found is None:
            raise InvalidSearch({"need": need_not_understood(question.need)})
        by_id = {d["person"]["id"]: d for d in found["details"]}
        context = Context(language=question.language, from_workplace=found["from_workplace"],
                          all_territories=question.territory is None)
        me = {"id": self.principal.person, "name": self.name} if self.principal.person else None
        total = found["total"]
        return SearchPage(
            results=[result(r, by_id[r.id], context, me) for r in ranked(found["rows"], self.today)[criteria.first:]
                     if r.id in by_id],
            total=total, exact=found["exact"], page=page, pages=max(1, math.ceil(total / PAGE_SIZE)),
            needs=found["needs"], from_workplace=found["from_workplace"],
        )

    def closed_now(self, question: Question, page: SearchPage) -> int:
        """With « ouvert maintenant »: how many people the same search finds at any hour but not now —
        closed now, or hours unknown or unreadable (never claimed open). Both counts exact (every tier
        read, no row detailed): a page's own total can be a lower bound."""
        every = replace(self._criteria(question), limit=0, first=0, is_open=None, reading=Reading.EVERY_TIER)
        contacts = self.repository(ContactRepository)
        open_now = page.total if page.exact else contacts.find(
            question.need, replace(every, is_open=partial(is_open, at=self.now)))["total"]
        return max(0, contacts.find(question.need, every)["total"] - open_now)

    def card(self, person_id: str) -> dict:
        """A person's contact card. Unlisted people have not consented to be found: they exist here only for
        whom referral.policy lets read them (themselves, admins, their territories' coordinators); nor do
        people who work nowhere now."""
        contact = self.repository(ContactRepository).card(person_id, me=self.principal.person, today=self.today)
        if not contact:
            raise NotFound(person_id)
        listed = contact["person"].get("listed")
        if not listed:
            person = self.repository(StaffRepository).get(person_id) or {"jobs": []}
            if not policy.may_read_person(self.principal, current_territories(person), listed, person_id):
                raise NotFound(person_id)
        return contact

    def _origin(self, question: Question) -> tuple[float, float] | None:
        """The family's position, from `near`; else None: the searcher's organisation, which the search
        reads itself. A distance limit needs one or the other."""
        if question.near:
            try:
                return self.locate(question.near).pair
            except GeocodeError as error:
                raise InvalidSearch({**self._need_faults(question.need), "near": str(error)}) from error
        if question.max_km is not None and not (
                self.principal.person and self.repository(ContactRepository).workplace(self.principal.person)):
            raise InvalidSearch({"max_km": DISTANCE_NEEDS_AN_ORIGIN})
        return None

    def _need_faults(self, need: str) -> dict:
        """The need's words matched on their own (the search matches them in its own transaction)."""
        matched = self.repository(NeedRepository).match(need)
        return {} if matched["needs"] or matched["services"] else {"need": need_not_understood(need)}


def warm(repository: Callable, today: date) -> None:
    """Have the graph plan a search's statements before the first searcher waits for them: a search
    that names nobody, with every option set (ContactRepository.warm)."""
    criteria = SearchCriteria(ranking=RANKING, today=today, limit=PAGE_SIZE, me=NO_ID, need_ids=(NO_ID,),
                              service_ids=(NO_ID,), home=NO_ID, language="fr", origin=(45.5, -73.6),
                              max_km=1.0, is_open=lambda hours: True, whole_up_to=WHOLE_UP_TO)
    repository(ContactRepository).warm("logement", criteria)


def result(candidate: Ranked, detail: dict, context: Context, me: dict | None) -> Result:
    person = detail["person"]
    distance = candidate.distance_km
    return Result(
        id=person["id"], name=person["name"], role=person.get("role"), title=person.get("title"),
        organisation=detail["organisation"],
        territory=detail.get("territory"), services=detail.get("services") or [],
        expertise=detail.get("expertise") or [], languages=person.get("languages") or [],
        phone=person.get("phone"), email=person.get("email"),
        distance_km=None if distance is None else round(distance, 1), score=candidate.score,
        reasons=reasons(candidate, detail, context), path=path_to(candidate, detail, me),
        not_accepting_until=candidate.not_accepting_until,
    )
