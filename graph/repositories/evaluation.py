"""What the evaluation reads besides the network itself: cohorts and sessions, participation."""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository


class EvaluationRepository(Repository):
    def territories(self) -> list[dict]:
        """Each territory's part in each cohort — a territory may take part in several, each on its own dates —
        with the day of each of its sessions of that cohort; by cohort, then territory name."""

        def work(tx: ManagedTransaction):
            rows = tx.run(
                """
                MATCH (c:Cohort)-[:INCLUDES]->(t:Territory)
                OPTIONAL MATCH (s:Session)-[:HELD_IN]->(t) WHERE (s)-[:OF]->(c) AND NOT coalesce(s.cancelled, false)
                WITH c, t, s ORDER BY s.number
                RETURN t.id AS id, t.name AS name, c.number AS cohort, c.name AS cohort_name, c.start AS start,
                       c.end AS end,
                       collect(CASE WHEN s IS NULL THEN NULL ELSE [s.number, s.date] END) AS sessions
                ORDER BY cohort, name
                """
            )
            return [dict(r) for r in rows]

        territories = self.read(work)
        for territory in territories:
            territory["sessions"] = {number: day for number, day in territory["sessions"]}
        return territories

    def participation(self) -> dict:
        """The report's tables, from the graph, as they stood during each cohort (what the directory gained
        since changes nothing). Table 2: per territory in each cohort (a territory taking part again is a row
        again), the organisations where someone worked during the cohort (community ones, institutions by
        kind) and those intervenant.es. Table 3: the same organisations per sector."""

        def work(tx: ManagedTransaction):
            territories = tx.run(
                """
                MATCH (c:Cohort)-[:INCLUDES]->(t:Territory)
                CALL (c, t) {
                    OPTIONAL MATCH (p:Person)-[w:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t)
                    WHERE (w.since IS NULL OR w.since <= c.end) AND (w.until IS NULL OR w.until > c.start)
                    WITH collect(DISTINCT o) AS organisations,
                         count(DISTINCT CASE WHEN p:Intervenant THEN p END) AS intervenants
                    RETURN [o IN organisations | o.kind] AS kinds, [o IN organisations | [o.id, o.sector]] AS sectors,
                           intervenants
                }
                RETURN t.id AS id, t.name AS name, c.number AS cohort, kinds, sectors, intervenants
                ORDER BY cohort, name
                """
            ).data()
            sectors: dict = {}
            for _organisation, sector in {tuple(pair) for t in territories for pair in t.pop("sectors")}:
                sectors[sector] = sectors.get(sector, 0) + 1  # an organisation once, whatever its cohorts
            return {"territories": territories,
                    "sectors": [{"sector": s, "organisations": n} for s, n in sorted(sectors.items(), key=str)]}

        return self.read(work)
