"""Network figures on small graphs whose answers are known by hand."""

import networkx as nx
import pytest

from analysis import metrics


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


# The array implementation against NetworkX, figure by figure, on graphs with every awkward case:
# isolates, several components, pendant nodes, triangles, nodes without organisation.

def _random_graph(seed):
    g = nx.gnm_random_graph(40, 70, seed=seed)
    g.add_nodes_from(range(40, 44))  # isolates
    for node in g:
        g.nodes[node]["organisation"] = None if node % 11 == 0 else f"o{node % 7}"
        g.nodes[node]["sector"] = ("family", "newcomers", "institutional")[node % 3]
    return g


def _crossing(g, attribute):
    return sum(1 for a, b in g.edges() if g.nodes[a][attribute] != g.nodes[b][attribute])


@pytest.mark.parametrize("seed", range(6))
def test_figures_match_networkx(seed):
    g = _random_graph(seed)
    s = metrics.summary(g)
    m, n = g.number_of_edges(), g.number_of_nodes()
    degrees = [d for _, d in g.degree()]
    assert s["people"] == n and s["ties"] == m
    assert s["organisations"] == len({g.nodes[v]["organisation"] for v in g} - {None})
    assert s["density"] == pytest.approx(nx.density(g))
    assert s["average_degree"] == pytest.approx(sum(degrees) / n)
    assert s["degree_centralisation"] == pytest.approx(sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2)))
    assert s["components"] == nx.number_connected_components(g)
    assert s["largest_component"] == len(max(nx.connected_components(g), key=len))
    assert s["isolates"] == nx.number_of_isolates(g)
    assert s["cross_organisation_share"] == pytest.approx(_crossing(g, "organisation") / m)
    assert s["cross_sector_share"] == pytest.approx(_crossing(g, "sector") / m)
    assert s["ei_index_sector"] == pytest.approx((2 * _crossing(g, "sector") - m) / m)
    assert s["average_clustering"] == pytest.approx(nx.average_clustering(g))


@pytest.mark.parametrize("seed", range(4))
def test_exact_betweenness_matches_networkx(seed):
    g = _random_graph(seed)
    ours, info = metrics.betweenness(g)
    theirs = nx.betweenness_centrality(g, normalized=True)
    assert info == {"method": "exact"}
    assert ours == pytest.approx(theirs, abs=1e-12)


def test_sampled_betweenness_says_so_and_estimates_the_broker(monkeypatch):
    # Two cliques of 30 joined through one broker: any handful of pivots sees it.
    g = nx.barbell_graph(30, 1)
    for node in g:
        g.nodes[node].update(organisation="o", sector="s")
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 10)
    scores, info = metrics.betweenness(g)
    assert info == {"method": "sampled", "samples": metrics.BETWEENNESS_SAMPLES}
    exact = nx.betweenness_centrality(g)
    broker = max(exact, key=exact.get)
    assert max(scores, key=scores.get) == broker
    assert scores[broker] == pytest.approx(exact[broker], rel=0.1)
    # Sampling every node is the exact computation, rescaled by n / n.
    arrays, nodes = metrics.Arrays.from_networkx(g)
    every, _ = metrics.betweenness_scores(arrays, samples=len(nodes))
    assert dict(zip(nodes, every, strict=True)) == pytest.approx(exact, rel=1e-5)


def test_sampled_clustering_says_so_and_is_close(monkeypatch):
    g = nx.connected_watts_strogatz_graph(3000, 8, 0.1, seed=3)
    for node in g:
        g.nodes[node].update(organisation="o", sector="s")
    arrays, _ = metrics.Arrays.from_networkx(g)
    exact, info = metrics.average_clustering(arrays)
    assert info == {"method": "exact"} and exact == pytest.approx(nx.average_clustering(g))
    monkeypatch.setattr(metrics, "EXACT_CLUSTERING_WORK", 10)
    monkeypatch.setattr(metrics, "CLUSTERING_SAMPLES", 1000)
    estimate, info = metrics.average_clustering(arrays)
    assert info == {"method": "sampled", "samples": 1000}
    assert estimate == pytest.approx(exact, abs=0.03)


def test_single_node_and_single_tie():
    one = _graph([], {"a": ("o1", "s")})
    s = metrics.summary(one)
    assert (s["people"], s["components"], s["largest_component"], s["isolates"]) == (1, 1, 1, 1)
    assert s["density"] == 0.0 and s["degree_centralisation"] == 0.0
    pair = _graph([("a", "b")], {"a": ("o1", "s"), "b": ("o1", "s")})
    s = metrics.summary(pair)
    assert s["density"] == 1.0 and s["ei_index_sector"] == -1.0 and s["cross_organisation_share"] == 0.0
    assert metrics.brokers(pair) == []
