"""The six territories and what they hold."""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository


class TerritoryRepository(Repository):
    def list(self) -> list[dict]:
        """Each territory with its counts: the numbers of the report's table 2."""

        def work(tx: ManagedTransaction):
            result = tx.run(
                """
                MATCH (t:Territory)
                CALL (t) {
                    OPTIONAL MATCH (o:Organisation)-[:LOCATED_IN]->(t)
                    RETURN count(o) AS organisations,
                           count(CASE WHEN o.kind = 'community' THEN 1 END) AS community,
                           collect(DISTINCT CASE WHEN o.kind <> 'community' THEN o.kind END) AS institutions
                }
                CALL (t) {
                    OPTIONAL MATCH (p:Intervenant)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t)
                    WHERE w.until IS NULL
                    RETURN count(DISTINCT p) AS intervenants
                }
                RETURN t {.id, .name, .cohort, .boroughs, .start, .end,
                          latitude: t.centroid.latitude, longitude: t.centroid.longitude} AS territory,
                       organisations, community, institutions, intervenants
                ORDER BY t.cohort, t.name
                """
            )
            rows = []
            for record in result:
                row = dict(record["territory"])
                row.update(organisations=record["organisations"], community=record["community"],
                           institutions=record["institutions"], intervenants=record["intervenants"])
                rows.append(row)
            return rows

        return self.read(work)

    def get(self, territory_id: str) -> dict | None:
        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (t:Territory {id: $id})
                RETURN t {.id, .name, .cohort, .boroughs, .start, .end,
                          latitude: t.centroid.latitude, longitude: t.centroid.longitude} AS territory
                """,
                id=territory_id,
            ).single()
            return dict(record["territory"]) if record else None

        return self.read(work)

    def ids(self) -> list[str]:
        return [t["id"] for t in self.list()]

    def names(self) -> list[dict]:
        """Ids and names only, in the usual order, read once a minute at most: every search form offers them."""

        def work(tx: ManagedTransaction):
            return tx.run("MATCH (t:Territory) RETURN t.id AS id, t.name AS name ORDER BY t.cohort, t.name").data()

        return self.read_kept("territory names", work)
