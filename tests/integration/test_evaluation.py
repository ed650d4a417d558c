"""Comparisons on the demo network, cross-checked against NetworkX on graphs read independently,
and the pieces they are made of (scopes, small cells, sector matrix, pseudonyms)."""

import re
from datetime import date

import networkx as nx
import pytest

from analysis import before_after
from analysis.pseudonyms import Pseudonyms
from analysis.timeline import Timeline
from graph.repositories.evaluation import EvaluationRepository
from graph.timeline_reader import people_network, read_timeline
from referral import clock
from tests.unit.test_timeline import job, tie

KEY = Pseudonyms("test-secret-key")


def nx_figures(g: nx.Graph) -> dict:
    """The figures, straight from NetworkX and their definitions."""
    n, m = g.number_of_nodes(), g.number_of_edges()
    degrees = [d for _, d in g.degree()]
    cross = lambda attr: sum(1 for a, b in g.edges() if g.nodes[a][attr] != g.nodes[b][attr])  # noqa: E731
    return {
        "people": n, "organisations": len({g.nodes[v]["organisation"] for v in g}), "ties": m,
        "density": nx.density(g) if n > 1 else 0.0,
        "average_degree": 2 * m / n if n else 0.0,
        "degree_centralisation": sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2)) if n > 2 else 0.0,
        "components": nx.number_connected_components(g) if n else 0,
        "largest_component": max((len(c) for c in nx.connected_components(g)), default=0),
        "isolates": nx.number_of_isolates(g),
        "cross_organisation_share": cross("organisation") / m if m else 0.0,
        "cross_sector_share": cross("sector") / m if m else 0.0,
        "ei_index_sector": (2 * cross("sector") - m) / m if m else None,
        "average_clustering": nx.average_clustering(g) if n else 0.0,
    }


def independent_graph(driver, territories: list[str], day: date) -> nx.Graph:
    """The research sample on a day, read with its own Cypher (not through the Timeline)."""
    people, _, _ = driver.execute_query(
        """
        MATCH (p:Intervenant)-[w:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t:Territory)
        WHERE t.id IN $territories AND p.research_consent
          AND (w.since IS NULL OR w.since <= $day) AND (w.until IS NULL OR w.until > $day)
        RETURN p.id AS id, o.id AS organisation, o.sector AS sector
        """, territories=territories, day=day)
    ties, _, _ = driver.execute_query(
        "MATCH (a)-[k:KNOWS]-(b) WHERE a.id < b.id AND k.since <= $day RETURN a.id AS a, b.id AS b", day=day)
    g = nx.Graph()
    for r in people:
        g.add_node(r["id"], organisation=r["organisation"], sector=r["sector"])
    g.add_edges_from((r["a"], r["b"]) for r in ties if r["a"] in g and r["b"] in g)
    return g


@pytest.fixture
def demo_timeline(demo, graph):
    return read_timeline(graph), before_after.build_scopes(EvaluationRepository(graph).territories())


def test_scopes_and_their_stage_dates(demo_timeline):
    _, scopes = demo_timeline
    assert list(scopes) == ["all", "cohort-1", "cohort-2", "abc", "mn", "vsp", "asl", "cdn", "prsl"]
    mn = scopes["mn"]
    assert mn.stage_dates("before") == {"mn": date(2022, 10, 31)}  # the eve of the start, as the map says
    assert mn.stage_dates("s3") == {"mn": date(2023, 1, 18)}
    assert mn.stage_dates("after") == {"mn": date(2023, 4, 30)}
    assert scopes["all"].stage_dates("before")["asl"] == date(2023, 4, 30)
    assert set(scopes["cohort-2"].territory_ids) == {"asl", "prsl", "cdn"}


@pytest.mark.parametrize("scope_id", ["mn", "vsp", "abc", "asl", "prsl", "cdn", "cohort-1", "cohort-2"])
def test_demo_figures_match_networkx_on_independently_read_graphs(graph, demo_timeline, scope_id):
    timeline, scopes = demo_timeline
    scope = scopes[scope_id]
    found = before_after.compare(timeline, before_after.cohort_points(scope, clock.today()), KEY)
    for snapshot in found["snapshots"]:
        days = set(snapshot["dates"].values())
        assert len(days) == 1  # one cohort: one date for all its territories
        expected = nx_figures(independent_graph(graph, scope.territory_ids, date.fromisoformat(days.pop())))
        assert snapshot["figures"] == pytest.approx(expected), snapshot["name"]


def test_every_territory_grows_during_its_cohort(demo_timeline):
    timeline, scopes = demo_timeline
    for scope in scopes.values():
        found = before_after.compare(timeline, before_after.cohort_points(scope, clock.today()), KEY)
        before, after, _ = (s["figures"] for s in found["snapshots"])
        assert after["ties"] > before["ties"] and after["density"] > before["density"], scope.id
        assert after["cross_organisation_share"] >= before["cross_organisation_share"], scope.id
        change = found["changes"][0]
        assert change["new"] == after["ties"] - before["ties"] and change["lost"] == 0
        assert change["new_by_origin"]["ei_session"] > 0
        # The session curve rises from before to after.
        curve = [s["figures"]["ties"] for s in before_after.curve(timeline, scope)]
        assert curve[0] == before["ties"] and curve[-1] == after["ties"] and curve == sorted(curve)


