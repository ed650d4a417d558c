"""Write locks taken on purpose, always in one order (a session, then people, then territories: each sorted
by id).

A transaction that writes about two people (a referral, the tie an acceptance creates, a declared tie,
a tie a coordinator records) locks both first, to serialise with the others writing about them. Taken
in the order of the call (sender then receiver, me then other), two transactions about the same pair
seen from either side lock A then B and B then A: a deadlock. Sorted by id, every transaction queues
on the same first lock instead.
The locks Neo4j itself takes when the relationships are written come at commit, after these. The search
projection's refresh locks each person it recomputes the same way, its people sorted by id
(graph/search_index.py: REFRESH_PEOPLE).
"""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import plain


def write_lock(variable: str) -> str:
    """Cypher: write-lock the node bound to `variable` until the transaction ends (the property is not kept)."""
    return f"SET {variable}._lock = true REMOVE {variable}._lock"


LOCK_PERSON = """
MATCH (p:Person {id: $id}) """ + write_lock("p") + """
RETURN p.listed AS listed, p.name AS name, p.accepting_until AS accepting_until
"""
LOCK_SESSION = "MATCH (s:Session {id: $id}) " + write_lock("s")
LOCK_TERRITORIES = """
MATCH (t:Territory) WHERE $ids IS NULL OR t.id IN $ids
WITH t ORDER BY t.id
""" + write_lock("t")


def lock_people(tx: ManagedTransaction, *person_ids: str) -> dict[str, dict]:
    """Write-lock these people (held until the transaction ends; the scratch property is not kept), in the
    order of their ids whoever asks; {id: {"listed", "name", "accepting_until"}} for those that exist."""
    found = {}
    for person_id in sorted(set(person_ids)):
        record = tx.run(LOCK_PERSON, id=person_id).single()
        if record:
            found[person_id] = plain(record.data())
    return found


def lock_session(tx: ManagedTransaction, session_id: str) -> None:
    """Write-lock a session: its day is not moved, nor is it cancelled, while attendance or a tie born there is
    being written."""
    tx.run(LOCK_SESSION, id=session_id).consume()


def lock_territories(tx: ManagedTransaction, territory_ids: list[str] | None = None) -> None:
    """Write-lock these territories (every one when None), in the order of their ids: an organisation's name
    is checked, and an import planned, only once the others writing into them have committed."""
    tx.run(LOCK_TERRITORIES, ids=sorted(set(territory_ids)) if territory_ids is not None else None).consume()
