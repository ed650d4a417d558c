"""A small network whose figures are computed by hand (see tests/integration/test_territory_network.py).

Montréal-Nord (mn) holds A, B (family), C (newcomers) and D (institutional, nobody in it);
Villeray (vsp) holds E. People: a1, a2 at A; b1 at B; c1 at C; c2 joins C on 2022-11-01; e1 at E.

    a1 ─ a2   before EI (2022-01-01), colleagues
    a1 ─ b1   before EI (2022-06-01)
    b1 ─ c1   EI session 1 (2022-11-16)
    c1 ─ c2   EI session 2 (2022-12-14), colleagues
    a2 ─ c1   EI session 2 (2022-12-14)
    a1 ─ c2   through a referral (2023-01-10)
    c2 ─ e1   declared (2024-03-01), across territories

Referrals: a1 → c1 (2023-01-05), c1 → a2 (2023-02-01), b1 → e1 (2023-03-01).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from seed.demo.network import Network
from seed.reference.territories import COHORTS, SESSION_THEMES, territory_rows


def _territory(territory_id: str) -> dict:
    """As `seed reference` writes it, polygon included."""
    return next(row for row in territory_rows() if row["id"] == territory_id)


def _organisation(org_id, name, sector, kind, territory, lat, lon):
    return {"id": org_id, "name": name, "sector": sector, "kind": kind, "territory": territory,
            "address": "1 rue Test", "postal_code": "H1G 1A1", "latitude": lat, "longitude": lon,
            "phone": None, "website": None, "languages": ["fr"], "source": "test"}


def _person(person_id, name, listed=True):
    return {"id": person_id, "name": name, "role": "intervenant_social", "kind": "intervenant",
            "email": f"{person_id}@example.org", "phone": None, "languages": ["fr"], "listed": listed,
            "research_consent": True, "born_in": None, "accepting_until": None}


def _tie(a, b, since, origin, session=None):
    first, second = sorted((a, b))
    return {"a": first, "b": second, "since": since, "origin": origin, "level": "networking", "session": session}


def _referral(number, sender, receiver, day):
    at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return {"id": f"r-{number}", "from": sender, "to": receiver, "need": "housing", "language": "fr",
            "urgency": "normal", "note": None, "status": "sent", "created_at": at, "updated_at": at,
            "history": [{"status": "sent", "at": at, "by": sender, "reason": None, "outcome": None}]}


def small_network(org_a_name: str = "Organisme A", person_a1_name: str = "Alice Un") -> Network:
    net = Network()
    net.territories = [_territory("mn"), _territory("vsp")]
    net.needs = [{"id": "housing", "label_fr": "Logement", "label_en": "Housing", "keywords": []}]
    net.organisations = [
        _organisation("A", org_a_name, "family", "community", "mn", 45.5960, -73.6300),
        _organisation("B", "Organisme B", "family", "community", "mn", 45.5990, -73.6250),
        _organisation("C", "Organisme C", "newcomers", "community", "mn", 45.6020, -73.6180),
        _organisation("D", "Bibliothèque D", "institutional", "library", "mn", 45.5930, -73.6400),
        _organisation("E", "Organisme E", "family", "community", "vsp", 45.5600, -73.6100),
    ]
    net.services = [{"id": "s-a", "organisation": "A", "name": "Halte-garderie", "description": "",
                     "eligibility": "", "languages": ["fr"], "hours": "", "needs": ["housing"]}]
    net.people = [_person("a1", person_a1_name), _person("a2", "Amir Deux"), _person("b1", "Béa Un"),
                  _person("c1", "Chloé Un", listed=False), _person("c2", "Cyril Deux"), _person("e1", "Émile Un")]
    works = {"a1": "A", "a2": "A", "b1": "B", "c1": "C", "c2": "C", "e1": "E"}
    net.works_at = [{"person": p, "organisation": o, "since": date(2020, 1, 1), "until": None}
                    for p, o in works.items()]
    net.works_at[4]["since"] = date(2022, 11, 1)  # c2 joins C during the cohort
    net.sessions = [{"id": f"mn-s{n}", "territory": "mn", "number": n, "theme": SESSION_THEMES[n - 1][0],
                     "theme_en": SESSION_THEMES[n - 1][1], "date": COHORTS[1].session_dates[n - 1]}
                    for n in range(1, 7)]
    net.knows = [
        _tie("a1", "a2", date(2022, 1, 1), "before_ei"),
        _tie("a1", "b1", date(2022, 6, 1), "before_ei"),
        _tie("b1", "c1", date(2022, 11, 16), "ei_session", "mn-s1"),
        _tie("c1", "c2", date(2022, 12, 14), "ei_session", "mn-s2"),
        _tie("a2", "c1", date(2022, 12, 14), "ei_session", "mn-s2"),
        _tie("a1", "c2", date(2023, 1, 10), "referral"),
        _tie("c2", "e1", date(2024, 3, 1), "declared"),
    ]
    net.referrals = [_referral(1, "a1", "c1", date(2023, 1, 5)), _referral(2, "c1", "a2", date(2023, 2, 1)),
                     _referral(3, "b1", "e1", date(2023, 3, 1))]
    return net
