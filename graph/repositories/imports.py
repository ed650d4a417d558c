"""CSV imports: read what a plan depends on, and write an accepted plan — in ONE transaction.

The planning itself is plain Python (referral.directory.csv_import). `run` reads the context, asks
the planner for a plan and, only when no row is rejected, writes every row of it in the same
transaction: the import is all-or-nothing, and it cannot be planned against a directory that
changes before it is written. A plan is any object with `kind`, `rejected` and `writes` (rows with
`action`, `values`, `target` and `line`).
"""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository, plain
from graph.repositories.changes import person_territories_now, record_change
from graph.repositories.organisations import new_organisation_id, organisation_territory, write_organisation
from graph.repositories.staff import create_person, current_territories, new_person_id, start_job, update_person
from graph.schema import unique_person_email
from graph.search_index import refresh_organisations, refresh_people


def _read_context(tx: ManagedTransaction, kind: str, emails: list[str]) -> dict:
    territories = tx.run("MATCH (t:Territory) RETURN t.id AS id, t.name AS name ORDER BY t.id").data()
    organisations = tx.run(
        """
        MATCH (o:Organisation)-[:LOCATED_IN]->(t:Territory)
        OPTIONAL MATCH (o)-[:SERVES]->(s:Territory)
        RETURN o.id AS id, o.name AS name, t.id AS territory, o.sector AS sector, o.kind AS kind,
               o.address AS address, o.postal_code AS postal_code, o.phone AS phone, o.website AS website,
               o.languages AS languages, collect(s.id) AS served
        ORDER BY o.id
        """
    ).data()
    people = {}
    if kind == "participants":
        for record in tx.run(
            """
            MATCH (p:Person) WHERE p.email IN $emails
            WITH p, p.email AS email
            OPTIONAL MATCH (p)-[w:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t:Territory)
            RETURN email, p {.id, .name, .phone, .role, .languages, .listed} AS person,
                   collect(CASE WHEN o IS NOT NULL THEN {organisation: o.id, territory: t.id, until: w.until} END)
                       AS jobs
            """,
            emails=emails,
        ):
            person = dict(record["person"])
            jobs = plain(record["jobs"])
            person.update(email=record["email"], territories=current_territories({"jobs": jobs}),
                          jobs=[job["organisation"] for job in jobs if job["until"] is None])
            people[record["email"]] = person
    return {"territories": territories, "organisations": organisations, "people": people}


def _write_participant(tx: ManagedTransaction, row, user: str) -> str:
    """The row written and journaled under the person's territories before and after it; returns the
    person's id (their search entries are refreshed once, after every row)."""
    values = row.values
    if row.action == "create":
        person_id, before = new_person_id(), set()
        create_person(tx, person_id, values, "intervenant")
    else:
        person_id = row.target
        before = person_territories_now(tx, [person_id]).get(person_id, set())
        update_person(tx, person_id, values)
    if values.get("organisation"):
        start_job(tx, person_id, values["organisation"], values["since"])
    summary = values.get("name") or person_id
    if row.action == "update":
        summary += " — " + ", ".join(sorted(k for k in values if k != "since"))
    after = person_territories_now(tx, [person_id]).get(person_id, set())
    record_change(tx, user, row.action, "person", person_id, f"{summary} (CSV, ligne {row.line})", before | after)
    return person_id


def _write_organisation(tx: ManagedTransaction, row, user: str) -> str:
    """The row written and journaled under its territory before and after it; returns the organisation's id
    (its staff's search entries are refreshed once, after every row)."""
    values = row.values
    if row.action == "create":
        organisation_id, before = new_organisation_id(values["territory"]), None
        write_organisation(tx, organisation_id, values, values["territory"], [values["territory"]], create=True)
        summary = values["name"]
    else:
        organisation_id = row.target
        before = organisation_territory(tx, organisation_id)
        write_organisation(tx, organisation_id, values, values["territory"], values["served"], create=False)
        summary = organisation_id + " — " + ", ".join(
            sorted(k for k in values if k not in ("territory", "served", "latitude", "longitude")))
    record_change(tx, user, row.action, "organisation", organisation_id, f"{summary} (CSV, ligne {row.line})",
                  [before, values["territory"]])
    return organisation_id


class ImportRepository(Repository):
    def context(self, kind: str, emails: list[str]) -> dict:
        return self.read(_read_context, kind=kind, emails=emails)

    def run(self, kind: str, emails: list[str], planner, user: str):
        """Plan against the directory as it is and, if no row is rejected, write the plan; returns the plan.
        EmailTaken (nothing written) when another import gave someone one of its new e-mails meanwhile."""

        def work(tx: ManagedTransaction):
            plan = planner(_read_context(tx, kind, emails))
            if plan.rejected:
                return plan
            if kind == "participants":
                refresh_people(tx, [_write_participant(tx, row, user) for row in plan.writes])
            else:
                refresh_organisations(tx, [_write_organisation(tx, row, user) for row in plan.writes])
            return plan

        with unique_person_email():
            return self.write(work)
