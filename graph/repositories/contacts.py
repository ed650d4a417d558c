"""Finding a named contact: the full-text match of a need, the candidates' features, the page's details.

The search runs in three short reads so that Python can rank (referral/ranking.py holds the weights):
1. `match_needs`: free text → the needs and services it names (full-text index, accents folded, typos
   tolerated), or a taxonomy id taken as is;
2. `candidates`: every listed person who could help, with the raw features the ranking combines,
   and the searcher's ties (direct and through one person), read as of today;
3. `details`: names, services, ties and paths of the few people shown on one page.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from neo4j import ManagedTransaction
from neo4j.spatial import WGS84Point

from graph.driver import Repository, plain
from graph.schema import SEARCH_INDEX

# A hit is kept when it scores at least this share of the best hit of its kind: "santé" alone names
# physical health first, and mental health only as a weaker, dropped, second.
RELEVANCE_CUTOFF = 0.5
# Services repeat across organisations (« Cours de francisation » everywhere): enough to expand from.
MAX_SERVICE_HITS = 200
# Lucene's query syntax: each of these is escaped so that user input is only ever words.
LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
LUCENE_OPERATORS = {"and", "or", "not", "to"}
# French words that carry no meaning in a need and would match almost every document.
STOP_WORDS = {"de", "des", "du", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "pour", "un", "une",
              "sur", "avec", "par", "the", "of", "for"}


def fold(text: str) -> str:
    """Lower case without accents: what the `standard-folding` analyzer does to the indexed text."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def lucene_escape(term: str) -> str:
    return LUCENE_SPECIAL.sub(r"\\\1", term)


def search_terms(text: str) -> list[str]:
    """The meaningful words of a need typed by a person, folded, in order, without repeats."""
    words = re.findall(r"\w+", fold(text))
    seen: list[str] = []
    for word in words:
        if word not in STOP_WORDS and word not in seen and len(word) > 1:
            seen.append(word)
    return seen


def fulltext_query(terms: list[str], every_term: bool, fields: tuple[str, ...], fuzzy: bool = True) -> str:
    """A Lucene query over the words, each looked for in any of `fields`: fuzzy on longer words (one
    edit from 5 letters, two from 8), joined by AND (every word must match) or OR (any word)."""
    groups = []
    for term in terms:
        escaped = lucene_escape(term)
        if term in LUCENE_OPERATORS:
            escaped = f'"{escaped}"'
        elif fuzzy and len(term) >= 8:
            escaped += "~2"
        elif fuzzy and len(term) >= 5:
            escaped += "~1"
        groups.append("(" + " OR ".join(f"{field}:{escaped}" for field in fields) + ")")
    return (" AND " if every_term else " OR ").join(groups)


# Needs are searched in the fields only needs have, so thousands of look-alike services can never
# push a need out of the hits; services in theirs, the best MAX_SERVICE_HITS of them. Typos are
# tolerated on needs (labels and synonyms) only: the services' `name` field also holds every person's
# and organisation's name, a dictionary too large to search fuzzily on every request. A hit is kept
# when it scores at least RELEVANCE_CUTOFF of the best of its kind, and a service that addresses a
# kept need is dropped: the need already brings it. One statement, one round trip.
NEED_FIELDS = ("label_fr", "label_en", "keywords")
SERVICE_FIELDS = ("name", "description")
MATCH_NEEDS = f"""
OPTIONAL MATCH (exact:Need {{id: $text}})
CALL () {{
    CALL db.index.fulltext.queryNodes('{SEARCH_INDEX}', $need_query) YIELD node, score
    WHERE node:Need
    WITH collect({{need: node, score: score}}) AS hits, max(score) AS best
    RETURN [hit IN hits WHERE hit.score >= $cutoff * best | hit.need] AS needs
}}
CALL (needs) {{
    CALL db.index.fulltext.queryNodes('{SEARCH_INDEX}', $service_query, {{limit: $limit}}) YIELD node, score
    WHERE node:Service
    WITH collect({{service: node, score: score}}) AS hits, max(score) AS best, [n IN needs | n.id] AS need_ids
    UNWIND hits AS hit
    WITH hit.service AS s, hit.score AS score, best, need_ids
    WHERE score >= $cutoff * best AND NOT EXISTS {{ (s)-[:ADDRESSES]->(n:Need) WHERE n.id IN need_ids }}
    RETURN collect(s.id) AS services
}}
RETURN exact {{.id, .label_fr, .label_en}} AS exact, [n IN needs | n {{.id, .label_fr, .label_en}}] AS needs,
       services
"""


