"""What a search answers: the database's ranked rows, and the page of results the page and the API show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class Ranked:
    """One candidate as the database ranked it: its row (features, ties, score) and its pause."""

    row: dict
    not_accepting_until: date | None = None

    @property
    def id(self) -> str:
        return self.row["id"]

    @property
    def known(self) -> bool:
        """A direct tie with the searcher."""
        return bool(self.row.get("known"))

    @property
    def introduced(self) -> bool:
        """Known through one listed person, not directly."""
        return bool(self.row.get("introduced"))

    @property
    def score(self) -> float:
        return self.row["score"]

    @property
    def distance_km(self) -> float | None:
        metres = self.row.get("metres")
        return None if metres is None else metres / 1000.0


def ranked(rows: list[dict], today: date) -> list[Ranked]:
    """The database's rows, in its order, with the pause date when it still holds today."""
    return [Ranked(row=row, not_accepting_until=row["accepting_until"]
                   if row.get("accepting_until") and row["accepting_until"] >= today else None)
            for row in rows]


@dataclass
class Result:
    id: str
    name: str
    role: str | None
    title: str | None  # as the person writes it; else their function's label is shown
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

    @property
    def hours(self) -> list[str]:
        """The opening hours of the services shown, as written (said in words by hours.in_words); for an
        expert whose organisation offers no service for the need, those of its other services (what
        « ouvert maintenant » reads too: graph/search_index.py)."""
        shown = [service["hours"] for service in self.services if service.get("hours")]
        return shown or list(self.organisation.get("hours") or [])


@dataclass
class SearchPage:
    results: list[Result]
    total: int
    exact: bool  # False: at least `total` people (the lower tiers were not read: see graph/search_criteria.py)
    page: int
    pages: int
    needs: list[dict]
    from_workplace: bool


def path_to(ranked: Ranked, detail: dict, me: dict | None) -> list[dict]:
    """Who introduces whom: [me, them] for a direct tie, [me, introducer, them] through one person."""
    them = {"id": detail["person"]["id"], "name": detail["person"]["name"]}
    if me is None:
        return []
    if ranked.known:
        return [me, them]
    if ranked.introduced and detail.get("introducers"):
        via = detail["introducers"][0]
        return [me, {"id": via["id"], "name": via["name"]}, them]
    return []
