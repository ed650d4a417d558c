"""Archiving: an organisation, a service or a person leaves the directory from a day on, history kept.

Nothing is deleted. An archived record carries `archived_on` (and `archived_by`); from that day it is out
of search (its CAN_HELP entries go), of the territory map (which reads `archived_on` against its date) and
of the choice lists, while the past — jobs, ties, referrals, sessions — stays replayable for the
evaluation. Archiving ends what cannot outlive the record, marked so that restoring brings back exactly
that and nothing a coordinator ended by hand:

- an organisation: its services (`archived_with_organisation`) and its current jobs
  (`ended_by_archive`, `until` = the day);
- a person: their current jobs, likewise, and their account (`active` false, sessions ended;
  `archived_with_person`; its API tokens are revoked, not suspended: a restored account makes new ones).
  The territories they worked in are kept (`archived_territories`): the policy reads them to know who may
  restore the record.
"""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.repositories.changes import current_territories_of, record_change
from graph.search_index import refresh_organisations, refresh_people


class NotArchivable(Exception):
    """The record is gone, or already in the state asked for: nothing written."""


def _journaled(tx: ManagedTransaction, record, record_id: str, refresh, user: str, action: str, entity: str,
               summary: str, territories) -> dict:
    """The archive's or restore's account (`record`, None: nothing to do), its search entries refreshed and the
    journal told, in the writing transaction."""
    if record is None:
        raise NotArchivable(record_id)
    refresh(tx, [record_id])
    record_change(tx, user, action, entity, record_id, summary.format(**dict(record)), territories)
    return dict(record)


# A current job ends on the day of the archive (a job starting later ends on its first day).
END_JOB = """
SET w.until = CASE WHEN w.since IS NOT NULL AND w.since > $day THEN w.since ELSE $day END,
    w.ended_by_archive = true
"""


def _organisation(tx: ManagedTransaction, organisation_id: str, day: date, user: str) -> dict:
    record = tx.run(
        """
        MATCH (o:Organisation {id: $id}) WHERE o.archived_on IS NULL
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
        SET o.archived_on = $day, o.archived_by = $user
        WITH o, t
        CALL (o) {
            OPTIONAL MATCH (o)-[:OFFERS]->(s:Service) WHERE s.archived_on IS NULL
            SET s.archived_on = $day, s.archived_by = $user, s.archived_with_organisation = true
            RETURN count(s) AS services
        }
        CALL (o) {
            OPTIONAL MATCH (:Person)-[w:WORKS_AT]->(o) WHERE w.until IS NULL
            """ + END_JOB + """
            RETURN count(w) AS jobs
        }
        RETURN o.name AS name, t.id AS territory, services, jobs
        """,
        id=organisation_id, day=day, user=user,
    ).single()
    return _journaled(tx, record, organisation_id, refresh_organisations, user, "archive", "organisation",
                      "{name} — archivée le " + day.isoformat() + " : {services} service(s) archivé(s), {jobs} "
                      "emploi(s) terminé(s)", [record and record["territory"]])


def _restore_organisation(tx: ManagedTransaction, organisation_id: str, user: str) -> dict:
    record = tx.run(
        """
        MATCH (o:Organisation {id: $id}) WHERE o.archived_on IS NOT NULL
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
        WITH o, t, o.archived_on AS day
        REMOVE o.archived_on, o.archived_by
        WITH o, t, day
        CALL (o) {
            OPTIONAL MATCH (o)-[:OFFERS]->(s:Service) WHERE s.archived_with_organisation
            REMOVE s.archived_on, s.archived_by, s.archived_with_organisation
            RETURN count(s) AS services
        }
        CALL (o, day) {
            OPTIONAL MATCH (p:Person)-[w:WORKS_AT]->(o)
            WHERE w.ended_by_archive AND w.until >= day AND p.archived_on IS NULL
            REMOVE w.until, w.ended_by_archive
            RETURN count(w) AS jobs
        }
        RETURN o.name AS name, t.id AS territory, services, jobs
        """,
        id=organisation_id,
    ).single()
    return _journaled(tx, record, organisation_id, refresh_organisations, user, "restore", "organisation",
                      "{name} — restaurée : {services} service(s), {jobs} emploi(s) repris",
                      [record and record["territory"]])


