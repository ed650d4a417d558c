"""Cohorts: rounds of the program, each for one or more territories on its own dates, and their sessions.
(:Cohort {id, number, name, start, end})-[:INCLUDES]->(:Territory); (:Session)-[:OF]->(:Cohort) and
-[:HELD_IN]->(:Territory). A territory may take part in several cohorts, never in two at once."""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.locks import lock_territories
from graph.repositories.changes import record_change


class CohortOverlap(Exception):
    """Territories already in a cohort on some of these dates: {territory name: cohort name}."""

    def __init__(self, overlaps: dict[str, str]):
        super().__init__(", ".join(overlaps))
        self.overlaps = overlaps


class CohortNameTaken(Exception):
    """Another cohort has this name."""


class CohortHeld(Exception):
    """Some of its sessions were held (attendance or ties born there): it keeps its dates, and stays."""


class SessionsOutside(Exception):
    """Sessions of the cohort would fall outside the new dates: {session id: its day}."""

    def __init__(self, sessions: dict):
        super().__init__(", ".join(sessions))
        self.sessions = sessions


# A cohort's held sessions: once people attended or met there, its dates are facts of the evaluation.
HELD = """EXISTS { MATCH (s:Session)-[:OF]->(c)
                WHERE EXISTS { ()-[:ATTENDED]->(s) } OR EXISTS { ()-[:KNOWS {session: s.id}]-() } }"""

# Each territory of the cohort shows its first cohort on its pages (t.cohort, start, end): set again from the
# cohorts it is in now.
FIRST_COHORT = """
MATCH (t:Territory) WHERE t.id IN $territories
CALL (t) {
    OPTIONAL MATCH (c:Cohort)-[:INCLUDES]->(t)
    WITH c ORDER BY c.number LIMIT 1
    RETURN c
}
SET t.cohort = c.number, t.start = c.start, t.end = c.end
"""


def _check_cohort(tx: ManagedTransaction, cohort_id: str | None, name: str, territories: list[str], start: date,
                  end: date) -> None:
    """CohortOverlap or CohortNameTaken against every other cohort (all territories locked by the caller)."""
    overlaps = {r["territory"]: r["cohort"] for r in tx.run(
        """
        MATCH (c:Cohort)-[:INCLUDES]->(t:Territory) WHERE t.id IN $territories AND c.start <= $end
          AND c.end >= $start AND c.id <> coalesce($id, '')
        RETURN t.name AS territory, c.name AS cohort
        """, territories=territories, start=start, end=end, id=cohort_id)}
    if overlaps:
        raise CohortOverlap(overlaps)
    if tx.run("MATCH (c:Cohort) WHERE toLower(c.name) = toLower($name) AND c.id <> coalesce($id, '') RETURN c.id",
              name=name, id=cohort_id).single():
        raise CohortNameTaken(name)


