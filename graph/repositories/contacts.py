"""Finding a named contact: the ranked candidates and the page's details, for needs already matched
(graph/repositories/needs.py: free text → needs and services).

`search`, in one read transaction: the searcher's ties (direct and through one person, as of today);
the candidates, read from the search projection of graph/search_index.py and scored in Cypher with the
weights of referral/ranking.py, so that only the best rows leave the database; then the details
(names, services, ties, paths) of the few people shown on one page.
"""

from __future__ import annotations

import math
from datetime import date

from neo4j import ManagedTransaction
from neo4j.spatial import WGS84Point

from graph import search_index
from graph.driver import Repository, plain
from graph.repositories.needs import match_words
from graph.search_index import HELPED, NO_TERRITORY

# The searcher's side, read once per search: their ties as of today (direct, and through one listed
# person, the introducer); the origin of distances when the family's position is not given — the
# searcher's current organisation; and when searching everywhere, every territory.
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
CALL (me) {
    OPTIONAL MATCH (me)-[here:WORKS_AT]->(workplace:Organisation)
    WHERE here.until IS NULL AND workplace.location IS NOT NULL
    WITH workplace ORDER BY here.since DESC
    RETURN head(collect(workplace.location)) AS workplace
}
CALL () {
    OPTIONAL MATCH (t:Territory) WHERE $everywhere AND t.id IS NOT NULL
    RETURN collect(t.id) AS territories
}
RETURN direct, second, workplace, territories
"""

# Where candidates come from, each as the same columns of raw features:
# 1. the projection (graph/search_index.py), by need, territory and tier (expertise, service) through the
#    index `can_help_tier` — the people of the tiers asked for;
# 2. the searcher's acquaintances, from every tier and place: trust can lift them above any stranger
#    (read twice when also in the tiers read: one row per job merges them);
# 3. people working where a service named by the words (not by a need) is offered: a few hundred at most.
# Filters come first and properties are read only when needed (CASE): reading them is most of the cost.
# `$language`: the family's language as the entries spell it, between spaces (search_index.language_word).
LANGUAGE_FILTER = """($language IS NULL OR c.spoken CONTAINS $language OR c.served_in CONTAINS $language)"""
# `$reach_m`: how far a stranger of a lower tier may be and still enter the page (see `_by_tiers`).
DISTANCE = """
WITH c, CASE WHEN $origin IS NULL OR c.location IS NULL THEN NULL ELSE point.distance(c.location, $origin) END
        AS metres
