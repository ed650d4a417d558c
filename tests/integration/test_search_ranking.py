"""Ranking on a small graph whose order is known by hand, and the rules every result obeys. The API and the
page over this graph are in test_search_ranking_pages.py; the rules that need no graph in
tests/unit/test_ranking_rules.py.

The searcher « me » works at o1. Around them (mental health, Montréal-Nord unless said), in the order
of a search (referral/ranking.py: people taking referrals, then fit to the need, then score):
  B  no tie; expertise; speaks Arabic; at o2 (1 km), whose service addresses it → 20+15+6.67+5     = 46.67
  A  knows me directly; expertise but no service; at o3, 5 km away             → 30+20+2.86+5     = 57.86
  C  known through A; expertise; at o3                                         → 15+20+2.86+5     = 42.86
  I  service only, at o2, two successful referrals                             → 15+6.67+2.5+5    = 29.17
  H  service only, at o2; declared a tie to me dated next month                → 15+6.67+5        = 26.67
  F  like B but without Arabic, and not taking referrals until next year       → 46.67 × 0.25     = 11.67
  D  unlisted, E  left her organisation, G  in another territory: never in a Montréal-Nord search.
"""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from graph import search_index, search_query
from graph.loader import load_network
from graph.repositories.contacts import ContactRepository
from graph.search_criteria import Reading, SearchCriteria
from referral import clock, ranking
from referral.ranking import RANKING
from seed.demo.network import Network
from tests.conftest import quick_hash

ME_LOCATION = (45.600, -73.630)
PASSWORD = "small-network-pw"
NEXT_YEAR = clock.today() + timedelta(days=365)


def _org(org_id, territory, north_km):
    return {"id": org_id, "name": f"Organisme {org_id}", "sector": "family", "kind": "community",
            "territory": territory, "address": "1, rue Test", "postal_code": "H1G 1A1",
            "latitude": ME_LOCATION[0] + north_km / 111.2, "longitude": ME_LOCATION[1], "phone": None,
            "website": None, "languages": ["fr"], "source": "test"}


def _person(person_id, languages=("fr",), listed=True, accepting_until=None):
    return {"id": person_id, "name": f"Personne {person_id.upper()}", "role": "intervenant_social",
            "kind": "intervenant", "email": f"{person_id}@example.org", "phone": "514 555-0100",
            "languages": list(languages), "listed": listed, "research_consent": True, "born_in": None,
            "accepting_until": accepting_until}


def small_network() -> Network:
    net = Network()
    net.territories = [
        {"id": "mn", "name": "Montréal-Nord", "cohort": 1, "boroughs": [], "start": date(2022, 11, 1),
         "end": date(2023, 4, 30), "latitude": 45.6, "longitude": -73.63},
        {"id": "vsp", "name": "Villeray", "cohort": 1, "boroughs": [], "start": date(2022, 11, 1),
         "end": date(2023, 4, 30), "latitude": 45.55, "longitude": -73.62},
    ]
    net.needs = [
        {"id": "mental-health", "label_fr": "Santé mentale", "label_en": "Mental health", "keywords": "psychologue"},
        {"id": "legal", "label_fr": "Aide juridique", "label_en": "Legal aid", "keywords": "avocat"},
    ]
    net.organisations = [_org("o1", "mn", 0), _org("o2", "mn", 1), _org("o3", "mn", 5), _org("o4", "vsp", 8)]
    net.services = [
        {"id": "s1", "organisation": "o2", "name": "Écoute", "description": "Soutien", "eligibility": "",
         "languages": ["fr", "ar"], "hours": "lun-ven 09:00-17:00", "needs": ["mental-health"]},
        {"id": "s2", "organisation": "o3", "name": "Clinique", "description": "Droit", "eligibility": "",
         "languages": ["fr"], "hours": "lun-ven 09:00-17:00", "needs": ["legal"]},
    ]
    net.people = [_person("me"), _person("a"), _person("b", ("fr", "ar")), _person("c"), _person("i"),
                  _person("h"), _person("f", accepting_until=NEXT_YEAR), _person("d", listed=False),
                  _person("e"), _person("g")]
    jobs = {"me": "o1", "a": "o3", "b": "o2", "c": "o3", "i": "o2", "h": "o2", "f": "o2", "d": "o2", "e": "o2",
            "g": "o4"}
    net.works_at = [{"person": p, "organisation": o, "since": date(2020, 1, 1),
                     "until": date(2024, 1, 1) if p == "e" else None} for p, o in jobs.items()]
    net.expertise = [{"person": p, "need": "mental-health"} for p in ("a", "b", "c", "f", "d", "e", "g")]
    net.knows = [
        {"a": "a", "b": "me", "since": date(2023, 1, 18), "origin": "before_ei", "level": "cooperation",
         "session": None},
        {"a": "a", "b": "c", "since": date(2023, 2, 15), "origin": "before_ei", "level": "networking",
         "session": None},
        # A tie dated in the future does not count yet: ties are read as of today.
        {"a": "h", "b": "me", "since": clock.today() + timedelta(days=30), "origin": "declared",
         "level": "networking", "session": None},
    ]
    at = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    net.referrals = [
        {"id": f"r-{n}", "from": "b", "to": "i", "need": "mental-health", "language": "fr", "urgency": "normal",
         "note": None, "status": "completed", "created_at": at, "updated_at": at,
         "history": [{"status": s, "at": at, "by": "i", "reason": None,
                      "outcome": "got_help" if s == "completed" else None}
                     for s in ("sent", "accepted", "in_progress", "completed")]}
        for n in (1, 2)
    ]
    net.users = [{"id": "u-me", "email": "me@example.org", "role": "intervenant", "territory": "mn", "person": "me",
                  "password_hash": quick_hash(PASSWORD)}]
    return net


