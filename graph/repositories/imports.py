"""CSV imports: read what a plan depends on, and write an accepted plan — in ONE transaction.

The planning itself is plain Python (referral.directory.csv_import). `run` reads the context, asks
the planner for a plan and, only when no row is rejected, writes every row of it in the same
transaction: the import is all-or-nothing, and it cannot be planned against a directory that
changes before it is written. A plan is any object with `kind`, `rejected` and `writes` (rows with
`action`, `values`, `target` and `line`). Each kind of write is one batch of its aggregate's repository
over every row of the plan (a plan never holds a person or an organisation twice: the planner rejects
duplicates), so an import costs a few round trips, not a few per row.
"""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository, plain
from graph.repositories.changes import person_territories_now, record_changes
from graph.repositories.organisations import new_organisation_id, organisation_territories, write_organisations
from graph.repositories.staff import (
    create_people,
    current_territories,
    new_person_id,
    start_jobs,
    stored_properties,
    update_people,
)
from graph.schema import unique_person_email
from graph.search_index import refresh_organisations, refresh_people

DETAILS = """,
       o.sector AS sector, o.kind AS kind, o.address AS address, o.postal_code AS postal_code, o.phone AS phone,
       o.website AS website, o.languages AS languages, o.location_source AS location_source,
       COLLECT { MATCH (o)-[:SERVES]->(s:Territory) RETURN s.id } AS served"""


def _read_context(tx: ManagedTransaction, kind: str, emails: list[str]) -> dict:
    # In the order the import page lists them (TerritoryRepository.names), for the refusal that names them.
    territories = tx.run("MATCH (t:Territory) RETURN t.id AS id, t.name AS name ORDER BY t.cohort, t.name").data()
    # A participant's row names an organisation: its name, territory and whether archived are all it needs.
    # An organisation's row is compared with the one it updates, field by field.
    details = "" if kind == "participants" else DETAILS
    organisations = tx.run(
        """
        MATCH (o:Organisation)-[:LOCATED_IN]->(t:Territory)
        RETURN o.id AS id, o.name AS name, t.id AS territory, o.archived_on IS NOT NULL AS archived""" + details + """
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
            RETURN email, p {.id, .name, .phone, .role, .languages, .listed, .archived_territories,
                              archived: p.archived_on IS NOT NULL} AS person,
                   collect(CASE WHEN o IS NOT NULL THEN {organisation: o.id, territory: t.id, until: w.until} END)
                       AS jobs
            """,
            emails=emails,
        ):
            person = dict(record["person"])
            jobs = plain(record["jobs"])
            person.update(email=record["email"], territories=current_territories({**person, "jobs": jobs}),
                          jobs=[job["organisation"] for job in jobs if job["until"] is None])
            people[record["email"]] = person
    return {"territories": territories, "organisations": organisations, "people": people}


def _journal(tx: ManagedTransaction, user: str, entity: str, entries: list[tuple]) -> None:
    """One journal entry per written row, (row, id, summary, territories), in the order of the file; an update's
    fields as the plan found them ((field, old, new): the journal says them in words, never parsed)."""
    record_changes(tx, user, [(row.action, entity, entity_id, f"{summary} (CSV, ligne {row.line})", territories,
                               list(getattr(row, "fields", [])))
                              for row, entity_id, summary, territories in entries])


def _write_participants(tx: ManagedTransaction, rows: list, user: str) -> list[str]:
    """Every row written and journaled under the person's territories before and after it; returns the
    people's ids (their search entries are refreshed once, after every row). LookupError when an
    organisation of the plan no longer exists. E-mails are not checked one by one: the planner found every
    e-mail of the file free or its own, and the person_email constraint guards the rest."""
    ids = [new_person_id() if row.action == "create" else row.target for row in rows]
    written = list(zip(rows, ids, strict=True))
    updated = [person_id for row, person_id in written if row.action == "update"]
    before = person_territories_now(tx, updated) if updated else {}
    people = {action: [{"id": person_id, "props": stored_properties(row.values)}
                       for row, person_id in written if row.action == action] for action in ("create", "update")}
    create_people(tx, people["create"], "intervenant", user)
    update_people(tx, people["update"], user)
    start_jobs(tx, [{"person": person_id, "organisation": row.values["organisation"], "since": row.values["since"]}
                    for row, person_id in written if row.values.get("organisation")])
    after = person_territories_now(tx, ids)
    entries = []
    for row, person_id in written:
        summary = row.values.get("name") or person_id
        if row.action == "update":
            summary += " — " + ", ".join(sorted(k for k in row.values if k != "since"))
        entries.append((row, person_id, summary, before.get(person_id, set()) | after.get(person_id, set())))
    _journal(tx, user, "person", entries)
    return ids


def _write_organisations(tx: ManagedTransaction, rows: list, user: str) -> list[str]:
    """Every row written and journaled under its territory before and after it; returns the organisations'
    ids (their staff's search entries are refreshed once, after every row)."""
    ids = [new_organisation_id(row.values["territory"]) if row.action == "create" else row.target for row in rows]
    written = list(zip(rows, ids, strict=True))
    before = organisation_territories(tx, [organisation_id for row, organisation_id in written
                                           if row.action == "update"])
    write_organisations(tx, [
        {"id": organisation_id, "values": row.values, "territory": row.values["territory"],
         "served": [row.values["territory"]] if row.action == "create" else row.values["served"],
         "create": row.action == "create"}
        for row, organisation_id in written])
    entries = []
    for row, organisation_id in written:
        summary = row.values["name"] if row.action == "create" else organisation_id + " — " + ", ".join(
            sorted(k for k in row.values if k not in ("territory", "served", "latitude", "longitude")))
        entries.append((row, organisation_id, summary, [before.get(organisation_id), row.values["territory"]]))
    _journal(tx, user, "organisation", entries)
    return ids


class ImportRepository(Repository):
    def context(self, kind: str, emails: list[str]) -> dict:
        return self.read(_read_context, kind=kind, emails=emails)

    def run(self, kind: str, emails: list[str], planner, user: str):
        """Plan against the directory as it is and, if no row is rejected, write the plan; returns the plan.
        EmailTaken (nothing written) when another import gave someone one of its new e-mails meanwhile."""

        def work(tx: ManagedTransaction):
            plan = planner(_read_context(tx, kind, emails))
            if plan.rejected or not plan.writes:
                return plan
            if kind == "participants":
                refresh_people(tx, _write_participants(tx, plan.writes, user))
            else:
                refresh_organisations(tx, _write_organisations(tx, plan.writes, user))
            return plan

        with unique_person_email():
            return self.write(work)
