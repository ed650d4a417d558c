"""Network figures, computed on NetworkX graphs built by graph.projection.

Pure functions of a graph: tests check them on small graphs whose answers are known by hand.
"""

from __future__ import annotations

import networkx as nx

# Exact betweenness is O(n·m); beyond this many nodes we sample k pivots (Brandes 2008).
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_SAMPLES = 256


def density(graph: nx.Graph) -> float:
    return nx.density(graph) if graph.number_of_nodes() > 1 else 0.0


def average_degree(graph: nx.Graph) -> float:
    n = graph.number_of_nodes()
    return 2 * graph.number_of_edges() / n if n else 0.0


def share_of_edges(graph: nx.Graph, attribute: str) -> float:
    """Share of ties whose two ends differ on `attribute` (organisation, sector…)."""
    m = graph.number_of_edges()
    if not m:
        return 0.0
    crossing = sum(1 for a, b in graph.edges() if graph.nodes[a].get(attribute) != graph.nodes[b].get(attribute))
    return crossing / m


def ei_index(graph: nx.Graph, attribute: str = "sector") -> float | None:
    """Krackhardt & Stern's E–I index: (external − internal) / all ties; None without ties."""
    m = graph.number_of_edges()
    if not m:
        return None
    external = sum(1 for a, b in graph.edges() if graph.nodes[a].get(attribute) != graph.nodes[b].get(attribute))
    return (external - (m - external)) / m


def degree_centralisation(graph: nx.Graph) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when every degree is equal."""
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def betweenness(graph: nx.Graph, seed: int = 42) -> tuple[dict, dict]:
    """Normalised betweenness, exact up to EXACT_BETWEENNESS_LIMIT nodes, else sampled; says which."""
    n = graph.number_of_nodes()
    if n <= EXACT_BETWEENNESS_LIMIT:
        return nx.betweenness_centrality(graph, normalized=True), {"method": "exact"}
    k = min(BETWEENNESS_SAMPLES, n)
    return nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed), {"method": "sampled", "samples": k}


def brokers(graph: nx.Graph, top: int = 5) -> list[tuple[str, float]]:
    """The nodes with the highest betweenness (above zero), best first."""
    scores, _ = betweenness(graph)
    ranked = sorted(((node, score) for node, score in scores.items() if score > 0), key=lambda x: (-x[1], x[0]))
    return ranked[:top]


def summary(graph: nx.Graph) -> dict:
    """The figures shown everywhere: size, density, degree, components, isolates, crossing ties."""
    components = list(nx.connected_components(graph)) if graph.number_of_nodes() else []
    organisations = {data.get("organisation") for _, data in graph.nodes(data=True)}
    return {
        "people": graph.number_of_nodes(),
        "organisations": len(organisations - {None}),
        "ties": graph.number_of_edges(),
        "density": density(graph),
        "average_degree": average_degree(graph),
        "degree_centralisation": degree_centralisation(graph),
        "components": len(components),
        "largest_component": max((len(c) for c in components), default=0),
        "isolates": nx.number_of_isolates(graph),
        "cross_organisation_share": share_of_edges(graph, "organisation"),
        "cross_sector_share": share_of_edges(graph, "sector"),
        "ei_index_sector": ei_index(graph, "sector"),
        "average_clustering": nx.average_clustering(graph) if graph.number_of_nodes() else 0.0,
    }
