"""The short thread of messages between the two workers of a referral: appended, never edited or deleted,
numbered under the referral's write lock so two messages sent at once keep their order. Like the note, a
message is checked by the service before it is written (nothing that identifies the family) and only the
two parties and admins read it."""

from __future__ import annotations

from datetime import datetime

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.locks import write_lock


class ReferralMessageRepository(Repository):
    def add(self, referral_id: str, by: str, text: str, now: datetime) -> int | None:
        """The new message's number; None when there is no such referral."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                "MATCH (r:Referral {id: $id}) " + write_lock("r") + """
                WITH r, COUNT { (r)-[:HAS_MESSAGE]->() } AS seq
                CREATE (r)-[:HAS_MESSAGE]->(:ReferralMessage {referral: r.id, seq: seq, at: $now, by: $by,
                                                              text: $text})
                RETURN seq
                """, id=referral_id, by=by, text=text, now=now).single()
            return record["seq"] if record else None

        return self.write(work)

    def thread(self, referral_id: str) -> list[dict]:
        def work(tx: ManagedTransaction):
            return [r["m"] for r in tx.run(
                """
                MATCH (:Referral {id: $id})-[:HAS_MESSAGE]->(m:ReferralMessage)
                OPTIONAL MATCH (who:Person {id: m.by})
                RETURN m {.seq, .at, .by, .text, by_name: who.name} AS m ORDER BY m.seq
                """, id=referral_id)]

        return self.read(work)
