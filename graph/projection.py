"""Read the collaboration network out of Neo4j as a NetworkX graph, as it stood on a date.

Nodes are people (key: person id) with their organisation, sector and territory; edges are
KNOWS ties with their date, origin and level. A tie exists on a date when `since <= date`
(ties are never overwritten, so the past can be replayed).
"""

from __future__ import annotations

from datetime import date

import networkx as nx
from neo4j import Driver, ManagedTransaction

from graph.driver import DATABASE, plain


def _read_network(tx: ManagedTransaction, territory: str | None, as_of: date | None, origins: list[str] | None):
    people = tx.run(
        """
        MATCH (p:Intervenant)-[w:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t:Territory)
        WHERE ($territory IS NULL OR t.id = $territory)
          AND ($as_of IS NULL OR w.since IS NULL OR w.since <= $as_of)
          AND (w.until IS NULL OR ($as_of IS NOT NULL AND w.until > $as_of))
        RETURN p.id AS id, o.id AS organisation, o.sector AS sector, o.kind AS kind, t.id AS territory,
               coalesce(p.research_consent, false) AS research_consent, p:Erased AS erased
        """,
        territory=territory, as_of=as_of,
    ).data()
    ties = tx.run(
        """
        MATCH (a)-[k:KNOWS]-(b)
        WHERE elementId(a) < elementId(b) AND ($as_of IS NULL OR k.since <= $as_of)
          AND ($origins IS NULL OR k.origin IN $origins)
        RETURN a.id AS a, b.id AS b, k.since AS since, k.origin AS origin, k.level AS level, k.session AS session
        """,
        as_of=as_of, origins=origins,
    ).data()
    return plain(people), plain(ties)


def people_network(driver: Driver, territory: str | None = None, as_of: date | None = None,
                   origins: list[str] | None = None, database: str = DATABASE) -> nx.Graph:
    """The intervenant.es of a territory (or all) and the ties between them, as of a date (or now)."""
    with driver.session(database=database) as session:
        people, ties = session.execute_read(_read_network, territory, as_of, origins)
    graph = nx.Graph()
    for person in people:
        graph.add_node(person.pop("id"), **person)
    for tie in ties:
        if tie["a"] in graph and tie["b"] in graph:
            graph.add_edge(tie.pop("a"), tie.pop("b"), **tie)
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
