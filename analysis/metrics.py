"""Network figures, computed on arrays (numpy / scipy) so that a million ties take seconds.

Pure functions of a graph: tests check them on small graphs whose answers are known by hand and
against NetworkX on the demo data. `summary`, `betweenness` and `brokers` also accept a NetworkX
graph (nodes carrying `organisation` and `sector` attributes), which they convert first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

# Exact betweenness costs one breadth-first search per node (Brandes, O(n·m)); beyond this many
# nodes we sample BETWEENNESS_SAMPLES pivots (Brandes & Pich 2007) and rescale by n / samples.
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_SAMPLES = 32
# Exact clustering counts every triangle, about Σ degree² work; beyond this budget the average is
# estimated from CLUSTERING_SAMPLES nodes drawn at random (each node's own clustering is exact).
EXACT_CLUSTERING_WORK = 20_000_000
CLUSTERING_SAMPLES = 20_000
# Rows of the n × k matrices the batched searches keep in memory at once (about 32 MB of floats).
_BATCH_CELLS = 4_000_000
_CLUSTERING_ROWS = 4096


@dataclass(frozen=True)
class Arrays:
    """A simple undirected graph: nodes 0..n-1, one entry per tie in (u, v), and two node codes
    (organisation and sector, -1 when unknown) that the crossing figures compare."""

    n: int
    u: np.ndarray
    v: np.ndarray
    organisation: np.ndarray
    sector: np.ndarray

    @classmethod
    def from_networkx(cls, graph: nx.Graph) -> tuple[Arrays, list]:
        """The arrays and the node list (position i of the list is node i)."""
        nodes = list(graph.nodes())
        index = {node: i for i, node in enumerate(nodes)}
        pairs = [(index[a], index[b]) for a, b in graph.edges() if a != b]

        def codes(attribute: str) -> np.ndarray:
            vocabulary: dict = {}
            values = [graph.nodes[node].get(attribute) for node in nodes]
            return np.array([-1 if v is None else vocabulary.setdefault(v, len(vocabulary)) for v in values],
                            dtype=np.int64)

        u = np.array([p[0] for p in pairs], dtype=np.int64)
        v = np.array([p[1] for p in pairs], dtype=np.int64)
        return cls(len(nodes), u, v, codes("organisation"), codes("sector")), nodes

    @property
    def m(self) -> int:
        return len(self.u)

    def degrees(self) -> np.ndarray:
        return np.bincount(self.u, minlength=self.n) + np.bincount(self.v, minlength=self.n)

    @cached_property
    def _adjacency(self) -> sparse.csr_array:
        ones = np.ones(2 * self.m, dtype=np.float64)
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        return sparse.csr_array((ones, (rows, cols)), shape=(self.n, self.n))

    def adjacency(self) -> sparse.csr_array:
        """Symmetric 0/1 matrix, built once: components, clustering and betweenness all use it."""
        return self._adjacency


def density(a: Arrays) -> float:
    return 2 * a.m / (a.n * (a.n - 1)) if a.n > 1 else 0.0


def average_degree(a: Arrays) -> float:
    return 2 * a.m / a.n if a.n else 0.0


def crossing_share(a: Arrays, codes: np.ndarray) -> float:
    """Share of ties whose two ends differ on a node code (organisation, sector…)."""
    return float(np.count_nonzero(codes[a.u] != codes[a.v]) / a.m) if a.m else 0.0


def ei_index(a: Arrays, codes: np.ndarray) -> float | None:
    """Krackhardt & Stern's E–I index: (external − internal) / all ties; None without ties."""
    if not a.m:
        return None
    external = int(np.count_nonzero(codes[a.u] != codes[a.v]))
    return (external - (a.m - external)) / a.m