def _match(tx: ManagedTransaction, text: str, terms: list[str], every_term: bool) -> dict:
    if not terms:
        record = tx.run("MATCH (n:Need {id: $text}) RETURN n {.id, .label_fr, .label_en} AS exact",
                        text=text).single()
        return {"exact": record["exact"] if record else None, "needs": [], "services": []}
    return tx.run(
        MATCH_NEEDS, text=text, need_query=fulltext_query(terms, every_term, NEED_FIELDS),
        service_query=fulltext_query(terms, every_term, SERVICE_FIELDS, fuzzy=False), cutoff=RELEVANCE_CUTOFF,
        limit=MAX_SERVICE_HITS,
    ).single().data()


# Where candidates come from: people with expertise in a need, and people working where a service
# for the need (or a service named by the words) is offered; listed, still working there.
# In one territory, each side is hash-joined with the territory's organisations (USING JOIN), so no
# person is expanded unless their organisation is in the territory: sparse Person nodes cost one
# read per relationship, and most of theirs are KNOWS ties.
SOURCES_IN_TERRITORY = """
CALL () {
    UNWIND $need_ids AS need_id
    MATCH (:Need {id: need_id})<-[:HAS_EXPERTISE]-(p:Person)-[w:WORKS_AT]->(o:Organisation)
          -[:LOCATED_IN|SERVES]->(:Territory {id: $territory})
    USING JOIN ON p
    WHERE w.until IS NULL AND p.listed = true
    RETURN p, o, true AS expert
  UNION ALL
    CALL () {
        UNWIND $need_ids AS need_id
        MATCH (:Need {id: need_id})<-[:ADDRESSES]-(:Service)<-[:OFFERS]-(o:Organisation)
              -[:LOCATED_IN|SERVES]->(:Territory {id: $territory})
        USING JOIN ON o
        RETURN o
      UNION
        UNWIND $service_ids AS service_id
        MATCH (:Service {id: service_id})<-[:OFFERS]-(o:Organisation)
              -[:LOCATED_IN|SERVES]->(:Territory {id: $territory})
        RETURN o
    }
    MATCH (o)<-[w:WORKS_AT]-(p:Person)
    WHERE w.until IS NULL AND p.listed = true
    RETURN p, o, false AS expert
}
"""
SOURCES_EVERYWHERE = """
CALL () {
    UNWIND $need_ids AS need_id
    MATCH (:Need {id: need_id})<-[:HAS_EXPERTISE]-(p:Person)-[w:WORKS_AT]->(o:Organisation)
    WHERE w.until IS NULL AND p.listed = true
    RETURN p, o, true AS expert
  UNION ALL
    CALL () {
        UNWIND $need_ids AS need_id
        MATCH (:Need {id: need_id})<-[:ADDRESSES]-(:Service)<-[:OFFERS]-(o:Organisation)
        RETURN o
      UNION
        UNWIND $service_ids AS service_id
        MATCH (:Service {id: service_id})<-[:OFFERS]-(o:Organisation)
        RETURN o
    }
    MATCH (o)<-[w:WORKS_AT]-(p:Person)
    WHERE w.until IS NULL AND p.listed = true
    RETURN p, o, false AS expert
}
"""
# Distances are from the family's position when given, else from the searcher's organisation.
ORIGIN = """
OPTIONAL MATCH (:Person {id: $me})-[here:WORKS_AT]->(workplace:Organisation)
WHERE here.until IS NULL
WITH workplace ORDER BY here.since DESC
WITH coalesce($origin, head(collect(workplace.location))) AS origin
"""
# The raw features of each candidate. What belongs to the organisation (distance, matching services
# and their languages, territory) is computed once per organisation, then each of its people gets
# their own.
FEATURES = """
WITH origin, p, o, true IN collect(expert) AS expert
WHERE $me IS NULL OR p.id <> $me
WITH origin, o, collect({person: p, expert: expert}) AS people
WITH o, people, CASE WHEN origin IS NULL THEN NULL ELSE point.distance(o.location, origin) END AS metres
WHERE $max_m IS NULL OR metres <= $max_m
WITH o, people, metres,
     [(o)-[:OFFERS]->(s:Service)
      WHERE s.id IN $service_ids OR EXISTS { (s)-[:ADDRESSES]->(n:Need) WHERE n.id IN $need_ids } | s] AS services
WITH o, people, metres, services,
     $language IS NOT NULL AND any(s IN services WHERE $language IN coalesce(s.languages, [])) AS service_speaks,
     EXISTS { (o)-[:LOCATED_IN]->(:Territory {id: $home}) } AS located,
     EXISTS { (o)-[:SERVES]->(:Territory {id: $home}) } AS serves,
     CASE WHEN NOT $with_hours THEN []
          WHEN size(services) > 0 THEN [s IN services | s.hours]
          ELSE [(o)-[:OFFERS]->(s:Service) | s.hours] END AS hours
UNWIND people AS candidate
WITH candidate.person AS p, candidate.expert AS expert, o, metres, services, service_speaks, located, serves,
     hours, $language IS NOT NULL AND $language IN coalesce(candidate.person.languages, []) AS speaks
WHERE $language IS NULL OR speaks OR service_speaks
RETURN p.id AS id, p.name AS name, o.id AS organisation, metres, expert, size(services) > 0 AS offers,
       speaks, service_speaks, located, serves, p.accepting_until AS accepting_until, hours
"""

