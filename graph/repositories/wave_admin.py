"""Running a survey wave (the Wave aggregate's administration; its creation and answers: waves.py):
the roster until the wave opens, its title and closing day, who was invited or reminded, and its answers
for the export.

    (:Wave)-[:INCLUDES {invited_at, reminded_at}]->(:Person)

Each rule about dates is checked again inside the write's transaction, against the wave as stored, so
two people managing the same wave cannot slip a change past a check made on a stale read.
"""

from __future__ import annotations

from datetime import date, datetime

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.repositories.changes import current_territories_of
from graph.repositories.waves import WaveError

# The address a member is written to: their active account's (they log in with it to answer).
ACCOUNT_EMAIL = ("COLLECT { MATCH (u:User)-[:IS]->(p) WHERE coalesce(u.active, true) "
                 "RETURN u.email ORDER BY u.email }[0]")
CANDIDATE = """
    coalesce(p.research_consent, false)
    AND EXISTS { (p)-[job:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t:Territory)
                 WHERE t.id IN w.territories AND job.until IS NULL }
"""


def _wave(tx: ManagedTransaction, wave_id: str) -> dict:
    record = tx.run("MATCH (w:Wave {id: $id}) RETURN w.opens AS opens, w.closes AS closes", id=wave_id).single()
    if record is None:
        raise WaveError("unknown")
    return {"opens": record["opens"].to_native(), "closes": record["closes"].to_native()}


