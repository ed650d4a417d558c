"""« Mes données »: everything the graph holds about one person, or about one account that is no person,
read in one transaction (Québec's Law 25, right to portability).

What is left out, and why:
- secrets: any property ending in `hash` (the password's, the API tokens') is filtered out in Cypher, so
  it never leaves the database; `_`-prefixed properties are write locks, never committed;
- other people's words: a referral's note only when the person wrote it (they sent the referral), a
  message of a referral's thread or an event's « autre raison » only when they wrote it; survey answers
  only those they gave (what others answered about them is those others' confidential answers);
- CAN_HELP: the search index's projection of what is exported here (jobs, expertise, referrals).
"""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository

# Cypher: the [key, value] pairs of a node's properties, without secrets nor locks (no map-from-pairs
# function without APOC: the pairs become a dict in Python).
_SAFE = "[key IN keys({v}) WHERE NOT (key ENDS WITH 'hash' OR key STARTS WITH '_') | [key, {v}[key]]]"

PERSON = """
MATCH (p:Person {id: $person})
OPTIONAL MATCH (confirmer:User {id: p.listing_confirmed_by})
RETURN """ + _SAFE.format(v="p") + """ AS properties,
       CASE WHEN p:Intervenant THEN 'intervenant' WHEN p:ParentPartner THEN 'parent' ELSE 'other' END AS kind,
       confirmer.email AS listing_confirmed_by_email,
       COLLECT { MATCH (p)-[:HAS_EXPERTISE]->(n:Need) RETURN n {.id, .label_fr, .label_en} AS need
                 ORDER BY need.id } AS expertise
"""

# The logged-in account, and every other account of the same person (the demo's person has two).
ACCOUNTS = """
MATCH (u:User)
WHERE u.id = $user OR ($person IS NOT NULL AND EXISTS { (u)-[:IS]->(:Person {id: $person}) })
RETURN """ + _SAFE.format(v="u") + """ AS properties,
       COLLECT { MATCH (u)-[:HAS_TOKEN]->(t:ApiToken) RETURN """ + _SAFE.format(v="t") + """ AS token
                 ORDER BY t.created } AS tokens
ORDER BY u.id
"""

JOBS = """
MATCH (:Person {id: $person})-[w:WORKS_AT]->(o:Organisation)
OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
RETURN o.id AS organisation, o.name AS organisation_name, t.name AS territory, w.since AS since, w.until AS until
ORDER BY w.until IS NOT NULL, w.since DESC, o.name
"""

SESSIONS = """
MATCH (:Person {id: $person})-[:ATTENDED]->(s:Session)
OPTIONAL MATCH (s)-[:HELD_IN]->(t:Territory)
RETURN s.id AS session, s.number AS number, s.theme AS theme, s.date AS date, t.name AS territory
ORDER BY s.date, s.number
"""

# KNOWS has no meaningful direction (one relationship per pair): both are read.
TIES = """
MATCH (:Person {id: $person})-[k:KNOWS]-(other)
OPTIONAL MATCH (s:Session {id: k.session})
RETURN other.id AS other_id, other.name AS other_name, k.origin AS origin, k.since AS since, k.level AS level,
       k.confirmed AS confirmed, k.declared_by AS declared_by, k.declared_at AS declared_at,
       k.confirmed_at AS confirmed_at, k.session AS session, s.number AS session_number, s.theme AS session_theme,
       k.referral AS referral
ORDER BY k.since DESC, other.name
"""

