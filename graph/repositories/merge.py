"""Merging two records of one person (an import made a second one, a person was typed twice): the record
kept takes over everything the other had, in one transaction, and the journal says so.

- Ties: each tie of the other record moves to the kept one; where both knew someone, the earlier tie
  stays and the later one goes (a tie is never rewritten, the older knowledge is the truth). A tie
  between the two records goes: it was one person.
- Jobs: moved; a job at an organisation where the kept record has one over the same days becomes one
  job, from the earlier start to the later end (open if either is).
- Referrals sent and received, their events and messages, session attendance, survey answers and
  waves, expertise, notifications: moved or pointed at the kept record.
- The account: the other record's, when the kept one has none; when both have one, the kept record's
  stays and the other's closes (inactive, its sessions and API tokens ended, tied to no one: an admin
  sees it in the accounts list and may delete it).
- Details: the kept record's, gaps filled from the other's; each consent (to be listed, to research): a refusal
  on either record wins (never lost), else a consent on either (never invented nor lost), else not asked — with
  who recorded it and when; the journal says how the kept record's consents changed.

The other record stays as a `MergedPerson` {id, merged_into, merged_on} with no relationship, so that
links to it (a notification, a bookmark) lead to the kept record.
"""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.locks import write_lock
from graph.repositories.changes import current_territories_of, field_changes, record_change
from graph.search_index import refresh_people


class MergeRefused(Exception):
    """`reason`: missing (a record is gone) or same (one record twice); nothing written."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


FAR_PAST, FAR_FUTURE = date(1, 1, 1), date(9999, 12, 31)

# Both records locked in one order (a concurrent merge of the same two waits), then read.
READ = """
UNWIND $ids AS id
MATCH (p:Person {id: id}) """ + write_lock("p") + """
RETURN p.id AS id, p.name AS name, EXISTS { (:User)-[:IS]->(p) } AS account,
       """ + current_territories_of("p") + """ AS territories
"""

# (keep, gone) bound by every statement below.
BOTH = "MATCH (keep:Person {id: $keep}), (gone:Person {id: $gone})\n"

TIES = BOTH + """
OPTIONAL MATCH (keep)-[self:KNOWS]-(gone) DELETE self
WITH DISTINCT keep, gone
MATCH (gone)-[k:KNOWS]-(other) WHERE other <> keep
OPTIONAL MATCH (keep)-[old:KNOWS]-(other)
WITH keep, gone, k, other, old, startNode(k) = gone AS outgoing,
     old IS NULL OR coalesce(k.since, $far_past) < coalesce(old.since, $far_past) AS moves
FOREACH (_ IN CASE WHEN moves AND old IS NOT NULL THEN [1] ELSE [] END | DELETE old)
FOREACH (_ IN CASE WHEN moves AND outgoing THEN [1] ELSE [] END |
    CREATE (keep)-[n:KNOWS]->(other) SET n = properties(k))
FOREACH (_ IN CASE WHEN moves AND NOT outgoing THEN [1] ELSE [] END |
    CREATE (other)-[n:KNOWS]->(keep) SET n = properties(k))
DELETE k
WITH sum(CASE WHEN moves THEN 1 ELSE 0 END) AS moved
CALL () {
    MATCH (:Person {id: $keep})-[k:KNOWS]-() WHERE k.declared_by = $gone SET k.declared_by = $keep
}
RETURN moved
"""

JOBS = BOTH + """
MATCH (gone)-[w:WORKS_AT]->(o:Organisation)
OPTIONAL MATCH (keep)-[same:WORKS_AT]->(o)
WHERE coalesce(same.since, $far_past) <= coalesce(w.until, $far_future)
  AND coalesce(w.since, $far_past) <= coalesce(same.until, $far_future)
WITH keep, w, o, head(collect(same)) AS same
FOREACH (_ IN CASE WHEN same IS NULL THEN [1] ELSE [] END | CREATE (keep)-[n:WORKS_AT]->(o) SET n = properties(w))
FOREACH (_ IN CASE WHEN same IS NULL THEN [] ELSE [1] END |
    SET same.since = CASE WHEN same.since IS NULL OR w.since IS NULL THEN NULL
                          WHEN w.since < same.since THEN w.since ELSE same.since END,
        same.until = CASE WHEN same.until IS NULL OR w.until IS NULL THEN NULL
                          WHEN w.until > same.until THEN w.until ELSE same.until END)
