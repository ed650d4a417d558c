"""One search, shared by the page and the API: candidates from the graph, ranked, filtered, one page shown."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from graph.repositories.contacts import ContactRepository
from referral import ranking
from referral.clock import local_now
from referral.graphdb import repo
from referral.ranking import TRUST_DIRECT, TRUST_INTRODUCED, Ranked
from referral.search.forms import SearchForm
from referral.search.hours import is_open
from referral.search.reasons import Context, reasons

PAGE_SIZE = 10


@dataclass
class Result:
    id: str
    name: str
    role: str | None
    organisation: dict
    territory: dict | None
    services: list[dict]
    expertise: list[dict]
    languages: list[str]
    phone: str | None
    email: str | None
    distance_km: float | None
    score: float
    reasons: list[str]
    path: list[dict]
    not_accepting_until: date | None


@dataclass
class SearchPage:
    results: list[Result]
    total: int
    exact: bool  # False: at least `total` people (the lower tiers were not read: see ContactRepository.search)
    page: int
    pages: int
    needs: list[dict]
    from_workplace: bool


def path_to(ranked: Ranked, detail: dict, me: dict | None) -> list[dict]:
    """Who introduces whom: [me, them] for a direct tie, [me, introducer, them] through one person."""
    them = {"id": detail["person"]["id"], "name": detail["person"]["name"]}
    if me is None:
        return []
    if ranked.trust == TRUST_DIRECT:
        return [me, them]
    if ranked.trust == TRUST_INTRODUCED and detail.get("introducers"):
        via = detail["introducers"][0]
        return [me, {"id": via["id"], "name": via["name"]}, them]
    return []


def result(ranked: Ranked, detail: dict, context: Context, me: dict | None) -> Result:
    person = detail["person"]
    distance = ranked.distance_km
    return Result(
        id=person["id"], name=person["name"], role=person.get("role"), organisation=detail["organisation"],
        territory=detail.get("territory"), services=detail.get("services") or [],
        expertise=detail.get("expertise") or [], languages=person.get("languages") or [],
        phone=person.get("phone"), email=person.get("email"),
        distance_km=None if distance is None else round(distance, 1), score=ranked.score,
        reasons=reasons(ranked, detail, context), path=path_to(ranked, detail, me),
        not_accepting_until=ranked.not_accepting_until,
    )


def search(form: SearchForm, user) -> SearchPage | None:
    """Run a validated form: the database matches the need's words, ranks every candidate and details
    one page, in one transaction (see ContactRepository.find); "open now" is decided here, where the
    clock is. None, with the error on the form, when the words name no need nor service."""
    now = local_now()
    today = now.date()
    page = form.page.data or 1
    language = form.language.data or None
    limit = page * PAGE_SIZE
    found = repo(ContactRepository).find(
        form.need.data, me=user.person_id,
        territories=[form.territory_id] if form.territory_id else None, home=form.territory_id or user.territory,
        language=language, origin=form.origin, max_km=form.max_km.data, today=today, first=(page - 1) * PAGE_SIZE,
        open_at=(lambda hours: is_open(hours, now)) if form.open_now.data else None,
        **ranking.rules(limit, language),
    )
    if found is None:
        form.need_not_understood()
        return None
    by_id = {d["person"]["id"]: d for d in found["details"]}
    window = ranking.ranked(found["rows"], today)[(page - 1) * PAGE_SIZE:]
    context = Context(language=language, from_workplace=found["from_workplace"],
                      all_territories=form.territory_id is None)
    me = {"id": user.person_id, "name": user.person_name} if user.person_id else None
    total = found["total"]
    return SearchPage(
        results=[result(r, by_id[r.id], context, me) for r in window if r.id in by_id],
        total=total, exact=found["exact"], page=page,
        pages=max(1, math.ceil(total / PAGE_SIZE)), needs=found["needs"],
        from_workplace=found["from_workplace"],
    )
