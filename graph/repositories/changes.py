"""The audit log of the directory: every change says who made it, when, and what changed.

`record_change` runs inside the transaction of the change it describes, so a change and its
record are committed (or rolled back) together.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from graph.driver import Repository


def record_change(tx: ManagedTransaction, user: str, action: str, entity: str, entity_id: str,
                  summary: str, territory: str | None) -> None:
    tx.run(
        """
        CREATE (:Change {id: $id, at: $at, user: $user, action: $action, entity: $entity,
                         entity_id: $entity_id, summary: $summary, territory: $territory})
        """,
        id=f"c-{uuid.uuid4().hex}", at=datetime.now(UTC), user=user, action=action, entity=entity,
        entity_id=entity_id, summary=summary, territory=territory,
    ).consume()


def describe_changes(before: dict, after: dict) -> list[str]:
    """`field: old → new` for every field whose value differs, in the order of `after`."""
    return [f"{key}: {_show(before.get(key))} → {_show(value)}"
            for key, value in after.items() if _comparable(before.get(key)) != _comparable(value)]


def _comparable(value):
    if isinstance(value, (list, tuple)):
        return sorted(str(v) for v in value)
    return None if value in ("", []) else value


def _show(value) -> str:
    if value is None or value == "" or value == []:
        return "∅"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


class ChangeRepository(Repository):
    def list(self, territory: str | None = None, limit: int = 200) -> list[dict]:
        """The latest changes, newest first; of one territory when given."""

        def work(tx: ManagedTransaction):
            return [
                dict(r["change"])
                for r in tx.run(
                    """
                    MATCH (c:Change)
                    WHERE $territory IS NULL OR c.territory = $territory
                    RETURN c {.id, .at, .user, .action, .entity, .entity_id, .summary, .territory} AS change
                    ORDER BY c.at DESC LIMIT $limit
                    """,
                    territory=territory, limit=limit,
                )
            ]

        return self.read(work)
