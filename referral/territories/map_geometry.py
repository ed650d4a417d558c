"""Where a territory map puts things: markers that share a place set apart, the view the map frames, and
referral flows as arrows cut at the edge of that view. Plain (lat, lon) arithmetic, no Leaflet."""

from __future__ import annotations

import math

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # south, west, north, east
METRES_PER_DEGREE = 111_320.0


def spread_apart(positions: dict[str, Point], radius_m: float = 150.0, near_m: float = 80.0) -> dict[str, Point]:
    """Organisations at one point or a few metres apart (often one postal area's centre, or one street) set on
    a circle around their middle, in a stable order, so that each marker can be seen and clicked at a
    territory's zoom; one with nobody near stays put."""
    groups: list[list[str]] = []
    centres: list[Point] = []
    for key in sorted(positions, key=lambda k: (positions[k], k)):
        point = positions[key]
        near = next((i for i, c in enumerate(centres) if _metres(point, c) <= near_m), None)
        if near is None:
            groups.append([key])
            centres.append(point)
        else:
            groups[near].append(key)
    spread = dict(positions)
    for keys in (g for g in groups if len(g) > 1):
        lat = sum(positions[k][0] for k in keys) / len(keys)
        lon = sum(positions[k][1] for k in keys) / len(keys)
        radius = radius_m * max(1.0, len(keys) / 6)  # a crowded point gets a wider ring
        k = math.cos(math.radians(lat))
        for i, key in enumerate(sorted(keys)):
            angle = 2 * math.pi * i / len(keys)
            spread[key] = (round(lat + radius * math.cos(angle) / METRES_PER_DEGREE, 6),
                           round(lon + radius * math.sin(angle) / (METRES_PER_DEGREE * k), 6))
    return spread


def _metres(a: Point, b: Point) -> float:
    k = math.cos(math.radians(a[0]))
    return math.hypot((a[0] - b[0]) * METRES_PER_DEGREE, (a[1] - b[1]) * METRES_PER_DEGREE * k)


def bounding_box(points) -> Box | None:
    points = list(points)
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return min(lats), min(lons), max(lats), max(lons)


def clip(a: Point, b: Point, box: Box) -> tuple[Point, Point] | None:
    """The part of the segment a→b inside the box (Liang–Barsky), or None when it does not cross it."""
    south, west, north, east = box
    (y0, x0), (y1, x1) = a, b
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - west), (dx, east - x0), (-dy, y0 - south), (dy, north - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    start = a if low == 0 else (y0 + low * dy, x0 + low * dx)
    end = b if high == 1 else (y0 + high * dy, x0 + high * dx)
    return start, end


def arrow(source: Point, target: Point) -> tuple[list, list] | None:
    """A referral flow as a line and an arrowhead (lat/lon), set off to the right of its direction so
    that flows both ways between two organisations stay apart, and stopping short of the markers."""
    (lat1, lon1), (lat2, lon2) = source, target
    k = math.cos(math.radians((lat1 + lat2) / 2))  # metres per degree of longitude shrink with latitude
    dx, dy = (lon2 - lon1) * k, lat2 - lat1
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return None
    ux, uy = dx / length, dy / length
    nx, ny = uy, -ux  # right-hand normal
    offset, gap = min(0.0006, length * 0.08), min(0.0008, length * 0.15)
    head = min(0.0012, length * 0.25)

    def point(x, y):
        return [round(lat1 + y, 6), round(lon1 + x / k, 6)]

    start = (ux * gap + nx * offset, uy * gap + ny * offset)
    tip = (dx - ux * gap + nx * offset, dy - uy * gap + ny * offset)
    base = (tip[0] - ux * head, tip[1] - uy * head)
    left = point(base[0] + nx * head * 0.5, base[1] + ny * head * 0.5)
    right = point(base[0] - nx * head * 0.5, base[1] - ny * head * 0.5)
    return [point(*start), point(*tip)], [point(*tip), left, right]


def flow_arrow(source: Point, target: Point, view: Box | None) -> tuple[list, list, bool] | None:
    """A flow's arrow inside the view: a flow to or from an organisation off the map is cut at the view's
    edge (its head there when the family went out). (line, head, cut), or None when it misses the view."""
    if view is None:
        shape = arrow(source, target)
        return shape and (*shape, False)
    part = clip(source, target, view)
    if part is None:
        return None
    cut = part != (source, target)
    shape = arrow(*part)
    return shape and (*shape, cut)
