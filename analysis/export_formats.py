"""Exports for evaluators' own tools: CSV (nodes, edges, figures), a spreadsheet (.xlsx, the three tables),
GraphML, GEXF (Gephi, dynamic: its timeline plays the snapshots) and JSON.

One network holds every snapshot of a comparison: each node and tie says in which snapshots it is
(`in_before`, `in_after`…), and each node its organisation, sector and territory, its degree and its
betweenness in each one (a person may change organisation). `snapshot_of(graph, name)` cuts one snapshot
back out, and its figures are the comparison's (tests re-import every format and check). Research sample
only, with pseudonyms: nothing in an export names anyone.

CSV follows the reader's language, as a spreadsheet opens it: in French « ; » between cells and « , » in
decimals, in English « , » and « . »; both begin with a UTF-8 byte order mark (Excel reads accents then).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import networkx as nx
from defusedcsv import csv
from openpyxl import Workbook

from analysis import metrics
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
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NODE_FIELDS = ("organisation", "sector", "territory")
MEASURES = ("degree", "betweenness")  # per person and snapshot
# (cell separator, decimal mark) by the reader's language; French is the default.
CSV_STYLES = {"fr": (";", ","), "en": (",", ".")}
EDGE_FIELDS = ("since", "origin", "level", "session")


def export_graph(timeline: Timeline, snapshots: Iterable[tuple[str, Snapshot]], pseudonyms: Pseudonyms,
                 days: Mapping[str, date] | None = None) -> nx.Graph:
    """Person-level rows say only what analysis.disclosure.people_places allows: an organisation code where at
    least five sampled people share it in that snapshot, a sector where it does not name the organisation.
    `days`: each snapshot's day (the latest of its territories'), for GEXF's timeline."""
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
    if days:
        graph.graph["days"] = ",".join(days[name].isoformat() for name in names)
    _add_measures(graph, names)
    return graph


def _add_measures(graph: nx.Graph, names: list[str]) -> None:
    """Each person's degree and (normalised) betweenness in each snapshot they are in."""
    for name in names:
        cut = snapshot_of(graph, name)
        scores, _ = metrics.betweenness(cut)
        for node, degree in cut.degree():
            graph.nodes[node][f"degree_{name}"] = degree
            graph.nodes[node][f"betweenness_{name}"] = round(scores[node], 6)


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


def node_table(graph: nx.Graph) -> tuple[list[str], Iterable[dict]]:
    names = _names(graph)
    columns = ["id"] + [f"{prefix}_{name}" for name in names for prefix in ("in", *NODE_FIELDS, *MEASURES)]
    return columns, ({"id": node, **data} for node, data in graph.nodes(data=True))


def edge_table(graph: nx.Graph) -> tuple[list[str], Iterable[dict]]:
    names = _names(graph)
    columns = ["source", "target", *EDGE_FIELDS] + [f"in_{name}" for name in names]
    return columns, ({"source": a, "target": b, **data} for a, b, data in graph.edges(data=True))


def figure_table(comparison: dict) -> tuple[list[str], list[dict]]:
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
    return ["snapshot", "dates", "figure", "value"], rows


def to_csv(table: tuple[list[str], Iterable[dict]], language: str = "fr") -> str:
    columns, rows = table
    separator, decimal = CSV_STYLES.get(language, CSV_STYLES["fr"])
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n",
                            delimiter=separator)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else _cell(row.get(k), decimal)) for k in columns})
    return buffer.getvalue()


def _cell(value, decimal: str = "."):
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    return value


def graphml(graph: nx.Graph) -> str:
    """GraphML, its booleans as the format writes them (`true`, `false`; NetworkX writes Python's)."""
    return re.sub(r">(True|False)</data>", lambda m: f">{m.group(1).lower()}</data>",
                  "\n".join(nx.generate_graphml(graph)))


def gexf(graph: nx.Graph) -> str:
    """A dynamic GEXF that Gephi's timeline plays: a tie appears on its `since` day (a session's ties on the
    session's day, not at the next snapshot: found by the outside pass of issue 19) and a person with their
    first tie, and each stays to the day before the next snapshot it is not in (the last one: its day). On
    each snapshot's day the timeline shows exactly that snapshot; `in_…` says the same for other tools."""
    dynamic = graph.copy()
    names, days = _names(graph), [date.fromisoformat(d) for d in graph.graph.get("days", "").split(",") if d]
    if len(days) != len(names):
        return "\n".join(nx.generate_gexf(dynamic))
    dynamic.graph["mode"] = "dynamic"
    ends = [max(day, days[i + 1] - timedelta(days=1)) if i + 1 < len(days) else day for i, day in enumerate(days)]
    starts: dict = {}  # person -> {first snapshot of a run: the earliest start of their ties in it}
    for u, v, data in dynamic.edges(data=True):
        since = date.fromisoformat(data["since"]) if data.get("since") else None
        spells = []
        for a, b in _runs(data, names):
            start = days[a] if since is None else min(days[a], max(since, days[a - 1] + timedelta(days=1)) if a
                                                       else since)
            spells.append((start, ends[b]))
            for person in (u, v):
                earliest = starts.setdefault(person, {})
                earliest[a] = min(start, earliest.get(a, start))
        data["spells"] = _iso(spells)
    for person, data in dynamic.nodes(data=True):
        data["spells"] = _iso([(starts.get(person, {}).get(a, days[a]), ends[b]) for a, b in _runs(data, names)])
    return "\n".join(nx.generate_gexf(dynamic))


def _runs(data: dict, names: list[str]) -> list[tuple[int, int]]:
    """The maximal runs (first, last) of consecutive snapshots the person or tie is in."""
    runs: list[list[int]] = []
    for i, name in enumerate(names):
        if _true(data.get(f"in_{name}")):
            if runs and runs[-1][1] == i - 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
    return [(a, b) for a, b in runs]


def _iso(spells: list[tuple[date, date]]) -> list[tuple[str, str]]:
    return [(start.isoformat(), end.isoformat()) for start, end in spells]


def as_json(comparison: dict, graph: nx.Graph, scope: str) -> str:
    """The comparison and the network in node-link form (networkx.node_link_graph(…, edges="edges")
    reads it back)."""
    payload = {"scope": scope, **comparison, "network": nx.node_link_data(graph, edges="edges")}
    return json.dumps(payload, ensure_ascii=False, indent=1)


def render(fmt: str, comparison: dict, graph: nx.Graph, scope: str, language: str = "fr") -> str | bytes:
    if fmt == "nodes.csv":
        return to_csv(node_table(graph), language)
    if fmt == "edges.csv":
        return to_csv(edge_table(graph), language)
    if fmt == "figures.csv":
        return to_csv(figure_table(comparison), language)
    if fmt == "xlsx":
        return workbook({"chiffres" if language == "fr" else "figures": figure_table(comparison),
                         "personnes" if language == "fr" else "people": node_table(graph),
                         "liens" if language == "fr" else "ties": edge_table(graph)})
    if fmt == "graphml":
        return graphml(graph)
    if fmt == "gexf":
        return gexf(graph)
    if fmt == "json":
        return as_json(comparison, graph, scope)
    raise ValueError(f"Unknown export format {fmt!r}.")


def workbook(sheets: dict[str, tuple[list[str], Iterable[dict]]]) -> bytes:
    """The tables as the sheets of one .xlsx (numbers as numbers, whatever the reader's language)."""
    book = Workbook(write_only=True)
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            sheet.append([_sheet_cell(row.get(k)) for k in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_cell(value):
    # defusedcsv's rule for text: a cell a spreadsheet would run as a formula starts with a quote.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
