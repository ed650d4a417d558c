"""Writes the reference data (seed.reference.rows) or a whole network (plain lists of dicts, as
seed.demo.network builds them), each in one transaction.

Every write is a MERGE on the node's key followed by SET of all its properties, so loading the
same data twice changes nothing, and a failure half-way leaves the graph as it was.
"""

from __future__ import annotations

from neo4j import Driver, ManagedTransaction

from graph.driver import DATABASE
from graph.search_index import refresh_people

# The polygon is a GeoJSON string (graph.repositories.places parses it once per process).
TERRITORIES = ("territories", """
    UNWIND $rows AS row
    MERGE (t:Territory {id: row.id})
    SET t.shipped = true, t.name = row.name, t.cohort = row.cohort, t.boroughs = row.boroughs,
        t.start = row.start, t.end = row.end, t.geometry = row.geometry,
        t.centroid = point({latitude: row.latitude, longitude: row.longitude})
""")
# A cohort: a round of the program, for one or more territories, on its own dates.
COHORTS = ("cohorts", """
    UNWIND $rows AS row
    MERGE (c:Cohort {id: row.id})
    SET c.number = row.number, c.name = row.name, c.start = row.start, c.end = row.end
    WITH c, row
    UNWIND row.territories AS territory
    MATCH (t:Territory {id: territory})
    MERGE (c)-[:INCLUDES]->(t)
""")
NEEDS = ("needs", """
    UNWIND $rows AS row
    MERGE (n:Need {id: row.id})
    SET n.label_fr = row.label_fr, n.label_en = row.label_en, n.keywords = row.keywords
""")
REFERENCE_STEPS = (
    TERRITORIES,
    COHORTS,
    NEEDS,
    # An area an admin gave to a territory of their own (`/admin/territoires`) stays in it.
    ("postal_areas", """
        UNWIND $rows AS row
        MERGE (a:PostalArea {code: row.code})
        SET a.latitude = row.latitude, a.longitude = row.longitude, a.place = row.place,
            a.territory = CASE WHEN EXISTS { (t:Territory {id: a.territory}) WHERE t.shipped IS NULL }
                               THEN a.territory ELSE row.territory END
    """),
    ("boroughs", """
        UNWIND $rows AS row
        MERGE (b:Borough {name: row.name})
        SET b.kind = row.kind, b.geometry = row.geometry, b.part_of = row.part_of
    """),
    ("session_themes", """
        UNWIND $rows AS row
        MERGE (s:SessionTheme {number: row.number})
        SET s.theme = row.theme, s.theme_en = row.theme_en
    """),
)

