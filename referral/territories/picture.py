"""The people-level network drawn as SVG by the page itself (no JavaScript): shapes computed here."""

from __future__ import annotations

import math

from referral.territories.maps import OTHER_COLOUR, SECTOR_COLOURS

PICTURE_WIDTH, PICTURE_HEIGHT, PICTURE_MARGIN = 640, 440, 24


def people_picture(network, labels: dict[str, str], places: dict[str, str],
                   sectors: dict[str, str | None] | None = None) -> dict:
    """The people-level network as SVG-ready shapes: positions from analysis.territory_network.people_layout,
    colour by sector (`sectors` when given: what the viewer may see of it), radius by degree; `places` says
    what is shown beside each person."""
    width, height = PICTURE_WIDTH - 2 * PICTURE_MARGIN, PICTURE_HEIGHT - 2 * PICTURE_MARGIN

    def at(person):
        x, y = network.layout[person]
        return round(PICTURE_MARGIN + x * width, 1), round(PICTURE_MARGIN + (1 - y) * height, 1)

    people = network.people
    # The layout places every person of the territory or none (too many to draw); the picture shows only the
    # people the viewer may see (labels), whoever built the network.
    shown = {person for person in network.layout if person in labels}
    nodes = []
    for person in sorted(shown):
        data = people.nodes[person]
        x, y = at(person)
        nodes.append({"x": x, "y": y, "r": round(4 + 2.5 * math.sqrt(data["degree"]), 1),
                      "colour": SECTOR_COLOURS.get(data.get("sector") if sectors is None else sectors[person],
                                                   OTHER_COLOUR),
                      "label": labels[person],
                      "place": places.get(person, ""), "degree": data["degree"]})
    edges = []
    for a, b in people.edges():
        if a in shown and b in shown:
            (x1, y1), (x2, y2) = at(a), at(b)
            crossing = people.nodes[a].get("organisation") != people.nodes[b].get("organisation")
            edges.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "crossing": crossing})
    return {"width": PICTURE_WIDTH, "height": PICTURE_HEIGHT, "nodes": nodes, "edges": edges,
            "drawn": bool(network.layout) or not people.number_of_nodes()}
