"""Organisations: where they are, what territories they serve, who works there. Every write is
recorded in the audit log within its own transaction."""

from __future__ import annotations

import uuid

from neo4j import ManagedTransaction

from graph.driver import MONTREAL_ZONE, Repository
from graph.locks import lock_territories
from graph.repositories.changes import current_territories_of, described, field_changes, record_change
from graph.search_index import refresh_organisations
from interop.folding import fold

# Properties a directory form or an import may set; location is set from latitude/longitude.
FIELDS = ("name", "sector", "kind", "address", "postal_code", "phone", "website", "languages", "location_source")


class OrganisationNameTaken(Exception):
    """Another organisation of the territory has this name (folded: case, accents, dashes); nothing written."""


# A name is unique within its territory, checked where it is written. The territory is write-locked before
# its names are read (graph.locks), so two saves into one territory queue there and the second reads the
# first's name. Simpler than a folded-name key with a
# constraint: that key would need the territory in it, every writer (forms, CSV and HSDS imports, the demo)
# to keep it, and the organisations already stored to gain it, or the constraint could not be made.
NAMES_IN_TERRITORY = """
MATCH (t:Territory {id: $territory})
RETURN COLLECT { MATCH (o:Organisation)-[:LOCATED_IN]->(t) WHERE o.id <> $id RETURN o.name } AS names
"""


def _check_name(tx: ManagedTransaction, organisation_id: str, name: str, territory: str) -> None:
    """OrganisationNameTaken when another organisation of `territory` has `name`, folded."""
    lock_territories(tx, [territory])
    record = tx.run(NAMES_IN_TERRITORY, id=organisation_id, territory=territory).single()
    if record and fold(name) in {fold(other) for other in record["names"]}:
        raise OrganisationNameTaken(name)


def new_organisation_id(territory: str) -> str:
    return f"o-{territory}-{uuid.uuid4().hex[:8]}"


def _read_state(tx: ManagedTransaction, organisation_id: str) -> dict | None:
    record = tx.run(
        """
        MATCH (o:Organisation {id: $id})
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
        OPTIONAL MATCH (o)-[:SERVES]->(s:Territory)
        RETURN o {.*, latitude: o.location.latitude, longitude: o.location.longitude} AS organisation,
               t.id AS territory, collect(s.id) AS served
        """,
        id=organisation_id,
    ).single()
    if not record:
        return None
    state = {k: v for k, v in record["organisation"].items() if k != "location"}
    state.update(territory=record["territory"], served=sorted(record["served"]))
    return state


def organisation_territories(tx: ManagedTransaction, organisation_ids: list[str]) -> dict[str, str]:
    """Each organisation's territory (organisations without one are left out)."""
    return {r["id"]: r["territory"] for r in tx.run(
        "UNWIND $ids AS id MATCH (:Organisation {id: id})-[:LOCATED_IN]->(t:Territory) RETURN id, t.id AS territory",
        ids=organisation_ids)}


CREATE_ORGANISATIONS = """
UNWIND $ids AS id
CREATE (:Organisation {id: id, created_on: date({timezone: $zone})})
"""
# Relationships that stay the same are left untouched.
WRITE_ORGANISATIONS = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.id}), (t:Territory {id: row.territory})
SET o += row.props
FOREACH (_ IN CASE WHEN row.latitude IS NULL THEN [] ELSE [1] END |
    SET o.location = point({latitude: row.latitude, longitude: row.longitude}))