# Named apart from the fixture so that test_search_ranking_pages.py can import it without shadowing it.
@pytest.fixture(name="small")
def fixture_small(graph):
    load_network(graph, small_network())
    return graph


def search(driver, **overrides) -> dict:
    criteria = SearchCriteria(ranking=RANKING, today=clock.today(), limit=100, me="me", need_ids=("mental-health",),
                              territories=("mn",), home="mn", origin=ME_LOCATION, reading=Reading.EVERY_TIER)
    return ContactRepository(driver).search(replace(criteria, **overrides))


@dataclass(frozen=True)
class ServiceOnlyWithin(ranking.Ranking):
    """The ranking, but of the lower tiers only the strangers with a service (no expertise) within `km` are read."""

    km: float = 0.0

    def reach(self, rows, lower_tiers, limit, language):
        return {(True, False): None, (False, True): self.km}


def service_only_within(km: float) -> ServiceOnlyWithin:
    return ServiceOnlyWithin(RANKING.terms, RANKING.not_accepting_factor, km=km)


def ranked_ids(driver, **overrides):
    return [row["id"] for row in search(driver, **overrides)["rows"]]


def test_known_order_whether_read_whole_or_by_tiers(small):
    assert ranked_ids(small) == ["b", "a", "c", "i", "h", "f"]
    found = by_tiers(small, 10)  # fewer rows than a page: every tier is read, and the total is exact
    assert [row["id"] for row in found["rows"]] == ["b", "a", "c", "i", "h", "f"]
    assert found["total"] == 6 and found["exact"]


def test_a_colleague_without_the_service_never_outranks_a_stranger_with_both(small):
    rows = {row["id"]: row for row in search(small)["rows"]}
    assert rows["a"]["known"] and rows["a"]["score"] > rows["b"]["score"]  # trust alone would put A first
    assert ranked_ids(small).index("b") < ranked_ids(small).index("a")


def test_an_unconfirmed_tie_adds_nothing_until_confirmed(small):
    declared = """MATCH (me:Person {id: 'me'}), (i:Person {id: 'i'})
                  CREATE (me)-[:KNOWS {origin: 'declared', since: $today, level: 'networking', declared_by: 'me',
                                       confirmed: false}]->(i)"""
    with small.session() as session:
        session.run(declared, today=clock.today()).consume()  # Montréal's day, as the search reads it
    row = {r["id"]: r for r in search(small)["rows"]}["i"]
    assert not row["known"] and row["score"] == pytest.approx(29.17, abs=0.02)
    with small.session() as session:
        session.run("MATCH (:Person {id: 'me'})-[k:KNOWS]->(:Person {id: 'i'}) SET k.confirmed = true").consume()
    row = {r["id"]: r for r in search(small)["rows"]}["i"]
    assert row["known"] and row["score"] == pytest.approx(59.17, abs=0.02)