def _service(tx: ManagedTransaction, service_id: str, day: date | None, user: str) -> dict:
    """Archive (`day`) or restore (None) one service."""
    record = tx.run(
        """
        MATCH (o:Organisation)-[:OFFERS]->(s:Service {id: $id})
        WHERE ($day IS NULL) = (s.archived_on IS NOT NULL) AND ($day IS NOT NULL OR o.archived_on IS NULL)
        OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
        SET s.archived_on = $day, s.archived_by = CASE WHEN $day IS NULL THEN NULL ELSE $user END
        REMOVE s.archived_with_organisation
        RETURN s.name AS name, o.id AS organisation, t.id AS territory
        """,
        id=service_id, day=day, user=user,
    ).single()
    if record is None:
        raise NotArchivable(service_id)
    refresh_organisations(tx, [record["organisation"]])
    record_change(tx, user, "archive" if day else "restore", "service", service_id,
                  record["name"] + (f" — archivé le {day.isoformat()}" if day else " — restauré"),
                  [record["territory"]])
    return dict(record)


def _person(tx: ManagedTransaction, person_id: str, day: date, user: str) -> dict:
    record = tx.run(
        """
        MATCH (p:Person {id: $id}) WHERE p.archived_on IS NULL
        WITH p, """ + current_territories_of("p") + """ AS territories
        SET p.archived_on = $day, p.archived_by = $user, p.archived_territories = territories
        WITH p, territories
        CALL (p) {
            OPTIONAL MATCH (p)-[w:WORKS_AT]->(:Organisation) WHERE w.until IS NULL
            """ + END_JOB + """
            RETURN count(w) AS jobs
        }
        CALL (p) {
            OPTIONAL MATCH (u:User)-[:IS]->(p) WHERE coalesce(u.active, true)
            SET u.active = false, u.archived_with_person = true,
                u.session_epoch = coalesce(u.session_epoch, 0) + 1
            WITH u
            CALL (u) { OPTIONAL MATCH (u)-[:HAS_TOKEN]->(t:ApiToken) DETACH DELETE t }
            RETURN count(u) AS accounts
        }
        RETURN p.name AS name, territories, jobs, accounts
        """,
        id=person_id, day=day, user=user,
    ).single()
    return _journaled(tx, record, person_id, refresh_people, user, "archive", "person",
                      "{name} — archivée le " + day.isoformat() + " : {jobs} emploi(s) terminé(s), {accounts} "
                      "compte(s) fermé(s)", record and record["territories"])


def _restore_person(tx: ManagedTransaction, person_id: str, user: str) -> dict:
    record = tx.run(
        """
        MATCH (p:Person {id: $id}) WHERE p.archived_on IS NOT NULL
        WITH p, p.archived_on AS day, coalesce(p.archived_territories, []) AS territories
        REMOVE p.archived_on, p.archived_by, p.archived_territories
        WITH p, day, territories
        CALL (p, day) {
            OPTIONAL MATCH (p)-[w:WORKS_AT]->(o:Organisation)
            WHERE w.ended_by_archive AND w.until >= day AND o.archived_on IS NULL
            REMOVE w.until, w.ended_by_archive
            RETURN count(w) AS jobs
        }
        CALL (p) {
            OPTIONAL MATCH (u:User)-[:IS]->(p) WHERE u.archived_with_person
            SET u.active = true REMOVE u.archived_with_person
            RETURN count(u) AS accounts
        }
        RETURN p.name AS name, territories, jobs, accounts
        """,
        id=person_id,
    ).single()
    return _journaled(tx, record, person_id, refresh_people, user, "restore", "person",
                      "{name} — restaurée : {jobs} emploi(s) repris, {accounts} compte(s) rouvert(s)",
                      record and record["territories"])


class ArchiveRepository(Repository):
    """Each call returns what it did (name, territory or territories, counts of services, jobs, accounts);
    NotArchivable when there was nothing to do."""

    def archive_organisation(self, organisation_id: str, day: date, user: str) -> dict:
        return self.write(_organisation, organisation_id=organisation_id, day=day, user=user)

    def restore_organisation(self, organisation_id: str, user: str) -> dict:
        return self.write(_restore_organisation, organisation_id=organisation_id, user=user)

    def archive_service(self, service_id: str, day: date, user: str) -> dict:
        return self.write(_service, service_id=service_id, day=day, user=user)

    def restore_service(self, service_id: str, user: str) -> dict:
        """Refused while its organisation is archived: restore the organisation."""
        return self.write(_service, service_id=service_id, day=None, user=user)

    def archive_person(self, person_id: str, day: date, user: str) -> dict:
        return self.write(_person, person_id=person_id, day=day, user=user)

    def restore_person(self, person_id: str, user: str) -> dict:
        return self.write(_restore_person, person_id=person_id, user=user)
