"""The territory network's figures, layers and closed circuits against values computed by hand on the
small network of tests/territory_fixtures.py (its docstring draws it)."""

from datetime import date

import pytest

from analysis.territory_network import closed_circuits, people_layout
from graph.loader import load_network
from graph.timeline_reader import territory_network
from tests.territory_fixtures import small_network

DURING = date(2023, 6, 30)
BEFORE = date(2022, 10, 1)


@pytest.fixture
def small(graph):
    load_network(graph, small_network())
    return graph


def test_figures_after_the_cohort(small):
    net = territory_network(small, "mn", DURING)
    f = net.figures
    # c2–e1 is not there yet (2024); five people in mn, six ties among them.
    assert f["people"] == 5 and f["ties"] == 6
    assert f["organisations"] == 4 and f["organisations_with_people"] == 3
    assert f["density"] == pytest.approx(6 / 10)
    assert f["average_degree"] == pytest.approx(12 / 5)
    # Across organisations: a1–b1, b1–c1, a2–c1, a1–c2; inside: a1–a2, c1–c2.
    assert f["cross_organisation_share"] == pytest.approx(4 / 6)
    # A and B are both "family": a1–b1 stays in the sector; b1–c1, a2–c1, a1–c2 cross it.
    assert f["cross_sector_share"] == pytest.approx(3 / 6)
    assert f["isolated_organisations"] == ["D"]
    assert f["ties_to_other_territories"] == 0


def test_brokers_by_betweenness(small):
    net = territory_network(small, "mn", DURING)
    # a1 and c1 each lie on one of the two shortest paths of three pairs: 1.5 / ((5-1)(5-2)/2) = 0.25;
    # a2, b1 and c2 each on one of the three shortest paths a1–c1: (1/3) / 6.
    scores = {b["person"]: b["score"] for b in net.brokers}
    assert [b["person"] for b in net.brokers] == ["a1", "c1", "a2", "b1", "c2"]
    assert scores["a1"] == pytest.approx(0.25) and scores["c1"] == pytest.approx(0.25)
    assert scores["b1"] == pytest.approx(1 / 18)
    assert net.brokers[0]["organisation"] == "A"


def test_layers_aggregate_ties_to_organisations(small):
    layers = {layer["key"]: layer for layer in territory_network(small, "mn", DURING).layers}
    assert layers["before_ei"]["edges"] == [{"source": "A", "target": "B", "ties": 1}]
    assert layers["session:mn-s1"]["edges"] == [{"source": "B", "target": "C", "ties": 1}]
    # At session 2, c1–c2 are colleagues: only a2–c1 links two organisations.
    assert layers["session:mn-s2"]["edges"] == [{"source": "A", "target": "C", "ties": 1}]
    assert layers["session:mn-s3"]["edges"] == []
    assert layers["referral"]["edges"] == [{"source": "A", "target": "C", "ties": 1}]
    assert layers["declared"]["edges"] == []
    assert layers["session:mn-s2"]["number"] == 2 and layers["session:mn-s2"]["date"] == date(2022, 12, 14)


def test_as_of_before_the_cohort_is_sparse(small):
    net = territory_network(small, "mn", BEFORE)
    f = net.figures
    # c2 had not joined yet; only the two ties from before EI existed.
    assert f["people"] == 4 and f["ties"] == 2
    assert f["density"] == pytest.approx(2 / 6)
    assert f["average_degree"] == pytest.approx(1.0)
    assert f["cross_organisation_share"] == pytest.approx(1 / 2)
    assert f["cross_sector_share"] == 0.0
    assert sorted(f["isolated_organisations"]) == ["C", "D"]
    assert [(b["person"], b["score"]) for b in net.brokers] == [("a1", pytest.approx(1 / 3))]
    assert all(not layer["edges"] for layer in net.layers if layer["key"] != "before_ei")
    assert net.flows == [] and net.circuits == []