STEPS = (
    TERRITORIES,
    COHORTS,
    NEEDS,
    ("organisations", """
        UNWIND $rows AS row
        MATCH (t:Territory {id: row.territory})
        MERGE (o:Organisation {id: row.id})
        SET o.name = row.name, o.sector = row.sector, o.kind = row.kind, o.address = row.address,
            o.postal_code = row.postal_code, o.phone = row.phone, o.website = row.website,
            o.languages = row.languages, o.source = row.source,
            o.location = point({latitude: row.latitude, longitude: row.longitude})
        MERGE (o)-[:LOCATED_IN]->(t)
        MERGE (o)-[:SERVES]->(t)
    """),
    ("services", """
        UNWIND $rows AS row
        MATCH (o:Organisation {id: row.organisation})
        MERGE (s:Service {id: row.id})
        SET s.name = row.name, s.description = row.description, s.eligibility = row.eligibility,
            s.languages = row.languages, s.hours = row.hours
        MERGE (o)-[:OFFERS]->(s)
        WITH s, row
        UNWIND row.needs AS need_id
        MATCH (n:Need {id: need_id})
        MERGE (s)-[:ADDRESSES]->(n)
    """),
    ("people", """
        UNWIND $rows AS row
        MERGE (p:Person {id: row.id})
        SET p.name = row.name, p.role = row.role, p.email = toLower(trim(row.email)), p.phone = row.phone,
            p.languages = row.languages, p.listed = row.listed, p.research_consent = row.research_consent,
            p.born_in = row.born_in, p.accepting_until = row.accepting_until
        FOREACH (_ IN CASE WHEN row.kind = 'intervenant' THEN [1] ELSE [] END | SET p:Intervenant)
        FOREACH (_ IN CASE WHEN row.kind = 'parent' THEN [1] ELSE [] END | SET p:ParentPartner)
    """),
    ("works_at", """
        UNWIND $rows AS row
        MATCH (p:Person {id: row.person}), (o:Organisation {id: row.organisation})
        MERGE (p)-[w:WORKS_AT]->(o)
        SET w.since = row.since, w.until = row.until
    """),
    ("expertise", """
        UNWIND $rows AS row
        MATCH (p:Person {id: row.person}), (n:Need {id: row.need})
        MERGE (p)-[:HAS_EXPERTISE]->(n)
    """),
    ("sessions", """
        UNWIND $rows AS row
        MATCH (t:Territory {id: row.territory})
        MERGE (s:Session {id: row.id})
        SET s.territory = row.territory, s.number = row.number, s.theme = row.theme,
            s.theme_en = row.theme_en, s.date = row.date
        MERGE (s)-[:HELD_IN]->(t)
        WITH s, row
        MATCH (c:Cohort {id: row.cohort})
        MERGE (s)-[:OF]->(c)
    """),
    ("attended", """
        UNWIND $rows AS row
        MATCH (p:Person {id: row.person}), (s:Session {id: row.session})
        MERGE (p)-[:ATTENDED]->(s)
    """),
    ("knows", """
        UNWIND $rows AS row
        MATCH (a:Person {id: row.a}), (b:Person {id: row.b})
        MERGE (a)-[k:KNOWS]-(b)
        ON CREATE SET k.since = row.since, k.origin = row.origin, k.level = row.level, k.session = row.session
    """),
    ("referrals", """
        UNWIND $rows AS row
        MATCH (a:Person {id: row.from}), (b:Person {id: row.to}), (n:Need {id: row.need})
        MERGE (r:Referral {id: row.id})
        ON CREATE SET r.need = row.need, r.language = row.language, r.urgency = row.urgency,
            r.note = row.note, r.status = row.status, r.created_at = row.created_at,
            r.updated_at = row.updated_at
        MERGE (r)-[:FROM]->(a)
        MERGE (r)-[:TO]->(b)
        MERGE (r)-[:FOR]->(n)
        WITH r, row
        UNWIND range(0, size(row.history) - 1) AS i
        WITH r, i, row.history[i] AS event
        MERGE (r)-[:HAS_EVENT]->(e:ReferralEvent {seq: i, referral: r.id})
        ON CREATE SET e.status = event.status, e.at = event.at, e.by = event.by,
            e.reason = event.reason, e.outcome = event.outcome
    """),
    ("users", """
        UNWIND $rows AS row
        MERGE (u:User {id: row.id})
        ON CREATE SET u.email = toLower(row.email), u.password_hash = row.password_hash, u.role = row.role,
            u.territory = row.territory, u.active = true
        WITH u, row WHERE row.person IS NOT NULL
        MATCH (p:Person {id: row.person})
        MERGE (u)-[:IS]->(p)
    """),
)


def load_reference(driver: Driver, reference: dict[str, list[dict]], database: str = DATABASE) -> dict:
    """Load the needs, the territories and the postal areas atomically (no people: a real installation's
    starting point)."""

    def work(tx: ManagedTransaction) -> dict:
        for name, cypher in REFERENCE_STEPS:  # a part not given is left as it is
            tx.run(cypher, rows=reference.get(name, [])).consume()
        return {name: len(reference.get(name, [])) for name, _ in REFERENCE_STEPS}

    with driver.session(database=database) as session:
        return session.execute_write(work)


def load_network(driver: Driver, network, database: str = DATABASE) -> dict:
    """Load every part of `network` (an object with one list attribute per step) atomically."""

    def work(tx: ManagedTransaction) -> dict:
        counts = {}
        for name, cypher in STEPS:
            rows = getattr(network, name)
            tx.run(cypher, rows=rows).consume()
            counts[name] = len(rows)
        tx.run("MERGE (m:Meta {id: 'dataset'}) SET m.demo = true").consume()
        refresh_people(tx, [person["id"] for person in network.people])
        return counts

    with driver.session(database=database) as session:
        return session.execute_write(work)


def is_demo(driver: Driver, database: str = DATABASE) -> bool:
    # Auto-commit, no retry: this only decides whether pages show the "fictional data" notice.
    with driver.session(database=database, default_access_mode="READ") as session:
        record = session.run("MATCH (m:Meta {id: 'dataset'}) RETURN m.demo AS demo").single()
    return bool(record and record["demo"])


def clear(driver: Driver, database: str = DATABASE) -> None:
    """Delete every node, in batches so a large graph does not exhaust transaction memory."""
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
