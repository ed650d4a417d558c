"""The people of the directory as coordinators keep it: who they are and where they work.

Employment is history: leaving sets `until` on the WORKS_AT relationship (it is never deleted), so
the person keeps their past and stops counting as a current member of the organisation; working
there again later adds a new WORKS_AT. Writes are audited.
"""

from __future__ import annotations

import uuid
from datetime import date

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.repositories.changes import described, field_changes, person_territories_now, record_change
from graph.schema import EmailTaken, unique_person_email
from graph.search_index import refresh_people

FIELDS = ("name", "role", "title", "email", "phone", "languages", "listed", "research_consent")
SELF = "self"  # who recorded a consent given or withdrawn on one's own profile


def new_person_id() -> str:
    return f"p-{uuid.uuid4().hex[:10]}"


# The shape every read of a person returns: their details and their jobs, current ones first.
_PERSON = """
    OPTIONAL MATCH (p)-[w:WORKS_AT]->(o:Organisation)
    OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
    WITH p, w, o, t ORDER BY w.until IS NOT NULL, w.since DESC
    WITH p, collect(CASE WHEN o IS NULL THEN NULL ELSE
             {organisation: o.id, organisation_name: o.name, territory: t.id, since: w.since, until: w.until}
         END) AS jobs
    RETURN p {.id, .name, .role, .title, .email, .phone, .languages, .listed, .research_consent, .listed_recorded_at,
              .listed_recorded_by, .research_consent_recorded_at, .research_consent_recorded_by, .archived_on,
              .archived_by, .archived_territories, jobs: jobs, account: EXISTS { (:User)-[:IS]->(p) },
              kind: CASE WHEN p:Intervenant THEN 'intervenant' WHEN p:ParentPartner THEN 'parent'
                    ELSE 'other' END} AS person
"""


def _read_person(tx: ManagedTransaction, person_id: str) -> dict | None:
    record = tx.run("MATCH (p:Person {id: $id})" + _PERSON, id=person_id).single()
    return dict(record["person"]) if record else None


def current_territories(person: dict) -> set[str]:
    """The territories a person belongs to: those of their current jobs; with none, those they worked in when
    archived (graph/repositories/archive.py), or else those of their last jobs (the latest end date): the
    coordinators there keep the record. The same rule as changes.current_territories_of, in Cypher."""
    jobs = person["jobs"]
    if any(job["until"] is None for job in jobs):
        return {job["territory"] for job in jobs if job["until"] is None and job["territory"]}
    if person.get("archived_territories"):
        return set(person["archived_territories"])
    last = max((job["until"] for job in jobs if job["territory"]), default=None)
    return {job["territory"] for job in jobs if job["territory"] and job["until"] == last}


def stored_properties(values: dict, fields=FIELDS) -> dict:
    """The given fields of `values` to set on a person, the e-mail lower-case as every writer stores it
    (graph/schema.py)."""
    props = {k: values.get(k) for k in fields if k in values}
    if props.get("email"):
        props["email"] = props["email"].strip().lower()
    return props


def person_properties(tx: ManagedTransaction, person_id: str, values: dict, fields=FIELDS) -> dict:
    """`stored_properties`, or EmailTaken when another person has that e-mail: the person_email constraint
    refuses it too, at commit; asking first spares the rest of the write."""
    props = stored_properties(values, fields)
    if props.get("email") and tx.run("MATCH (p:Person {email: $email}) WHERE p.id <> $id RETURN count(p) AS n",
                                     email=props["email"], id=person_id).single()["n"]:
        raise EmailTaken(props["email"])
    return props


# Each consent (to be listed, to research) says who recorded its current value and when: `$by` (a user, or
# « self » from one's own profile) stamps those `row.props` set for the first time (a new person's refusal too)
# or changed, after `p` was matched and before it is set.
CONSENT_STAMPS = """
WITH p, row, [c IN ['listed', 'research_consent'] WHERE c IN keys(row.props)
              AND (p[c] IS NULL OR p[c] <> coalesce(row.props[c], false))] AS changed
SET p += row.props,
    p.listed_recorded_at = CASE WHEN 'listed' IN changed THEN datetime() ELSE p.listed_recorded_at END,
    p.listed_recorded_by = CASE WHEN 'listed' IN changed THEN $by ELSE p.listed_recorded_by END,
    p.research_consent_recorded_at = CASE WHEN 'research_consent' IN changed THEN datetime()
                                     ELSE p.research_consent_recorded_at END,
    p.research_consent_recorded_by = CASE WHEN 'research_consent' IN changed THEN $by
                                     ELSE p.research_consent_recorded_by END
"""
# People written in batches: each row {id, props}, props as person_properties or stored_properties make them.
CREATE_PEOPLE = """
UNWIND $rows AS row
CREATE (p:Person {id: row.id})
""" + CONSENT_STAMPS + """
FOREACH (_ IN CASE WHEN $kind = 'intervenant' THEN [1] ELSE [] END | SET p:Intervenant)
FOREACH (_ IN CASE WHEN $kind = 'parent' THEN [1] ELSE [] END | SET p:ParentPartner)
"""
UPDATE_PEOPLE = """
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
""" + CONSENT_STAMPS
# For each job {person, organisation, since}: a new current WORKS_AT unless one exists already; whether it
# was made, and the organisation's territory. `found` is false when the person or the organisation is missing.
START_JOBS = """
UNWIND $jobs AS job
OPTIONAL MATCH (p:Person {id: job.person})
OPTIONAL MATCH (o:Organisation {id: job.organisation})
OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
WITH job, p, o, t, p IS NOT NULL AND o IS NOT NULL AS found
WITH job, p, o, t, found, found AND NOT EXISTS { (p)-[w:WORKS_AT]->(o) WHERE w.until IS NULL } AS made
FOREACH (_ IN CASE WHEN made THEN [1] ELSE [] END | CREATE (p)-[:WORKS_AT {since: job.since, until: null}]->(o))
RETURN job.organisation AS organisation, found, made, t.id AS territory
"""


