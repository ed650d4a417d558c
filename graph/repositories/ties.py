"""Collaboration ties (KNOWS): one relationship per pair, whatever its direction, never rewritten:
its `since` is what makes before / after measurable.

Coordinators record ties (`create`). A person keeps their own ("Mon réseau"): they may declare a
tie (« j'ai collaboré avec … ») with a date and a level, stored as
KNOWS {origin: 'declared', since, level, declared_by, confirmed: false} and shown to the other
person, who confirms it or removes it.
"""

from __future__ import annotations

from datetime import date, datetime

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.locks import lock_people
from graph.repositories.changes import person_territories_now, record_change

ORIGINS = ("before_ei", "ei_session", "referral", "declared")
# Frey et al. (2006) collaboration scale, weakest first.
LEVELS = ("networking", "cooperation", "coordination", "coalition", "collaboration")


class TieError(Exception):
    """`code`: unknown_person, self, exists, not_found, not_at_session."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class TieRepository(Repository):
    def of(self, person_id: str) -> list[dict]:
        """Every tie of the person, with who the other is and how they met, newest first."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (me:Person {id: $id})-[k:KNOWS]-(other)
                OPTIONAL MATCH (s:Session {id: k.session})
                RETURN other {.id, .name, .role, .listed,
                              organisation: COLLECT { MATCH (other)-[w:WORKS_AT]->(o:Organisation)
                                                      WHERE w.until IS NULL RETURN o.name }[0]} AS other,
                       k {.since, .origin, .level, .declared_by, .confirmed, .referral} AS tie,
                       s {.number, .theme, .date} AS session
                ORDER BY k.since DESC, other.name
                """,
                id=person_id,
            ).data()

        return self.read(work)

    def met_at_sessions(self, person_id: str) -> list[dict]:
        """The EI sessions the person attended, newest first, each with the listed attendees they have no tie
        with yet: whom they may say they met there."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (me:Person {id: $id})-[:ATTENDED]->(s:Session)-[:HELD_IN]->(t:Territory)
                WHERE NOT coalesce(s.cancelled, false)
                RETURN s {.id, .number, .date, territory: t.name} AS session,
                       COLLECT { MATCH (other:Intervenant)-[:ATTENDED]->(s)
                                 WHERE other <> me AND other.listed = true  // unlisted: named to nobody
                                   AND NOT EXISTS { (me)-[:KNOWS]-(other) }
                                 RETURN other {.id, .name} ORDER BY other.name } AS others
                ORDER BY s.date DESC
                """, id=person_id).data()

        return self.read(work)

    def unlinked(self, person_id: str) -> list[dict]:
        """Listed intervenant.es the person has no tie with: whom they can declare a tie to."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (me:Person {id: $id})
                MATCH (other:Intervenant)
                WHERE other.listed = true AND other <> me AND NOT EXISTS { (me)-[:KNOWS]-(other) }
                OPTIONAL MATCH (other)-[w:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t:Territory)
                WHERE w.until IS NULL
                RETURN other.id AS id, other.name AS name, o.name AS organisation, t.name AS territory
                ORDER BY t.name, other.name
                """,
                id=person_id,
            ).data()

        return self.read(work)

    def declare(self, person_id: str, other_id: str, since: date | None, level: str, now: datetime,
                session: str | None = None) -> None:
        """A tie the person declares, waiting for the other's confirmation; with `session`, one born at that EI
        session (both attended it; dated its day: `since` is not used)."""
        if level not in LEVELS:
            raise ValueError(level)
        if person_id == other_id:
            raise TieError("self")

        def work(tx: ManagedTransaction):
            # Both people locked (in id order: A declaring B while B declares A must not deadlock): two
            # declarations of the same pair at once still make one tie.
            people = lock_people(tx, person_id, other_id)
            if person_id not in people or people.get(other_id, {}).get("listed") is not True:
                raise TieError("unknown_person")
            if tx.run("MATCH (:Person {id: $me})-[k:KNOWS]-(:Person {id: $other}) RETURN count(k) > 0 AS exists",
                      me=person_id, other=other_id).single()["exists"]:
                raise TieError("exists")
            if session is not None and not tx.run(
                    "MATCH (s:Session {id: $session}) WHERE NOT coalesce(s.cancelled, false) "
                    "AND EXISTS { (:Person {id: $me})-[:ATTENDED]->(s) } "
                    "AND EXISTS { (:Person {id: $other})-[:ATTENDED]->(s) } RETURN s.id",
                    session=session, me=person_id, other=other_id).single():
                raise TieError("not_at_session")
            tx.run(
                """
                MATCH (me:Person {id: $me}), (other:Person {id: $other})
                OPTIONAL MATCH (s:Session {id: $session})
                CREATE (me)-[:KNOWS {origin: CASE WHEN s IS NULL THEN 'declared' ELSE 'ei_session' END,
                                     since: coalesce(s.date, $since), session: s.id, level: $level,
                                     declared_by: $me, declared_at: $now, confirmed: false}]->(other)
                """,
                me=person_id, other=other_id, since=since, level=level, now=now, session=session or "",
            ).consume()

        self.write(work)

    def confirm(self, person_id: str, other_id: str, now: datetime) -> None:
        """The person confirms a tie the other declared."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (me:Person {id: $me})-[k:KNOWS {confirmed: false}]-(other:Person {id: $other})
                WHERE k.declared_by = $other
                SET k.confirmed = true, k.confirmed_at = $now
                RETURN count(k) AS changed
                """,
                me=person_id, other=other_id, now=now,
            ).single()
            if not record["changed"]:
                raise TieError("not_found")

        self.write(work)

    def remove(self, person_id: str, other_id: str) -> None:
        """Either person removes a declared tie that is not confirmed yet (a refusal, or a withdrawal)."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (me:Person {id: $me})-[k:KNOWS {confirmed: false}]-(:Person {id: $other})
                DELETE k
                RETURN count(*) AS removed
                """,
                me=person_id, other=other_id,
            ).single()
            if not record["removed"]:
                raise TieError("not_found")

        self.write(work)

    def get(self, a: str, b: str) -> dict | None:
        def work(tx: ManagedTransaction):
            record = tx.run(
                "MATCH (:Person {id: $a})-[k:KNOWS]-(:Person {id: $b}) "
                "RETURN k {.since, .origin, .level, .session} AS tie LIMIT 1",
                a=a, b=b,
            ).single()
            return dict(record["tie"]) if record else None

        return self.read(work)

    def create(self, a: str, b: str, since: date, origin: str, level: str, session: str | None, user: str) -> bool:
        """Record a tie between two people; False (and nothing written) when they are already tied. Filed in
        the journal of every territory either person works in."""
        first, second = sorted((a, b))

        def work(tx: ManagedTransaction):
            # Locked as declarations and referral acceptances lock them: else each of two writers at once
            # sees no tie yet, and both make one.
            lock_people(tx, first, second)
            record = tx.run(
                """
                MATCH (a:Person {id: $a}), (b:Person {id: $b})
                WHERE NOT EXISTS { (a)-[:KNOWS]-(b) }
                CREATE (a)-[:KNOWS {since: $since, origin: $origin, level: $level, session: $session}]->(b)
                RETURN a.name AS a_name, b.name AS b_name
                """,
                a=first, b=second, since=since, origin=origin, level=level, session=session,
            ).single()
            if record is None:
                return False
            territories = person_territories_now(tx, [first, second])
            record_change(tx, user, "create", "tie", f"{first}|{second}",
                          f"{record['a_name']} — {record['b_name']} ({origin}, {since.isoformat()})",
                          set().union(*territories.values()))
            return True

        return self.write(work)