WHERE ($max_m IS NULL OR metres <= $max_m) AND ($reach_m IS NULL OR metres <= $reach_m)
"""
COLUMNS = """c.person AS id, c.organisation AS organisation, c.name AS name, metres, c.expert AS expert,
       c.offers AS offers,
       CASE WHEN $language IS NULL THEN false ELSE c.spoken CONTAINS $language END AS speaks,
       CASE WHEN $language IS NULL THEN false ELSE c.served_in CONTAINS $language END AS service_speaks,
       CASE WHEN c.located_in = $home THEN 1.0 WHEN $home IN c.serves THEN $scoring.territory_serves
            ELSE 0.0 END AS territory,
       c.accepting_until AS accepting_until, c.helped AS successes,
       CASE WHEN $open_hours IS NULL THEN true ELSE any(h IN c.hours WHERE h IN $open_hours) END AS open"""


def _listed(restriction: str = "", hint: str = "") -> str:
    """People of the tiers asked for, from the projection, with a further `restriction` on the index."""
    return f"""
    MATCH (:Person)-[c:CAN_HELP]->(:Need)
    {hint}
    WHERE c.need IN $need_ids AND c.territory IN $territories AND c.expert IN $experts AND c.offers IN $offers
      {restriction} AND ($me IS NULL OR c.person <> $me) AND {LANGUAGE_FILTER}
    {DISTANCE}
    RETURN {COLUMNS}"""


ACQUAINTANCES = f"""
    MATCH (:Person)-[c:CAN_HELP]->(:Need)
    USING INDEX c:CAN_HELP(need, person)
    WHERE c.need IN $need_ids AND c.person IN $neighbours AND c.territory IN $territories
      AND {LANGUAGE_FILTER}
    {DISTANCE}
    RETURN {COLUMNS}"""
NAMED_SERVICES = f"""
    UNWIND $service_ids AS service_id
    MATCH (s:Service {{id: service_id}})<-[:OFFERS]-(o:Organisation)<-[w:WORKS_AT]-(p:Person)
    WHERE w.until IS NULL AND p.listed = true AND ($me IS NULL OR p.id <> $me)
    WITH p, o, s, [(o)-[:LOCATED_IN]->(t:Territory) | t.id][0] AS located_in,
         COLLECT {{ MATCH (o)-[:SERVES]->(t:Territory) RETURN t.id AS id ORDER BY id }} AS serves
    WHERE coalesce(located_in, $no_territory) IN $territories OR any(t IN serves WHERE t IN $territories)
    // The same columns as a CAN_HELP relationship would hold, so that the same filters and columns apply.
    WITH p {{person: p.id, organisation: o.id, name: p.name, location: o.location, expert: false, offers: true,
            spoken: {search_index.spaced("coalesce(p.languages, [])")},
            served_in: {search_index.spaced("coalesce(s.languages, [])")},
            located_in: located_in, serves: serves, accepting_until: p.accepting_until, helped: {HELPED},
            hours: [h IN [s.hours] WHERE h IS NOT NULL]}} AS c
    WHERE {LANGUAGE_FILTER}
    {DISTANCE}
    RETURN {COLUMNS}"""


def _sources(*listed: str) -> str:
    return "CALL () {" + "\n  UNION ALL".join([*listed, ACQUAINTANCES, NAMED_SERVICES]) + "\n}\n"


# A lower tier searched everywhere holds tens of thousands of people; when only those within a few
# hundred metres can still enter the page (`$reach_m`), the point index finds them faster.
NEAR_REACH_M = 300.0
# The blocks of cells read around the family before the whole top tier: first 5 × 5 cells, about
# 2.5 km wide; when its rows say that a block of up to 13 × 13 cells (6.5 km) would settle the page,
# that one in one territory — a wider block, or one in several territories, seeks as many cells as it
# would take to read a whole tier.
FIRST_RINGS, WIDEST_RINGS = 2, 6
NEAR = _listed("AND point.distance(c.location, $origin) <= $reach_m", "USING INDEX c:CAN_HELP(location)")
# The top tier read by position cell around the family (`$cells`), and everyone of it with successful
# referrals: beyond the cells, a stranger's score can only differ by distance (see `_top_tier`).
BY_CELL = "USING INDEX c:CAN_HELP(need, territory, expert, offers, successful, cell)"
SUCCESSFUL = "\n  UNION ALL" + _listed("AND c.successful = true AND c.cell IS NOT NULL", BY_CELL)
IN_CELLS = _listed("AND c.successful = false AND c.cell IN $cells", BY_CELL) + SUCCESSFUL
# Beyond the widest block, the rows read still say how far a stranger of the tier may be and enter the
# page (`$within_m`): of the others, only the position is read.
WITHIN = _listed("AND c.successful = false AND c.cell IS NOT NULL "
                 "AND point.distance(c.location, $origin) <= $within_m", BY_CELL) + SUCCESSFUL
SOURCES = _sources(_listed())

# The hours of the services of every candidate, for "open now": Python, which knows the clock, says
# which are open, and the ranking keeps those.
HOURS = """
CALL () {
    MATCH (:Person)-[c:CAN_HELP]->(:Need)
    WHERE c.need IN $need_ids AND c.territory IN $territories AND c.expert IN [true, false]
      AND c.offers IN [true, false]
    UNWIND c.hours AS hour
    RETURN hour
  UNION
    UNWIND $service_ids AS service_id
    MATCH (s:Service {id: service_id})
    WHERE s.hours IS NOT NULL
    RETURN s.hours AS hour
}
RETURN collect(hour) AS hours
"""

# Each row scored with the weights of referral/ranking.py ($weights, $scoring), then one row per person,
# at their better job; best first, ties by name. With one need and no service named by the words, a
# job's rows differ only by where they were found (a territory, the acquaintances); with several, one
# job can be an expert in one need and offer a service for another: its rows merge first (`MERGED`),
# an aggregation that costs milliseconds on a large tier.
ROWS = """WITH id, organisation, name, metres, speaks, territory, accepting_until,
     coalesce(successes, 0) AS successes"""
BY_ROW = ROWS + """, expert, offers, service_speaks, open"""
MERGED = ROWS + """,
     true IN collect(expert) AS expert, true IN collect(offers) AS offers,
     true IN collect(service_speaks) AS service_speaks, true IN collect(open) AS open"""
RANKING = """
WHERE open
WITH *, CASE WHEN id IN $direct THEN $scoring.trust_direct
             WHEN id IN $second THEN $scoring.trust_introduced ELSE 0.0 END AS trust