def test_known_scores(small):
    scores = {row["id"]: row["score"] for row in search(small)["rows"]}
    assert scores == pytest.approx({"a": 57.86, "b": 46.67, "c": 42.86, "i": 29.17, "h": 26.67, "f": 11.67}, abs=0.02)


def test_language_keeps_speakers_and_services_offered_in_it(small):
    # B speaks Arabic (full language points); H, I and F only work where the service is offered in Arabic.
    assert ranked_ids(small, language="ar") == ["b", "i", "h", "f"]
    # A language is a whole code: « r » is neither in « fr » nor in « ar ».
    assert ranked_ids(small, language="r") == []


def test_distance_limit(small):
    assert ranked_ids(small, max_km=2) == ["b", "i", "h", "f"]


def test_all_territories_adds_the_other_territory(small):
    assert "g" in ranked_ids(small, territories=None)
    assert "g" not in ranked_ids(small)


@pytest.mark.parametrize("territories", [("mn",), None])
def test_never_unlisted_never_former_staff_never_myself(small, territories):
    ids = ranked_ids(small, territories=territories)
    assert "d" not in ids and "e" not in ids and "me" not in ids


def by_tiers(driver, limit, **overrides):
    return search(driver, limit=limit, reading=Reading.BY_TIERS, **overrides)


def test_the_top_tier_and_acquaintances_settle_the_page_when_no_stranger_below_can_enter_it(small):
    # Top tier (expertise and a service): B and F; acquaintances from the lower tiers: A (direct) and C.
    # The third row, C (42.86, expertise only), beats any stranger of her fit (at most 20 + 10 + 5 + 5 =
    # 40): nobody else is read, and the total (4) is a lower bound.
    found = by_tiers(small, 3)
    assert [row["id"] for row in found["rows"]] == ["b", "a", "c"]
    assert found["total"] == 4 and not found["exact"]


def test_strangers_of_the_lower_tiers_enter_when_they_can(small):
    # The fourth row, F, is paused: any stranger taking referrals outranks her, so every tier is read.
    found = by_tiers(small, 4)
    assert [row["id"] for row in found["rows"]] == ["b", "a", "c", "i"] and found["exact"]
    # Only strangers within the reach are read: I and H work 1 km away.
    near = search(small, limit=6, reading=Reading.BY_TIERS, ranking=service_only_within(0.5))
    assert "i" not in [row["id"] for row in near["rows"]]
    far = search(small, limit=6, reading=Reading.BY_TIERS, ranking=service_only_within(1.5))
    assert [row["id"] for row in far["rows"]] == ["b", "a", "c", "i", "h", "f"]


def test_searching_everywhere_a_short_reach_is_read_through_the_point_index(small):
    # I and H work at o2, 1 km north of the searcher: out of a 200 m reach from the searcher's position,
    # within it from o2's own position.
    reach = service_only_within(0.2)
    here = search(small, limit=6, territories=None, reading=Reading.BY_TIERS, ranking=reach)
    assert "i" not in [row["id"] for row in here["rows"]]
    at_o2 = (ME_LOCATION[0] + 1 / 111.2, ME_LOCATION[1])
    there = search(small, limit=6, territories=None, origin=at_o2, reading=Reading.BY_TIERS, ranking=reach)
    assert {"i", "h"} <= {row["id"] for row in there["rows"]}


def by_cells(driver, limit, language=None, **overrides):
    return search(driver, language=language, limit=limit, reading=Reading.BY_CELLS, **overrides)


BETWEEN_O2_AND_O3 = (ME_LOCATION[0] + 3.2 / 111.2, ME_LOCATION[1])
FAR_NORTH = (ME_LOCATION[0] + 0.2, ME_LOCATION[1])  # 22 km


# Here, between o2 and o3 (a wider block may be read), and 22 km away (strangers within reach).
@pytest.mark.parametrize("origin", [ME_LOCATION, BETWEEN_O2_AND_O3, FAR_NORTH])
@pytest.mark.parametrize("language", [None, "ar"])
@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 6])
def test_reading_by_cells_and_tiers_gives_the_exact_order(small, limit, language, origin):
    full = ranked_ids(small, language=language, origin=origin)
    found = by_cells(small, limit, language, origin=origin)
    assert [row["id"] for row in found["rows"]] == full[:limit]


