"""Open Referral HSDS exchange: the directory read as plain dicts, an import written in one
transaction, the coordinators' taxonomy-term -> need mapping table, consent of imported contacts."""

from __future__ import annotations

from collections.abc import Callable

from neo4j import ManagedTransaction

from graph.driver import MONTREAL_ZONE, Repository, plain
from graph.locks import lock_territories
from graph.repositories.changes import current_territories_of, person_territories_now, record_change
from graph.schema import unique_person_email
from graph.search_index import refresh_organisations, refresh_people

PERSON_FIELDS = ".id, .hsds_id, .name, .role, .title, .email, .phone, .languages, .listed"


def _directory(tx: ManagedTransaction, listed_only: bool) -> dict:
    territories = [dict(r["t"]) for r in tx.run("MATCH (t:Territory) RETURN t {.id, .name} AS t ORDER BY t.id")]
    needs = [dict(r["n"]) for r in tx.run(
        "MATCH (n:Need) RETURN n {.id, .label_fr, .label_en, .keywords} AS n ORDER BY n.id")]
    organisations = [dict(r["o"]) for r in tx.run(
        """
        MATCH (o:Organisation) WHERE o.archived_on IS NULL OR NOT $listed_only
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
        WITH o, min(t.id) AS territory
        OPTIONAL MATCH (o)-[:SERVES]->(s:Territory)
        WITH o, territory, s ORDER BY s.id
        WITH o, territory, collect(s.id) AS serves
        RETURN o {.id, .hsds_id, .name, .sector, .kind, .description, .email, .address, .postal_code,
                  .phone, .website, .languages, .source,
                  latitude: o.location.latitude, longitude: o.location.longitude,
                  territory: territory, serves: serves} AS o
        ORDER BY o.id
        """, listed_only=listed_only)]
    # last_modified: the journal's latest change of the service or of its organisation (HSDS: "or any related
    # information"); None when neither changed since they were loaded.
    services = [plain(dict(r["s"])) for r in tx.run(
        """
        MATCH (o:Organisation)-[:OFFERS]->(s:Service)
        WHERE (o.archived_on IS NULL AND s.archived_on IS NULL) OR NOT $listed_only
        WITH s, min(o.id) AS organisation
        OPTIONAL MATCH (s)-[:ADDRESSES]->(n:Need)
        WITH s, organisation, n ORDER BY n.id
        WITH s, organisation, collect(n.id) AS needs
        RETURN s {.id, .hsds_id, .name, .description, .eligibility, .languages, .hours,
                  organisation: organisation, needs: needs, last_modified: COLLECT {
                      MATCH (c:Change) WHERE c.entity_id IN [s.id, organisation]
                      AND c.entity IN ['service', 'organisation'] RETURN c.at ORDER BY c.at DESC LIMIT 1 }[0]} AS s
        ORDER BY s.id
        """, listed_only=listed_only)]
    people = [dict(r["p"]) for r in tx.run(
        f"""
        MATCH (p:Person)-[w:WORKS_AT]->(o:Organisation)
        WHERE w.until IS NULL AND (p.listed = true OR NOT $listed_only)
        WITH p, o ORDER BY o.id
        WITH p, collect(o.id) AS organisations
        RETURN p {{{PERSON_FIELDS}, organisations: organisations, organisation: organisations[0]}} AS p
        ORDER BY p.id
        """, listed_only=listed_only)]
    return {"territories": territories, "needs": needs, "organisations": organisations,
            "services": services, "people": people}


def _link_exactly(node: str, rel: str, label: str, wanted: str, incoming: bool = False) -> str:
    """A clause leaving `node` linked by `rel` to exactly the `label` nodes whose ids the `wanted` list
    expression gives: the links that no longer hold are deleted and the others MERGEd, so an unchanged record
    keeps its relationships exactly as they were. A unit subquery: the import's rows go on unchanged.
    The arguments are this module's constants, never user input."""
    left, right = ("<-", "-") if incoming else ("-", "->")
    return f"""
        WITH {node}, row
        CALL ({node}, row) {{
            WITH {node}, {wanted} AS wanted
            OPTIONAL MATCH ({node}){left}[old:{rel}]{right}(other:{label}) WHERE NOT other.id IN wanted
            DELETE old
            WITH DISTINCT {node}, wanted
            UNWIND wanted AS wanted_id
            MATCH (target:{label} {{id: wanted_id}})
            MERGE ({node}){left}[:{rel}]{right}(target)
        }}"""


