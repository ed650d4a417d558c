"""The audit log of the directory: every change says who made it, when, and what changed.

`record_change` (`record_changes` for a batch) runs inside the transaction of the change it describes,
so a change and its record are committed (or rolled back) together. A change is filed under every
territory its record belonged to before or after it (a person moving from one territory to another is in
both journals).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from neo4j import ManagedTransaction

from graph.driver import MONTREAL_ZONE, Repository

RECORD_CHANGES = """
UNWIND $changes AS change
CREATE (c:Change) SET c = change
"""


def record_changes(tx: ManagedTransaction, user: str,
                   entries: Iterable[tuple[str, str, str, str, Iterable[str | None]]]) -> None:
    """One Change per entry (action, entity, entity_id, summary, territories[, fields]), in one statement.
    Entries are a microsecond apart, in their order, so the journal (newest first by `at`) lists a batch in that
    order. `fields` (field_changes; none: []) are kept as data beside the summary: the journal reads them as
    they were given, and never parses a field out of the summary of a change journaled with them — a value
    could imitate one (a title « x; research_consent: False → True », found by the outside pass)."""
    now = datetime.now(UTC)
    tx.run(RECORD_CHANGES, changes=[
        {"id": f"c-{uuid.uuid4().hex}", "at": now + timedelta(microseconds=index), "user": user, "action": entry[0],
         "entity": entry[1], "entity_id": entry[2], "summary": entry[3],
         "territories": sorted({t for t in entry[4] if t}),
         "fields": json.dumps(entry[5] if len(entry) > 5 else [], ensure_ascii=False)}
        for index, entry in enumerate(entries)]).consume()


def record_change(tx: ManagedTransaction, user: str, action: str, entity: str, entity_id: str,
                  summary: str, territories: Iterable[str | None], fields: list | None = None) -> None:
    record_changes(tx, user, [(action, entity, entity_id, summary, territories,
                               *([fields] if fields is not None else []))])


def current_territories_of(person: str) -> str:
    """Cypher: the ids of the territories the person bound to `person` belongs to — those of their current jobs;
    with none, those they worked in when archived, or else those of their last jobs (the latest end date): the
    coordinators there keep the record (staff.current_territories is the same rule over a read person). The
    authorisation policy decides from these, so every read of them is this one expression."""
    p = person
    return (f"CASE WHEN EXISTS {{ ({p})-[now:WORKS_AT]->() WHERE now.until IS NULL }} "
            f"THEN COLLECT {{ MATCH ({p})-[now:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t:Territory) "
            "WHERE now.until IS NULL RETURN DISTINCT t.id } "
            f"WHEN size(coalesce({p}.archived_territories, [])) > 0 THEN {p}.archived_territories "
            f"ELSE COLLECT {{ MATCH ({p})-[was:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t:Territory) "
            f"WHERE was.until = reduce(latest = null, day IN [({p})-[last:WORKS_AT]->() | last.until] | "
            "CASE WHEN latest IS NULL OR day > latest THEN day ELSE latest END) "
            "RETURN DISTINCT t.id } END")


def person_territories_now(tx: ManagedTransaction, person_ids: list[str]) -> dict[str, set[str]]:
    """The territories each person currently works in, read inside the writing transaction."""
    return {r["id"]: set(r["territories"]) for r in tx.run(
        "UNWIND $ids AS id MATCH (p:Person {id: id}) RETURN id, " + current_territories_of("p") + " AS territories",
        ids=person_ids)}


def field_changes(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(field, old, new) for every field whose value differs, in the order of `after`."""
    return [(key, _show(before.get(key)), _show(value))
            for key, value in after.items() if _comparable(before.get(key)) != _comparable(value)]