def with_a_service_at_o3(graph) -> None:
    """The small network where o3 offers a mental-health service too: A and C are of the top tier."""
    net = small_network()
    net.services.append({"id": "s3", "organisation": "o3", "name": "Soutien", "description": "Écoute",
                         "eligibility": "", "languages": ["fr"], "hours": None, "needs": ["mental-health"]})
    load_network(graph, net)


TRUST_IGNORED = replace(RANKING, terms=tuple(replace(t, weight=0) if t.name == "trust" else t for t in RANKING.terms))


def test_a_wider_block_is_read_when_the_first_says_it_would_settle_the_page(graph, monkeypatch):
    # o3 offers the service; trust weighs nothing. 3.2 km north of o1: A and C (45.26 each) are read as
    # acquaintances; B, at o2 2.2 km away, is out of the first block (about 1 km around). Every stranger
    # of the top tier farther than 1.81 km scores less than C: one wider block reaching that far settles
    # the page, without the whole tier.
    with_a_service_at_o3(graph)
    blocks, block = [], search_index.block

    def recording_block(latitude, longitude, rings):
        blocks.append(rings)
        return block(latitude, longitude, rings)

    monkeypatch.setattr(search_index, "block", recording_block)
    found = by_cells(graph, 2, origin=BETWEEN_O2_AND_O3, ranking=TRUST_IGNORED)
    assert [row["id"] for row in found["rows"]] == ["a", "c"]
    assert blocks[0] == 2 and len(blocks) == 2 and blocks[1] <= 6
    assert search_index.clearance(*BETWEEN_O2_AND_O3, blocks[1]) > 1.81 > search_index.clearance(*BETWEEN_O2_AND_O3, 2)


def test_far_away_only_the_strangers_within_reach_are_scored(graph, monkeypatch):
    # o3 offers the service; trust weighs nothing. 22 km north, A and C (41.04 each), acquaintances of
    # the top tier, fill a page of two. A stranger of the top tier farther than 17.4 km scores less than
    # C: B and F, 21.2 km away, are left out, and the whole tier is never read (it would fail here).
    with_a_service_at_o3(graph)
    queries = search_query.queries
    monkeypatch.setattr(search_query, "queries", lambda rules: replace(queries(rules), ranked="RETURN 1 / 0 AS never"))
    assert [row["id"] for row in by_cells(graph, 2, origin=FAR_NORTH, ranking=TRUST_IGNORED)["rows"]] == ["a", "c"]
    top_tier = {"expert": True, "offers": True}
    assert RANKING.clearance([{"score": 41.04, **top_tier}] * 2, 2, None) == pytest.approx(17.4, abs=0.1)


def test_the_whole_tier_read_after_the_block_keeps_the_acquaintances_the_block_brought(graph):
    # o3 offers the service too. 22 km north, the block holds only A (71.05) and C (56.05), acquaintances:
    # fewer than a page of three, so the whole top tier is read, without them. With J and K, experts at
    # o2 like B (40.86), that read alone would fill the page; merged with the block's, C keeps her place.
    net = small_network()
    net.services.append({"id": "s3", "organisation": "o3", "name": "Soutien", "description": "Écoute",
                         "eligibility": "", "languages": ["fr"], "hours": None, "needs": ["mental-health"]})
    net.people += [_person("j"), _person("k")]
    net.works_at += [{"person": p, "organisation": "o2", "since": date(2020, 1, 1), "until": None} for p in "jk"]
    net.expertise += [{"person": p, "need": "mental-health"} for p in "jk"]
    load_network(graph, net)
    assert [row["id"] for row in by_cells(graph, 3, origin=FAR_NORTH)["rows"]] == ["a", "c", "b"]
    assert ranked_ids(graph, origin=FAR_NORTH)[:3] == ["a", "c", "b"]


def test_a_person_with_two_jobs_appears_once_at_the_better_one(small):
    with small.session() as session:
        session.run("""MATCH (b:Person {id: 'b'}), (o:Organisation {id: 'o3'})
                       CREATE (b)-[:WORKS_AT {since: date('2021-01-01')}]->(o)""").consume()
        session.execute_write(lambda tx: search_index.refresh_people(tx, ["b"]))
    rows = [row for row in search(small)["rows"] if row["id"] == "b"]
    assert len(rows) == 1 and rows[0]["organisation"] == "o2"  # 1 km away with the service, not o3 at 5 km
