"""Referrals, closed loop: created once, moved through a status machine (referral/referrals/machine.py),
never deleted.

Every change appends a `(:Referral)-[:HAS_EVENT]->(:ReferralEvent {seq, status, at, by, reason, outcome})`
(the history graph.loader writes for the demo). A change runs in ONE write transaction that first
takes the referral's write lock (`SET … REMOVE` of a scratch property: the lock stays until commit,
the property does not), then checks the current status in Cypher against the statuses the machine
allows: of two changes sent at once, the second sees the first's result, so none is lost and none skips
the machine. The two people
are locked with graph.locks.lock_people (ids in order), never sender first: see that module for why.

No referral holds a name or any identifying detail of the family: only the need, its language,
the urgency and a short note that the web form checks.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from neo4j import ManagedTransaction

from graph.driver import Repository, from_instant, instant
from graph.locks import lock_people, write_lock
from graph.search_index import refresh_people

CREATE = """
MATCH (a:Person {id: $sender}), (b:Person {id: $receiver}), (n:Need {id: $need})
CREATE (r:Referral {id: $id, need: $need, language: $language, urgency: $urgency, note: $note,
                    status: 'sent', created_at: $now, updated_at: $now, request_key: $request_key})
CREATE (r)-[:FROM]->(a), (r)-[:TO]->(b), (r)-[:FOR]->(n)
CREATE (r)-[:HAS_EVENT]->(:ReferralEvent {seq: 0, referral: $id, status: 'sent', at: $now, by: $sender})
RETURN r.id AS id
"""

CHANGE = """
MATCH (r:Referral {id: $id})-[:FROM]->(sender), (r)-[:TO]->(receiver)
""" + write_lock("r") + """
WITH r, sender, receiver, r.status AS current,
     $actor IN [sender.id, receiver.id] AS is_party,
     CASE $party WHEN 'sender' THEN sender.id ELSE receiver.id END = $actor AS by_party
CALL (r, current, by_party) {
    WITH r WHERE by_party AND current IN $sources
    WITH r, COUNT { (r)-[:HAS_EVENT]->() } AS seq
    SET r.status = $status, r.updated_at = $now
    CREATE (r)-[:HAS_EVENT]->(:ReferralEvent {seq: seq, referral: r.id, status: $status, at: $now, by: $actor,
                                              reason: $reason, detail: $detail, outcome: $outcome})
    RETURN count(*) AS changed
}
RETURN current, is_party, by_party, changed > 0 AS changed, sender.id AS sender, receiver.id AS receiver
"""

# Accepting a referral between two people without a tie creates one: the network grows from use.
# Both people are locked first (lock_people), so two acceptances between the same pair still make one tie.
TIE_FROM_REFERRAL = """
MATCH (r:Referral {id: $id})-[:FROM]->(a:Person), (r)-[:TO]->(b:Person)
OPTIONAL MATCH (a)-[existing:KNOWS]-(b)
WITH r, a, b, count(existing) AS ties
CALL (r, a, b, ties) {
    WITH r, a, b WHERE ties = 0
    CREATE (a)-[:KNOWS {origin: 'referral', since: $today, level: 'networking', referral: r.id}]->(b)
    RETURN count(*) AS created
}
RETURN created > 0 AS created
"""

REFERRAL_FIELDS = """
r {.id, .need, .language, .urgency, .note, .status, created_at: """ + instant("r.created_at") + """,
   updated_at: """ + instant("r.updated_at") + """} AS referral,
