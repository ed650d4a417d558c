"""Geometry of the server-drawn SVG charts (growth curves, difference view): plain numbers that
the templates turn into SVG, so that the charts work without JavaScript."""

from __future__ import annotations

import math

import networkx as nx

# Okabe–Ito: told apart by colour-blind readers too; black for the overall line.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MAX_DRAWN_PEOPLE = 400


TICKS = 4


def _nice_step(value: float, integer: bool) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at least `value` (whole numbers only for counts)."""
    if value <= 0:
        return 1.0 if integer else 0.25
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= value and (not integer or float(step).is_integer()):
            return step
    return 10 * magnitude


def line_chart(x_labels: list[str], series: list[dict], width: int = 640, height: int = 260,
               integer: bool = False) -> dict:
    """series: [{"label", "values": [number or None, one per x label]}] → axes, ticks and polylines."""
    left, right, top, bottom = 48, 24, 12, 36
    values = [v for s in series for v in s["values"] if v is not None]
    # The axis includes 0 and goes below it when a figure does (the E–I index runs from −1 to +1).
    low, high = min(0.0, *values) if values else 0.0, max(0.0, *values) if values else 0.0
    step = _nice_step((high - low) / TICKS, integer)
    floor = step * math.floor(low / step)
    while floor + step * TICKS < high:
        step = _nice_step(step * 1.01, integer)
        floor = step * math.floor(low / step)
    ceiling = floor + step * TICKS
    plot_w, plot_h = width - left - right, height - top - bottom
    x_step = plot_w / max(1, len(x_labels) - 1)

    def x_at(i: int) -> float:
        return round(left + i * x_step, 1)

    def y_at(v: float) -> float:
        return round(top + plot_h - (v - floor) / (ceiling - floor) * plot_h, 1)

    ticks = [{"y": y_at(floor + step * k), "value": floor + step * k} for k in range(TICKS + 1)]
    drawn = []
    for index, s in enumerate(series):
        points = [(x_at(i), y_at(v), v, x_labels[i]) for i, v in enumerate(s["values"]) if v is not None]
        drawn.append({
            "label": s["label"], "color": s.get("color") or PALETTE[index % len(PALETTE)],
            "polyline": " ".join(f"{x},{y}" for x, y, _, _ in points), "points": points,
        })
    return {
        "width": width, "height": height, "left": left, "right": width - right, "top": top,
        "bottom": top + plot_h, "x": [{"x": x_at(i), "label": label} for i, label in enumerate(x_labels)],
        "ticks": ticks, "series": drawn,
    }


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
