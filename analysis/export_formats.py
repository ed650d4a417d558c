"""Exports for evaluators' own tools: CSV (nodes, edges, figures), GraphML, GEXF (Gephi) and JSON.

One network holds every snapshot of a comparison: each node and tie says in which snapshots it is
(`in_before`, `in_after`…), and each node its organisation, sector and territory in each one (a
person may change organisation). `snapshot_of(graph, name)` cuts one snapshot back out, and its
figures are the comparison's (tests re-import every format and check). Research sample only, with
pseudonyms: nothing in an export names anyone.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

import networkx as nx
from defusedcsv import csv

from analysis.disclosure import people_places
from analysis.pseudonyms import Pseudonyms
from analysis.timeline import Snapshot, Timeline

FORMATS = {
    "nodes.csv": "text/csv",
    "edges.csv": "text/csv",
    "figures.csv": "text/csv",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
}
NODE_FIELDS = ("organisation", "sector", "territory")
EDGE_FIELDS = ("since", "origin", "level", "session")


def export_graph(timeline: Timeline, snapshots: Iterable[tuple[str, Snapshot]], pseudonyms: Pseudonyms) -> nx.Graph:
    """Person-level rows say only what analysis.disclosure.people_places allows: an organisation code where at
    least five sampled people share it in that snapshot, a sector where it does not name the organisation."""
    t = timeline
    graph = nx.Graph()
    names = []
    for name, snapshot in snapshots:
        names.append(name)
        sample = snapshot.sample()
        for person, place in people_places(t, snapshot, sample.nodes.tolist(), pseudonyms).items():
            # GraphML and GEXF have no null: an organisation not told is left out.
            graph.add_node(pseudonyms.person(t.person_ids[person]), **{f"in_{name}": True}, **{
                f"{field}_{name}": value for field, value in place.items() if value is not None})
        for tie in sample.ties.tolist():
            a, b = pseudonyms.person(t.person_ids[t.tie_u[tie]]), pseudonyms.person(t.person_ids[t.tie_v[tie]])
            if not graph.has_edge(a, b):
                since = t.since_date(tie)
                details = {"since": since.isoformat() if since else None, "origin": t.origins[t.tie_origin[tie]],
                           "level": t.tie_level[tie], "session": t.tie_session[tie]}
                # GraphML and GEXF have no null: an unknown detail is left out.
                graph.add_edge(a, b, **{k: v for k, v in details.items() if v is not None})
            graph.edges[a, b][f"in_{name}"] = True
    for _, data in graph.nodes(data=True):
        for name in names:
            data.setdefault(f"in_{name}", False)
    for _, _, data in graph.edges(data=True):
        for name in names:
            data.setdefault(f"in_{name}", False)
    graph.graph["snapshots"] = ",".join(names)
    return graph


def snapshot_of(graph: nx.Graph, name: str) -> nx.Graph:
    """One snapshot of an exported network, nodes carrying `organisation` and `sector` as
    analysis.metrics.summary expects them."""
    cut = nx.Graph()
    for node, data in graph.nodes(data=True):
        if _true(data.get(f"in_{name}")):
            cut.add_node(node, **{field: data.get(f"{field}_{name}") for field in NODE_FIELDS})
    cut.add_edges_from((a, b) for a, b, data in graph.edges(data=True) if _true(data.get(f"in_{name}")))
    return cut


def _true(value) -> bool:
    return value is True or str(value).lower() == "true"


def _names(graph: nx.Graph) -> list[str]:
    return [n for n in graph.graph.get("snapshots", "").split(",") if n]


def nodes_csv(graph: nx.Graph) -> str:
    names = _names(graph)
    columns = ["id"] + [f"{prefix}_{name}" for name in names for prefix in ("in", *NODE_FIELDS)]
    return _csv(columns, ({"id": node, **data} for node, data in graph.nodes(data=True)))


def edges_csv(graph: nx.Graph) -> str:
    names = _names(graph)
    columns = ["source", "target", *EDGE_FIELDS] + [f"in_{name}" for name in names]
    return _csv(columns, ({"source": a, "target": b, **data} for a, b, data in graph.edges(data=True)))


def figures_csv(comparison: dict) -> str:
    """One row per figure and snapshot (totals prefixed `total_`), then the tie changes."""
    rows = []
    for snapshot in comparison["snapshots"]:
        dates = " ".join(f"{t}:{d}" for t, d in snapshot["dates"].items())
        for figure, value in snapshot["totals"].items():
            rows.append({"snapshot": snapshot["name"], "dates": dates, "figure": f"total_{figure}", "value": value})
        for figure, value in snapshot["figures"].items():
            rows.append({"snapshot": snapshot["name"], "dates": dates, "figure": figure, "value": value})
    for change in comparison["changes"]:
        period = f"{change['from']}->{change['to']}"
        for figure in ("new", "kept", "lost"):
            rows.append({"snapshot": period, "figure": f"ties_{figure}", "value": change[figure]})
        for origin, value in change["new_by_origin"].items():
            rows.append({"snapshot": period, "figure": f"ties_new_{origin}", "value": value})
        for reason, value in change["lost_by_reason"].items():
            rows.append({"snapshot": period, "figure": f"ties_lost_{reason}", "value": value})
    return _csv(["snapshot", "dates", "figure", "value"], rows)


def _csv(columns: list[str], rows: Iterable[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else _cell(row.get(k))) for k in columns})
    return buffer.getvalue()


def _cell(value):
    return str(value).lower() if isinstance(value, bool) else value


def graphml(graph: nx.Graph) -> str:
    return "\n".join(nx.generate_graphml(graph))


def gexf(graph: nx.Graph) -> str:
    return "\n".join(nx.generate_gexf(graph))


def as_json(comparison: dict, graph: nx.Graph, scope: str) -> str:
    """The comparison and the network in node-link form (networkx.node_link_graph(…, edges="edges")
    reads it back)."""
    payload = {"scope": scope, **comparison, "network": nx.node_link_data(graph, edges="edges")}
    return json.dumps(payload, ensure_ascii=False, indent=1)


def render(fmt: str, comparison: dict, graph: nx.Graph, scope: str) -> str:
    if fmt == "nodes.csv":
        return nodes_csv(graph)
    if fmt == "edges.csv":
        return edges_csv(graph)
    if fmt == "figures.csv":
        return figures_csv(comparison)
    if fmt == "graphml":
        return graphml(graph)
    if fmt == "gexf":
        return gexf(graph)
    if fmt == "json":
        return as_json(comparison, graph, scope)
    raise ValueError(f"Unknown export format {fmt!r}.")
