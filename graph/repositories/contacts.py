"""Named contacts: the search for people who could help (graph/repositories/contact_search.py, with
the Cypher of graph/search_query.py, scored from the ranking in the criteria), what a result card
shows, and a person's contact card.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from neo4j import ManagedTransaction

from graph.driver import Repository, plain
from graph.repositories import contact_search
from graph.repositories.needs import NeedRepository, match_words
from graph.search_criteria import SearchCriteria
from graph.search_index import HELPED
from graph.search_query import ids, trusted

# What a result card shows. With $every_need (the contact card), every service and expertise. Who
# could introduce the searcher is looked for only when the ranking said someone could
# (`row.introduced`; true on a contact card, where it is unknown): two hops are the costly part.
DETAILS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.id})-[w:WORKS_AT]->(o:Organisation {id: row.organisation})
WHERE w.until IS NULL
OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
OPTIONAL MATCH (me:Person {id: $me})
RETURN p {.id, .name, .role, .title, .email, .phone, .languages, .accepting_until, .listed} AS person,
       o {.id, .name, .address, .postal_code, .phone, .website,
          hours: COLLECT { MATCH (o)-[:OFFERS]->(s:Service) WHERE s.hours IS NOT NULL AND s.archived_on IS NULL
                           RETURN DISTINCT s.hours AS hours ORDER BY hours }} AS organisation,
       t {.id, .name} AS territory,
       EXISTS { (me)-[a:WORKS_AT]->(o) WHERE a.until IS NULL } AS my_colleague,
       [(o)-[:OFFERS]->(s:Service)
        WHERE s.archived_on IS NULL AND ($every_need OR s.id IN $service_ids
           OR EXISTS { (s)-[:ADDRESSES]->(n:Need) WHERE n.id IN $need_ids })
        | s {.id, .name, .description, .hours, .languages, needs: [(s)-[:ADDRESSES]->(n:Need) | n.id]}] AS services,
       [(p)-[:HAS_EXPERTISE]->(n:Need) WHERE $every_need OR n.id IN $need_ids
        | n {.id, .label_fr, .label_en}] AS expertise,
       [(me)-[k:KNOWS]-(p) WHERE coalesce(k.since, $today) <= $today
        | k {.since, .origin, .level, .declared_by, .confirmed,
             session: COLLECT { MATCH (s:Session {id: k.session}) RETURN s {.number, .theme, .date} }[0]}][0]
         AS tie,
       CASE WHEN row.introduced = false THEN [] ELSE COLLECT {
           MATCH (me)-[k1:KNOWS]-(via:Person)-[k2:KNOWS]-(p)
           WHERE via.listed = true AND """ + trusted("k1") + " AND " + trusted("k2") + """
           WITH DISTINCT via
           WITH via,
                EXISTS { (me)-[a:WORKS_AT]->(:Organisation)<-[b:WORKS_AT]-(via)
                         WHERE a.until IS NULL AND b.until IS NULL } AS my_colleague,
                EXISTS { (p)-[a:WORKS_AT]->(:Organisation)<-[b:WORKS_AT]-(via)
                         WHERE a.until IS NULL AND b.until IS NULL } AS their_colleague
           RETURN via {.id, .name, my_colleague: my_colleague, their_colleague: their_colleague}
           ORDER BY my_colleague DESC, their_colleague DESC, via.name
           LIMIT 3
       } END AS introducers,
       """ + HELPED + """ AS successes
"""


def _search(tx: ManagedTransaction, criteria: SearchCriteria) -> dict:
    found, context = contact_search.ranked(tx, criteria)
    shown = found["rows"][criteria.first:criteria.limit]
    found["details"] = (_details(tx, shown, me=criteria.me, need_ids=list(criteria.need_ids),
                                 service_ids=list(criteria.service_ids), today=criteria.today) if shown else [])
    found["from_workplace"] = criteria.origin is None and context["workplace"] is not None
    return found


def _details(tx: ManagedTransaction, rows: list[dict], *, me: str | None, need_ids: list[str] | None,
             service_ids: list[str] | None, today: date) -> list[dict]:
    found = {d["person"]["id"]: d for d in plain(tx.run(
        DETAILS, rows=[{"id": r["id"], "organisation": r["organisation"],
                        "introduced": r.get("introduced") is not False} for r in rows], me=me or "",
        every_need=need_ids is None, need_ids=ids(need_ids or []), service_ids=ids(service_ids or []), today=today,
    ).data())}
    return [found[r["id"]] for r in rows if r["id"] in found]


class ContactRepository(Repository):
    def workplace(self, person_id: str) -> tuple[float, float] | None:
        """Where the person currently works: the default origin of distances."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (:Person {id: $id})-[w:WORKS_AT]->(o:Organisation)
                WHERE w.until IS NULL AND o.location IS NOT NULL
                RETURN o.location.latitude AS latitude, o.location.longitude AS longitude
                ORDER BY w.since DESC LIMIT 1
                """,
                id=person_id,
            ).single()
            return (record["latitude"], record["longitude"]) if record else None

        position = self.read(work)
        return tuple(position) if position else None

    def search(self, criteria: SearchCriteria) -> dict:
        """The best `criteria.limit` people who could help, best first, and the details of those from
        `criteria.first` on (one page), in one read transaction. Returns rows, total (exact, or a lower
        bound when `exact` is false), details and from_workplace (distances are from the searcher's
        organisation)."""
        return self.read(lambda tx: _search(tx, criteria))

    def find(self, text: str, criteria: SearchCriteria) -> dict | None:
        """What `text` names (graph/repositories/needs.py) and the search for it, in one read
        transaction: `search`'s answer and the needs understood, or None when the words name no need
        nor service (the needs and services of `criteria` are those of the words). A taxonomy id is
        known from the kept taxonomy: one statement less."""
        need = NeedRepository(self.driver, self.database).named(text.strip())

        def work(tx: ManagedTransaction):
            matched = {"needs": [need], "services": []} if need else match_words(tx, text)
            if not matched["needs"] and not matched["services"]:
                return None
            found = _search(tx, replace(criteria, need_ids=tuple(n["id"] for n in matched["needs"]),
                                        service_ids=tuple(matched["services"])))
            return {**found, "needs": matched["needs"]}

        return self.read(work)

    def warm(self, text: str, criteria: SearchCriteria) -> None:
        """Have Neo4j plan every statement of a search (contact_search.warm; `criteria` names nobody),
        the matching of `text` and the details of a card."""

        def work(tx: ManagedTransaction):
            match_words(tx, text)
            contact_search.warm(tx, criteria)
            _details(tx, [{"id": criteria.me, "organisation": criteria.me}], me=criteria.me,
                     need_ids=list(criteria.need_ids), service_ids=list(criteria.service_ids), today=criteria.today)

        self.read(work)

    def card(self, person_id: str, *, me: str | None, today: date) -> dict | None:
        """A person's contact card at their current organisation (None when they work nowhere now)."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (:Person {id: $id})-[w:WORKS_AT]->(o:Organisation)
                WHERE w.until IS NULL
                RETURN o.id AS organisation ORDER BY w.since DESC LIMIT 1
                """,
                id=person_id,
            ).single()
            if not record:
                return None
            cards = _details(tx, [{"id": person_id, "organisation": record["organisation"]}], me=me,
                             need_ids=None, service_ids=None, today=today)
            return cards[0] if cards else None

        return self.read(work)
