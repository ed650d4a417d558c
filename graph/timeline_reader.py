"""Read the collaboration network out of Neo4j: as a Timeline (every job, tie and survey verdict,
replayable on any date, see analysis.timeline) or as a NetworkX graph on one date; and one territory's
network as its map and figures need it (`territory_network`: the reads here, the analysis in analysis/).

Nodes are intervenant.es (key: person id) with their organisation, sector and territory; edges are
KNOWS ties with their date, origin and level. A tie exists on a date when `since <= date`, both
people work in the scope that day and no survey wave found it gone (ties are never overwritten,
so the past can be replayed).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import networkx as nx
from neo4j import Driver, ManagedTransaction

from analysis.territory_network import (
    TerritoryNetwork,
    build_territory_network,
    research_sample,
    territory_people_ever,
)
from analysis.timeline import ALWAYS, NEVER, Timeline, ordinals
from graph.driver import DATABASE
from graph.repositories.territory_map import TerritoryMapRepository

# Dates travel as yyyymmdd integers (analysis.timeline.ordinals turns them into days): a million ties
# decode faster as integers than as temporal values, and Neo4j computes them faster than a duration.
DAY = "{value}.year * 10000 + {value}.month * 100 + {value}.day"
# Whose jobs and ties, chosen from this whitelist, never built from input: everyone's ("all"); those
# of the people who worked in some territories ("in": a tie needs both ends there, checked in Python);
# or theirs and those of everyone they know ("around": every tie of theirs, to anyone — what one
# territory's figures count, without reading the whole network).
WORKED_THERE = """
    MATCH (t:Territory) WHERE t.id IN $territories
    MATCH (t)<-[:LOCATED_IN]-(:Organisation)<-[:WORKS_AT]-(a:Intervenant)
    WITH DISTINCT a
"""
JOBS = {
    "all": "MATCH (t:Territory)<-[:LOCATED_IN]-(o:Organisation)<-[w:WORKS_AT]-(p:Intervenant)",
    "in": "MATCH (t:Territory)<-[:LOCATED_IN]-(o:Organisation)<-[w:WORKS_AT]-(p:Intervenant) "
          "WHERE t.id IN $territories",
    "around": WORKED_THERE + """
    CALL (a) { RETURN a AS p UNION MATCH (a)-[:KNOWS]-(p:Intervenant) RETURN p }
    WITH DISTINCT p
    MATCH (t:Territory)<-[:LOCATED_IN]-(o:Organisation)<-[w:WORKS_AT]-(p)
    """,
}
TIES = {
    "all": "MATCH (a)-[k:KNOWS]->(b)",  # no label check: ties of people without a job are dropped anyway
    "in": WORKED_THERE + "MATCH (a)-[k:KNOWS]->(b:Intervenant)",
    "around": WORKED_THERE + """
    MATCH (a)-[k:KNOWS]-(:Intervenant)
    WITH DISTINCT k
    WITH k, startNode(k) AS a, endNode(k) AS b
    """,
}


def _read_timeline(tx: ManagedTransaction, territories: list[str], scope: str, details: bool):
    # One record of columns rather than a record per row: ten times faster to decode for a
    # million ties (and dict(record), not record.data(), which would walk every element again).
    # collect() skips nulls, so every column is made non-null (0, '').
    jobs = dict(tx.run(
        f"""
        {JOBS[scope]}
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
        {TIES[scope]}
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
                  details: bool = True, around: bool = False) -> Timeline:
    """Everything needed to replay the network of some territories (or all) on any date — `around` them:
    with everyone their people know, and every tie of theirs; without `details`, ties come without
    their level and session (faster, enough for the figures)."""
    scope = "all" if territories is None else "around" if around else "in"
    # Labels and properties that no one has written yet (RATED before the first survey wave) are
    # expected here: no notifications.
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        jobs, ties, answers = session.execute_read(_read_timeline, territories or [], scope, details)
    jobs["since"] = ordinals(jobs["since"], ALWAYS)
    jobs["until"] = ordinals(jobs["until"], NEVER)
    ties["since"] = ordinals(ties["since"], ALWAYS)
    # A wave's verdict holds from the day after it closes (members may answer until the last day).
    answers["effective"] = ordinals(answers.pop("closes"), NEVER) + 1
    return Timeline.from_columns(jobs, ties, answers)


def people_network(driver: Driver, territory: str | None = None, as_of: date | None = None,
                   origins: list[str] | None = None, database: str = DATABASE, around: bool = False) -> nx.Graph:
    """The intervenant.es of a territory (or all) and the ties between them, as of a date (or today);
    `around` the territory: with everyone they know and every tie of theirs."""
    timeline = read_timeline(driver, [territory] if territory else None, database, around=around)
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


def territory_network(driver: Driver, territory: str, as_of: date, database: str = DATABASE,
                      sample_only: bool = False, hidden: frozenset = frozenset()) -> TerritoryNetwork:
    """Read the territory's people as of the date with everyone they know (ties reach across territories:
    what its figures count) and focus on the territory.
    With `sample_only` (evaluators), people outside the research sample are left out of everything —
    figures, edges, referral flows — and no contact is read; so are the `hidden` people (those the viewer
    may not read), so that no figure, tie count or flow tells of them."""
    repository = TerritoryMapRepository(driver, database)
    # Four independent reads, each its own session: side by side, Neo4j works on them at once (152 -> ~125 ms
    # for a 330-person territory, bench/territory_bench.py).
    with ThreadPoolExecutor(max_workers=3) as pool:
        organisations = pool.submit(repository.organisations, territory, as_of, contacts=not sample_only)
        sessions = pool.submit(repository.sessions, territory)
        flows = pool.submit(repository.referral_flows, as_of, research_sample=sample_only, hidden=hidden)
        timeline = read_timeline(driver, [territory], database, around=True)
        everyone = snapshot_graph(timeline, as_of)
        everyone.remove_nodes_from(hidden)
        consent = dict(zip(timeline.person_ids, timeline.person_consent.tolist(), strict=True))
        ever = territory_people_ever(timeline, territory, lambda person: person not in hidden and (
            consent[person] or not sample_only))
        return build_territory_network(
            territory, as_of, everyone=research_sample(everyone) if sample_only else everyone,
            organisations=organisations.result(), sessions=sessions.result(), all_flows=flows.result(), ever=ever)