class WaveAdministration(Repository):
    def members(self, wave_id: str) -> list[dict]:
        """The roster with what its administration needs: whether each can be written to, when they were
        invited and reminded, how many of the others they answered about (and how many of those answers
        still lack the level), plus what the policy and the pseudonyms need."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (w:Wave {id: $wave})-[inc:INCLUDES]->(p:Person)
                RETURN p.id AS id, p.name AS name, coalesce(p.listed, false) AS listed,
                       """ + current_territories_of("p") + """ AS territories,
                       """ + ACCOUNT_EMAIL + """ IS NOT NULL AS reachable,
                       inc.invited_at AS invited_at, inc.reminded_at AS reminded_at,
                       COUNT { (p)-[:RATED {wave: $wave}]->(o:Person)<-[:INCLUDES]-(w) } AS answered,
                       COUNT { (p)-[r:RATED {wave: $wave}]->(o:Person)<-[:INCLUDES]-(w)
                               WHERE r.knows AND r.level IS NULL } AS to_complete
                ORDER BY p.id
                """,
                wave=wave_id,
            ).data()

        return self.read(work)

    def candidates(self, wave_id: str) -> list[dict]:
        """Who may join the roster: research-consenting intervenant.es working today in the wave's territories."""

        def work(tx: ManagedTransaction):
            return tx.run(
                f"""
                MATCH (w:Wave {{id: $wave}}), (p:Person:Intervenant)
                WHERE NOT (w)-[:INCLUDES]->(p) AND {CANDIDATE}
                RETURN p.id AS id, p.name AS name, coalesce(p.listed, false) AS listed,
                       {current_territories_of("p")} AS territories
                ORDER BY p.id
                """,
                wave=wave_id,
            ).data()

        return self.read(work)

    def add_member(self, wave_id: str, person_id: str, today: date) -> None:
        """WaveError: `opened` once the wave is open, `invalid` for someone who may not join it."""

        def work(tx: ManagedTransaction):
            if today >= _wave(tx, wave_id)["opens"]:
                raise WaveError("opened")
            added = tx.run(
                f"""
                MATCH (w:Wave {{id: $wave}}), (p:Person:Intervenant {{id: $person}})
                WHERE NOT (w)-[:INCLUDES]->(p) AND {CANDIDATE}
                CREATE (w)-[:INCLUDES]->(p)
                RETURN p.id AS id
                """,
                wave=wave_id, person=person_id,
            ).single()
            if added is None:
                raise WaveError("invalid", "person")

        self.write(work)

    def remove_member(self, wave_id: str, person_id: str, today: date) -> None:
        """WaveError: `opened` once the wave is open, `invalid` off the roster or when two members would not remain."""

        def work(tx: ManagedTransaction):
            if today >= _wave(tx, wave_id)["opens"]:
                raise WaveError("opened")
            record = tx.run(
                """
                MATCH (w:Wave {id: $wave})
                RETURN COUNT { (w)-[:INCLUDES]->() } AS roster,
                       EXISTS { (w)-[:INCLUDES]->(:Person {id: $person}) } AS member
                """,
                wave=wave_id, person=person_id,
            ).single()
            if not record["member"] or record["roster"] <= 2:
                raise WaveError("invalid", "person" if not record["member"] else "roster")
            tx.run("MATCH (:Wave {id: $wave})-[inc:INCLUDES]->(:Person {id: $person}) DELETE inc",
                   wave=wave_id, person=person_id).consume()

        self.write(work)

    def change(self, wave_id: str, title: str, closes: date | None, today: date) -> None:
        """A new title, and a new closing day (None: unchanged). A closed wave keeps its dates (`closed`): its
        figures stay those people read; the closing day is never before the opening, nor — once the wave is
        open — before yesterday (`invalid`): answers already given keep falling within the wave."""

        def work(tx: ManagedTransaction):
            wave = _wave(tx, wave_id)
            if closes is not None and closes != wave["closes"]:
                if today > wave["closes"]:
                    raise WaveError("closed")
                earliest = max(wave["opens"], date.fromordinal(today.toordinal() - 1))
                if closes < (wave["opens"] if today < wave["opens"] else earliest):
                    raise WaveError("invalid", "closes")
            tx.run("MATCH (w:Wave {id: $wave}) SET w.title = $title, w.closes = $closes",
                   wave=wave_id, title=title, closes=closes or wave["closes"]).consume()

        self.write(work)

    def mark(self, wave_id: str, field: str, person_ids: list[str] | None, now: datetime,
             since: datetime) -> list[str]:
        """Stamp `invited_at` or `reminded_at` on the members it is due for and return their ids: those with an
        account, not yet invited (an invitation goes once), or not reminded `since` the start of the day and
        among `person_ids` (the incomplete ones). Claimed in one write, so a second click finds no one left."""
        if field not in ("invited_at", "reminded_at"):
            raise ValueError(field)

        def work(tx: ManagedTransaction):
            _wave(tx, wave_id)
            return [r["id"] for r in tx.run(
                f"""
                MATCH (w:Wave {{id: $wave}})-[inc:INCLUDES]->(p:Person)
                WHERE ($ids IS NULL OR p.id IN $ids) AND {ACCOUNT_EMAIL} IS NOT NULL
                  AND CASE $field WHEN 'invited_at' THEN inc.invited_at IS NULL
                      ELSE inc.reminded_at IS NULL OR inc.reminded_at < $since END
                SET inc.invited_at = CASE $field WHEN 'invited_at' THEN $now ELSE inc.invited_at END,
                    inc.reminded_at = CASE $field WHEN 'reminded_at' THEN $now ELSE inc.reminded_at END
                RETURN p.id AS id ORDER BY id
                """,
                wave=wave_id, ids=person_ids, field=field, now=now, since=since,
            )]

        return self.write(work)

    def recipients(self, person_ids: list[str]) -> list[dict]:
        """Name, address and language of each member to write to."""

        def work(tx: ManagedTransaction):
            return tx.run(
                f"""
                UNWIND $ids AS id
                MATCH (p:Person {{id: id}})
                RETURN p.id AS id, p.name AS name, {ACCOUNT_EMAIL} AS email, coalesce(p.locale, 'fr') AS locale
                """,
                ids=person_ids,
            ).data()

        return self.read(work)

    def answers(self, wave_id: str) -> list[dict]:
        """Every answer between two members who consent to research today, with its day, for the export."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (w:Wave {id: $wave})-[:INCLUDES]->(a:Person)-[r:RATED {wave: $wave}]->(b:Person)<-[:INCLUDES]-(w)
                WHERE coalesce(a.research_consent, false) AND coalesce(b.research_consent, false)
                RETURN a.id AS a, b.id AS b, r.knows AS knows, r.level AS level, r.trust AS trust,
                       r.value AS value, r.knew_before AS knew_before, r.at AS at
                ORDER BY a, b
                """,
                wave=wave_id,
            ).data()

        return self.read(work)
