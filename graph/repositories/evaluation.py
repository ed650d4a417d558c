"""What the evaluation reads besides the network itself: cohorts and sessions, participation."""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository


class EvaluationRepository(Repository):
    def territories(self) -> list[dict]:
        """Each territory with its cohort's dates and the day of each of its sessions."""

        def work(tx: ManagedTransaction):
            rows = tx.run(
                """
                MATCH (t:Territory)
                OPTIONAL MATCH (s:Session)-[:HELD_IN]->(t)
                WITH t, s ORDER BY s.number
                RETURN t {.id, .name, .cohort, .start, .end} AS territory,
                       collect(CASE WHEN s IS NULL THEN NULL ELSE [s.number, s.date] END) AS sessions
                ORDER BY territory.cohort, territory.name
                """
            )
            return [{**dict(r["territory"]), "sessions": r["sessions"]} for r in rows]

        territories = self.read(work)
        for territory in territories:
            territory["sessions"] = {number: day for number, day in territory["sessions"]}
        return territories

    def participation(self) -> dict:
        """The report's tables, from the graph. Table 2: per territory, organisations (community ones
        and institutions by kind) and the intervenant.es who worked there during the cohort. Table 3:
        organisations per sector."""

        def work(tx: ManagedTransaction):
            territories = tx.run(
                """
                MATCH (t:Territory)
                CALL (t) {
                    OPTIONAL MATCH (o:Organisation)-[:LOCATED_IN]->(t)
                    RETURN collect(o.kind) AS kinds
                }
                CALL (t) {
                    OPTIONAL MATCH (p:Intervenant)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t)
                    WHERE (w.since IS NULL OR w.since <= t.end) AND (w.until IS NULL OR w.until > t.start)
                    RETURN count(DISTINCT p) AS intervenants
                }
                RETURN t.id AS id, t.name AS name, t.cohort AS cohort, kinds, intervenants
                ORDER BY t.cohort, t.name
                """
            ).data()
            sectors = tx.run(
                "MATCH (o:Organisation) RETURN o.sector AS sector, count(*) AS organisations ORDER BY sector"
            ).data()
            return {"territories": territories, "sectors": sectors}

        return self.read(work)