def create_people(tx: ManagedTransaction, people: list[dict], kind: str, by: str) -> None:
    """New people of one kind ('intervenant', 'parent' or other), one statement for all (see CREATE_PEOPLE);
    `by`: who records them (their consents' stamp)."""
    if people:  # a statement not run is not planned either (a first run costs a few tenths of a second)
        tx.run(CREATE_PEOPLE, rows=people, kind=kind, by=by).consume()


def update_people(tx: ManagedTransaction, people: list[dict], by: str) -> None:
    """Set the given properties on existing people, one statement for all (see CREATE_PEOPLE)."""
    if people:
        tx.run(UPDATE_PEOPLE, rows=people, by=by).consume()


def start_jobs(tx: ManagedTransaction, jobs: list[dict]) -> list[dict]:
    """Start every job {person, organisation, since}; per job, in order, whether it was made and the
    organisation's territory (None when it has none). LookupError (the first missing organisation, or the
    organisation of a missing person) when one cannot be started."""
    results = tx.run(START_JOBS, jobs=jobs).data() if jobs else []
    missing = [r["organisation"] for r in results if not r["found"]]
    if missing:
        raise LookupError(missing[0])
    return results


def create_person(tx: ManagedTransaction, person_id: str, values: dict, kind: str, by: str) -> None:
    create_people(tx, [{"id": person_id, "props": person_properties(tx, person_id, values)}], kind, by)


def start_job(tx: ManagedTransaction, person_id: str, organisation_id: str, since: date) -> tuple[bool, str | None]:
    """A new current WORKS_AT unless one exists already; returns whether it was made, and the
    organisation's territory (None when it has none)."""
    job = start_jobs(tx, [{"person": person_id, "organisation": organisation_id, "since": since}])[0]
    return job["made"], job["territory"]


def update_person(tx: ManagedTransaction, person_id: str, values: dict, by: str) -> None:
    update_people(tx, [{"id": person_id, "props": person_properties(tx, person_id, values)}], by)


class StaffRepository(Repository):
    def list(self, territory: str | None = None) -> list[dict]:
        """People who work or worked in the territory (everyone when None), with their jobs, by name."""

        def work(tx: ManagedTransaction):
            result = tx.run(
                """
                MATCH (p:Person)
                WHERE $territory IS NULL
                   OR EXISTS { (p)-[:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(:Territory {id: $territory}) }
                WITH p ORDER BY p.name
                """ + _PERSON,
                territory=territory,
            )
            return [dict(r["person"]) for r in result]

        return self.read(work)

    def get(self, person_id: str) -> dict | None:
        return self.read(_read_person, person_id=person_id)

    def create(self, values: dict, kind: str, organisation_id: str, since: date, user: str) -> str:
        """The new person's id; EmailTaken (nothing written) when someone already has the e-mail."""
        person_id = new_person_id()

        def work(tx: ManagedTransaction):
            create_person(tx, person_id, values, kind, user)
            _, territory = start_job(tx, person_id, organisation_id, since)
            refresh_people(tx, [person_id])
            record_change(tx, user, "create", "person", person_id,
                          f"{values['name']} ({organisation_id}, {since.isoformat()})", [territory])

        with unique_person_email():
            self.write(work)
        return person_id

    def update(self, person_id: str, values: dict, user: str) -> list[str]:
        """What changed; EmailTaken (nothing written) when someone else already has the e-mail."""

        def work(tx: ManagedTransaction):
            before = _read_person(tx, person_id)
            if before is None:
                raise LookupError(person_id)
            fields = field_changes(before, {k: values.get(k) for k in FIELDS if k in values})
            changes = described(fields)
            if changes:
                update_person(tx, person_id, values, user)
                refresh_people(tx, [person_id])
                record_change(tx, user, "update", "person", person_id,
                              f"{values.get('name') or before['name']} — " + "; ".join(changes),
                              current_territories(before), fields)
            return changes

        with unique_person_email():
            return self.write(work)

    def add_job(self, person_id: str, organisation_id: str, since: date, user: str) -> bool:
        """False when the person already works there (nothing changes)."""

        def work(tx: ManagedTransaction):
            before = person_territories_now(tx, [person_id]).get(person_id, set())
            made, territory = start_job(tx, person_id, organisation_id, since)
            if not made:
                return False
            refresh_people(tx, [person_id])
            record_change(tx, user, "start_job", "person", person_id,
                          f"WORKS_AT {organisation_id} since {since.isoformat()}", before | {territory})
            return True

        return self.write(work)

    def end_job(self, person_id: str, organisation_id: str, until: date, user: str) -> bool:
        """Set `until` on the current job there; False when there is none or `until` precedes `since`."""

        def work(tx: ManagedTransaction):
            before = person_territories_now(tx, [person_id]).get(person_id, set())
            record = tx.run(
                """
                MATCH (p:Person {id: $person})-[w:WORKS_AT]->(o:Organisation {id: $organisation})
                WHERE w.until IS NULL AND (w.since IS NULL OR w.since <= $until)
                OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
                SET w.until = $until
                RETURN t.id AS territory
                """,
                person=person_id, organisation=organisation_id, until=until,
            ).single()
            if record is None:
                return False
            refresh_people(tx, [person_id])
            record_change(tx, user, "end_job", "person", person_id,
                          f"WORKS_AT {organisation_id} until {until.isoformat()}", before | {record["territory"]})
            return True

        return self.write(work)