WITH *, $weights.trust * trust
        + $weights.expertise * CASE WHEN expert THEN 1.0 ELSE 0.0 END
        + $weights.service * CASE WHEN offers THEN 1.0 ELSE 0.0 END
        + $weights.language * CASE WHEN speaks THEN 1.0 WHEN service_speaks THEN $scoring.language_service
                                   ELSE 0.0 END
        + $weights.distance * CASE WHEN metres IS NULL THEN 0.0
                                   ELSE 1.0 / (1.0 + metres / 1000.0 / $scoring.distance_half_km) END
        + $weights.outcomes * toFloat(successes) / (successes + $scoring.outcomes_half)
        + $weights.territory * territory AS points
WITH *, round(points * CASE WHEN accepting_until >= $today THEN $scoring.not_accepting_factor ELSE 1.0 END, 2)
        AS score
ORDER BY score DESC, organisation
WITH id, collect({id: id, name: name, organisation: organisation, metres: metres, expert: expert, offers: offers,
                  speaks: speaks, service_speaks: service_speaks, located: territory = 1.0,
                  serves: territory > 0.0 AND territory < 1.0, accepting_until: accepting_until,
                  successes: successes, trust: trust, score: score})[0] AS best
ORDER BY best.score DESC, best.name, id
WITH collect(best) AS ranked
RETURN size(ranked) AS total, ranked[..$limit] AS rows
"""
RANKED = SOURCES + BY_ROW + RANKING
RANKED_MERGED = SOURCES + MERGED + RANKING
RANKED_NEAR = _sources(NEAR) + BY_ROW + RANKING
RANKED_IN_CELLS = _sources(IN_CELLS) + BY_ROW + RANKING
RANKED_WITHIN = _sources(WITHIN) + BY_ROW + RANKING


# What a result card shows. With $need_ids null (the contact card), every service and expertise. Who
# could introduce the searcher is looked for only when the ranking said someone could
# (`row.introduced`; unknown on a contact card): two hops from the searcher are the costly part.
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
       CASE WHEN row.introduced = false THEN [] ELSE COLLECT {
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
       } END AS introducers,
       COUNT { (p)<-[:TO]-(r) WHERE r.status = 'completed' AND EXISTS { (r)-[:HAS_EVENT]->(e)
               WHERE e.status = 'completed' AND e.outcome = 'got_help' } } AS successes
"""


def _point(position: tuple[float, float] | None):
    return None if position is None else WGS84Point((position[1], position[0]))


# The tiers of the projection, best first: expertise and a service for the need, then either alone.
TOP_TIER = ([True], [True])
EVERY_TIER = ([True, False], [True, False])
LOWER_TIERS = ((True, False), (False, True))