IMPORT_STEPS = (
    # A row whose territory (organisation, for a service) is unknown is skipped.
    ("organisations", """
        UNWIND $rows AS row
        MATCH (:Territory {id: row.territory})
        MERGE (o:Organisation {id: row.id})
        ON CREATE SET o.source = $source, o.hsds_id = row.hsds_id
        SET o.name = row.name, o.sector = row.sector, o.kind = row.kind, o.description = row.description,
            o.email = row.email, o.address = row.address, o.postal_code = row.postal_code, o.phone = row.phone,
            o.website = row.website, o.languages = row.languages,
            o.location = CASE WHEN row.latitude IS NULL THEN null
                              ELSE point({latitude: row.latitude, longitude: row.longitude}) END
    """ + _link_exactly("o", "LOCATED_IN", "Territory", "[row.territory]")
        + _link_exactly("o", "SERVES", "Territory", "row.serves")),
    ("services", """
        UNWIND $rows AS row
        MATCH (:Organisation {id: row.organisation})
        MERGE (s:Service {id: row.id})
        ON CREATE SET s.source = $source, s.hsds_id = row.hsds_id
        SET s.name = row.name, s.description = row.description, s.eligibility = row.eligibility,
            s.languages = row.languages, s.hours = row.hours
    """ + _link_exactly("s", "OFFERS", "Organisation", "[row.organisation]", incoming=True)
        + _link_exactly("s", "ADDRESSES", "Need", "row.needs")),
    # Imported contacts are not listed, and counted by no researcher, until their consent is confirmed;
    # an existing person keeps the consent they gave. A new job starts on the import's day.
    ("people", """
        UNWIND $rows AS row
        MATCH (o:Organisation {id: row.organisation})
        MERGE (p:Person {id: row.id})
        ON CREATE SET p.source = $source, p.hsds_id = row.hsds_id, p.listed = false, p.research_consent = false
        SET p.name = row.name, p.title = row.title, p.role = row.role, p.email = row.email, p.phone = row.phone,
            p.languages = row.languages
        MERGE (p)-[w:WORKS_AT]->(o)
        ON CREATE SET w.since = date({timezone: $zone})  // Montréal's day: no past cohort counts them
    """),
)


# Where each kind of record an import writes belongs: its own territory, or its organisation's.
_TERRITORIES = {
    "organisations": """
        UNWIND $ids AS id
        MATCH (o:Organisation {id: id})
        RETURN id, COLLECT { MATCH (o)-[:LOCATED_IN]->(t:Territory) RETURN t.id } AS territories
    """,
    "services": """
        UNWIND $ids AS id
        MATCH (s:Service {id: id})
        RETURN id, COLLECT { MATCH (s)<-[:OFFERS]-(:Organisation)-[:LOCATED_IN]->(t:Territory)
                             RETURN DISTINCT t.id } AS territories
    """,
}
_ENTITIES = {"organisations": "organisation", "services": "service", "people": "person"}


def _territories(tx: ManagedTransaction, rows: dict) -> dict[tuple[str, str], set[str]]:
    """(kind, id) -> the territories the record belongs to now, for every record of the import's rows."""
    found = {}
    for kind in _ENTITIES:
        ids = [row["id"] for row in rows.get(kind, [])]
        if kind == "people":
            found.update({(kind, key): value for key, value in person_territories_now(tx, ids).items()})
        else:
            found.update({(kind, r["id"]): set(r["territories"]) for r in tx.run(_TERRITORIES[kind], ids=ids)})
    return found


def _journal(tx: ManagedTransaction, rows: dict, before: dict, user: str) -> None:
    """Every record the import wrote, filed under its territories before and after the import."""
    after = _territories(tx, rows)
    for kind, entity in _ENTITIES.items():
        for row in rows.get(kind, []):
            key = (kind, row["id"])
            record_change(tx, user, "create" if row.get("create") else "update", entity, row["id"],
                          f"{row.get('name') or row['id']} (HSDS)",
                          before.get(key, set()) | after.get(key, set()))


def _import_state(tx: ManagedTransaction) -> dict:
    state = _directory(tx, listed_only=False)
    # Every person, working or not: a contact matching one is checked against them as they are now.
    state["people"] = [dict(r["p"]) for r in tx.run(
        f"""
        MATCH (p:Person)
        RETURN p {{{PERSON_FIELDS}, organisations: COLLECT {{
            MATCH (p)-[w:WORKS_AT]->(o:Organisation) WHERE w.until IS NULL RETURN o.id ORDER BY o.id }}}} AS p
        ORDER BY p.id
        """)]
    state["mappings"] = {r["key"]: r["need"] for r in tx.run(
        "MATCH (m:HsdsTermMapping)-[:MAPS_TO]->(n:Need) RETURN m.id AS key, n.id AS need")}
    return state


def _write_import(tx: ManagedTransaction, rows: dict, source: str, user: str) -> None:
    before = _territories(tx, rows)
    for name, cypher in IMPORT_STEPS:
        tx.run(cypher, rows=rows.get(name, []), source=source, zone=MONTREAL_ZONE).consume()
    refresh_organisations(tx, [o["id"] for o in rows.get("organisations", [])]
                          + [s["organisation"] for s in rows.get("services", [])])
    refresh_people(tx, [p["id"] for p in rows.get("people", [])])
    _journal(tx, rows, before, user)


