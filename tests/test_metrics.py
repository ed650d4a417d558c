"""Network figures on small graphs whose answers are known by hand."""

import networkx as nx
import pytest

from graph import metrics


def _graph(edges, nodes):
    g = nx.Graph()
    for node, (org, sector) in nodes.items():
        g.add_node(node, organisation=org, sector=sector)
    g.add_edges_from(edges)
    return g


def test_empty_network():
    s = metrics.summary(nx.Graph())
    assert s["people"] == 0 and s["ties"] == 0 and s["density"] == 0.0 and s["components"] == 0
    assert s["ei_index_sector"] is None


def test_star():
    nodes = {"c": ("o1", "family"), **{f"l{i}": (f"o{i+2}", "newcomers") for i in range(4)}}
    g = _graph([("c", f"l{i}") for i in range(4)], nodes)
    s = metrics.summary(g)
    assert s["ties"] == 4 and s["density"] == pytest.approx(4 / 10)
    assert s["average_degree"] == pytest.approx(8 / 5)
    assert s["degree_centralisation"] == pytest.approx(1.0)
    assert s["ei_index_sector"] == pytest.approx(1.0)  # every tie crosses sectors
    assert metrics.brokers(g)[0][0] == "c"


def test_two_cliques_joined_by_one_broker():
    nodes = {n: ("oa", "family") for n in "abc"} | {n: ("ob", "newcomers") for n in "xyz"} | {"m": ("om", "family")}
    edges = [("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "m"), ("m", "x")]
    g = _graph(edges, nodes)
    s = metrics.summary(g)
    assert s["components"] == 1 and s["largest_component"] == 7
    # 8 ties: 6 inside the cliques (same organisation), 2 through the broker.
    assert s["cross_organisation_share"] == pytest.approx(2 / 8)
    # Sectors: only m–x crosses (family–newcomers): E–I = (1 − 7) / 8.
    assert s["ei_index_sector"] == pytest.approx(-6 / 8)
    assert metrics.brokers(g, top=1)[0][0] == "m"


def test_isolates_and_components():
    g = _graph([("a", "b")], {"a": ("o1", "s"), "b": ("o2", "s"), "c": ("o3", "s")})
    s = metrics.summary(g)
    assert s["isolates"] == 1 and s["components"] == 2 and s["organisations"] == 3
