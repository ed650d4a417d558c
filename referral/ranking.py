"""How "Qui appeler ?" orders the people who could help: every weight lives here, and only here.

Each candidate gets seven features between 0 and 1; the score is their weighted sum (0–100), then
lowered for people who said they take no referrals for now. The database computes it (the Cypher in
graph/repositories/contacts.py takes `WEIGHTS` and `scoring()` as parameters), so that only the best
rows of thousands of candidates leave it. The README explains the choice of weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

# Points out of 100. Trust comes first: the report's finding is that a referral works when it is
# personal (« allez-y de ma part »), so knowing the person beats every other signal.
WEIGHTS = {
    "trust": 30,      # direct tie 1, one listed person in common 0.5, none 0
    "expertise": 20,  # the person declared expertise in the need
    "service": 15,    # their organisation offers a service for the need
    "language": 15,   # they speak the family's language 1; only the service is offered in it 0.5
    "distance": 10,   # 1 at the door, 0.5 at DISTANCE_HALF_KM, fading further out
    "outcomes": 5,    # successful referrals received, saturating (see OUTCOMES_HALF)
    "territory": 5,   # organisation located in the territory 1, only serving it 0.5
}

TRUST_DIRECT, TRUST_INTRODUCED = 1.0, 0.5
LANGUAGE_SERVICE_ONLY = 0.5
TERRITORY_SERVED_ONLY = 0.5
DISTANCE_HALF_KM = 2.0
OUTCOMES_HALF = 2  # two successful referrals give half the outcome points, six give three quarters
# "Not taking referrals until …": still shown, but below people of otherwise similar merit.
NOT_ACCEPTING_FACTOR = 0.25


def scoring() -> dict:
    """The constants of the features, for the Cypher that computes them."""
    return {"trust_direct": TRUST_DIRECT, "trust_introduced": TRUST_INTRODUCED,
            "language_service": LANGUAGE_SERVICE_ONLY, "territory_serves": TERRITORY_SERVED_ONLY,
            "distance_half_km": DISTANCE_HALF_KM, "outcomes_half": OUTCOMES_HALF,
            "not_accepting_factor": NOT_ACCEPTING_FACTOR}


def tier_bound(expert: bool, offers: bool, language: str | None) -> float:
    """The best score a stranger of this tier could reach: every other feature at its maximum (no
    language asked: nobody gets language points)."""
    return (WEIGHTS["expertise"] * expert + WEIGHTS["service"] * offers
            + (WEIGHTS["language"] if language else 0) + WEIGHTS["distance"] + WEIGHTS["outcomes"]
            + WEIGHTS["territory"])


def reach_of_lower_tiers(rows: list[dict], lower_tiers, limit: int, language: str | None) -> dict | None:
    """Given the best `limit` rows of the top tier (and of the people the searcher knows), how far from
    the family a stranger of each lower tier must be, at most, to still enter them: None when no
    stranger of the tier can (skip it), math.inf when distance alone cannot rule anyone out, else km.
    None overall when fewer than `limit` rows were found: every tier must then be read."""
    if len(rows) < limit:
        return None
    # Scores are rounded to the hundredth; an equal score could still come first by name.
    threshold = rows[limit - 1]["score"] - 0.01
    reach = {}
    for expert, offers in lower_tiers:
        without_distance = tier_bound(expert, offers, language) - WEIGHTS["distance"]
        needed = (threshold - without_distance) / WEIGHTS["distance"]  # the distance feature to exceed
        if needed > 1:
            reach[(expert, offers)] = None
        elif needed <= 0:
            reach[(expert, offers)] = math.inf
        else:  # 1 / (1 + km / DISTANCE_HALF_KM) >= needed
            reach[(expert, offers)] = DISTANCE_HALF_KM * (1 / needed - 1)
    return reach


def clearance_needed(rows: list[dict], limit: int, language: str | None) -> float | None:
    """How far from the family (km) every unread stranger of the top tier must be, when they have no
    successful referral, for the best `limit` rows read near it to be the tier's best: such a stranger
    scores at most the tier's bound at that distance with no outcome points, and the last row must beat
    it (strictly: names break ties). None when no distance is enough (fewer rows than the page, or a
    last row no better than a stranger at the far end of the city)."""
    if len(rows) < limit:
        return None
    # The distance points a stranger must stay under.
    margin = (rows[limit - 1]["score"] - 0.01 - WEIGHTS["expertise"] - WEIGHTS["service"]
              - (WEIGHTS["language"] if language else 0) - WEIGHTS["territory"])
    if margin <= 0:
        return None
    if margin > WEIGHTS["distance"]:
        return 0.0
    return DISTANCE_HALF_KM * (WEIGHTS["distance"] / margin - 1)  # 1 / (1 + km / DISTANCE_HALF_KM) < margin


def best_first(rows: list[dict], limit: int) -> list[dict]:
    """Rows of several reads merged as the database orders them: best score first, then name; a person
    once, at their best row (of equal ones, at the first organisation by id)."""
    seen, merged = set(), []
    for row in sorted(rows, key=lambda r: (-r["score"], r["name"] or "", r["id"], r.get("organisation") or "")):
        if row["id"] not in seen:
            seen.add(row["id"])
            merged.append(row)
    return merged[:limit]


def rules(limit: int, language: str | None) -> dict:
    """What ContactRepository.search takes from here for a page ending at `limit`: the weights, the
    features' constants, and how reads by tiers and cells decide what else to read and merge."""
    return {"weights": WEIGHTS, "scoring": scoring(), "limit": limit, "best_first": best_first,
            "reach": lambda rows, tiers: reach_of_lower_tiers(rows, tiers, limit, language),
            "clearance": lambda rows: clearance_needed(rows, limit, language)}


@dataclass
class Ranked:
    """One candidate as the database ranked it: its row (features, trust, score) and its pause."""

    row: dict
    not_accepting_until: date | None = None

    @property
    def id(self) -> str:
        return self.row["id"]

    @property
    def trust(self) -> float:
        return self.row["trust"]

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