DELETE w
RETURN count(*) AS jobs
"""

# Relationships that move as they are (one per pair at most: MERGE), then referrals and properties.
REST = BOTH + """
CALL (keep, gone) {
    MATCH (gone)-[r:HAS_EXPERTISE]->(n) MERGE (keep)-[:HAS_EXPERTISE]->(n) DELETE r
}
CALL (keep, gone) {
    MATCH (gone)-[r:ATTENDED]->(s) MERGE (keep)-[n:ATTENDED]->(s) ON CREATE SET n = properties(r) DELETE r
}
CALL (keep, gone) {
    MATCH (w:Wave)-[r:INCLUDES]->(gone) MERGE (w)-[:INCLUDES]->(keep) DELETE r
}
CALL (keep, gone) {
    MATCH (gone)-[r:RATED]->(other) WHERE other <> keep
      AND NOT EXISTS { (keep)-[x:RATED]->(other) WHERE x.wave = r.wave }
    CREATE (keep)-[n:RATED]->(other) SET n = properties(r)
}
CALL (keep, gone) {
    MATCH (other)-[r:RATED]->(gone) WHERE other <> keep
      AND NOT EXISTS { (other)-[x:RATED]->(keep) WHERE x.wave = r.wave }
    CREATE (other)-[n:RATED]->(keep) SET n = properties(r)
}
CALL (keep, gone) {
    MATCH (r:Referral)-[f:FROM]->(gone) CREATE (r)-[:FROM]->(keep) DELETE f
}
CALL (keep, gone) {
    MATCH (r:Referral)-[t:TO]->(gone) CREATE (r)-[:TO]->(keep) DELETE t
}
CALL (keep, gone) {
    MATCH (u:User)-[i:IS]->(gone)
    WITH keep, u, i, EXISTS { (:User)-[:IS]->(keep) } AS taken
    FOREACH (_ IN CASE WHEN taken THEN [] ELSE [1] END | CREATE (u)-[:IS]->(keep))
    FOREACH (_ IN CASE WHEN taken THEN [1] ELSE [] END |
        SET u.active = false, u.merged_away = true, u.session_epoch = coalesce(u.session_epoch, 0) + 1)
    DELETE i
    WITH u, taken WHERE taken
    OPTIONAL MATCH (u)-[:HAS_TOKEN]->(t:ApiToken) DETACH DELETE t
}
CALL () {
    MATCH (e:ReferralEvent {by: $gone}) SET e.by = $keep
}
CALL () {
    MATCH (m:ReferralMessage {by: $gone}) SET m.by = $keep
}
CALL () {
    MATCH (n:Notification {person: $gone}) SET n.person = $keep
}
WITH keep, gone, {email: gone.email, phone: gone.phone, title: gone.title, role: gone.role,
                  languages: gone.languages} AS other,
     // each consent with its stamp: a refusal on either record wins (never lost: privacy first), then a consent
     // on either (never invented nor lost), else not asked
     CASE WHEN keep.listed = false OR keep.listed IS NULL AND gone.listed IS NULL
          THEN keep WHEN gone.listed = false OR keep.listed IS NULL THEN gone ELSE keep END AS listing,
     CASE WHEN keep.research_consent = false OR keep.research_consent IS NULL AND gone.research_consent IS NULL
          THEN keep WHEN gone.research_consent = false OR keep.research_consent IS NULL THEN gone ELSE keep END
          AS research
WITH keep, gone, other, listing {.listed, .listed_recorded_at, .listed_recorded_by} AS listing,
     research {.research_consent, .research_consent_recorded_at, .research_consent_recorded_by} AS research
SET gone.email = NULL
SET keep.email = coalesce(keep.email, other.email), keep.phone = coalesce(keep.phone, other.phone),
    keep.title = coalesce(keep.title, other.title), keep.role = coalesce(keep.role, other.role),
    keep.languages = coalesce(keep.languages, []) + [l IN coalesce(other.languages, [])
                                                     WHERE NOT l IN coalesce(keep.languages, [])],
    keep += listing, keep += research
WITH gone
OPTIONAL MATCH (gone)-[left]-() DELETE left
WITH DISTINCT gone
REMOVE gone:Person:Intervenant:ParentPartner
SET gone = {id: gone.id, merged_into: $keep, merged_on: $day}, gone:MergedPerson
"""


def _merge(tx: ManagedTransaction, keep: str, gone: str, day: date, user: str) -> dict:
    if keep == gone:
        raise MergeRefused("same")
    found = {r["id"]: dict(r) for r in tx.run(READ, ids=sorted([keep, gone]))}
    if len(found) < 2:
        raise MergeRefused("missing")
    params = {"keep": keep, "gone": gone, "far_past": FAR_PAST, "far_future": FAR_FUTURE}
    ties = tx.run(TIES, **params).single()["moved"]
    jobs = tx.run(JOBS, **params).single()["jobs"]
    referrals = tx.run("MATCH (:Person {id: $gone})<-[:FROM|TO]-(r:Referral) RETURN count(DISTINCT r) AS n",
                       gone=gone).single()["n"]
    consents = "MATCH (p:Person {id: $keep}) RETURN p {.listed, .research_consent} AS p"
    before = dict(tx.run(consents, keep=keep).single()["p"])
    tx.run(REST, **params, day=day).consume()
    after = dict(tx.run(consents, keep=keep).single()["p"])
    refresh_people(tx, [keep])
    summary = {"ties": ties, "jobs": jobs, "referrals": referrals,
               "account_closed": found[keep]["account"] and found[gone]["account"]}
    record_change(tx, user, "merge", "person", keep,
                  f"{found[keep]['name']} ← {found[gone]['name']} ({gone}) : {summary['ties']} lien(s), "
                  f"{jobs} emploi(s), {referrals} référence(s) rattachés",
                  set(found[keep]["territories"]) | set(found[gone]["territories"]), field_changes(before, after))
    return summary


class MergeRepository(Repository):
    def merge(self, keep: str, gone: str, day: date, user: str) -> dict:
        """Merge the record `gone` into `keep`: what moved ({ties, jobs, referrals}); MergeRefused, nothing
        written, when it cannot be done."""
        return self.write(_merge, keep=keep, gone=gone, day=day, user=user)

    def merged_into(self, person_id: str) -> str | None:
        """The record a merged one now lives in (followed to the end of a chain of merges)."""

        def follow(tx: ManagedTransaction):
            current, seen = person_id, set()
            while current not in seen:
                seen.add(current)
                record = tx.run("MATCH (m:MergedPerson {id: $id}) RETURN m.merged_into AS next", id=current).single()
                if record is None:
                    return None if current == person_id else current
                current = record["next"]
            return None

        return self.read(follow)
