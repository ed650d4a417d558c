"""The search projection: who can help with which need, where — kept next to the graph it summarises.

"Qui appeler ?" must answer in tens of milliseconds on a network of 200,000 people. Walking from a
need to every organisation and person of a territory at each search cannot (thousands of candidates
per need and territory), so each listed person gets one `CAN_HELP` relationship to a need for every
(current job, need, territory) they could be found by:

    (:Person)-[:CAN_HELP {need, territory, expert, offers, ...}]->(:Need)

- a need is one of their expertise or one their organisation offers a service for (archived
  organisations, services and people are never found, graph/repositories/archive.py);
- a territory is the one their organisation is located in, or one it serves;
- the relationship carries what ranking reads (languages, the organisation's position, the matching
  services' languages and hours, the pause date, successful referrals received), so a search reads
  relationships found by the index `can_help_tier`, never the nodes around them;
- languages are stored as text, each code between spaces (`spoken: ' fr ar '`, `served_in`): a
  family's language is then found with CONTAINS in a short string, where `IN` would read a list from
  the dynamic store: a whole tier read with a language takes a fifth less time, at 200,000 people.

The source of truth stays the graph (HAS_EXPERTISE, WORKS_AT, OFFERS, ADDRESSES, LOCATED_IN,
SERVES, Referral): every write that changes one of them calls `refresh_people` or
`refresh_organisations` in its own transaction, so the projection is never seen out of date.
`stale` compares it with a fresh computation (the test suite checks it after every test);
`rebuild` recomputes everything (`flask --app app graph reindex`).
"""

from __future__ import annotations

import math

from neo4j import Driver, ManagedTransaction

from graph.driver import DATABASE
from graph.locks import write_lock

# Territory key of an organisation that is in no territory: reachable only when searching everywhere.
NO_TERRITORY = ""
# Position cells of about 500 m by 500 m at Montréal's latitude (degrees of latitude, of longitude):
# a search reads the cells around the family first. An organisation with no position has NO_CELL.
CELL_DEGREES = (0.0045, 0.0064)
NO_CELL = "-"
METRES_PER_DEGREE = 111_195.0


def spaced(codes: str) -> str:
    """Cypher: a list of language codes (the expression `codes`) as an entry stores it, ' fr ar '."""
    return f"reduce(text = ' ', code IN {codes} | text + code + ' ')"


def language_word(code: str | None) -> str | None:
    """What a search looks for in `spoken` and `served_in`: the code between spaces, so that a code is
    never found inside another one."""
    return None if code is None else f" {code} "


# Successful referrals a person `p` received: the outcome the ranking rewards. Only referrals point TO a person,
# and the pattern does not name their label, so that Neo4j cannot start from the referrals' status index: it
# did, with statistics taken before a load, for every person (3.8 million database hits for 1,000 people).
HELPED = """COUNT { (p)<-[:TO]-(r) WHERE r.status = 'completed'
        AND EXISTS { (r)-[:HAS_EVENT]->(e:ReferralEvent)
                       WHERE e.status = 'completed' AND e.outcome = 'got_help' } }"""

