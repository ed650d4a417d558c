"""One territory's collaboration network as it stood on a date: what the map draws and the figures beside it.

Computed from plain inputs that graph.timeline_reader.territory_network reads (people and KNOWS ties as of the
date, the referral flows between organisations), with analysis.metrics for the figures; no Neo4j here.

Definitions used on the page:

- *Isolated organisation*: an organisation of the territory none of whose people (as of the date) has a
  tie to a person of another organisation — in this territory or any other. An organisation with nobody
  in the network is isolated too.
- *Broker*: a person of the territory among the highest betweenness centralities of the territory's
  people network (analysis.metrics.brokers: the top five above zero).
- *Closed circuit of referral* (the report's « circuits fermés de référence »): take every referral made
  on or before the date, across all territories, and aggregate it to a directed edge from the sending
  person's organisation to the receiving person's organisation (each at the organisation where they
  worked that day; referrals inside one organisation are left out). A closed circuit is a weakly
  connected component of that directed graph with at least two organisations: a maximal group in which
  every referral a member sent or received stays inside the group — no referral to or from any other
  organisation. It is *reciprocal* when it is also strongly connected (referrals go round, a family
  sent on can come back). A territory shows the circuits with at least one member located in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from analysis import metrics

LAYOUT_SEED = 7
# Beyond this many people the picture (640 × 440, a phone's width) is a knot of overlapping dots, and its
# layout costs O(n²) per step (0.9 s for 330 people): figures only.
PICTURE_LIMIT = 150
BROKERS_SHOWN = 5


@dataclass
class TerritoryNetwork:
    territory: str
    as_of: date
    organisations: list[dict]
    people: nx.Graph
    layers: list[dict]
    flows: list[dict]
    circuits: list[dict]
    figures: dict
    brokers: list[dict]
    layout: dict = field(default_factory=dict)
    organisation_names: dict = field(default_factory=dict)  # of the territory's and of every referral flow's


def _layer_key(tie: dict) -> str:
    """The map layer a tie is drawn on (see tie_layers)."""
    origin = tie.get("origin")
    if origin == "ei_session":
        return f"session:{tie.get('session')}"
    return origin if origin in ("before_ei", "referral") else "declared"


def tie_layers(people: nx.Graph, sessions: list[dict]) -> list[dict]:
    """The map's toggleable layers of organisation-to-organisation edges: ties from before EI, ties formed
    at each EI session, ties formed through referrals, and ties declared otherwise. Each layer's edges
    count the ties between people of two different organisations, [{source, target, ties}], heaviest
    first; one pass over the ties."""
    known_sessions = {s["id"]: s for s in sessions}
    counts: dict[str, dict[tuple, int]] = {}
    for a, b, tie in people.edges(data=True):
        oa, ob = people.nodes[a]["organisation"], people.nodes[b]["organisation"]
        if oa != ob:
            pairs = counts.setdefault(_layer_key(tie), {})
            pair = (min(oa, ob), max(oa, ob))
            pairs[pair] = pairs.get(pair, 0) + 1
    # Ties of a session not held in this territory (or with no session recorded) get layers of their own.
    found = sorted({tie.get("session") for _, _, tie in people.edges(data=True)
                    if tie.get("origin") == "ei_session" and tie.get("session") not in known_sessions},
                   key=lambda sid: (sid is None, sid or ""))
    layers = [{"key": "before_ei", "origin": "before_ei", "session": None}]
    for sid in [*known_sessions, *found]:
        session = known_sessions.get(sid, {})
        layers.append({"key": f"session:{sid}", "origin": "ei_session", "session": sid,
                       "number": session.get("number"), "date": session.get("date")})
    layers += [{"key": "referral", "origin": "referral", "session": None},
               {"key": "declared", "origin": "declared", "session": None}]
    for layer in layers:
        pairs = counts.get(layer["key"], {})
        layer["edges"] = sorted(({"source": a, "target": b, "ties": n} for (a, b), n in pairs.items()),
                                key=lambda e: (-e["ties"], e["source"], e["target"]))
        layer["ties"] = sum(pairs.values())
    return layers


def isolated_organisations(people: nx.Graph, organisation_ids: list[str]) -> list[str]:
    """Organisations (of those given) with no tie from one of their people to a person elsewhere."""
    linked = set()
    for a, b in people.edges():
        oa, ob = people.nodes[a].get("organisation"), people.nodes[b].get("organisation")
        if oa != ob:
            linked.update((oa, ob))
    return [o for o in organisation_ids if o not in linked]


def closed_circuits(flows: list[dict]) -> list[dict]:
    """Weakly connected groups (≥ 2 organisations) of the directed referral graph; see the module docstring."""
    graph = nx.DiGraph()
    for flow in flows:
        if flow["source"] != flow["target"]:
            graph.add_edge(flow["source"], flow["target"], referrals=flow["referrals"])
    circuits = []
    for members in nx.weakly_connected_components(graph):
        if len(members) < 2:
            continue
        group = graph.subgraph(members)
        circuits.append({
            "organisations": sorted(members),
            "referrals": sum(d["referrals"] for _, _, d in group.edges(data=True)),
            "reciprocal": nx.is_strongly_connected(group),
        })
    return sorted(circuits, key=lambda c: (-len(c["organisations"]), c["organisations"]))


def people_layout(graph: nx.Graph, seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Force-directed positions (Fruchterman–Reingold, fixed seed: same graph, same picture) scaled into the
    unit square with a margin; people with no tie in a row of their own along the bottom, so that they do not
    push the others into a knot in the middle (y grows upwards)."""
    nodes = sorted(graph.nodes())
    if not nodes or len(nodes) > PICTURE_LIMIT:
        return {}
    alone = [node for node in nodes if graph.degree(node) == 0]
    linked = [node for node in nodes if graph.degree(node) > 0]
    places = {node: (0.05 + 0.9 * (i + 0.5) / len(alone), 0.04) for i, node in enumerate(alone)}
    if not linked:
        return places
    ordered = nx.Graph()
    ordered.add_nodes_from(linked)
    ordered.add_edges_from(graph.subgraph(linked).edges())
    positions = nx.spring_layout(ordered, seed=seed)
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    bottom = 0.16 if alone else 0.05  # room for the row

    def scale(value, low, high, start):
        return (start + 0.95) / 2 if high == low else start + (0.95 - start) * (value - low) / (high - low)

    return places | {node: (scale(float(x), min(xs), max(xs), 0.05), scale(float(y), min(ys), max(ys), bottom))
                     for node, (x, y) in positions.items()}