CANDIDATES_IN_TERRITORY = ORIGIN + SOURCES_IN_TERRITORY + FEATURES
CANDIDATES_EVERYWHERE = ORIGIN + SOURCES_EVERYWHERE + FEATURES

# What the ranking needs besides the candidates, in one statement: the searcher's ties as of today
# (direct, and through one listed person, the introducer), and the successful referrals of each person
# who received any — read once from the referrals (status index) rather than from every candidate,
# whose relationships are mostly KNOWS ties.
CONTEXT = """
OPTIONAL MATCH (me:Person {id: $me})
CALL (me) {
    OPTIONAL MATCH (me)-[k:KNOWS]-(friend:Person)
    WHERE coalesce(k.since, $today) <= $today
    RETURN collect(DISTINCT friend.id) AS direct
}
CALL (me) {
    OPTIONAL MATCH (me)-[k1:KNOWS]-(via:Person)-[k2:KNOWS]-(other:Person)
    WHERE via.listed = true AND other <> me
      AND coalesce(k1.since, $today) <= $today AND coalesce(k2.since, $today) <= $today
    RETURN collect(DISTINCT other.id) AS second
}
CALL () {
    MATCH (r:Referral {status: 'completed'})-[:TO]->(p:Person)
    WHERE EXISTS { (r)-[:HAS_EVENT]->(e:ReferralEvent) WHERE e.status = 'completed' AND e.outcome = 'got_help' }
    WITH p, count(*) AS successes
    RETURN collect([p.id, successes]) AS helped
}
RETURN direct, second, helped
"""

# What a result card shows. With $need_ids null (the contact card), every service and expertise.
DETAILS = """
UNWIND $rows AS row
MATCH (p:Person {id: row.id})-[w:WORKS_AT]->(o:Organisation {id: row.organisation})
WHERE w.until IS NULL
OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
OPTIONAL MATCH (me:Person {id: $me})
RETURN p {.id, .name, .role, .email, .phone, .languages, .accepting_until, .listed} AS person,
       o {.id, .name, .address, .postal_code, .phone, .website} AS organisation,
       t {.id, .name} AS territory,
       EXISTS { (me)-[a:WORKS_AT]->(o) WHERE a.until IS NULL } AS my_colleague,
       [(o)-[:OFFERS]->(s:Service)
        WHERE $need_ids IS NULL OR s.id IN $service_ids
           OR EXISTS { (s)-[:ADDRESSES]->(n:Need) WHERE n.id IN $need_ids }
        | s {.id, .name, .description, .hours, .languages}] AS services,
       [(p)-[:HAS_EXPERTISE]->(n:Need) WHERE $need_ids IS NULL OR n.id IN $need_ids
        | n {.id, .label_fr, .label_en}] AS expertise,
       [(me)-[k:KNOWS]-(p) WHERE coalesce(k.since, $today) <= $today
        | k {.since, .origin, .level, .declared_by, .confirmed,
             session: COLLECT { MATCH (s:Session {id: k.session}) RETURN s {.number, .theme, .date} }[0]}][0]
         AS tie,
       COLLECT {
           MATCH (me)-[k1:KNOWS]-(via:Person)-[k2:KNOWS]-(p)
           WHERE via.listed = true AND coalesce(k1.since, $today) <= $today
             AND coalesce(k2.since, $today) <= $today
           WITH DISTINCT via
           WITH via,
                EXISTS { (me)-[a:WORKS_AT]->(:Organisation)<-[b:WORKS_AT]-(via)
                         WHERE a.until IS NULL AND b.until IS NULL } AS my_colleague,
                EXISTS { (p)-[a:WORKS_AT]->(:Organisation)<-[b:WORKS_AT]-(via)
                         WHERE a.until IS NULL AND b.until IS NULL } AS their_colleague
           RETURN via {.id, .name, my_colleague: my_colleague, their_colleague: their_colleague}
           ORDER BY my_colleague DESC, their_colleague DESC, via.name
           LIMIT 3
       } AS introducers,
       COUNT { (p)<-[:TO]-(r) WHERE r.status = 'completed' AND EXISTS { (r)-[:HAS_EVENT]->(e)
               WHERE e.status = 'completed' AND e.outcome = 'got_help' } } AS successes
"""