a {.id, .name, .email, .phone} AS sender,
b {.id, .name, .email, .phone} AS receiver,
n {.id, .label_fr, .label_en} AS need,
COLLECT { MATCH (a)-[w:WORKS_AT]->(o:Organisation) WHERE w.until IS NULL RETURN o.name }[0] AS sender_organisation,
COLLECT { MATCH (b)-[w:WORKS_AT]->(o:Organisation) WHERE w.until IS NULL RETURN o.name }[0] AS receiver_organisation
"""


BOX_PATTERNS = {"sent": "(r)-[:FROM]->(me)", "received": "(r)-[:TO]->(me)"}


def _box(tx: ManagedTransaction, person_id: str, name: str, statuses: tuple[str, ...] | None,
         page: tuple[int, int] | None = None) -> list[dict]:
    """A box's referrals, most recently changed first: those of `page` (skip, limit) only, when given."""
    skip, limit = page or (0, 0)
    return [_shape(record) for record in tx.run(
        f"""
        MATCH (me:Person {{id: $id}}), {BOX_PATTERNS[name]}
        WHERE $statuses IS NULL OR r.status IN $statuses
        WITH r ORDER BY r.updated_at DESC, r.id {"SKIP $skip LIMIT $limit" if page else ""}
        MATCH (r)-[:FROM]->(a), (r)-[:TO]->(b)
        OPTIONAL MATCH (r)-[:FOR]->(n:Need)
        RETURN {REFERRAL_FIELDS}
        ORDER BY r.updated_at DESC, r.id
        """, id=person_id, statuses=list(statuses) if statuses else None, skip=skip, limit=limit)]


def _shape(record) -> dict:
    referral = dict(record["referral"])
    referral.update(
        created_at=from_instant(referral["created_at"]), updated_at=from_instant(referral["updated_at"]),
        sender=record["sender"], receiver=record["receiver"], need=record["need"] or {"id": referral["need"]},
        sender_organisation=record["sender_organisation"], receiver_organisation=record["receiver_organisation"],
    )
    if "history" in record.keys():
        referral["history"] = record["history"]
    return referral


def _referral(tx: ManagedTransaction, referral_id: str) -> dict | None:
    record = tx.run(
        f"""
        MATCH (r:Referral {{id: $id}})-[:FROM]->(a), (r)-[:TO]->(b)
        OPTIONAL MATCH (r)-[:FOR]->(n:Need)
        RETURN {REFERRAL_FIELDS},
               COLLECT {{ MATCH (r)-[:HAS_EVENT]->(e:ReferralEvent)
                         OPTIONAL MATCH (who:Person {{id: e.by}})
                         RETURN e {{.seq, .status, .at, .by, .reason, .detail, .outcome, by_name: who.name}}
                         ORDER BY e.seq }} AS history
        """,
        id=referral_id,
    ).single()
    return _shape(record) if record else None


def referrals_by_ids(tx: ManagedTransaction, referral_ids: list[str]) -> dict[str, dict]:
    """Several referrals without their history, by id: what the outbox's messages tell of them
    (graph/repositories/notifications.py)."""
    return {row["id"]: row for row in (_shape(record) for record in tx.run(
        f"""
        MATCH (r:Referral)-[:FROM]->(a), (r)-[:TO]->(b) WHERE r.id IN $ids
        OPTIONAL MATCH (r)-[:FOR]->(n:Need)
        RETURN {REFERRAL_FIELDS}
        """, ids=referral_ids))}