# The note, the messages and an event's free-text detail only when the person wrote them.
REFERRALS = """
MATCH (r:Referral)-[side:FROM|TO]->(:Person {id: $person})
MATCH (r)-[:FROM]->(sender), (r)-[:TO]->(receiver)
OPTIONAL MATCH (r)-[:FOR]->(n:Need)
WITH r, n, type(side) = 'FROM' AS sent, CASE type(side) WHEN 'FROM' THEN receiver ELSE sender END AS other
RETURN r.id AS id, CASE WHEN sent THEN 'sent' ELSE 'received' END AS direction,
       other.id AS other_id, other.name AS other_name, r.need AS need, n.label_fr AS need_label,
       r.language AS language, r.urgency AS urgency, r.status AS status,
       r.created_at AS created_at, r.updated_at AS updated_at,
       CASE WHEN sent THEN r.note END AS note,
       COLLECT { MATCH (r)-[:HAS_EVENT]->(e:ReferralEvent)
                 OPTIONAL MATCH (who:Person {id: e.by})
                 RETURN e {.seq, .status, .at, .by, .reason, .outcome, by_name: who.name,
                           detail: CASE WHEN e.by = $person THEN e.detail END} AS event
                 ORDER BY event.seq } AS events,
       COLLECT { MATCH (r)-[:HAS_MESSAGE]->(m:ReferralMessage) WHERE m.by = $person
                 RETURN m {.seq, .at, .text} AS message ORDER BY message.seq } AS messages
ORDER BY r.created_at DESC, r.id
"""

# The e-mails the outbox wrote to the person (delivery bookkeeping such as claims and errors left out).
NOTIFICATIONS = """
MATCH (n:Notification {person: $person})
RETURN n.key AS key, n.kind AS kind, n.referral AS referral, n.status AS status, n.reason AS reason,
       n.outcome AS outcome, n.state AS state, n.created_at AS created_at, n.sent_at AS sent_at
ORDER BY n.created_at DESC, n.key
"""

# Every wave whose roster includes the person, with the answers they gave (none: one row without an answer).
SURVEYS = """
MATCH (me:Person {id: $person})<-[:INCLUDES]-(w:Wave)
OPTIONAL MATCH (me)-[a:RATED {wave: w.id}]->(other:Person)
RETURN w.id AS wave, w.title AS title, w.opens AS opens, w.closes AS closes,
       other.id AS other_id, other.name AS other_name, a.knows AS knows, a.level AS level, a.trust AS trust,
       a.value AS value, a.knew_before AS knew_before, a.at AS answered_at
ORDER BY w.opens, w.id, other.name
"""

# The directory's journal entries about the person: on them, or on a tie of theirs ("a|b").
JOURNAL = """
MATCH (c:Change)
WHERE (c.entity = 'person' AND c.entity_id = $person)
   OR (c.entity = 'tie' AND $person IN split(c.entity_id, '|'))
RETURN c.at AS at, c.user AS by, c.action AS action, c.entity AS entity, c.entity_id AS entity_id,
       c.summary AS summary
ORDER BY c.at DESC
"""


def _properties(pairs: list) -> dict:
    return dict(sorted((key, value) for key, value in pairs))


def _record(tx: ManagedTransaction, person: str | None, user: str) -> dict:
    accounts = [{**_properties(r["properties"]), "tokens": [_properties(t) for t in r["tokens"]]}
                for r in tx.run(ACCOUNTS, person=person, user=user)]
    found = tx.run(PERSON, person=person).single() if person else None
    if found is None:
        return {"person": None, "accounts": accounts}
    return {
        "person": {**_properties(found["properties"]), "kind": found["kind"],
                   "listing_confirmed_by_email": found["listing_confirmed_by_email"]},
        "expertise": found["expertise"],
        "accounts": accounts,
        **{name: tx.run(cypher, person=person).data() for name, cypher in (
            ("jobs", JOBS), ("sessions", SESSIONS), ("ties", TIES), ("referrals", REFERRALS),
            ("notifications", NOTIFICATIONS), ("surveys", SURVEYS), ("journal", JOURNAL))},
    }


class MyDataRepository(Repository):
    def record(self, person: str | None, user: str) -> dict:
        """What is held about the person `person` and the account `user`: `person` is None (and only
        `accounts` is given) when the account is no person, or the person is gone."""
        return self.read(_record, person=person, user=user)
