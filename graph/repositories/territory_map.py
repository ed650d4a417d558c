"""What the territory map and its network view read: organisations with their place, services and
listed contacts, the EI sessions, and the referral flows between organisations, as of a date."""

from __future__ import annotations

from datetime import date

from neo4j import ManagedTransaction

from graph.driver import Repository


class TerritoryMapRepository(Repository):
    def organisations(self, territory: str, as_of: date, contacts: bool = True) -> list[dict]:
        """Organisations located in the territory that existed on `as_of` (created, not yet archived), with
        their services of that day and the people who worked there then and consented to be listed (none
        when `contacts` is false: pages that must not name anyone never read them)."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (o:Organisation)-[:LOCATED_IN]->(:Territory {id: $territory})
                WHERE (o.created_on IS NULL OR o.created_on <= $as_of)
                  AND (o.archived_on IS NULL OR o.archived_on > $as_of)
                CALL (o) {
                    OPTIONAL MATCH (o)-[:OFFERS]->(s:Service) WHERE s.archived_on IS NULL OR s.archived_on > $as_of
                    RETURN collect(s.name) AS services
                }
                CALL (o) {
                    OPTIONAL MATCH (p:Person)-[w:WORKS_AT]->(o)
                    WHERE (w.since IS NULL OR w.since <= $as_of) AND (w.until IS NULL OR w.until > $as_of)
                    WITH p ORDER BY p.name
                    RETURN collect(CASE WHEN $contacts AND p.listed THEN {id: p.id, name: p.name, role: p.role} END)
                           AS contacts
                }
                RETURN o.id AS id, o.name AS name, o.sector AS sector, o.kind AS kind, o.address AS address,
                       o.location.latitude AS latitude, o.location.longitude AS longitude,
                       services, contacts
                ORDER BY o.name
                """,
                territory=territory, as_of=as_of, contacts=contacts,
            ).data()

        return self.read(work)

    def people(self, ids: list[str]) -> dict[str, dict]:
        """Name, listing and current territories of the given people, for pages that may show names
        (who may read an unlisted name depends on the territories the person works in today)."""

        def work(tx: ManagedTransaction):
            return {r["id"]: {"name": r["name"], "listed": r["listed"], "territories": set(r["territories"])}
                    for r in tx.run(
                "UNWIND $ids AS id MATCH (p:Person {id: id}) "
                "OPTIONAL MATCH (p)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t:Territory) WHERE w.until IS NULL "
                "RETURN p.id AS id, p.name AS name, coalesce(p.listed, false) AS listed, collect(t.id) AS territories",
                ids=ids,
            )}

        return self.read(work)

    def sessions(self, territory: str) -> list[dict]:
        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (s:Session)-[:HELD_IN]->(:Territory {id: $territory})
                RETURN s.id AS id, s.number AS number, s.theme AS theme, s.theme_en AS theme_en, s.date AS date
                ORDER BY s.number
                """,
                territory=territory,
            ).data()

        return self.read(work)

    def session(self, session_id: str) -> dict | None:
        """One EI session, with the territory it was held in."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (s:Session {id: $id})-[:HELD_IN]->(t:Territory)
                RETURN s.id AS id, s.number AS number, s.date AS date, t.id AS territory, t.name AS territory_name,
                       COLLECT { MATCH (p:Intervenant)-[:ATTENDED]->(s) RETURN p.id } AS attendees
                """,
                id=session_id,
            ).single()
            return dict(record) if record else None

        return self.read(work)

    def unlisted_people(self) -> dict[str, set[str]]:
        """Every unlisted person with the territories they work in today: who may read each is the policy's."""

        def work(tx: ManagedTransaction):
            return {r["id"]: set(r["territories"]) for r in tx.run(
                "MATCH (p:Person) WHERE NOT coalesce(p.listed, false) "
                "OPTIONAL MATCH (p)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t:Territory) WHERE w.until IS NULL "
                "RETURN p.id AS id, collect(t.id) AS territories")}

        return self.read(work)

    def referral_flows(self, as_of: date, research_sample: bool = False, hidden: frozenset = frozenset()) -> list[dict]:
        """Referrals made on or before `as_of`, aggregated to (sending organisation, receiving organisation):
        each end counts at the organisation where the person worked on the day the referral was made.
        Every status counts (a declined referral still shows where a worker turned to); referrals inside
        one organisation are left out. With `research_sample`, only referrals between two people who
        consented to research; never those of a `hidden` person."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (a:Person)<-[:FROM]-(r:Referral)-[:TO]->(b:Person)
                WITH a, b, r, date(r.created_at) AS day
                WHERE day <= $as_of
                  AND (NOT $research_sample OR (coalesce(a.research_consent, false)
                                                AND coalesce(b.research_consent, false)))
                  AND NOT a.id IN $hidden AND NOT b.id IN $hidden
                MATCH (a)-[wa:WORKS_AT]->(oa:Organisation), (b)-[wb:WORKS_AT]->(ob:Organisation)
                WHERE oa <> ob
                  AND (wa.since IS NULL OR wa.since <= day) AND (wa.until IS NULL OR wa.until > day)
                  AND (wb.since IS NULL OR wb.since <= day) AND (wb.until IS NULL OR wb.until > day)
                MATCH (oa)-[:LOCATED_IN]->(ta:Territory), (ob)-[:LOCATED_IN]->(tb:Territory)
                RETURN oa.id AS source, ob.id AS target, count(DISTINCT r) AS referrals,
                       oa.name AS source_name, ob.name AS target_name,
                       ta.id AS source_territory, tb.id AS target_territory,
                       oa.location.latitude AS source_latitude, oa.location.longitude AS source_longitude,
                       ob.location.latitude AS target_latitude, ob.location.longitude AS target_longitude
                ORDER BY source, target
                """,
                as_of=as_of, research_sample=research_sample, hidden=sorted(hidden),
            ).data()

        return self.read(work)
