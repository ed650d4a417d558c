"""Where a territory's map and people diagram put things (issue 19): markers that share a point set apart,
flows cut at the view's edge, people with no tie in a row of their own."""

import math

import networkx as nx

from analysis.territory_network import people_layout
from referral.territories.map_geometry import clip, flow_arrow, spread_apart

CENTRE = (45.58, -73.63)


def metres(a, b) -> float:
    k = math.cos(math.radians(a[0]))
    return math.hypot((a[0] - b[0]) * 111_320, (a[1] - b[1]) * 111_320 * k)


def test_markers_at_one_point_go_round_it_and_the_others_stay():
    positions = {"a": CENTRE, "b": CENTRE, "c": CENTRE, "alone": (45.6, -73.6)}
    spread = spread_apart(positions)
    assert spread["alone"] == (45.6, -73.6)
    ring = [spread[k] for k in "abc"]
    assert len(set(ring)) == 3
    assert all(abs(metres(p, CENTRE) - 150) < 1 for p in ring)
    assert spread_apart(positions) == spread  # same input, same places


def test_a_crowded_point_gets_a_wider_ring():
    spread = spread_apart({str(i): CENTRE for i in range(12)})
    assert all(abs(metres(p, CENTRE) - 300) < 1 for p in spread.values())
    assert min(metres(a, b) for a in spread.values() for b in spread.values() if a != b) > 150


def test_markers_a_few_metres_apart_are_set_apart_too():
    """Found by the outside pass of issue 19: four of Anjou's organisations a few metres apart sat on top of
    each other; only those at exactly one point were spread."""
    near = {"a": CENTRE, "b": (CENTRE[0] + 0.0002, CENTRE[1]), "c": (CENTRE[0], CENTRE[1] + 0.0003)}
    spread = spread_apart(near)
    assert min(metres(a, b) for a in spread.values() for b in spread.values() if a != b) > 200


BOX = (45.5, -73.7, 45.6, -73.6)  # south, west, north, east


def test_a_segment_inside_is_kept_whole_and_one_outside_is_dropped():
    inside = ((45.52, -73.68), (45.58, -73.62))
    assert clip(*inside, BOX) == inside
    assert clip((45.7, -73.8), (45.8, -73.5), BOX) is None


def test_a_flow_to_an_organisation_off_the_map_stops_at_its_edge():
    line, head, cut = flow_arrow((45.55, -73.65), (45.55, -73.40), BOX)
    assert cut and line[1][1] <= -73.6 and head[0] == line[1]
    assert all(BOX[0] <= lat <= BOX[2] and BOX[1] <= lon <= BOX[3] for lat, lon in line + head[:1])
    _line, _head, cut = flow_arrow((45.55, -73.65), (45.56, -73.62), BOX)
    assert not cut


def test_people_with_no_tie_sit_in_a_row_below_the_others():
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    graph.add_nodes_from(["x", "y", "z"])
    places = people_layout(graph)
    assert {places[p][1] for p in "xyz"} == {0.04}
    assert len({places[p][0] for p in "xyz"}) == 3
    assert all(places[p][1] >= 0.16 for p in "abcd")
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in places.values())
    assert people_layout(graph) == places