def _search(tx: ManagedTransaction, *, me: str | None, need_ids: list[str], service_ids: list[str],
            territories: list[str] | None, home: str | None, language: str | None,
            origin: tuple[float, float] | None, max_km: float | None, today: date, weights: dict, scoring: dict,
            limit: int, first: int, open_at=None, reach=None, best_first=None, clearance=None) -> dict:
    context = tx.run(CONTEXT, me=me, today=today, everywhere=territories is None).single()
    if territories is None:
        territories = context["territories"] + [NO_TERRITORY]
    params = dict(
        me=me, need_ids=need_ids, service_ids=service_ids, territories=territories, home=home,
        language=search_index.language_word(language),
        origin=_point(origin) if origin else context["workplace"],
        max_m=None if max_km is None else max_km * 1000.0, today=today, no_territory=NO_TERRITORY,
        direct=context["direct"], second=context["second"], weights=weights, scoring=scoring, limit=limit,
        open_hours=None, reach_m=None,
    )
    if open_at is not None:
        hours = tx.run(HOURS, need_ids=need_ids, service_ids=service_ids, territories=territories).single()["hours"]
        params["open_hours"] = [h for h in hours if open_at(h)]
    found = None
    one_need = len(need_ids) == 1 and not service_ids
    if reach is not None and one_need:
        found = _by_tiers(tx, params, context, reach, best_first, clearance)
    if found is None:  # every tier at once: exact order and total
        record = tx.run(RANKED if one_need else RANKED_MERGED, **params, experts=EVERY_TIER[0],
                        offers=EVERY_TIER[1], neighbours=[]).single()
        found = {"rows": plain(record["rows"]), "total": record["total"], "exact": True}
    shown = [{**row, "introduced": row["trust"] == scoring["trust_introduced"]} for row in found["rows"][first:limit]]
    found["details"] = (_details(tx, shown, me=me, need_ids=need_ids, service_ids=service_ids, today=today)
                        if shown else [])
    found["from_workplace"] = origin is None and context["workplace"] is not None
    return found


def _by_tiers(tx: ManagedTransaction, params: dict, context, reach, best_first, clearance) -> dict | None:
    """One need, no service named by the words: read the top tier (and the people the searcher knows,
    from every tier: trust can lift them above any stranger); then, of each lower tier, only the
    strangers close enough to the family to still enter the page — `reach(rows, tiers)` (the ranking's)
    says how close. The order is exact; the total counts what was read (a lower bound). None when the
    top tier is too small to say: every tier must be read."""
    neighbours = sorted(set(context["direct"]) | set(context["second"]))
    top = _top_tier(tx, params, neighbours, clearance, best_first)
    rows = top["rows"]
    reaches = reach(rows, LOWER_TIERS)
    if reaches is None:
        return None
    for (expert, offers), km in reaches.items():
        if km is None or (km != math.inf and params["origin"] is None):
            continue  # nobody of this tier can enter the page (without a position, nobody is near)
        reach_m = None if km == math.inf else km * 1000.0
        near = reach_m is not None and reach_m <= NEAR_REACH_M and len(params["territories"]) > 1
        more = tx.run(RANKED_NEAR if near else RANKED, **{**params, "reach_m": reach_m},
                      experts=[expert], offers=[offers], neighbours=[]).single()
        rows += plain(more["rows"])
    return {"rows": best_first(rows, params["limit"]), "total": top["total"], "exact": False}


