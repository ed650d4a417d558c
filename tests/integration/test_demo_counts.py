"""The demo network reproduces the report's tables 2 and 3 exactly, deterministically and idempotently."""

from collections import Counter

from shapely.geometry import Point

from graph.loader import load_network
from graph.repositories.places import PlacesRepository
from seed.demo.network import build_demo
from seed.reference.territories import territory_shape
from tests.conftest import graph_fingerprint

# Report, table 2: per TIP, community organisations, institutions by kind, intervenant.es.
TABLE_2 = {
    "asl": (9, {"ciusss": 1}, 14),
    "prsl": (6, {"school_service_centre": 1}, 9),
    "cdn": (4, {"library": 1}, 5),
    "mn": (7, {}, 11),
    "abc": (6, {}, 7),
    "vsp": (6, {"library": 1}, 10),
}
# Report, table 3: organisations per sector, all TIPs.
TABLE_3 = {"family": 20, "newcomers": 14, "community_other": 4, "institutional": 4}


def test_counts_per_territory_and_kind_match_table_2(demo, graph):
    records, _, _ = graph.execute_query(
        """
        MATCH (t:Territory)
        OPTIONAL MATCH (o:Organisation)-[:LOCATED_IN]->(t)
        WITH t, collect(o.kind) AS kinds
        OPTIONAL MATCH (p:Intervenant)-[:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t)
        RETURN t.id AS territory, kinds, count(DISTINCT p) AS people
        """
    )
    found = {}
    for r in records:
        kinds = Counter(r["kinds"])
        community = kinds.pop("community", 0)
        found[r["territory"]] = (community, dict(kinds), r["people"])
    assert found == TABLE_2
    assert sum(c + sum(i.values()) for c, i, _ in found.values()) == 42
    assert sum(p for _, _, p in found.values()) == 56


def test_counts_per_sector_match_table_3(demo, graph):
    records, _, _ = graph.execute_query("MATCH (o:Organisation) RETURN o.sector AS sector, count(*) AS n")
    assert {r["sector"]: r["n"] for r in records} == TABLE_3


def test_each_territory_has_six_sessions_and_two_partner_parents_at_session_four(demo, graph):
    records, _, _ = graph.execute_query(
        """
        MATCH (s:Session)-[:HELD_IN]->(t:Territory)
        WITH t, s ORDER BY s.number
        OPTIONAL MATCH (pp:ParentPartner)-[:ATTENDED]->(s)
        RETURN t.id AS t, collect(DISTINCT s.number) AS numbers, collect(DISTINCT [s.number, pp.id]) AS parents
        """
    )
    for r in records:
        assert r["numbers"] == [1, 2, 3, 4, 5, 6]
        assert {n for n, p in r["parents"] if p} == {4}
        assert len([p for n, p in r["parents"] if p]) == 2


def test_network_grows_at_sessions_mostly_across_organisations(demo, graph):
    records, _, _ = graph.execute_query(
        """
        MATCH (a)-[k:KNOWS]-(b) WHERE elementId(a) < elementId(b)
        MATCH (a)-[:WORKS_AT]->(oa), (b)-[:WORKS_AT]->(ob)
        RETURN k.origin AS origin, oa = ob AS same_org, oa.sector = ob.sector AS same_sector
        """
    )
    by_origin = Counter(r["origin"] for r in records)
    assert by_origin["before_ei"] < by_origin["ei_session"]
    session_ties = [r for r in records if r["origin"] == "ei_session"]
    assert all(not r["same_org"] for r in session_ties)
    assert any(not r["same_sector"] for r in session_ties)
    assert by_origin["referral"] > 0


def test_organisations_lie_inside_their_territory_polygon(demo, graph):
    """Inside the polygon the demo was built with, and inside the one seeded into the graph (stored exactly)."""
    places = PlacesRepository(graph)
    for org in demo.organisations:
        assert territory_shape(org["territory"]).contains(Point(org["longitude"], org["latitude"])), org["name"]
        assert places.territory_at(org["latitude"], org["longitude"]) == org["territory"], org["name"]


def test_same_seed_same_network_and_loading_twice_changes_nothing(graph, demo_network):
    first, second = build_demo(7), build_demo(7)
    assert vars(first) == vars(second)
    load_network(graph, demo_network)
    before = graph_fingerprint(graph)
    load_network(graph, demo_network)
    assert graph_fingerprint(graph) == before


def test_some_people_are_not_listed_and_consent_is_recorded(demo_network):
    intervenants = [p for p in demo_network.people if p["kind"] == "intervenant"]
    unlisted = [p for p in intervenants if not p["listed"]]
    assert 0 < len(unlisted) < len(intervenants) // 4
    assert all(p["listed"] is False for p in demo_network.people if p["kind"] == "parent")