# What a person can be found by, computed from the graph: one row per CAN_HELP to create. Lists are
# built in a fixed order (the order of a node's relationships changes as others are added).
# Outcomes are counted here, once per refresh, rather than at every search.
ENTRIES = """
WITH p WHERE p.listed = true
MATCH (p)-[w:WORKS_AT]->(o:Organisation)
WHERE w.until IS NULL AND o.archived_on IS NULL AND p.archived_on IS NULL
WITH p, o, """ + HELPED + """ AS helped,
     [(o)-[:LOCATED_IN]->(t:Territory) | t.id][0] AS located_in,
     COLLECT { MATCH (o)-[:SERVES]->(t:Territory) RETURN t.id AS id ORDER BY id } AS serves,
     [(p)-[:HAS_EXPERTISE]->(n:Need) | n.id] AS expertise,
     COLLECT { MATCH (o)-[:OFFERS]->(s:Service) WHERE s.archived_on IS NULL
               RETURN s {.id, .languages, .hours, needs: [(s)-[:ADDRESSES]->(n:Need) | n.id]} AS service
               ORDER BY service.id } AS services
UNWIND expertise + reduce(found = [], s IN services | found + s.needs) AS need_id
WITH DISTINCT p, o, helped, located_in, serves, expertise, services, need_id
WITH p, o, helped, located_in, serves, need_id, need_id IN expertise AS expert,
     [s IN services WHERE need_id IN s.needs] AS matching, services
WITH p, o, helped, located_in, serves, need_id, expert, matching, services,
     CASE WHEN size(matching) > 0 THEN matching ELSE services END AS with_hours
UNWIND CASE WHEN located_in IS NULL AND size(serves) = 0 THEN [$no_territory]
            ELSE [t IN [located_in] + serves WHERE t IS NOT NULL] END AS territory
WITH DISTINCT p, o, helped, located_in, serves, need_id, expert, matching, with_hours, territory
MATCH (n:Need {id: need_id})
WITH p, n, {
    need: need_id, territory: territory, expert: expert, offers: size(matching) > 0,
    person: p.id, name: p.name, organisation: o.id, location: o.location,
    located_in: located_in, serves: serves,
    spoken: """ + spaced("coalesce(p.languages, [])") + """,
    served_in: """ + spaced("reduce(found = [], s IN matching | found + [l IN coalesce(s.languages, []) "
                            "WHERE NOT l IN found])") + """,
    hours: [s IN with_hours WHERE s.hours IS NOT NULL | s.hours],
    accepting_until: p.accepting_until, helped: helped, successful: helped > 0,
    cell: CASE WHEN o.location IS NULL THEN $no_cell
               ELSE toString(toInteger(floor(o.location.latitude / $cell_degrees[0]))) + ':'
                    + toString(toInteger(floor(o.location.longitude / $cell_degrees[1]))) END
} AS entry
"""



def _same(relationship: str, entry: str) -> str:
    """Cypher: the relationship holds exactly the entry's properties (a null is an absent property). A
    property the relationship lacks compares as different, not as null: else a relationship whose
    properties were renamed would count as the same."""
    return (f"all(k IN keys({entry}) WHERE CASE WHEN {entry}[k] IS NULL THEN {relationship}[k] IS NULL "
            f"ELSE coalesce({relationship}[k] = {entry}[k], false) END) "
            f"AND size(keys({relationship})) = size([k IN keys({entry}) WHERE {entry}[k] IS NOT NULL])")


# Relationships already right are left alone, so that refreshing (or loading the same network twice)
# changes nothing when nothing changed. Each person is write-locked before their entries are computed: two
# transactions refreshing the same person (two referrals completed at once) then compute one after the
# other, the second from what the first committed — computed side by side, the last to commit wrote a
# count of successes that missed the other's.
REFRESH_PEOPLE = """
UNWIND $people AS person_id
MATCH (p:Person {id: person_id})
""" + write_lock("p") + """
WITH p
CALL (p) {""" + ENTRIES + """
    RETURN collect({need: n, entry: entry}) AS wanted
}
CALL (p, wanted) {
    MATCH (p)-[old:CAN_HELP]->(n:Need)
    WHERE NOT any(w IN wanted WHERE w.need = n AND """ + _same("old", "w.entry") + """)
    DELETE old
}
CALL (p, wanted) {
    UNWIND wanted AS w
    WITH w WHERE NOT EXISTS { MATCH (p)-[x:CAN_HELP]->(m) WHERE m = w.need AND """ + _same("x", "w.entry") + """ }
    WITH w.need AS n, w.entry AS entry
    CREATE (p)-[c:CAN_HELP]->(n)
    SET c = entry
}
RETURN sum(size(wanted)) AS entries
"""

# Everyone who works or worked there: a change of the organisation changes what they can be found by.
STAFF = """
UNWIND $organisations AS organisation_id
MATCH (:Organisation {id: organisation_id})<-[:WORKS_AT]-(p:Person)
RETURN collect(DISTINCT p.id) AS people
"""


ENTRY_PARAMETERS = {"no_territory": NO_TERRITORY, "no_cell": NO_CELL, "cell_degrees": list(CELL_DEGREES)}


def cell(latitude: float, longitude: float, rows: int = 0, columns: int = 0) -> str:
    """The position cell of a point (as ENTRIES computes it), or the one `rows` north and `columns` east."""
    return (f"{math.floor(latitude / CELL_DEGREES[0]) + rows}:"
            f"{math.floor(longitude / CELL_DEGREES[1]) + columns}")