def described(fields: list[tuple[str, str, str]]) -> list[str]:
    """`field: old → new`, the summary's words for field_changes."""
    return [f"{key}: {old} → {new}" for key, old, new in fields]


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
    def list(self, territory: str | None = None, limit: int = 200, *, entity: str | None = None,
             user: str | None = None, record: str | None = None, since: date | None = None,
             until: date | None = None) -> list[dict]:
        """The latest changes, newest first, each by its author's e-mail (some writers give their account's
        id), matching every filter given: filed under `territory` (changes logged before they were filed under
        several territories carry one `territory`), about one kind of record, by one author (any part of their
        e-mail, any case), about one record (a tie « a|b » is about both people; a record merged away, its
        merge too), on or after `since` and on or before `until` (Montréal's days)."""

        def work(tx: ManagedTransaction):
            return [
                dict(r["change"])
                for r in tx.run(
                    """
                    MATCH (c:Change)
                    OPTIONAL MATCH (u:User {id: c.user})
                    WITH c, coalesce(c.territories, [c.territory]) AS territories, coalesce(u.email, c.user) AS author
                    WHERE ($territory IS NULL OR $territory IN territories)
                      AND ($entity IS NULL OR c.entity = $entity)
                      AND ($user IS NULL OR toLower(author) CONTAINS $user)
                      AND ($record IS NULL OR c.entity_id = $record OR $record IN split(c.entity_id, '|')
                           OR (c.action = 'merge' AND c.summary CONTAINS ' (' + $record + ') : '))
                      AND ($since IS NULL OR c.at >= datetime({date: $since, timezone: $zone}))
                      AND ($until IS NULL OR c.at < datetime({date: $until, timezone: $zone}) + duration({days: 1}))
                    RETURN c {.id, .at, .action, .entity, .entity_id, .summary, .fields, user: author,
                              territories: territories} AS change
                    ORDER BY c.at DESC LIMIT $limit
                    """,
                    territory=territory, limit=limit, entity=entity, user=user and user.strip().lower(),
                    record=record, since=since, until=until, zone=MONTREAL_ZONE,
                )
            ]

        return self.read(work)

    def records(self, ids: list[str]) -> dict[str, dict]:
        """What the journal names by id — organisations, services (with their organisation), people, sessions,
        cohorts, territories — by id: {kind, name, organisation}. Erased people have no name."""

        def work(tx: ManagedTransaction):
            return {r["id"]: {"kind": r["kind"], "name": r["name"], "organisation": r["organisation"]}
                    for r in tx.run(
                        """
                        UNWIND $ids AS id
                        CALL (id) {
                            MATCH (n:Organisation {id: id}) RETURN n, 'Organisation' AS kind
                            UNION MATCH (n:Service {id: id}) RETURN n, 'Service' AS kind
                            UNION MATCH (n:Person {id: id}) RETURN n, 'Person' AS kind
                            UNION MATCH (n:Session {id: id}) RETURN n, 'Session' AS kind
                            UNION MATCH (n:Cohort {id: id}) RETURN n, 'Cohort' AS kind
                            UNION MATCH (n:Territory {id: id}) RETURN n, 'Territory' AS kind
                        }
                        OPTIONAL MATCH (o:Organisation)-[:OFFERS]->(n:Service)
                        RETURN id, coalesce(n.name, n.theme) AS name, o.id AS organisation, kind
                        """, ids=ids)}

        return self.read(work) if ids else {}

    def merges(self, ids: list[str]) -> dict[str, str]:
        """For each of `ids` merged away into another record, the summary of its merge (merge.py writes
        « kept ← gone (id) : … »), which holds the name it had."""

        def work(tx: ManagedTransaction):
            return {r["id"]: r["summary"] for r in tx.run(
                """
                UNWIND $ids AS id
                MATCH (:MergedPerson {id: id})
                MATCH (c:Change {action: 'merge', entity: 'person'}) WHERE c.summary CONTAINS ' (' + id + ') : '
                RETURN id, c.summary AS summary
                """, ids=ids)}

        return self.read(work) if ids else {}