def test_overall_totals_count_everyone_and_the_sample_only_consenting_people(demo, demo_timeline):
    timeline, scopes = demo_timeline
    found = before_after.compare(timeline, before_after.cohort_points(scopes["all"], clock.today()), KEY)
    now = found["snapshots"][-1]
    intervenants = [p for p in demo.people if p["kind"] == "intervenant"]
    assert now["totals"]["people"] == len(intervenants) == 56
    assert now["figures"]["people"] == sum(1 for p in intervenants if p["research_consent"])
    assert now["totals"]["organisations"] == 42


def test_brokers_are_pseudonymous_and_match_networkx(graph, demo_timeline):
    timeline, scopes = demo_timeline
    found = before_after.compare(timeline, before_after.cohort_points(scopes["mn"], clock.today()), KEY)
    after = found["snapshots"][1]
    g = independent_graph(graph, ["mn"], date(2023, 4, 30))
    exact = nx.betweenness_centrality(g)
    expected = sorted(((KEY.person(k), v) for k, v in exact.items() if v > 0), key=lambda x: (-round(x[1], 12), x[0]))
    assert [(b["id"], pytest.approx(b["betweenness"])) for b in after["brokers"]] == expected[:5]
    assert after["methods"]["betweenness"] == {"method": "exact"}


def test_people_network_keeps_its_contract(demo, graph):
    g = people_network(graph, "mn")
    assert g.number_of_nodes() == 11
    node = next(iter(g.nodes(data=True)))[1]
    assert {"organisation", "sector", "kind", "territory", "research_consent", "erased"} <= set(node)
    edge = next(iter(g.edges(data=True)))[2]
    assert {"since", "origin", "level", "session"} <= set(edge)
    assert people_network(graph, "mn", as_of=date(2022, 11, 1)).number_of_edges() < g.number_of_edges()
    only_sessions = people_network(graph, "mn", origins=["ei_session"])
    assert {d["origin"] for _, _, d in only_sessions.edges(data=True)} == {"ei_session"}


def test_small_cells_are_suppressed_with_a_complementary_cell():
    assert before_after.suppress_small({"a": 7, "b": 3, "c": 9}) == {"a": None, "b": None, "c": 9}
    assert before_after.suppress_small({"a": 7, "b": 3, "c": 2}) == {"a": 7, "b": None, "c": None}
    assert before_after.suppress_small({"a": 7, "b": 0, "c": 9}) == {"a": 7, "b": None, "c": 9}
    assert before_after.suppress_small({"a": 5, "b": 12}) == {"a": 5, "b": 12}


def test_sector_matrix_counts_pairs_of_distinct_organisations():
    jobs = [job("a", "o1", "family"), job("b", "o1", "family"), job("c", "o2", "newcomers"),
            job("d", "o3", "family")]
    ties = [tie("a", "c", "2023-01-01"), tie("b", "c", "2023-01-01"), tie("a", "d", "2023-01-01"),
            tie("a", "b", "2023-01-01")]
    timeline = Timeline.build(jobs, ties)
    sectors = ["family", "newcomers"]
    assert before_after.sector_matrix(timeline.snapshot(date(2023, 2, 1)), sectors) == [[1, 1], [1, 0]]
    assert before_after.sector_matrix(timeline.snapshot(date(2022, 2, 1)), sectors) == [[0, 0], [0, 0]]


def test_difference_between_two_snapshots():
    jobs = [job("a", "o1"), job("b", "o2"), job("c", "o3", until="2023-03-01"), job("d", "o1", since="2023-02-01")]
    ties = [tie("a", "b", "2022-01-01"), tie("b", "c", "2022-01-01"), tie("a", "d", "2023-02-15")]
    timeline = Timeline.build(jobs, ties)
    found = before_after.difference(timeline, timeline.snapshot(date(2023, 1, 1)), timeline.snapshot(date(2023, 6, 1)),
                                  KEY)
    status = {n["id"]: (n["status"], n["degree_from"], n["degree_to"]) for n in found["nodes"]}
    assert status == {KEY.person("a"): ("kept", 1, 2), KEY.person("b"): ("kept", 2, 1),
                      KEY.person("c"): ("left", 1, 0), KEY.person("d"): ("new", 0, 1)}
    assert sorted(e["status"] for e in found["edges"]) == ["kept", "lost", "new"]


def test_pseudonyms_are_stable_keyed_and_opaque():
    same = Pseudonyms("test-secret-key")
    other = Pseudonyms("another-key")
    assert KEY.person("p-001") == same.person("p-001") != other.person("p-001")
    assert KEY.person("p-001") != KEY.organisation("p-001")
    assert re.fullmatch(r"P-[0-9a-f]{12}", KEY.person("p-001"))
    assert re.fullmatch(r"O-[0-9a-f]{12}", KEY.organisation("o-mn-01"))
    assert "001" not in KEY.person("p-001")[2:] or KEY.person("p-001") != "P-001"
    with pytest.raises(ValueError):
        Pseudonyms("")