def _top_tier(tx: ManagedTransaction, params: dict, neighbours: list[str], clearance, best_first) -> dict:
    """The top tier's best rows (and how many people were read). With a position, first only a block of
    cells around it (and the people with successful referrals, and acquaintances): a stranger of the
    tier without successes can only score less by distance, so once `clearance(rows)` (the ranking's)
    says how far every stranger not read must be, a block reaching that far holds the tier's best;
    beyond the widest block, the strangers within that distance. Else the whole tier. Only the first
    read brings the acquaintances, from every tier (a seek each, hundreds of them): the best rows of the
    reads merge (`best_first`)."""
    origin, limit = params["origin"], params["limit"]
    tier = dict(experts=TOP_TIER[0], offers=TOP_TIER[1])
    read = None
    if origin is not None and clearance is not None:
        widest = WIDEST_RINGS if len(params["territories"]) == 1 else FIRST_RINGS
        rings = FIRST_RINGS
        while True:
            cells, reached_km = search_index.block(origin.latitude, origin.longitude, rings)
            block = tx.run(RANKED_IN_CELLS, **params, **tier, neighbours=neighbours if read is None else [],
                           cells=cells + [search_index.NO_CELL]).single()
            read = _merged(read, block, limit, best_first)
            needed_km = clearance(read["rows"])
            if needed_km is None:
                break
            if needed_km < reached_km:
                return read
            rings = next((wider for wider in range(rings + 1, widest + 1)
                          if search_index.clearance(origin.latitude, origin.longitude, wider) > needed_km), None)
            if rings is None:
                within = tx.run(RANKED_WITHIN, **params, **tier, neighbours=[], within_m=needed_km * 1000.0).single()
                return _merged(read, within, limit, best_first)
    whole = tx.run(RANKED, **params, **tier, neighbours=neighbours if read is None else []).single()
    return _merged(read, whole, limit, best_first)


def _merged(before: dict | None, then, limit: int, best_first) -> dict:
    """The best rows of a read and of the reads before it (None: none); as a count, the larger of
    theirs and of the rows kept (each counts distinct people)."""
    if before is None:
        return {"rows": plain(then["rows"]), "total": then["total"]}
    rows = best_first(before["rows"] + plain(then["rows"]), limit)
    return {"rows": rows, "total": max(before["total"], then["total"], len(rows))}


def _details(tx: ManagedTransaction, rows: list[dict], *, me: str | None, need_ids: list[str] | None,
             service_ids: list[str] | None, today: date) -> list[dict]:
    found = {d["person"]["id"]: d for d in plain(tx.run(
        DETAILS, rows=[{"id": r["id"], "organisation": r["organisation"], "introduced": r.get("introduced")}
                       for r in rows], me=me,
        need_ids=need_ids, service_ids=service_ids or [], today=today,
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

    def details(self, rows: list[dict], *, me: str | None, need_ids: list[str] | None,
                service_ids: list[str] | None, today: date) -> list[dict]:
        """What the result cards show, for the (person, organisation) pairs of one page, in that order."""
        return self.read(lambda tx: _details(tx, rows, me=me, need_ids=need_ids, service_ids=service_ids,
                                             today=today))

    def search(self, **criteria) -> dict:
        """The best `limit` people who could help, best first, and the details of those from `first` on
        (one page), in one read transaction. Criteria: me, need_ids, service_ids, territories (None:
        everywhere), home, language, origin (else the searcher's organisation), max_km, today, weights and
        scoring (referral/ranking.py), limit, first, open_at (hours → open now?), and reach, clearance and
        best_first (referral/ranking.py: how far a stranger of a lower tier may be to still enter the page;
        how far a stranger of the top tier must be to stay out of it; how rows of several reads merge).
        Returns rows, total (exact, or a lower bound when `exact` is false), details and from_workplace."""
        return self.read(lambda tx: _search(tx, **criteria))

    def find(self, text: str, **criteria) -> dict | None:
        """What `text` names (graph/repositories/needs.py) and the search for it, in one read
        transaction: `search`'s answer and the needs understood, or None when the words name no need
        nor service. Criteria: those of `search` but the needs and services."""

        def work(tx: ManagedTransaction):
            matched = match_words(tx, text)
            if not matched["needs"] and not matched["services"]:
                return None
            found = _search(tx, need_ids=[n["id"] for n in matched["needs"]], service_ids=matched["services"],
                            **criteria)
            return {**found, "needs": matched["needs"]}

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