MERGE (o)-[:LOCATED_IN]->(t)
WITH o, row
CALL (o, row) {
    MATCH (o)-[old:LOCATED_IN]->(elsewhere:Territory) WHERE elsewhere.id <> row.territory
    DELETE old
}
CALL (o, row) {
    MATCH (o)-[old:SERVES]->(other:Territory) WHERE NOT other.id IN row.served
    DELETE old
}
CALL (o, row) {
    UNWIND row.served AS served_id
    MATCH (s:Territory {id: served_id})
    MERGE (o)-[:SERVES]->(s)
}
"""


def write_organisations(tx: ManagedTransaction, organisations: list[dict]) -> None:
    """Create (those with `create`) or update organisations, each {id, values, territory, served, create},
    with their territory and the territories they serve: two statements for all. The caller refreshes the
    search entries of their staff (once per transaction: graph.search_index.refresh_organisations)."""
    created = [o["id"] for o in organisations if o["create"]]
    if created:
        tx.run(CREATE_ORGANISATIONS, ids=created, zone=MONTREAL_ZONE).consume()
    tx.run(WRITE_ORGANISATIONS, rows=[
        {"id": o["id"], "territory": o["territory"], "served": o["served"],
         "props": {k: o["values"].get(k) for k in FIELDS if k in o["values"]},
         "latitude": o["values"].get("latitude"), "longitude": o["values"].get("longitude")}
        for o in organisations]).consume()


def write_organisation(tx: ManagedTransaction, organisation_id: str, values: dict, territory: str,
                       served: list[str], create: bool) -> None:
    """Create or update one organisation (see write_organisations)."""
    write_organisations(tx, [{"id": organisation_id, "values": values, "territory": territory, "served": served,
                              "create": create}])


class OrganisationRepository(Repository):
    def list(self, territory: str | None = None) -> list[dict]:
        """Organisations (of one territory, or all) with their counts of current people and services; archived
        ones too, with their `archived_on`."""

        def work(tx: ManagedTransaction):
            return [
                dict(r["organisation"])
                for r in tx.run(
                    """
                    MATCH (o:Organisation)-[:LOCATED_IN]->(t:Territory)
                    WHERE $territory IS NULL OR t.id = $territory
                    RETURN o {.id, .name, .sector, .kind, .postal_code, .archived_on, territory: t.id,
                              territory_name: t.name,
                              people: COUNT { (o)<-[w:WORKS_AT]-(:Person) WHERE w.until IS NULL },
                              services: COUNT { (o)-[:OFFERS]->(s:Service) WHERE s.archived_on IS NULL }}
                           AS organisation
                    ORDER BY t.cohort, t.name, o.name
                    """,
                    territory=territory,
                )
            ]

        return self.read(work)

    def get(self, organisation_id: str) -> dict | None:
        """One organisation with its services (and their needs) and its people, current and former."""

        def work(tx: ManagedTransaction):
            state = _read_state(tx, organisation_id)
            if state is None:
                return None
            state["services"] = tx.run(
                """
                MATCH (:Organisation {id: $id})-[:OFFERS]->(s:Service)
                OPTIONAL MATCH (s)-[:ADDRESSES]->(n:Need)
                RETURN s.id AS id, s.name AS name, collect(n.id) AS needs, s.archived_on AS archived_on,
                       s.archived_by AS archived_by
                ORDER BY s.archived_on IS NOT NULL, s.name
                """,
                id=organisation_id,
            ).data()
            state["people"] = tx.run(
                """
                MATCH (p:Person)-[w:WORKS_AT]->(:Organisation {id: $id})
                RETURN p.id AS id, p.name AS name, p.role AS role, p.title AS title,
                       coalesce(p.listed, false) AS listed,
                       w.since AS since, w.until AS until, """ + current_territories_of("p") + """ AS territories
                ORDER BY w.until IS NOT NULL, p.name
                """,
                id=organisation_id,
            ).data()
            return state

        return self.read(work)

    def create(self, values: dict, territory: str, served: list[str], user: str) -> str:
        organisation_id = new_organisation_id(territory)

        def work(tx: ManagedTransaction):
            _check_name(tx, organisation_id, values["name"], territory)
            write_organisation(tx, organisation_id, values, territory, served, create=True)
            record_change(tx, user, "create", "organisation", organisation_id, values["name"], [territory, *served])

        self.write(work)
        return organisation_id

    def update(self, organisation_id: str, values: dict, territory: str, served: list[str], user: str) -> list[str]:
        """Update in place; returns the changes (`field: old → new`), empty when nothing changed."""

        def work(tx: ManagedTransaction):
            before = _read_state(tx, organisation_id)
            if before is None:
                raise LookupError(organisation_id)
            name = values.get("name") or before["name"]
            # Only a new name or territory is checked: one of two namesakes an import left stays editable.
            if fold(name) != fold(before["name"]) or territory != before["territory"]:
                _check_name(tx, organisation_id, name, territory)
            after = {**{k: values.get(k) for k in FIELDS if k in values},
                     "latitude": values.get("latitude"), "longitude": values.get("longitude"),
                     "territory": territory, "served": sorted(served)}
            fields = field_changes(before, after)
            changes = described(fields)
            if changes:
                write_organisation(tx, organisation_id, values, territory, served, create=False)
                refresh_organisations(tx, [organisation_id])
                record_change(tx, user, "update", "organisation", organisation_id,
                              f"{values.get('name') or before['name']} — " + "; ".join(changes),
                              [before["territory"], territory, *before.get("served", []), *served], fields)
            return changes

        return self.write(work)
