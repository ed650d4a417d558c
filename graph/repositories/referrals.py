"""Referrals, closed loop: created once, moved through a status machine, never deleted.

Every change appends a `(:Referral)-[:HAS_EVENT]->(:ReferralEvent {seq, status, at, by, reason, outcome})`
(the history graph.loader writes for the demo). A change runs in ONE write transaction that first
takes the referral's write lock (`SET … REMOVE` of a scratch property: the lock stays until commit,
the property does not), then checks the current status in Cypher: of two changes sent at
once, the second sees the first's result, so none is lost and none skips the machine. The two people
are locked with graph.locks.lock_people (ids in order), never sender first: see that module for why.

No referral holds a name or any identifying detail of the family: only the need, its language,
the urgency and a short note that the web form checks.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.locks import lock_people
from graph.search_index import refresh_people

STATUSES = ("sent", "accepted", "declined", "in_progress", "completed", "cancelled")
OPEN_STATUSES = ("sent", "accepted", "in_progress")
DECLINE_REASONS = ("no_capacity", "not_eligible", "not_my_field", "other")
OUTCOMES = ("got_help", "could_not_get_help", "could_not_reach", "no_longer_needed")
URGENCIES = ("low", "normal", "high")
SENDER, RECEIVER = "sender", "receiver"

# New status → (the statuses it may follow, the party who may make it).
TRANSITIONS = {
    "accepted": (("sent",), RECEIVER),
    "declined": (("sent",), RECEIVER),
    "in_progress": (("accepted",), RECEIVER),
    "completed": (("in_progress",), RECEIVER),
    "cancelled": (OPEN_STATUSES, SENDER),
}


class ReferralError(Exception):
    """A refused request; `field` names the input at fault when there is one."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message or self.__class__.__name__)
        self.field = field


class ReferralNotFound(ReferralError):
    """No such referral, or the person is not one of its two parties (the same to them)."""


class WrongParty(ReferralError):
    """A party asked for a change that belongs to the other one (e.g. the sender accepting)."""


class TransitionNotAllowed(ReferralError):
    def __init__(self, current: str, target: str):
        super().__init__(f"{current} → {target}", field="status")
        self.current, self.target = current, target


class InvalidReferral(ReferralError):
    """Input the graph refuses: unknown or unlisted receiver, self-referral, unknown need, missing reason…"""


def next_statuses(status: str, party: str | None) -> list[str]:
    """The statuses this party may move the referral to from `status`."""
    return [target for target, (sources, who) in TRANSITIONS.items() if status in sources and who == party]


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
SET r._lock = true REMOVE r._lock
WITH r, sender, receiver, r.status AS current,
     $actor IN [sender.id, receiver.id] AS is_party,
     CASE $party WHEN 'sender' THEN sender.id ELSE receiver.id END = $actor AS by_party