def degree_centralisation(a: Arrays) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when every degree is equal."""
    if a.n < 3:
        return 0.0
    degrees = a.degrees()
    return float((degrees.max() - degrees).sum() / ((a.n - 1) * (a.n - 2)))


def components(a: Arrays) -> tuple[int, int]:
    """Number of connected components and size of the largest."""
    if not a.n:
        return 0, 0
    count, labels = connected_components(a.adjacency(), directed=False)
    return int(count), int(np.bincount(labels).max())


def triangles(adjacency: sparse.csr_array, nodes: np.ndarray) -> np.ndarray:
    """Triangles through each listed node: (A² ∘ A) summed over its row counts each one twice.
    Computed by blocks of rows so that A² is never held whole."""
    counts = np.zeros(len(nodes))
    for start in range(0, len(nodes), _CLUSTERING_ROWS):
        block = adjacency[nodes[start:start + _CLUSTERING_ROWS]]
        counts[start:start + block.shape[0]] = np.asarray((block @ adjacency).multiply(block).sum(axis=1)).ravel()
    return counts / 2


def average_clustering(a: Arrays, seed: int = 42) -> tuple[float, dict]:
    """Watts–Strogatz average (nodes of degree < 2 count as 0, as in NetworkX), exact within
    EXACT_CLUSTERING_WORK, else the mean of the exact coefficients of a fixed-seed sample of
    nodes; says which."""
    if not a.n:
        return 0.0, {"method": "exact"}
    adjacency = a.adjacency()
    degrees = np.diff(adjacency.indptr).astype(np.float64)
    if float((degrees ** 2).sum()) <= EXACT_CLUSTERING_WORK or a.n <= CLUSTERING_SAMPLES:
        nodes, info = np.arange(a.n), {"method": "exact"}
    else:
        nodes = np.sort(np.random.default_rng(seed).choice(a.n, CLUSTERING_SAMPLES, replace=False))
        info = {"method": "sampled", "samples": CLUSTERING_SAMPLES}
    through, k = triangles(adjacency, nodes), degrees[nodes]
    with np.errstate(divide="ignore", invalid="ignore"):
        coefficients = np.where(k > 1, 2 * through / (k * (k - 1)), 0.0)
    return float(coefficients.mean()), info


def dependencies(adjacency: sparse.csr_array, pivots: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Brandes' accumulated pair dependencies from the given sources, summed per node.

    The breadth-first searches of a batch of sources run together as sparse × dense products,
    one per distance level: forward to count shortest paths (σ), backward to accumulate δ. Each
    level's cells are kept as flat indices, so that the element-wise work is proportional to the
    nodes reached rather than to n × sources per level."""
    n = adjacency.shape[0]
    adjacency = adjacency.astype(dtype)
    total = np.zeros(n)
    batch = max(1, _BATCH_CELLS // max(1, n))
    for start in range(0, len(pivots), batch):
        sources = pivots[start:start + batch]
        k = len(sources)
        sigma = np.zeros(n * k, dtype=dtype)
        reached_once = np.zeros(n * k, dtype=bool)
        level = sources * k + np.arange(k)  # flat index of (node, source) cells at distance 0
        sigma[level] = 1
        reached_once[level] = True
        levels = [level]
        while True:
            frontier = np.zeros(n * k, dtype=dtype)
            frontier[level] = sigma[level]
            paths = (adjacency @ frontier.reshape(n, k)).ravel()
            level = np.flatnonzero(paths)
            level = level[~reached_once[level]]
            if not len(level):
                break
            sigma[level] = paths[level]
            reached_once[level] = True
            levels.append(level)
        delta = np.zeros(n * k, dtype=dtype)
        for deeper, current in zip(levels[:0:-1], levels[-2::-1], strict=True):
            coefficient = np.zeros(n * k, dtype=dtype)
            coefficient[deeper] = (1 + delta[deeper]) / sigma[deeper]
            back = (adjacency @ coefficient.reshape(n, k)).ravel()
            delta[current] += sigma[current] * back[current]
        delta[levels[0]] = 0
        total += delta.reshape(n, k).sum(axis=1)
    return total


def betweenness_scores(a: Arrays, seed: int = 42, samples: int | None = None) -> tuple[np.ndarray, dict]:
    """Normalised betweenness of every node (as NetworkX normalises it), exact up to
    EXACT_BETWEENNESS_LIMIT nodes, else estimated from `samples` pivots; says which."""
    if a.n < 3:
        return np.zeros(a.n), {"method": "exact"}
    adjacency = a.adjacency()
    if a.n <= EXACT_BETWEENNESS_LIMIT and samples is None:
        pivots, info, dtype = np.arange(a.n), {"method": "exact"}, np.float64
    else:
        # Single precision halves the memory traffic; the sampling error dwarfs the rounding.
        k = min(samples or BETWEENNESS_SAMPLES, a.n)
        pivots = np.sort(np.random.default_rng(seed).choice(a.n, k, replace=False))
        info, dtype = {"method": "sampled", "samples": int(k)}, np.float32
    scale = 1.0 / ((a.n - 1) * (a.n - 2)) * (a.n / len(pivots))
    return dependencies(adjacency, pivots, dtype).astype(np.float64) * scale, info


def top_brokers(scores: np.ndarray, names, top: int = 5) -> list[tuple[str, float]]:
    """The nodes with the highest betweenness (above zero), best first; ties broken by name. Only
    the candidates are named (`names[i]` may be costly, as pseudonyms are)."""
    rounded = np.round(scores, 12)
    positive = np.flatnonzero(rounded > 0)
    if len(positive) > top:
        threshold = np.partition(rounded[positive], len(positive) - top)[len(positive) - top]
        positive = positive[rounded[positive] >= threshold]
    ranked = sorted(((names[i], float(rounded[i])) for i in positive), key=lambda x: (-x[1], x[0]))
    return ranked[:top]


def measure(a: Arrays) -> tuple[dict, dict]:
    """The figures shown everywhere (size, density, degree, components, isolates, crossing ties,
    clustering), and how the estimated ones were computed."""
    count, largest = components(a)
    clustering, clustering_method = average_clustering(a)
    degrees = a.degrees()
    organisations = a.organisation[a.organisation >= 0]
    found = {
        "people": a.n,
        "organisations": int(np.count_nonzero(np.bincount(organisations))) if len(organisations) else 0,
        "ties": a.m,
        "density": density(a),
        "average_degree": average_degree(a),
        "degree_centralisation": degree_centralisation(a),
        "components": count,
        "largest_component": largest,
        "isolates": int(np.count_nonzero(degrees == 0)),
        "cross_organisation_share": crossing_share(a, a.organisation),
        "cross_sector_share": crossing_share(a, a.sector),
        "ei_index_sector": ei_index(a, a.sector),
        "average_clustering": clustering,
    }
    return found, {"average_clustering": clustering_method}


def figures(a: Arrays) -> dict:
    return measure(a)[0]


# The same figures for a NetworkX graph, as the rest of the application builds them.

def summary(graph: nx.Graph) -> dict:
    return figures(Arrays.from_networkx(graph)[0])


def betweenness(graph: nx.Graph, seed: int = 42) -> tuple[dict, dict]:
    """Normalised betweenness by node, exact up to EXACT_BETWEENNESS_LIMIT nodes, else sampled; says which."""
    arrays, nodes = Arrays.from_networkx(graph)
    scores, info = betweenness_scores(arrays, seed)
    return dict(zip(nodes, scores.tolist(), strict=True)), info


def brokers(graph: nx.Graph, top: int = 5) -> list[tuple[str, float]]:
    """The nodes with the highest betweenness (above zero), best first."""
    arrays, nodes = Arrays.from_networkx(graph)
    scores, _ = betweenness_scores(arrays)
    return top_brokers(scores, nodes, top)
