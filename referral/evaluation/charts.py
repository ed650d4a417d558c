"""Geometry of the difference view's network drawing: plain numbers that its template turns into SVG, so
that it works without JavaScript (the growth curves are images: curves.py)."""

from __future__ import annotations

import math

import networkx as nx

MAX_DRAWN_PEOPLE = 400


def layout(frames: list[dict], width: int = 640, height: int = 480, seed: int = 7) -> dict[str, tuple]:
    """One position per person for every frame (so that nothing jumps when the slider moves):
    a spring layout of all the frames' people and ties together, with a fixed seed."""
    union = nx.Graph()
    for frame in frames:
        union.add_nodes_from(n["id"] for n in frame["nodes"])
        union.add_edges_from((e["a"], e["b"]) for e in frame["edges"])
    if not union:
        return {}
    positions = nx.spring_layout(union, seed=seed, k=1.6 / math.sqrt(max(1, len(union))))
    margin = 24
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        node: (round(margin + (x - min(xs)) / span_x * (width - 2 * margin), 1),
               round(margin + (y - min(ys)) / span_y * (height - 2 * margin), 1))
        for node, (x, y) in sorted(positions.items())
    }


def network_frame(frame: dict, positions: dict[str, tuple]) -> dict:
    """A difference frame drawn: nodes sized by the change in their degree, ties by status."""
    nodes = []
    for node in frame["nodes"]:
        x, y = positions[node["id"]]
        change = node["degree_to"] - node["degree_from"]
        nodes.append({**node, "x": x, "y": y, "change": change, "r": round(4 + 2.5 * math.sqrt(abs(change)), 1)})
    edges = []
    for edge in frame["edges"]:
        (x1, y1), (x2, y2) = positions[edge["a"]], positions[edge["b"]]
        edges.append({**edge, "x1": x1, "y1": y1, "x2": x2, "y2": y2})
    # Lost ties underneath, new ones on top.
    order = {"lost": 0, "kept": 1, "new": 2}
    edges.sort(key=lambda e: order[e["status"]])
    counts = {status: sum(1 for e in frame["edges"] if e["status"] == status) for status in order}
    people = {status: sum(1 for n in frame["nodes"] if n["status"] == status) for status in ("new", "kept", "left")}
    return {"name": frame["name"], "nodes": nodes, "edges": edges, "ties": counts, "people": people}
