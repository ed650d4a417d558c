"""Read the collaboration network out of Neo4j: as a Timeline (every job, tie and survey verdict,
replayable on any date, see analysis.timeline) or as a NetworkX graph on one date.

Nodes are intervenant.es (key: person id) with their organisation, sector and territory; edges are
KNOWS ties with their date, origin and level. A tie exists on a date when `since <= date`, both
people work in the scope that day and no survey wave found it gone (ties are never overwritten,
so the past can be replayed).
"""

from __future__ import annotations

from datetime import date

import networkx as nx
from neo4j import Driver, ManagedTransaction

from analysis.timeline import ALWAYS, NEVER, Timeline, ordinals
from graph.driver import DATABASE

# Dates travel as yyyymmdd integers (analysis.timeline.ordinals turns them into days): a million ties
# decode faster as integers than as temporal values, and Neo4j computes them faster than a duration.
DAY = "{value}.year * 10000 + {value}.month * 100 + {value}.day"
# Which ties: all of them, or those of the people who worked in some territories (both ends are
# checked in Python). Chosen from this whitelist, never built from input.
ALL_TIES = "MATCH (a)-[k:KNOWS]->(b)"  # no label check: ties of people without a job are dropped anyway
TERRITORY_TIES = """
    MATCH (t:Territory) WHERE t.id IN $territories
    MATCH (t)<-[:LOCATED_IN]-(:Organisation)<-[:WORKS_AT]-(a:Intervenant)
    WITH DISTINCT a
    MATCH (a)-[k:KNOWS]->(b:Intervenant)
"""


def _read_timeline(tx: ManagedTransaction, territories: list[str] | None, details: bool):
    # One record of columns rather than a record per row: ten times faster to decode for a
    # million ties (and dict(record), not record.data(), which would walk every element again).
    # collect() skips nulls, so every column is made non-null (0, '').
    jobs = dict(tx.run(
        f"""
        MATCH (t:Territory) WHERE $territories IS NULL OR t.id IN $territories
        MATCH (t)<-[:LOCATED_IN]-(o:Organisation)<-[w:WORKS_AT]-(p:Intervenant)
        RETURN collect(p.id) AS person, collect(o.id) AS organisation, collect(coalesce(o.sector, '')) AS sector,
               collect(coalesce(o.kind, '')) AS kind, collect(t.id) AS territory,
               collect(coalesce({DAY.format(value="w.since")}, 0)) AS since,
               collect(coalesce({DAY.format(value="w.until")}, 0)) AS until,
               collect(coalesce(p.research_consent, false)) AS research_consent,
               collect(coalesce(p.role, '')) AS role, collect(p:Erased) AS erased
        """,
        territories=territories,
    ).single())
    # Directed pattern: each relationship once, from whichever end it was stored. Level and
    # session only when asked for (exports, NetworkX graphs): the figures do not need them.
    extra = ", collect(coalesce(k.level, '')) AS level, collect(coalesce(k.session, '')) AS session" if details else ""
    ties = dict(tx.run(
        f"""
        {ALL_TIES if territories is None else TERRITORY_TIES}
        RETURN collect(a.id) AS a, collect(b.id) AS b, collect(coalesce({DAY.format(value="k.since")}, 0)) AS since,
               collect(coalesce(k.origin, '')) AS origin {extra}
        """,
        territories=territories,
    ).single())
    answers = dict(tx.run(
        f"""
        MATCH (a)-[r:RATED]->(b)
        MATCH (w:Wave {{id: r.wave}})
        RETURN collect(a.id) AS a, collect(b.id) AS b, collect(coalesce({DAY.format(value="w.closes")}, 0)) AS closes,
               collect(coalesce(r.knows, false)) AS knows
        """
    ).single())
    return jobs, ties, answers


def read_timeline(driver: Driver, territories: list[str] | None = None, database: str = DATABASE,
                  details: bool = True) -> Timeline:
    """Everything needed to replay the network of some territories (or all) on any date; without
    `details`, ties come without their level and session (faster, enough for the figures)."""
    # Labels and properties that no one has written yet (RATED before the first survey wave) are
    # expected here: no notifications.
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        jobs, ties, answers = session.execute_read(_read_timeline, territories, details)
    jobs["since"] = ordinals(jobs["since"], ALWAYS)
    jobs["until"] = ordinals(jobs["until"], NEVER)
    ties["since"] = ordinals(ties["since"], ALWAYS)
    # A wave's verdict holds from the day after it closes (members may answer until the last day).
    answers["effective"] = ordinals(answers.pop("closes"), NEVER) + 1
    return Timeline.from_columns(jobs, ties, answers)


def people_network(driver: Driver, territory: str | None = None, as_of: date | None = None,
                   origins: list[str] | None = None, database: str = DATABASE) -> nx.Graph:
    """The intervenant.es of a territory (or all) and the ties between them, as of a date (or today)."""
    timeline = read_timeline(driver, [territory] if territory else None, database)
    return snapshot_graph(timeline, as_of or date.today(), origins)


def snapshot_graph(timeline: Timeline, at, origins: list[str] | None = None) -> nx.Graph:
    """A Timeline's snapshot as a NetworkX graph keyed by person id, everyone included."""
    snapshot = timeline.snapshot(at, origins)
    t = timeline
    graph = nx.Graph()
    for person in snapshot.active.nonzero()[0]:
        org = snapshot.node_org[person]
        graph.add_node(
            t.person_ids[person], organisation=t.org_ids[org], sector=t.sectors[t.org_sector[org]],
            kind=t.org_kind[org], territory=t.territories[t.org_territory[org]],
            research_consent=bool(t.person_consent[person]), erased=bool(t.person_erased[person]),
        )
    for tie in snapshot.tie_mask.nonzero()[0]:
        graph.add_edge(
            t.person_ids[t.tie_u[tie]], t.person_ids[t.tie_v[tie]], since=t.since_date(tie),
            origin=t.origins[t.tie_origin[tie]], level=t.tie_level[tie], session=t.tie_session[tie],
        )
    return graph


def organisation_network(people: nx.Graph) -> nx.Graph:
    """Organisations linked by the ties between their people; edge weight = number of such ties."""
    graph = nx.Graph()
    for _, data in people.nodes(data=True):
        graph.add_node(data["organisation"], sector=data["sector"], territory=data["territory"])
    for a, b in people.edges():
        oa, ob = people.nodes[a]["organisation"], people.nodes[b]["organisation"]
        if oa == ob:
            continue
        weight = graph.edges[oa, ob]["weight"] + 1 if graph.has_edge(oa, ob) else 1
        graph.add_edge(oa, ob, weight=weight)
    return graph
