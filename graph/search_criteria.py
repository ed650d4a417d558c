"""What one search for a named contact asks of the graph (graph/repositories/contacts.py): one typed,
frozen object, built by referral/search/service.py.

The ranking comes with it as data (`Ranking`: referral/ranking.py's `RANKING`), so that the graph layer
computes the score from the one definition without importing the web side: graph/search_query.py
writes its Cypher from the terms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Protocol


class Ranking(Protocol):
    """The ranking's definition, as a search reads it.

    `terms`: each with a `name` (the column its feature becomes), a `weight` and a `feature`, one of
    (by its `kind`) levels (`levels`: (column, value) pairs, the first true column gives its value),
    fading (1 / (1 + `column` / `per` / `half`), 0 when null) or saturating (`column` / (`column` +
    `half`)), over the candidate columns of graph/search_query.py.
    `reach` and `clearance`: what else to read once the top tier is read (see `Reading`)."""

    terms: tuple
    not_accepting_factor: float
    fit_columns: tuple[str, ...]  # candidate columns: people are ordered by how many hold, then by score

    def order(self, row: dict) -> tuple: ...

    def reach(self, rows: list[dict], lower_tiers, limit: int, language: str | None) -> dict | None: ...

    def clearance(self, rows: list[dict], limit: int, language: str | None) -> float | None: ...


class Reading(Enum):
    """How much of the search projection a search reads (the order of the page is the same)."""

    EVERY_TIER = "every tier"  # every candidate at once: an exact total
    BY_TIERS = "by tiers"  # the top tier, then only the strangers of lower tiers who could enter the page
    BY_CELLS = "by cells"  # the same, the top tier first by position cells around the origin


@dataclass(frozen=True)
class SearchCriteria:
    """Everything one search asks, typed: ContactRepository.find(text, criteria) or search(criteria)."""

    ranking: Ranking
    today: date  # ties and pauses are read as of this day
    limit: int  # the best `limit` people are ranked…
    first: int = 0  # …and those from `first` on (one page) detailed
    me: str | None = None  # the searcher's person: their ties; never a result
    need_ids: tuple[str, ...] = ()  # ContactRepository.find sets them and service_ids from words
    service_ids: tuple[str, ...] = ()
    territories: tuple[str, ...] | None = None  # None: everywhere
    home: str | None = None  # the territory whose organisations get the territory points
    language: str | None = None  # ISO 639 code of the family's language
    origin: tuple[float, float] | None = None  # (latitude, longitude); None: the searcher's organisation
    max_km: float | None = None
    is_open: Callable[[str], bool] | None = None  # "open now": whether service hours are open; None: any
    reading: Reading = Reading.BY_CELLS
    # With at most this many entries for the needs (every territory counted), every tier is read at once:
    # one read of a small projection costs less than the tiers' several (0: by `reading` whatever the size).
    whole_up_to: int = 0