class HsdsRepository(Repository):
    def directory(self, listed_only: bool = True) -> dict:
        """Territories, needs, organisations, services and the people working somewhere, as plain dicts.
        With `listed_only` (the export), only the people who agreed to be listed and no archived organisation
        or service (an import reads them all, to match what it brings with what is there)."""
        return self.read(_directory, listed_only=listed_only)

    def import_state(self) -> dict:
        """What an import is planned against: the whole directory and the term mappings."""
        return self.read(_import_state)

    def plan_and_apply(self, planner: Callable[[dict], tuple], source: str, user: str):
        """`planner(state)` -> (plan, rows or None), given the directory as this write transaction reads it;
        `rows` (organisations, services, people, into the territories and needs `seed reference` wrote) are
        written in that same transaction, each in the journal as `user`'s change — all or (on any error, or
        rows None: a plan the policy refuses as the records stand now) nothing. Returns the plan. EmailTaken
        when a contact's e-mail was given to someone else meanwhile."""

        def work(tx: ManagedTransaction):
            # Reads take no locks: every territory first (an organisation form save locks its own, so it waits
            # for this import, and the plan sees what committed before). A job moved by a page is not held.
            lock_territories(tx)
            plan, rows = planner(plain(_import_state(tx)))
            if rows is not None:
                _write_import(tx, rows, source, user)
            return plan

        with unique_person_email():
            return self.write(work)

    # --- The taxonomy-term -> need mapping table ------------------------------------------------------

    def mappings(self) -> list[dict]:
        def work(tx: ManagedTransaction):
            return [dict(r["m"]) for r in tx.run(
                """
                MATCH (m:HsdsTermMapping)-[:MAPS_TO]->(n:Need)
                RETURN m {.id, .taxonomy, .term, need: n.id, label_fr: n.label_fr, label_en: n.label_en} AS m
                ORDER BY toLower(m.taxonomy), toLower(m.term)
                """)]

        return self.read(work)

    def save_mapping(self, key: str, taxonomy: str, term: str, need: str) -> bool:
        """False when the need does not exist (nothing is written then)."""

        def work(tx: ManagedTransaction) -> bool:
            record = tx.run(
                """
                MATCH (n:Need {id: $need})
                MERGE (m:HsdsTermMapping {id: $key})
                SET m.taxonomy = $taxonomy, m.term = $term
                WITH m, n
                OPTIONAL MATCH (m)-[old:MAPS_TO]->(other:Need) WHERE other <> n
                DELETE old
                WITH DISTINCT m, n
                MERGE (m)-[:MAPS_TO]->(n)
                RETURN m.id AS id
                """, key=key, taxonomy=taxonomy, term=term, need=need).single()
            return record is not None

        return self.write(work)

    def delete_mapping(self, key: str) -> bool:
        def work(tx: ManagedTransaction) -> bool:
            record = tx.run("MATCH (m:HsdsTermMapping {id: $key}) DETACH DELETE m RETURN count(*) AS n",
                            key=key).single()
            return record["n"] > 0

        return self.write(work)

    # --- Imported contacts waiting for consent -------------------------------------------------------

    def pending_contacts(self, territories: list[str] | None) -> list[dict]:
        """Imported people not listed yet, in the given territories (None: all)."""

        def work(tx: ManagedTransaction):
            return [dict(r["p"]) for r in tx.run(
                """
                MATCH (p:Person)-[w:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t:Territory)
                WHERE p.hsds_id IS NOT NULL AND p.listed = false AND w.until IS NULL
                  AND ($territories IS NULL OR t.id IN $territories)
                RETURN p {.id, .name, .title, .email, .phone, organisation: o.name, territory: t.id} AS p
                ORDER BY toLower(p.name)
                """, territories=territories)]

        return self.read(work)

    def pending_territories(self, person_id: str) -> list[str] | None:
        """The territories of an imported person still waiting for consent (their current jobs'); None when
        no such person waits."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (p:Person {id: $id}) WHERE p.hsds_id IS NOT NULL AND p.listed = false
                RETURN """ + current_territories_of("p") + """ AS territories
                """, id=person_id).single()
            return (record and record["territories"]) or None

        return self.read(work)

    def confirm_listing(self, person_id: str, territories: list[str] | None, confirmed_by: str) -> bool:
        """The person agreed to be listed: they appear in the directory from now on."""

        def work(tx: ManagedTransaction) -> bool:
            record = tx.run(
                """
                MATCH (p:Person {id: $id})-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t:Territory)
                WHERE p.hsds_id IS NOT NULL AND p.listed = false AND w.until IS NULL
                  AND ($territories IS NULL OR t.id IN $territories)
                WITH DISTINCT p
                SET p.listed = true, p.listing_confirmed_by = $by, p.listing_confirmed_at = datetime()
                RETURN p.id AS id
                """, id=person_id, territories=territories, by=confirmed_by).single()
            refresh_people(tx, [person_id])
            return record is not None

        return self.write(work)
