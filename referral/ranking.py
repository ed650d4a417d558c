"""How « Qui appeler ? » orders the people who could help: the one definition of the ranking.

People who take referrals come first, those paused (« pas de références jusqu'au … ») after them all;
then people are ordered by their fit to the need — expertise in it and a service for it, both before
either, either before neither — and only then by score: trust, language or distance never lift someone
who cannot help with the need above someone who can (a colleague without the expertise stays below a
stranger with both). Each term below gives one feature of a candidate, between 0 and 1, its weight
(points out of 100), and why. The score is the weighted sum, lowered for paused people.

The database computes it, so that only the best rows of thousands of candidates leave it: the search
takes `RANKING` in its criteria (graph/search_criteria.py) and graph/search_query.py writes the
Cypher from these terms; `Ranking.score` is the same formula in Python (tests/unit/test_ranking.py
checks the documented scores with it). What a result says to the user about each term is in
referral/search/reasons.py, one sentence per term name, in this order.

A feature reads the columns of a candidate's row: known, introduced (ties of the searcher, as of
today), expert, offers (the need is among their expertise; their organisation offers a service for it),
speaks, service_speaks (the family's language), metres (from the family, or from the searcher's
organisation), successes (successful referrals received), located, serves (their organisation is in
the territory searched; only serves it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Levels:
    """The value of the first column that holds (true) in the row, else 0."""

    kind: ClassVar[str] = "levels"
    levels: tuple[tuple[str, float], ...]

    def value(self, row: dict) -> float:
        return next((value for column, value in self.levels if row.get(column)), 0.0)


@dataclass(frozen=True)
class Fading:
    """1 at zero, 0.5 at `half` (in `per` units of the column), fading further out; 0 when unknown."""

    kind: ClassVar[str] = "fading"
    column: str
    half: float
    per: float = 1.0

    def value(self, row: dict) -> float:
        amount = row.get(self.column)
        return 0.0 if amount is None else 1.0 / (1.0 + amount / self.per / self.half)

    def within(self, value: float) -> float:
        """How far (in units of `half`) the feature is still at least `value`: the inverse of `value()`."""
        return self.half * (1 / value - 1)


@dataclass(frozen=True)
class Saturating:
    """n / (n + half): 0 for none, 0.5 at `half`, nearing 1 for many."""

    kind: ClassVar[str] = "saturating"
    column: str
    half: float

    def value(self, row: dict) -> float:
        count = row.get(self.column) or 0
        return count / (count + self.half)


@dataclass(frozen=True)
class Term:
    name: str
    weight: int
    feature: Levels | Fading | Saturating
    why: str


TERMS = (
    Term("trust", 30, Levels((("known", 1.0), ("introduced", 0.5))),
         "A direct tie 1, one listed person in common 0.5, none 0 (a tie one person declared counts once the "
         "other confirmed it: until then it is shown, not scored). It weighs most within a fit: the report's "
         "finding is that a referral works when it is personal (« allez-y de ma part voir [personne] »), so "
         "a colleague of a colleague beats a stranger with the same expertise. Told: « Vous vous connaissez depuis… », "
         "« X, que vous connaissez, travaille avec cette personne »."),
    Term("expertise", 20, Levels((("expert", 1.0),)),
         "The person declared expertise in the need: what the family needs. Told: « Expertise : … »."),
    Term("service", 15, Levels((("offers", 1.0),)),
         "Their organisation offers a service for the need. Told: « Service : … »."),
    Term("language", 15, Levels((("speaks", 1.0), ("service_speaks", 0.5))),
         "They speak the family's language 1; only the service is offered in it 0.5 (no language asked: "
         "nobody gets these points). The family must be understood. Told: « Parle arabe », « Service offert "
         "en arabe »."),
    Term("distance", 10, Fading("metres", half=2.0, per=1000.0),
         "1 / (1 + km / 2): 1 at the door, 0.5 at 2 km, 0 without a position. Told: « 1,5 km »."),
    Term("outcomes", 5, Saturating("successes", half=2),
         "n / (n + 2) successful referrals received (2 give 0.5, 6 give 0.75): past outcomes break near-ties "
         "without letting a busy person crowd out everyone else. Told: « 2 références réussies »."),
    Term("territory", 5, Levels((("located", 1.0), ("serves", 0.5))),
         "Their organisation is located in the territory searched 1; only serves it 0.5: a near-tie "
         "breaker too. Told, when searching every territory: « Dans votre territoire »."),
)
# The columns of a candidate's fit to the need, each worth one level (see the module's docstring).
FIT = ("expert", "offers")
# "Not taking referrals until …": still shown, with the date, after everyone taking referrals; the score
# says it too (an API client may sort by it).
NOT_ACCEPTING_FACTOR = 0.25
# Scores are rounded to the hundredth (in the database); an equal score could still come first by name.
SCORE_STEP = 0.01


@dataclass(frozen=True)
class Ranking:
    """The terms and the pause factor, and what follows from them about strangers (people without a tie
    to the searcher): how far from the family they can still enter a page. A search reads the best tier
    first (expertise and a service for the need) and asks `reach` and `clearance` what else to read."""

    terms: tuple[Term, ...]
    not_accepting_factor: float
    fit_columns: tuple[str, ...] = FIT

    def fit(self, row: dict) -> int:
        """How many of the fit columns hold: the first key of the order, before the score."""
        return sum(bool(row.get(column)) for column in self.fit_columns)

    def order(self, row: dict) -> tuple[bool, int, float]:
        """The sort key of a row (`paused`, the fit columns and `score` as the search returns them), best
        first: people taking referrals, then fit, then score (names break what remains)."""
        return bool(row.get("paused")), -self.fit(row), -row["score"]

    @property
    def weights(self) -> dict[str, int]:
        return {term.name: term.weight for term in self.terms}

    @property
    def distance(self) -> Fading:
        return next(term.feature for term in self.terms if term.name == "distance")

    def score(self, row: dict, paused: bool = False) -> float:
        points = sum(term.weight * term.feature.value(row) for term in self.terms)
        return round(points * (self.not_accepting_factor if paused else 1.0), 2)

    def tier_bound(self, expert: bool, offers: bool, language: str | None) -> float:
        """The best score a stranger of this tier could reach: every other feature at its maximum (no
        language asked: nobody gets language points)."""
        weights = self.weights
        return (weights["expertise"] * expert + weights["service"] * offers
                + (weights["language"] if language else 0) + weights["distance"] + weights["outcomes"]
                + weights["territory"])

    def reach(self, rows: list[dict], lower_tiers, limit: int, language: str | None) -> dict | None:
        """Given the best `limit` rows of the top tier (and of the people the searcher knows), how far from
        the family a stranger of each lower tier must be, at most, to still enter them: None when no
        stranger of the tier can (skip it), math.inf when distance alone cannot rule anyone out, else km.
        None overall when fewer than `limit` rows were found: every tier must then be read."""
        if len(rows) < limit or rows[limit - 1].get("paused"):  # any stranger taking referrals outranks it
            return None
        last_fit = self.fit(rows[limit - 1])
        threshold = rows[limit - 1]["score"] - SCORE_STEP
        distance = self.weights["distance"]
        reach = {}
        for expert, offers in lower_tiers:
            if expert + offers != last_fit:  # a lower fit never enters; a higher one always does
                reach[(expert, offers)] = None if expert + offers < last_fit else math.inf
                continue
            without_distance = self.tier_bound(expert, offers, language) - distance
            needed = (threshold - without_distance) / distance  # the distance feature to exceed
            if needed > 1:
                reach[(expert, offers)] = None
            elif needed <= 0:
                reach[(expert, offers)] = math.inf
            else:
                reach[(expert, offers)] = self.distance.within(needed)
        return reach

    def clearance(self, rows: list[dict], limit: int, language: str | None) -> float | None:
        """How far from the family (km) every unread stranger of the top tier must be, when they have no
        successful referral, for the best `limit` rows read near it to be the tier's best: such a stranger
        scores at most the tier's bound at that distance with no outcome points, and the last row must
        beat it (strictly: names break ties). None when no distance is enough (fewer rows than the page,
        a last row no better than a stranger at the far end of the city, or one paused or of a lower fit,
        whom any stranger of the tier outranks)."""
        last = rows[limit - 1] if len(rows) >= limit else None
        if last is None or last.get("paused") or self.fit(last) < len(self.fit_columns):
            return None
        weights = self.weights
        # The distance points a stranger must stay under: the last row less all their other points.
        others = self.tier_bound(True, True, language) - weights["distance"] - weights["outcomes"]
        margin = last["score"] - SCORE_STEP - others
        if margin <= 0:
            return None
        if margin > weights["distance"]:
            return 0.0
        return self.distance.within(margin / weights["distance"])


RANKING = Ranking(TERMS, NOT_ACCEPTING_FACTOR)
