"""People: intervenant.es and partner parents, their profile, expertise and consent."""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.repositories.changes import described, field_changes, person_territories_now, record_change
from graph.repositories.staff import CONSENT_STAMPS, SELF, person_properties
from graph.schema import unique_person_email
from graph.search_index import refresh_people

PROFILE_FIELDS = ("name", "role", "title", "email", "phone", "languages", "listed", "research_consent",
                  "accepting_until")


class PersonRepository(Repository):
    def get(self, person_id: str) -> dict | None:
        """Everything held about one person, as they would see it."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (p:Person {id: $id})
                OPTIONAL MATCH (p)-[w:WORKS_AT]->(o:Organisation)
                OPTIONAL MATCH (o)-[:LOCATED_IN]->(t:Territory)
                WITH p, collect(CASE WHEN o IS NULL THEN NULL ELSE
                        {id: o.id, name: o.name, territory: t.id, territory_name: t.name,
                         since: w.since, until: w.until} END) AS jobs
                OPTIONAL MATCH (p)-[:HAS_EXPERTISE]->(n:Need)
                WITH p, jobs, collect(n.id) AS expertise
                OPTIONAL MATCH (p)-[:ATTENDED]->(s:Session)
                WITH p, jobs, expertise, collect(s.id) AS sessions
                RETURN p {.*, kind: CASE WHEN p:Intervenant THEN 'intervenant'
                                         WHEN p:ParentPartner THEN 'parent' ELSE 'other' END} AS person,
                       jobs, expertise, sessions,
                       COUNT { (p)-[:KNOWS]-() } AS ties
                """,
                id=person_id,
            ).single()
            if not record:
                return None
            person = dict(record["person"])
            person.update(jobs=record["jobs"], expertise=record["expertise"],
                          sessions=record["sessions"], ties=record["ties"])
            return person

        return self.read(work)

    def update_profile(self, person_id: str, fields: dict, expertise: list[str] | None = None) -> bool:
        """Correct one's own profile; expertise, when given, replaces the current list. EmailTaken (nothing
        written) when someone else already has the e-mail."""

        def work(tx: ManagedTransaction):
            values = person_properties(tx, person_id, fields, PROFILE_FIELDS)
            before = tx.run("MATCH (p:Person {id: $id}) RETURN p {.*} AS p", id=person_id).single()
            found = tx.run("MATCH (p:Person {id: $id}) WITH p, {props: $values} AS row" + CONSENT_STAMPS +
                           "RETURN p.id AS id", id=person_id, values=values, by=SELF).single()
            if not found:
                return False
            # journaled as the coordinators' edits are: by the person (their e-mail), filed under their territories
            changed = field_changes(dict(before["p"]), values)
            if changed:
                record_change(tx, values.get("email") or before["p"].get("email") or SELF, "update", "person",
                              person_id, f"{before['p'].get('name')} — " + "; ".join(described(changed)),
                              person_territories_now(tx, [person_id]).get(person_id, set()), changed)
            if expertise is not None:
                tx.run(
                    """
                    MATCH (p:Person {id: $id})
                    OPTIONAL MATCH (p)-[old:HAS_EXPERTISE]->() DELETE old
                    WITH DISTINCT p
                    UNWIND $needs AS need_id
                    MATCH (n:Need {id: need_id})
                    MERGE (p)-[:HAS_EXPERTISE]->(n)
                    """,
                    id=person_id, needs=expertise,
                ).consume()
            refresh_people(tx, [person_id])
            return True

        with unique_person_email():
            return self.write(work)

    def erase(self, person_id: str) -> bool:
        """Right to erasure: the person's details and account go; an anonymous node keeps the ties,
        so that the counts evaluators already published stay the same."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (p:Person {id: $id})
                OPTIONAL MATCH (u:User)-[:IS]->(p)
                OPTIONAL MATCH (u)-[:HAS_TOKEN]->(token:ApiToken)
                DETACH DELETE token, u
                WITH DISTINCT p
                OPTIONAL MATCH (p)-[e:HAS_EXPERTISE|CAN_HELP]->() DELETE e
                WITH DISTINCT p
                OPTIONAL MATCH (r:Referral)-[:FROM|TO]->(p) SET r.note = NULL
                WITH DISTINCT p
                REMOVE p:Person
                SET p:Erased
                SET p = {id: p.id, erased: true, research_consent: false}
                RETURN p.id AS id
                """,
                id=person_id,
            ).single()
            return record is not None

        return self.write(work)