def block(latitude: float, longitude: float, rings: int) -> tuple[list[str], float]:
    """The cells within `rings` cells of the point's own, and how far (km) the point is, at least, from
    any position outside them (see `clearance`)."""
    cells = [cell(latitude, longitude, dy, dx) for dy in range(-rings, rings + 1) for dx in range(-rings, rings + 1)]
    return cells, clearance(latitude, longitude, rings)


def clearance(latitude: float, longitude: float, rings: int) -> float:
    """How far (km) the point is, at least, from any position outside the cells within `rings` cells of
    its own (a little less, for the Earth's curvature)."""
    row, column = math.floor(latitude / CELL_DEGREES[0]), math.floor(longitude / CELL_DEGREES[1])
    south, north = (row - rings) * CELL_DEGREES[0], (row + rings + 1) * CELL_DEGREES[0]
    west, east = (column - rings) * CELL_DEGREES[1], (column + rings + 1) * CELL_DEGREES[1]
    shrink = math.cos(math.radians(max(abs(south), abs(north))))  # meridians converge towards the pole
    metres = min((latitude - south) * METRES_PER_DEGREE, (north - latitude) * METRES_PER_DEGREE,
                 (longitude - west) * METRES_PER_DEGREE * shrink, (east - longitude) * METRES_PER_DEGREE * shrink)
    return 0.99 * metres / 1000.0


def refresh_people(tx: ManagedTransaction, people) -> int:
    """Recompute the CAN_HELP relationships of these people (ids); returns how many they now have."""
    people = sorted(set(people))  # one lock order for every transaction: no deadlock between refreshes
    if not people:
        return 0
    return tx.run(REFRESH_PEOPLE, people=people, **ENTRY_PARAMETERS).single()["entries"]


def refresh_organisations(tx: ManagedTransaction, organisations) -> int:
    """After a change to organisations (place, territories, services): refresh their staff."""
    staff = tx.run(STAFF, organisations=sorted(set(organisations))).single()["people"]
    return refresh_people(tx, staff)


def rebuild(driver: Driver, batch: int = 2_000, database: str = DATABASE) -> int:
    """Recompute the whole projection, `batch` people per transaction; returns the number of entries."""
    # Only people have entries: a deleted node takes its relationships along, erasure deletes them.
    return _refresh_in_batches(driver, "MATCH (p:Person) RETURN p.id AS id", batch, database)[1]


# People with an entry of an older layout: languages as lists, before `spoken` and `served_in`.
OUTDATED = "MATCH (p:Person)-[c:CAN_HELP]->() WHERE c.spoken IS NULL RETURN DISTINCT p.id AS id"


def refresh_outdated(driver: Driver, batch: int = 2_000, database: str = DATABASE) -> int:
    """Recompute the entries that an older version wrote (a scan of every entry, under a second at
    full size); returns how many people had some."""
    return _refresh_in_batches(driver, OUTDATED, batch, database)[0]


def _refresh_in_batches(driver: Driver, people_query: str, batch: int, database: str) -> tuple[int, int]:
    """Refresh the people `people_query` returns (`id`), `batch` per transaction: (people, entries)."""
    with driver.session(database=database) as session:
        ids = session.execute_read(lambda tx: [r["id"] for r in tx.run(people_query)])
        entries = 0
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            entries += session.execute_write(lambda tx, chunk=chunk: refresh_people(tx, chunk))
    return len(ids), entries


def stale(driver: Driver, database: str = DATABASE) -> list[str]:
    """What differs between the stored projection and a fresh computation (empty when in step)."""

    def work(tx: ManagedTransaction):
        expected = tx.run("MATCH (p:Person) " + ENTRIES + " RETURN collect(entry) AS entries",
                          **ENTRY_PARAMETERS).single()["entries"]
        stored = tx.run("MATCH ()-[c:CAN_HELP]->() RETURN collect(properties(c)) AS entries"
                        ).single()["entries"]
        return expected, stored

    with driver.session(database=database) as session:
        expected, stored = session.execute_read(work)

    def key(entry: dict) -> str:
        return repr(sorted((name, entry[name]) for name in entry if entry[name] is not None))

    missing = {key(e) for e in expected} - {key(e) for e in stored}
    extra = {key(e) for e in stored} - {key(e) for e in expected}
    return sorted(f"missing {e}" for e in missing) + sorted(f"outdated {e}" for e in extra)
