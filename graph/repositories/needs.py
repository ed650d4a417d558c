"""The taxonomy of needs."""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository


class NeedRepository(Repository):
    def list(self) -> list[dict]:
        def work(tx: ManagedTransaction):
            return [
                dict(r["need"])
                for r in tx.run(
                    "MATCH (n:Need) RETURN n {.id, .label_fr, .label_en, .keywords} AS need ORDER BY n.label_fr"
                )
            ]

        return self.read(work)
