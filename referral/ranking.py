"""How "Qui appeler ?" orders the people who could help: every weight lives here, and only here.

Each candidate gets seven features between 0 and 1, read from the graph by
graph.repositories.contacts; the score is their weighted sum (0–100), then lowered for
people who said they take no referrals for now. The README explains the choice of weights.
"""

from __future__ import annotations

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

TRUST_DIRECT, TRUST_INTRODUCED, TRUST_NONE = 1.0, 0.5, 0.0
DISTANCE_HALF_KM = 2.0
OUTCOMES_HALF = 2  # two successful referrals give half the outcome points, six give three quarters
# "Not taking referrals until …": still shown, but below people of otherwise similar merit.
NOT_ACCEPTING_FACTOR = 0.25


@dataclass
class Ranked:
    """One candidate: the graph's row, its features, and its score."""

    row: dict
    trust: float
    features: dict[str, float]
    score: float
    not_accepting_until: date | None = None

    @property
    def id(self) -> str:
        return self.row["id"]

    @property
    def distance_km(self) -> float | None:
        metres = self.row.get("metres")
        return None if metres is None else metres / 1000.0


def trust_level(person_id: str, direct: set[str], introduced: set[str]) -> float:
    if person_id in direct:
        return TRUST_DIRECT
    if person_id in introduced:
        return TRUST_INTRODUCED
    return TRUST_NONE


def features(row: dict, trust: float) -> dict[str, float]:
    metres = row.get("metres")
    successes = row.get("successes") or 0
    return {
        "trust": trust,
        "expertise": 1.0 if row.get("expert") else 0.0,
        "service": 1.0 if row.get("offers") else 0.0,
        "language": 1.0 if row.get("speaks") else 0.5 if row.get("service_speaks") else 0.0,
        "distance": 0.0 if metres is None else 1.0 / (1.0 + metres / 1000.0 / DISTANCE_HALF_KM),
        "outcomes": successes / (successes + OUTCOMES_HALF),
        "territory": 1.0 if row.get("located") else 0.5 if row.get("serves") else 0.0,
    }


def not_accepting(row: dict, today: date) -> date | None:
    until = row.get("accepting_until")
    return until if until and until >= today else None


def score(values: dict[str, float], paused: bool) -> float:
    total = sum(WEIGHTS[name] * values[name] for name in WEIGHTS)
    return round(total * (NOT_ACCEPTING_FACTOR if paused else 1.0), 2)


def rank(rows: list[dict], direct: list[str], introduced: list[str], today: date) -> list[Ranked]:
    """Best first; a person with two current jobs appears once, at their better one.
    Equal scores are ordered by name, so the order never depends on the graph's storage."""
    direct_set, introduced_set = set(direct), set(introduced)
    best: dict[str, Ranked] = {}
    for row in rows:
        trust = trust_level(row["id"], direct_set, introduced_set)
        values = features(row, trust)
        paused_until = not_accepting(row, today)
        ranked = Ranked(row=row, trust=trust, features=values, score=score(values, paused_until is not None),
                        not_accepting_until=paused_until)
        if row["id"] not in best or ranked.score > best[row["id"]].score:
            best[row["id"]] = ranked
    return sorted(best.values(), key=lambda r: (-r.score, r.row.get("name") or "", r.id))