CALL (r, current, by_party) {
    WITH r WHERE by_party AND current IN $sources
    WITH r, COUNT { (r)-[:HAS_EVENT]->() } AS seq
    SET r.status = $status, r.updated_at = $now
    CREATE (r)-[:HAS_EVENT]->(:ReferralEvent {seq: seq, referral: r.id, status: $status, at: $now, by: $actor,
                                              reason: $reason, outcome: $outcome})
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
r {.id, .need, .language, .urgency, .note, .status, .created_at, .updated_at} AS referral,
a {.id, .name, .email, .phone} AS sender,
b {.id, .name, .email, .phone} AS receiver,
n {.id, .label_fr, .label_en} AS need,
COLLECT { MATCH (a)-[w:WORKS_AT]->(o:Organisation) WHERE w.until IS NULL RETURN o.name }[0] AS sender_organisation,
COLLECT { MATCH (b)-[w:WORKS_AT]->(o:Organisation) WHERE w.until IS NULL RETURN o.name }[0] AS receiver_organisation
"""


def _shape(record) -> dict:
    referral = dict(record["referral"])
    referral.update(
        sender=record["sender"], receiver=record["receiver"], need=record["need"] or {"id": referral["need"]},
        sender_organisation=record["sender_organisation"], receiver_organisation=record["receiver_organisation"],
    )
    if "history" in record.keys():
        referral["history"] = record["history"]
    return referral


class ReferralRepository(Repository):
    def create(self, *, sender: str, receiver: str, need: str, language: str | None, urgency: str,
               note: str | None, request_key: str | None, now: datetime, today: date) -> tuple[dict, bool]:
        """(the referral, True) when created; (the earlier one, False) when `request_key` was already used
        by this sender: a form sent twice makes one referral. The receiver is listed and works somewhere on
        `today` (Montréal's day), whichever way the referral comes (page or API)."""
        if urgency not in URGENCIES:
            raise InvalidReferral("urgency", field="urgency")
        if sender == receiver:
            raise InvalidReferral("self", field="to")

        def work(tx: ManagedTransaction):
            # The sender's lock serialises their submissions: the second of two copies finds the first.
            # The receiver is locked too, with it in id order: their relationships are written at commit,
            # and locking them there while holding the sender's lock could close a cycle with a referral
            # sent the other way at the same time.
            people = lock_people(tx, sender, receiver)
            if sender not in people:
                raise InvalidReferral("sender", field="from")
            if request_key:
                earlier = tx.run(
                    "MATCH (r:Referral {request_key: $key})-[:FROM]->(:Person {id: $sender}) RETURN r.id AS id",
                    key=request_key, sender=sender,
                ).single()
                if earlier:
                    return earlier["id"], False
            if people.get(receiver, {}).get("listed") is not True or not tx.run(
                    "MATCH (:Person {id: $id})-[w:WORKS_AT]->(:Organisation) WHERE (w.since IS NULL OR "
                    "w.since <= $today) AND (w.until IS NULL OR w.until > $today) RETURN true LIMIT 1",
                    id=receiver, today=today).single():
                raise InvalidReferral("receiver", field="to")
            if not tx.run("MATCH (n:Need {id: $id}) RETURN n.id AS id", id=need).single():
                raise InvalidReferral("need", field="need")
            referral_id = f"r-{uuid.uuid4().hex[:12]}"
            tx.run(CREATE, id=referral_id, sender=sender, receiver=receiver, need=need, language=language,
                   urgency=urgency, note=note or None, now=now, request_key=request_key).consume()
            return referral_id, True

        referral_id, created = self.write(work)
        return self.get(referral_id), created

    def change_status(self, referral_id: str, *, actor: str, status: str, now: datetime, today: date,
                      reason: str | None = None, outcome: str | None = None) -> dict:
        """Move the referral on, as `actor` (a person id); returns the referral and whether a tie was created."""
        if status not in TRANSITIONS:
            raise InvalidReferral("status", field="status")
        if status == "declined" and reason not in DECLINE_REASONS:
            raise InvalidReferral("reason", field="reason")
        if status == "completed" and outcome not in OUTCOMES:
            raise InvalidReferral("outcome", field="outcome")
        sources, party = TRANSITIONS[status]

        def work(tx: ManagedTransaction):
            record = tx.run(
                CHANGE, id=referral_id, actor=actor, party=party, sources=list(sources), status=status, now=now,
                reason=reason if status == "declined" else None,
                outcome=outcome if status == "completed" else None,
            ).single()
            if not record or not record["is_party"]:
                raise ReferralNotFound(referral_id)
            if not record["by_party"]:
                raise WrongParty(status, field="status")
            if not record["changed"]:
                raise TransitionNotAllowed(record["current"], status)
            if status == "accepted":
                lock_people(tx, record["sender"], record["receiver"])
                return tx.run(TIE_FROM_REFERRAL, id=referral_id, today=today).single()["created"]
            if status == "completed":  # a successful referral counts for the receiver in search
                receiver = tx.run("MATCH (:Referral {id: $id})-[:TO]->(p:Person) RETURN p.id AS id",
                                  id=referral_id).single()
                refresh_people(tx, [receiver["id"]] if receiver else [])
            return False

        tie_created = self.write(work)
        referral = self.get(referral_id)
        referral["tie_created"] = tie_created
        return referral

    def get(self, referral_id: str) -> dict | None:
        """The referral, its two parties and its whole history (the note included: callers decide who sees it)."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                f"""
                MATCH (r:Referral {{id: $id}})-[:FROM]->(a), (r)-[:TO]->(b)
                OPTIONAL MATCH (r)-[:FOR]->(n:Need)
                RETURN {REFERRAL_FIELDS},
                       COLLECT {{ MATCH (r)-[:HAS_EVENT]->(e:ReferralEvent)
                                 OPTIONAL MATCH (who:Person {{id: e.by}})
                                 RETURN e {{.seq, .status, .at, .by, .reason, .outcome, by_name: who.name}}
                                 ORDER BY e.seq }} AS history
                """,
                id=referral_id,
            ).single()
            return _shape(record) if record else None

        return self.read(work)

    def box(self, person_id: str, box: str) -> list[dict]:
        """The referrals a person sent (`sent`) or received (`received`), most recently changed first."""
        pattern = {"sent": "(r)-[:FROM]->(me)", "received": "(r)-[:TO]->(me)"}[box]

        def work(tx: ManagedTransaction):
            return [
                _shape(record)
                for record in tx.run(
                    f"""
                    MATCH (me:Person {{id: $id}}), {pattern}
                    MATCH (r)-[:FROM]->(a), (r)-[:TO]->(b)
                    OPTIONAL MATCH (r)-[:FOR]->(n:Need)
                    RETURN {REFERRAL_FIELDS}
                    ORDER BY r.updated_at DESC, r.id
                    """,
                    id=person_id,
                )
            ]

        return self.read(work)
