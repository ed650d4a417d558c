"""One search, shared by the page and the API: candidates from the graph, ranked, filtered, one page shown."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from graph.repositories.contacts import ContactRepository
from referral.clock import local_now
from referral.graphdb import repo
from referral.ranking import TRUST_DIRECT, TRUST_INTRODUCED, Ranked, rank
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


def search(form: SearchForm, user) -> SearchPage:
    """Run a validated form: rank every candidate, keep those open now if asked, detail one page —
    the ranking runs between the two reads of one transaction (see ContactRepository.search)."""
    now = local_now()
    today = now.date()
    page = form.page.data or 1
    need_ids = [n["id"] for n in form.matched["needs"]]
    service_ids = form.matched["services"]
    ranked: list[Ranked] = []

    def pick(found: dict) -> list[dict]:
        ranked[:] = rank(found["rows"], found["direct"], found["second"], today)
        if form.open_now.data:
            ranked[:] = [r for r in ranked if any(is_open(hours, now) for hours in r.row["hours"])]
        return [r.row for r in ranked[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]

    _, details = repo(ContactRepository).search(
        pick, me=user.person_id, need_ids=need_ids, service_ids=service_ids, territory=form.territory_id,
        home=form.territory_id or user.territory, language=form.language.data or None, origin=form.origin,
        max_km=form.max_km.data, today=today, with_hours=bool(form.open_now.data),
    )
    by_id = {d["person"]["id"]: d for d in details}
    window = ranked[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    from_workplace = form.position is None and any(r.distance_km is not None for r in ranked)
    context = Context(language=form.language.data or None, from_workplace=from_workplace,
                      all_territories=form.territory_id is None)
    me = {"id": user.person_id, "name": user.person_name} if user.person_id else None
    total = len(ranked)
    return SearchPage(
        results=[result(r, by_id[r.id], context, me) for r in window if r.id in by_id],
        total=total, page=page, pages=max(1, math.ceil(total / PAGE_SIZE)), needs=form.matched["needs"],
        from_workplace=from_workplace,
    )