def test_ties_to_other_territories_once_declared(small):
    f = territory_network(small, "mn", date(2024, 6, 1)).figures
    assert f["ties_to_other_territories"] == 1 and f["ties"] == 6


def test_referral_flows_and_closed_circuits(small):
    net = territory_network(small, "mn", DURING)
    flows = {(f["source"], f["target"]): f["referrals"] for f in net.flows}
    assert flows == {("A", "C"): 1, ("C", "A"): 1, ("B", "E"): 1}
    assert net.circuits == [
        {"organisations": ["A", "C"], "referrals": 2, "reciprocal": True},
        {"organisations": ["B", "E"], "referrals": 1, "reciprocal": False},
    ]
    # As of 2023-01-31 only a1 → c1 had been sent.
    early = territory_network(small, "mn", date(2023, 1, 31))
    assert early.circuits == [{"organisations": ["A", "C"], "referrals": 1, "reciprocal": False}]


def test_closed_circuits_by_hand():
    flows = [
        {"source": "A", "target": "B", "referrals": 2}, {"source": "B", "target": "A", "referrals": 1},
        {"source": "C", "target": "D", "referrals": 1}, {"source": "C", "target": "E", "referrals": 1},
        {"source": "H", "target": "H", "referrals": 4},
    ]
    assert closed_circuits(flows) == [
        {"organisations": ["C", "D", "E"], "referrals": 2, "reciprocal": False},
        {"organisations": ["A", "B"], "referrals": 3, "reciprocal": True},
    ]
    # One referral from B to C opens both groups onto each other: a single, larger circuit remains.
    joined = closed_circuits([*flows, {"source": "B", "target": "C", "referrals": 1}])
    assert joined == [{"organisations": ["A", "B", "C", "D", "E"], "referrals": 6, "reciprocal": False}]


def test_people_layout_is_deterministic_and_in_the_unit_square(small):
    net = territory_network(small, "mn", DURING)
    again = people_layout(net.people)
    assert net.layout == again
    assert set(net.layout) == {"a1", "a2", "b1", "c1", "c2"}
    assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in net.layout.values())


def test_research_sample_leaves_out_people_without_consent(graph):
    network = small_network()
    next(p for p in network.people if p["id"] == "c1")["research_consent"] = False
    load_network(graph, network)
    everyone = territory_network(graph, "mn", DURING)
    sample = territory_network(graph, "mn", DURING, sample_only=True)
    assert "c1" in everyone.people and "c1" not in sample.people
    # c1's three ties (b1–c1, c1–c2, a2–c1) are gone from the figures and the layers.
    assert sample.figures["people"] == 4 and sample.figures["ties"] == 3
    layers = {layer["key"]: layer for layer in sample.layers}
    assert layers["session:mn-s1"]["edges"] == [] and layers["session:mn-s2"]["edges"] == []
    # Referrals sent or received by c1 are not counted; b1 → e1 is.
    assert {(f["source"], f["target"]) for f in sample.flows} == {("B", "E")}
    assert len(everyone.flows) == 3
    # Nobody's name is even read for the sample.
    assert all(o["contacts"] == [] for o in sample.organisations)
    assert any(o["contacts"] for o in everyone.organisations)


def test_people_keep_their_places_from_one_date_to_the_next(demo, graph):
    """Issue 19: the people diagram was laid out again at each date, so before and after could not be compared
    by eye. Laid out once on everyone who ever worked there, each person keeps their place."""
    from datetime import date

    from graph.timeline_reader import territory_network

    before = territory_network(graph, "mn", date(2022, 10, 31))
    after = territory_network(graph, "mn", date(2023, 4, 30))
    common = set(before.layout) & set(after.layout)
    assert len(common) >= 5 and len(after.layout) > len(before.layout) - 1
    assert all(before.layout[p] == after.layout[p] for p in common)
    sample = territory_network(graph, "mn", date(2023, 4, 30), sample_only=True)
    assert set(sample.layout) <= set(after.layout) and set(sample.layout) == set(sample.people)