def _kept_places(people: nx.Graph, ever: nx.Graph | None) -> dict[str, tuple[float, float]]:
    """The day's people at their places in `ever`'s layout (the day's own when `ever` is too large to draw)."""
    places = people_layout(ever) if ever is not None and set(people) <= set(ever) else {}
    return {person: places[person] for person in people} if places else people_layout(people)


def territory_people_ever(timeline, territory: str, keep=lambda person: True) -> nx.Graph:
    """Everyone who ever worked in the territory (those `keep` keeps, a person id each) and every tie among
    them, whatever its date: the graph the page's layout is computed on once."""
    t = timeline
    where = t.territories.index(territory) if territory in t.territories else -1
    members = {int(person) for person, org in zip(t.job_person, t.job_org, strict=True)
               if t.org_territory[org] == where and keep(t.person_ids[person])}
    graph = nx.Graph()
    graph.add_nodes_from(t.person_ids[p] for p in members)
    graph.add_edges_from((t.person_ids[u], t.person_ids[v]) for u, v in zip(t.tie_u, t.tie_v, strict=True)
                         if int(u) in members and int(v) in members)
    return graph


def territory_figures(people: nx.Graph, everyone: nx.Graph, organisations: list[dict]) -> dict:
    """analysis.metrics.summary of the territory's people network, with the organisations of the territory
    (existing on the date), the isolated ones and the ties reaching other territories."""
    figures = metrics.summary(people)
    figures["organisations_with_people"] = figures.pop("organisations")
    figures["organisations"] = len(organisations)
    figures["isolated_organisations"] = isolated_organisations(everyone, [o["id"] for o in organisations])
    figures["ties_to_other_territories"] = sum(1 for a, b in everyone.edges() if (a in people) != (b in people))
    return figures


def build_territory_network(territory: str, as_of: date, everyone: nx.Graph, organisations: list[dict],
                            sessions: list[dict], all_flows: list[dict],
                            ever: nx.Graph | None = None) -> TerritoryNetwork:
    """Everything the page shows, from plain inputs (so that tests can feed a small known graph). `ever`: the
    territory's people over all dates and their ties; laid out once, they keep their places from one date to
    the next, so that before and after compare by eye."""
    people = everyone.subgraph([n for n, d in everyone.nodes(data=True) if d.get("territory") == territory]).copy()
    figures = territory_figures(people, everyone, organisations)
    brokers = [{"person": person, "organisation": people.nodes[person].get("organisation"), "score": score,
                "degree": people.degree(person)}
               for person, score in metrics.brokers(people, top=BROKERS_SHOWN)]
    ids = {o["id"] for o in organisations}
    flows = [f for f in all_flows if f["source"] in ids or f["target"] in ids]
    circuits = [c for c in closed_circuits(all_flows) if ids & set(c["organisations"])]
    for person in people:
        people.nodes[person]["degree"] = people.degree(person)
    names = {f["source"]: f["source_name"] for f in all_flows} | {f["target"]: f["target_name"] for f in all_flows}
    names.update({o["id"]: o["name"] for o in organisations})
    return TerritoryNetwork(
        territory=territory, as_of=as_of, organisations=organisations, people=people,
        layers=tie_layers(people, sessions), flows=flows, circuits=circuits, figures=figures,
        brokers=brokers, layout=_kept_places(people, ever), organisation_names=names,
    )


def research_sample(everyone: nx.Graph) -> nx.Graph:
    """The people who consented to research and the ties among them: all an evaluator may see of anyone
    (analysis.timeline.Snapshot.sample, as the evaluation's figures and exports)."""
    return everyone.subgraph([n for n, d in everyone.nodes(data=True) if d.get("research_consent")]).copy()