def _point(position: tuple[float, float] | None):
    return None if position is None else WGS84Point((position[1], position[0]))


def _candidates(tx: ManagedTransaction, *, me: str | None, need_ids: list[str], service_ids: list[str],
                territory: str | None, home: str | None, language: str | None,
                origin: tuple[float, float] | None, max_km: float | None, today: date,
                with_hours: bool = False) -> dict:
    rows = plain(tx.run(
        CANDIDATES_IN_TERRITORY if territory else CANDIDATES_EVERYWHERE,
        me=me, need_ids=need_ids, service_ids=service_ids, territory=territory, home=home, language=language,
        origin=_point(origin), max_m=None if max_km is None else max_km * 1000.0, with_hours=with_hours,
    ).data())
    context = tx.run(CONTEXT, me=me, today=today).single()
    helped = dict(context["helped"])
    for row in rows:
        row["successes"] = helped.get(row["id"], 0)
    return {"rows": rows, "direct": context["direct"], "second": context["second"]}


def _details(tx: ManagedTransaction, rows: list[dict], *, me: str | None, need_ids: list[str] | None,
             service_ids: list[str] | None, today: date) -> list[dict]:
    found = {d["person"]["id"]: d for d in plain(tx.run(
        DETAILS, rows=[{"id": r["id"], "organisation": r["organisation"]} for r in rows], me=me,
        need_ids=need_ids, service_ids=service_ids or [], today=today,
    ).data())}
    return [found[r["id"]] for r in rows if r["id"] in found]


class ContactRepository(Repository):
    def match_needs(self, text: str) -> dict:
        """The needs and services named by `text`: a taxonomy id as is, else every word (then any word)
        matched against needs, their synonyms and services, accents folded and typos tolerated."""
        stripped = text.strip()
        terms = search_terms(stripped)

        def work(tx: ManagedTransaction):
            found = _match(tx, stripped, terms, every_term=True)
            if found["exact"]:
                return {"needs": [found["exact"]], "services": []}
            if not found["needs"] and not found["services"] and len(terms) > 1:
                found = _match(tx, stripped, terms, every_term=False)
            return {"needs": found["needs"], "services": found["services"]}

        return self.read(work)

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

    def candidates(self, **criteria) -> dict:
        """Raw features of every person who could help (one row per current job), and the searcher's ties.
        Criteria: me, need_ids, service_ids, territory, home, language, origin (else the searcher's
        organisation), max_km, today, with_hours."""
        return self.read(lambda tx: _candidates(tx, **criteria))

    def details(self, rows: list[dict], *, me: str | None, need_ids: list[str] | None,
                service_ids: list[str] | None, today: date) -> list[dict]:
        """What the result cards show, for the (person, organisation) pairs of one page, in that order."""
        return self.read(lambda tx: _details(tx, rows, me=me, need_ids=need_ids, service_ids=service_ids,
                                             today=today))

    def search(self, pick, **criteria) -> tuple[dict, list[dict]]:
        """`candidates`, then in the same read transaction the details of the rows `pick(found)` chooses
        (a pure function: the ranking, which lives on the web side). Returns (found, details)."""

        def work(tx: ManagedTransaction):
            found = _candidates(tx, **criteria)
            chosen = pick(found)
            return found, _details(tx, chosen, me=criteria["me"], need_ids=criteria["need_ids"],
                                   service_ids=criteria["service_ids"], today=criteria["today"]) if chosen else []

        return self.read(work)

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
            return record["organisation"] if record else None

        organisation = self.read(work)
        if not organisation:
            return None
        cards = self.details([{"id": person_id, "organisation": organisation}], me=me, need_ids=None,
                             service_ids=None, today=today)
        return cards[0] if cards else None
