"""Collaboration ties (KNOWS) recorded by coordinators: one relationship per pair, never overwritten,
so that the date a tie began stays what the before / after figures rest on."""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.repositories.changes import record_change

ORIGINS = ("before_ei", "ei_session", "referral", "declared")
LEVELS = ("networking", "cooperation", "coordination", "coalition", "collaboration")


class TieRepository(Repository):
    def get(self, a: str, b: str) -> dict | None:
        def work(tx: ManagedTransaction):
            record = tx.run(
                "MATCH (:Person {id: $a})-[k:KNOWS]-(:Person {id: $b}) "
                "RETURN k {.since, .origin, .level, .session} AS tie LIMIT 1",
                a=a, b=b,
            ).single()
            return dict(record["tie"]) if record else None

        return self.read(work)

    def create(self, a: str, b: str, since: date, origin: str, level: str, session: str | None,
               territory: str | None, user: str) -> bool:
        """Record a tie between two people; False (and nothing written) when they are already tied."""
        first, second = sorted((a, b))

        def work(tx: ManagedTransaction):
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
            record_change(tx, user, "create", "tie", f"{first}|{second}",
                          f"{record['a_name']} — {record['b_name']} ({origin}, {since.isoformat()})", territory)
            return True

        return self.write(work)