class CohortRepository(Repository):
    def list(self) -> list[dict]:
        """Every cohort, by number, with its territories ({id, name}) and how many sessions it holds."""

        def work(tx: ManagedTransaction):
            return [dict(r["cohort"]) for r in tx.run(
                """
                MATCH (c:Cohort)
                RETURN c {.id, .number, .name, .start, .end,
                          territories: COLLECT { MATCH (c)-[:INCLUDES]->(t:Territory) RETURN t {.id, .name}
                                                 ORDER BY t.name },
                          sessions: COUNT { (:Session)-[:OF]->(c) }} AS cohort
                ORDER BY c.number
                """)]

        return self.read(work)

    def themes(self) -> list[dict]:
        """The program's session themes by number (the template of a cohort's sessions)."""
        return self.read(lambda tx: tx.run(
            "MATCH (s:SessionTheme) RETURN s.number AS number, s.theme AS theme, s.theme_en AS theme_en "
            "ORDER BY number").data())

    def create(self, name: str, territories: list[str], start: date, end: date, user: str) -> dict:
        """A new cohort, numbered after the last, as `list` gives it; CohortOverlap (nothing written) when one of
        the territories is in another cohort on these dates. A territory's first cohort becomes the one its
        pages show."""

        def work(tx: ManagedTransaction):
            # Every territory: two cohorts opened at once, for any territories, must not take one number.
            lock_territories(tx, None)
            _check_cohort(tx, None, name, territories, start, end)
            record = tx.run(
                """
                OPTIONAL MATCH (old:Cohort) WITH coalesce(max(old.number), 0) + 1 AS number
                CREATE (c:Cohort {id: 'cohort-' + number, number: number, name: $name, start: $start, end: $end})
                WITH c
                MATCH (t:Territory) WHERE t.id IN $territories
                CREATE (c)-[:INCLUDES]->(t)
                FOREACH (_ IN CASE WHEN t.cohort IS NULL THEN [1] ELSE [] END |
                    SET t.cohort = c.number, t.start = c.start, t.end = c.end)
                WITH c, collect(t {.id, .name}) AS territories
                RETURN c {.id, .number, .name, .start, .end, territories: territories, sessions: 0} AS cohort
                """, name=name, territories=territories, start=start, end=end).single()
            cohort = dict(record["cohort"])
            record_change(tx, user, "create", "cohort", cohort["id"],
                          f"{name} : {start.isoformat()} – {end.isoformat()}", [t["id"] for t in cohort["territories"]])
            return cohort

        return self.write(work)

    def add_sessions(self, cohort_id: str, sessions: list[dict], user: str) -> list[dict]:
        """Sessions of the cohort, each {territory, number, date, theme, theme_en}; one already held under
        that number in that territory for this cohort is left as it is. The sessions made."""

        def work(tx: ManagedTransaction):
            made = tx.run(
                """
                MATCH (c:Cohort {id: $cohort})
                UNWIND $sessions AS row
                MATCH (c)-[:INCLUDES]->(t:Territory {id: row.territory})
                WHERE NOT EXISTS { (old:Session {number: row.number})-[:OF]->(c) WHERE (old)-[:HELD_IN]->(t) }
                CREATE (s:Session {id: t.id + '-c' + c.number + '-s' + row.number, territory: t.id,
                                   number: row.number, date: row.date, theme: row.theme, theme_en: row.theme_en})
                CREATE (s)-[:HELD_IN]->(t), (s)-[:OF]->(c)
                RETURN s {.id, .number, .date, .theme, .territory} AS session ORDER BY s.territory, s.number
                """, cohort=cohort_id, sessions=sessions).data()
            if made:
                record_change(tx, user, "create", "session", cohort_id,
                              f"{len(made)} séance(s) planifiée(s)", {s["session"]["territory"] for s in made})
            return [s["session"] for s in made]

        return self.write(work)

    def update(self, cohort_id: str, name: str, start: date, end: date, user: str) -> bool:
        """Rename the cohort or move its dates; False when it is gone. CohortNameTaken, CohortOverlap,
        CohortHeld (dates of a cohort with held sessions) or SessionsOutside: nothing written."""

        def work(tx: ManagedTransaction):
            lock_territories(tx, None)
            record = tx.run(
                "MATCH (c:Cohort {id: $id}) RETURN c.start AS start, c.end AS end, c.name AS name, " + HELD +
                " AS held, COLLECT { MATCH (c)-[:INCLUDES]->(t:Territory) RETURN t.id } AS territories",
                id=cohort_id).single()
            if record is None:
                return False
            if record["held"] and (start, end) != (record["start"], record["end"]):
                raise CohortHeld(cohort_id)
            _check_cohort(tx, cohort_id, name, record["territories"], start, end)
            outside = {r["id"]: r["date"] for r in tx.run(
                "MATCH (s:Session)-[:OF]->(:Cohort {id: $id}) WHERE NOT coalesce(s.cancelled, false) "
                "AND (s.date < $start OR s.date > $end) RETURN s.id AS id, s.date AS date ORDER BY date",
                id=cohort_id, start=start, end=end)}
            if outside:
                raise SessionsOutside(outside)
            tx.run("MATCH (c:Cohort {id: $id}) SET c.name = $name, c.start = $start, c.end = $end",
                   id=cohort_id, name=name, start=start, end=end).consume()
            tx.run(FIRST_COHORT, territories=record["territories"]).consume()
            record_change(tx, user, "update", "cohort", cohort_id,
                          f"{record['name']} → {name} : {start.isoformat()} – {end.isoformat()}", record["territories"])
            return True

        return self.write(work)

    def delete(self, cohort_id: str, user: str) -> bool:
        """A cohort opened by mistake goes, with its sessions; False when it is gone. CohortHeld (nothing
        written) once one of its sessions was held."""

        def work(tx: ManagedTransaction):
            lock_territories(tx, None)
            record = tx.run(
                "MATCH (c:Cohort {id: $id}) RETURN c.name AS name, " + HELD + " AS held, "
                "COLLECT { MATCH (c)-[:INCLUDES]->(t:Territory) RETURN t.id } AS territories", id=cohort_id).single()
            if record is None:
                return False
            if record["held"]:
                raise CohortHeld(cohort_id)
            tx.run("MATCH (c:Cohort {id: $id}) CALL (c) { OPTIONAL MATCH (s:Session)-[:OF]->(c) DETACH DELETE s } "
                   "DETACH DELETE c", id=cohort_id).consume()
            tx.run(FIRST_COHORT, territories=record["territories"]).consume()
            record_change(tx, user, "delete", "cohort", cohort_id, record["name"], record["territories"])
            return True

        return self.write(work)
