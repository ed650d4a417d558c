"""Read the collaboration network out of Neo4j: as a Timeline (every job, tie and survey verdict,
replayable on any date, see graph.network) or as a NetworkX graph on one date.

Nodes are intervenant.es (key: person id) with their organisation, sector and territory; edges are
KNOWS ties with their date, origin and level. A tie exists on a date when `since <= date`, both
people work in the scope that day and no survey wave found it gone (ties are never overwritten,
so the past can be replayed).
"""

from __future__ import annotations

from datetime import date

import networkx as nx
from neo4j import Driver, ManagedTransaction

from graph.driver import DATABASE
from graph.network import Timeline

# Dates travel as proleptic ordinals (Python's date.toordinal()): a million ties decode faster as
# integers than as temporal values. date() also accepts a datetime or an ISO string.
ORDINAL = "duration.inDays(date('0001-01-01'), date({value})).days + 1"


def _read_timeline(tx: ManagedTransaction, territories: list[str] | None):
    jobs = tx.run(
        f"""
        MATCH (t:Territory) WHERE $territories IS NULL OR t.id IN $territories
        MATCH (t)<-[:LOCATED_IN]-(o:Organisation)<-[w:WORKS_AT]-(p:Intervenant)
        RETURN p.id AS person, o.id AS organisation, o.sector AS sector, o.kind AS kind, t.id AS territory,
               {ORDINAL.format(value="w.since")} AS since, {ORDINAL.format(value="w.until")} AS until,
               coalesce(p.research_consent, false) AS research_consent, p.role AS role, p:Erased AS erased
        """,
        territories=territories,
    ).data()
    # Directed pattern: each relationship once, from whichever end it was stored.
    ties = tx.run(
        f"""
        MATCH (t:Territory) WHERE $territories IS NULL OR t.id IN $territories
        MATCH (t)<-[:LOCATED_IN]-(:Organisation)<-[:WORKS_AT]-(a:Intervenant)
        WITH DISTINCT a
        MATCH (a)-[k:KNOWS]->(b:Intervenant)
        RETURN a.id AS a, b.id AS b, {ORDINAL.format(value="k.since")} AS since, k.origin AS origin,
               k.level AS level, k.session AS session
        """,
        territories=territories,
    ).data()
    # A wave's verdict holds from the day after it closes (members may answer until the last day).
    answers = tx.run(
        f"""
        MATCH (a)-[r:RATED]->(b)
        MATCH (w:Wave {{id: r.wave}})
        RETURN a.id AS a, b.id AS b, {ORDINAL.format(value="w.closes")} + 1 AS effective,
               coalesce(r.knows, false) AS knows
        """
    ).data()
    return jobs, ties, answers


def read_timeline(driver: Driver, territories: list[str] | None = None, database: str = DATABASE) -> Timeline:
    """Everything needed to replay the network of some territories (or all) on any date."""
    # Labels and properties that no one has written yet (RATED before the first survey wave) are
    # expected here: no notifications.
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        jobs, ties, answers = session.execute_read(_read_timeline, territories)
    return Timeline.build(jobs, ties, answers)


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
