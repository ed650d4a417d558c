"""EI sessions as they are held: who attended (workers, by name; partner parents as a number only) and the
ties first made there — KNOWS {origin: 'ei_session', session, since: the session's day}, never over an
earlier tie. Sessions are (:Session)-[:HELD_IN]->(:Territory); attendance (:Person)-[:ATTENDED]->(:Session).
"""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.locks import lock_people, lock_session
from graph.repositories.changes import record_change

# Partner parents attend without a record of who they are: the session keeps how many (`parents`). The
# demo's parents are people (:ParentPartner): counted when a session has no number yet.
SESSION = """
MATCH (s:Session)-[:HELD_IN]->(t:Territory)
WHERE ($ids IS NULL OR s.id IN $ids) AND ($territories IS NULL OR t.id IN $territories)
OPTIONAL MATCH (s)-[:OF]->(c:Cohort)
RETURN s {.id, .number, .theme, .theme_en, .date, .place, .facilitators, .cancelled, territory: t.id,
          territory_name: t.name, cohort: c.name, cohort_dates: CASE WHEN c IS NULL THEN null ELSE [c.start, c.end] END,
          parents: coalesce(s.parents, COUNT { (:ParentPartner)-[:ATTENDED]->(s) }),
          present: COUNT { (:Intervenant)-[:ATTENDED]->(s) },
          ties: COUNT { ()-[k:KNOWS {origin: 'ei_session'}]-() WHERE k.session = s.id } / 2} AS session
ORDER BY t.name, s.date, s.number
"""


class SessionHeld(Exception):
    """A session with attendance or ties born there keeps its day, and is not cancelled."""


