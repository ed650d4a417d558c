"""Services an organisation offers, and the needs each addresses. Writes are audited."""

from __future__ import annotations

import uuid

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.repositories.changes import described, field_changes, record_change
from graph.search_index import refresh_organisations

FIELDS = ("name", "description", "eligibility", "languages", "hours")


def _read_state(tx: ManagedTransaction, service_id: str) -> dict | None:
    record = tx.run(
        """
        MATCH (o:Organisation)-[:OFFERS]->(s:Service {id: $id})
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
        OPTIONAL MATCH (s)-[:ADDRESSES]->(n:Need)
        RETURN s {.id, .name, .description, .eligibility, .languages, .hours} AS service,
               o.id AS organisation, o.name AS organisation_name, t.id AS territory, collect(n.id) AS needs,
               s.archived_on AS archived_on, o.archived_on AS organisation_archived_on
        """,
        id=service_id,
    ).single()
    if not record:
        return None
    state = dict(record["service"])
    state.update(organisation=record["organisation"], organisation_name=record["organisation_name"],
                 territory=record["territory"], needs=sorted(record["needs"]), archived_on=record["archived_on"],
                 organisation_archived_on=record["organisation_archived_on"])
    return state


def _write(tx: ManagedTransaction, service_id: str, values: dict, needs: list[str]) -> None:
    tx.run(
        """
        MATCH (s:Service {id: $id})
        SET s += $props
        WITH s
        OPTIONAL MATCH (s)-[old:ADDRESSES]->(n:Need) WHERE NOT n.id IN $needs
        DELETE old
        WITH DISTINCT s
        UNWIND $needs AS need_id
        MATCH (n:Need {id: need_id})
        MERGE (s)-[:ADDRESSES]->(n)
        """,
        id=service_id, props={k: values.get(k) for k in FIELDS}, needs=needs,
    ).consume()
    organisations = tx.run("MATCH (o:Organisation)-[:OFFERS]->(:Service {id: $id}) RETURN collect(o.id) AS ids",
                           id=service_id).single()["ids"]
    refresh_organisations(tx, organisations)


class ServiceRepository(Repository):
    def get(self, service_id: str) -> dict | None:
        return self.read(_read_state, service_id=service_id)

    def create(self, organisation_id: str, values: dict, needs: list[str], user: str) -> str:
        service_id = f"s-{uuid.uuid4().hex[:10]}"

        def work(tx: ManagedTransaction):
            found = tx.run(
                """
                MATCH (o:Organisation {id: $organisation})
                OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
                CREATE (o)-[:OFFERS]->(:Service {id: $id})
                RETURN t.id AS territory
                """,
                organisation=organisation_id, id=service_id,
            ).single()
            if found is None:
                raise LookupError(organisation_id)
            _write(tx, service_id, values, needs)
            record_change(tx, user, "create", "service", service_id, values["name"], [found["territory"]])

        self.write(work)
        return service_id

    def update(self, service_id: str, values: dict, needs: list[str], user: str) -> list[str]:
        def work(tx: ManagedTransaction):
            before = _read_state(tx, service_id)
            if before is None:
                raise LookupError(service_id)
            fields = field_changes(before, {**{k: values.get(k) for k in FIELDS}, "needs": sorted(needs)})
            changes = described(fields)
            if changes:
                _write(tx, service_id, values, needs)
                record_change(tx, user, "update", "service", service_id,
                              f"{values['name']} — " + "; ".join(changes), [before["territory"]], fields)
            return changes

        return self.write(work)