class ReferralRepository(Repository):
    def create(self, *, sender: str, receiver: str, need: str, language: str | None, urgency: str,
               note: str | None, request_key: str | None, now: datetime, today: date,
               despite_pause: bool = False) -> tuple:
        """(the referral, True, None) when created; (the earlier one, False, None) when `request_key` was already
        used by this sender for the same referral: a form sent twice makes one referral — (the earlier one,
        False, "key_reused") when used for another (receiver, need, language, urgency or note). (None, False,
        what) when `what` — "sender", "receiver" (unlisted, or working nowhere on `today`) or "need" — is
        missing; (the receiver {name, accepting_until}, False, "paused") when they take no referrals until a
        day from `today` on and not `despite_pause`. Nothing is written unless created; one transaction, the
        referral read back in it."""

        def work(tx: ManagedTransaction):
            # The sender's lock serialises their submissions: the second of two copies finds the first.
            # The receiver is locked too, with it in id order: their relationships are written at commit,
            # and locking them there while holding the sender's lock could close a cycle with a referral
            # sent the other way at the same time.
            people = lock_people(tx, sender, receiver)
            if sender not in people:
                return None, False, "sender"
            if request_key:
                earlier = tx.run(
                    "MATCH (r:Referral {request_key: $key})-[:FROM]->(:Person {id: $sender}) RETURN r.id AS id",
                    key=request_key, sender=sender,
                ).single()
                if earlier:
                    first = _referral(tx, earlier["id"])
                    same = ((first["receiver"]["id"], first["need"]["id"], first["language"], first["urgency"],
                             first["note"]) == (receiver, need, language, urgency, note or None))
                    return first, False, None if same else "key_reused"
            found = tx.run(
                "RETURN EXISTS { MATCH (:Person {id: $id})-[w:WORKS_AT]->(:Organisation) WHERE (w.since IS NULL "
                "OR w.since <= $today) AND (w.until IS NULL OR w.until > $today) } AS works, "
                "EXISTS { MATCH (:Need {id: $need}) } AS need", id=receiver, today=today, need=need).single()
            person = people.get(receiver, {})
            if person.get("listed") is not True or not found["works"]:
                return None, False, "receiver"
            if not found["need"]:
                return None, False, "need"
            until = person.get("accepting_until")
            if until and until >= today and not despite_pause:
                return {"name": person["name"], "accepting_until": until}, False, "paused"
            referral_id = f"r-{uuid.uuid4().hex[:12]}"
            tx.run(CREATE, id=referral_id, sender=sender, receiver=receiver, need=need, language=language,
                   urgency=urgency, note=note or None, now=now, request_key=request_key).consume()
            return _referral(tx, referral_id), True, None

        return self.write(work)

    def move(self, referral_id: str, *, actor: str, status: str, sources: tuple[str, ...], party: str,
             now: datetime, today: date, reason: str | None, outcome: str | None, tie_on: bool,
             rank_on: bool, detail: str | None = None) -> dict:
        """Set `status` when `actor` is the referral's `party` and its current status is one of `sources`,
        appending the event; with `tie_on`, tie the two people if they were not; with `rank_on`, refresh the
        receiver's search entries (a successful referral counts there). Returns what was found: is_party,
        by_party, changed, current, tie_created — nothing is written unless `changed`."""

        def work(tx: ManagedTransaction) -> dict:
            record = tx.run(CHANGE, id=referral_id, actor=actor, party=party, sources=list(sources), status=status,
                            now=now, reason=reason, detail=detail, outcome=outcome).single()
            found = {"is_party": bool(record and record["is_party"]), "by_party": bool(record and record["by_party"]),
                     "changed": bool(record and record["changed"]), "current": record and record["current"],
                     "tie_created": False}
            if found["changed"] and tie_on:
                lock_people(tx, record["sender"], record["receiver"])
                found["tie_created"] = tx.run(TIE_FROM_REFERRAL, id=referral_id, today=today).single()["created"]
            if found["changed"] and rank_on:
                refresh_people(tx, [record["receiver"]])
            return found

        return self.write(work)

    def get(self, referral_id: str) -> dict | None:
        """The referral, its two parties and its whole history (the note included: callers decide who sees it)."""
        return self.read(lambda tx: _referral(tx, referral_id))

    def boxes(self, person_id: str, names: tuple[str, ...], statuses: tuple[str, ...] | None = None
              ) -> dict[str, list[dict]]:
        """Per box name, the referrals a person sent (`sent`) or received (`received`), most recently changed
        first; only those in `statuses` when given. One transaction for all: each is a round trip."""
        return self.read(lambda tx: {name: _box(tx, person_id, name, statuses) for name in names})

    def box_page(self, person_id: str, name: str, skip: int, limit: int) -> dict:
        """One page of a box (`limit` referrals from the `skip`-th, as `boxes` orders them) and how many it
        holds in all: a box grows with every referral, an answer must not."""

        def work(tx: ManagedTransaction) -> dict:
            total = tx.run(f"MATCH (me:Person {{id: $id}}), {BOX_PATTERNS[name]} RETURN count(r) AS total",
                           id=person_id).single()["total"]
            return {"referrals": _box(tx, person_id, name, None, (skip, limit)), "total": total}

        return self.read(work)

    def waiting_for(self, person_id: str, statuses: tuple[str, ...]) -> int:
        """Received referrals in `statuses` (the open ones): what the menu shows as « à traiter »."""

        def work(tx: ManagedTransaction) -> int:
            return tx.run("MATCH (:Person {id: $id})<-[:TO]-(r:Referral) WHERE r.status IN $statuses "
                          "RETURN count(r) AS n", id=person_id, statuses=list(statuses)).single()["n"]

        return self.read(work)