class SessionRepository(Repository):
    def list(self, territories: list[str] | None = None) -> list[dict]:
        """Every session (of `territories`, when given), by territory then date, with its counts."""
        return self.read(lambda tx: [dict(r["session"]) for r in tx.run(SESSION, ids=None, territories=territories)])

    def get(self, session_id: str) -> dict | None:
        """The session, its counts and the workers present ({id, name, organisation, territory})."""

        def work(tx: ManagedTransaction):
            record = tx.run(SESSION, ids=[session_id], territories=None).single()
            if record is None:
                return None
            session = dict(record["session"])
            session["attendees"] = tx.run(
                """
                MATCH (p:Intervenant)-[:ATTENDED]->(:Session {id: $id})
                OPTIONAL MATCH (p)-[w:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t:Territory) WHERE w.until IS NULL
                WITH p, collect(o.name)[0] AS organisation, collect(t.id)[0] AS territory
                RETURN p.id AS id, p.name AS name, organisation, territory, coalesce(p.listed, false) AS listed,
                       EXISTS { (p)-[:KNOWS {origin: 'ei_session', session: $id}]-() } AS met_there
                ORDER BY p.name
                """, id=session_id).data()
            return session

        return self.read(work)

    def update(self, session_id: str, changes: dict, user: str) -> None:
        """Set the session's day, theme, place, facilitators or `cancelled` (`changes`); SessionHeld (nothing
        written) when its day would change, or it would be cancelled, once people attended or met there."""

        def work(tx: ManagedTransaction):
            lock_session(tx, session_id)
            record = tx.run(
                """
                MATCH (s:Session {id: $id})-[:HELD_IN]->(t:Territory)
                RETURN s.date AS date, s.number AS number, t.id AS territory,
                       EXISTS { ()-[:ATTENDED]->(s) } OR EXISTS { ()-[:KNOWS {session: s.id}]-() } AS held
                """, id=session_id).single()
            if record["held"] and (changes.get("cancelled") or changes.get("date", record["date"]) != record["date"]):
                raise SessionHeld(session_id)
            tx.run("MATCH (s:Session {id: $id}) SET s += $changes", id=session_id, changes=changes).consume()
            said = ", ".join(f"{key} : {value}" for key, value in changes.items())
            record_change(tx, user, "update", "session", session_id, f"séance {record['number']} : {said}",
                          [record["territory"]])

        self.write(work)

    def workers(self, territories: list[str] | None) -> list[dict]:
        """The workers who work now in `territories` (None: anywhere): those a facilitator ticks."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (p:Intervenant)-[w:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t:Territory)
                WHERE w.until IS NULL AND ($territories IS NULL OR t.id IN $territories)
                WITH p, collect(o.name)[0] AS organisation, collect(t.id)[0] AS territory,
                     collect(t.name)[0] AS territory_name, min(w.since) AS since
                RETURN p.id AS id, p.name AS name, organisation, territory, territory_name, since,
                       coalesce(p.listed, false) AS listed
                """, territories=territories).data()

        return self.read(work)

    def in_post(self, people: list[str], day) -> set[str]:
        """Those of `people` who held a job on `day` (whatever they hold now)."""
        return set(self.read(lambda tx: [r["id"] for r in tx.run(
            "MATCH (p:Person)-[w:WORKS_AT]->() WHERE p.id IN $ids AND (w.since IS NULL OR w.since <= $day) "
            "AND (w.until IS NULL OR w.until > $day) RETURN DISTINCT p.id AS id", ids=people, day=day)]))

    def tied_pairs(self, people: list[str]) -> set[frozenset]:
        """The pairs of `people` who know each other already (any origin, any date)."""

        def work(tx: ManagedTransaction):
            return [(r["a"], r["b"]) for r in tx.run(
                "MATCH (a:Person)-[:KNOWS]-(b:Person) WHERE a.id IN $ids AND b.id IN $ids AND a.id < b.id "
                "RETURN a.id AS a, b.id AS b", ids=people)]

        return {frozenset(pair) for pair in self.read(work)}

    def set_attendance(self, session_id: str, people: list[str], parents: int, user: str) -> dict:
        """The workers present are exactly `people` (a tie made there stays if its people are unticked: a
        tie is never erased by attendance); `parents` partner parents. Filed in the session's territory's
        journal. Returns {added, removed}."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (s:Session {id: $id})-[:HELD_IN]->(t:Territory)
                SET s.parents = $parents
                WITH s, t
                OPTIONAL MATCH (gone:Intervenant)-[a:ATTENDED]->(s) WHERE NOT gone.id IN $people
                DELETE a
                WITH s, t, count(a) AS removed
                CALL (s) {
                    UNWIND $people AS id
                    MATCH (p:Intervenant {id: id}) WHERE NOT EXISTS { (p)-[:ATTENDED]->(s) }
                    CREATE (p)-[:ATTENDED]->(s)
                    RETURN count(*) AS added
                }
                RETURN t.id AS territory, s.number AS number, added, removed
                """, id=session_id, people=people, parents=parents).single()
            record_change(tx, user, "attendance", "session", session_id,
                          f"séance {record['number']} : {len(people)} présent.es (+{record['added']}, "
                          f"−{record['removed']}), {parents} parent(s) partenaire(s)", [record["territory"]])
            return {"added": record["added"], "removed": record["removed"]}

        return self.write(work)

    def record_ties(self, session_id: str, pairs: list[tuple[str, str]], level: str, user: str) -> int:
        """A tie made at the session for each pair that has none yet (the others are left as they are);
        how many were made. People are locked as every tie writer locks them."""

        def work(tx: ManagedTransaction):
            # The session first, as its attendance's writer holds it (then the people, at commit): no cycle.
            lock_session(tx, session_id)
            lock_people(tx, *{person for pair in pairs for person in pair})
            record = tx.run(
                """
                MATCH (s:Session {id: $id})-[:HELD_IN]->(t:Territory)
                CALL (s) {
                    UNWIND $pairs AS pair
                    MATCH (a:Person {id: pair[0]}), (b:Person {id: pair[1]})
                    WHERE NOT EXISTS { (a)-[:KNOWS]-(b) }
                    CREATE (a)-[:KNOWS {since: s.date, origin: 'ei_session', session: s.id, level: $level}]->(b)
                    RETURN count(*) AS created
                }
                RETURN t.id AS territory, s.number AS number, created
                """, id=session_id, pairs=[sorted(pair) for pair in pairs], level=level).single()
            if record["created"]:
                record_change(tx, user, "create", "tie", session_id,
                              f"séance {record['number']} : {record['created']} lien(s) né(s) en séance",
                              [record["territory"]])
            return record["created"]

        return self.write(work)
