"""Network survey waves (as in the PARTNER tool): a bounded roster, each member rating each other.

    (:Wave {id, title, scope, territories, opens, closes, roster_rule, created_at, created_by})
    (:Wave)-[:INCLUDES]->(:Person)                      the roster
    (:Person)-[:RATED {wave, knows, level, trust, value, knew_before, at}]->(:Person)

An answer is its own relationship, stamped with its wave: it never touches a KNOWS tie (nor its
`since`), so the declared network and each wave's measured network stay separate; a closed wave
in which a pair says they no longer know each other ends their KNOWS tie from the closing day on
(see analysis.timeline).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from neo4j import ManagedTransaction

from analysis.survey_wave import LEVELS, ROSTER_RULES, SCALE
from graph.driver import Repository
from graph.repositories.changes import current_territories_of

ANSWER_FIELDS = ("knows", "level", "trust", "value", "knew_before")


class WaveError(Exception):
    """Why an answer was refused: `not_member`, `closed`, `not_open_yet`, `unknown`, `invalid`."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


def check_answer(answer: dict) -> None:
    """The invariants the forms also check, enforced again where the data is written."""
    if not isinstance(answer.get("knows"), bool):
        raise WaveError("invalid", "knows must be true or false")
    if answer.get("knew_before") not in (True, False, None):
        raise WaveError("invalid", "knew_before must be true, false or empty")
    if answer["knows"]:
        if answer.get("level") is not None and answer["level"] not in LEVELS:  # None: to complete later
            raise WaveError("invalid", "level")
        for field in ("trust", "value"):
            if answer.get(field) is not None and answer[field] not in SCALE:
                raise WaveError("invalid", field)
    elif any(answer.get(field) is not None for field in ("level", "trust", "value")):
        raise WaveError("invalid", "level, trust and value apply to people one knows")


WAVE_FIELDS = """
    w {.id, .title, .scope, .territories, .opens, .closes, .roster_rule, .created_at,
       roster: COUNT { (w)-[:INCLUDES]->() }}
"""


class WaveRepository(Repository):
    def create(self, *, title: str, scope: str, territories: list[str], opens: date, closes: date,
               roster_rule: str, created_by: str | None) -> dict:
        """Open a wave with its roster: the research-consenting intervenant.es of the territories who
        attended one of their sessions (`attended`), or who work there on the opening day (`working`).
        Raises WaveError('invalid') without writing anything when the roster would be empty."""
        if roster_rule not in ROSTER_RULES:
            raise WaveError("invalid", "roster_rule")
        if closes < opens:
            raise WaveError("invalid", "closes")
        wave_id = f"w-{uuid.uuid4().hex[:12]}"

        def work(tx: ManagedTransaction):
            if tx.run("MATCH (w:Wave {scope: $scope, title: $title, opens: $opens, closes: $closes}) RETURN w.id",
                      scope=scope, title=title, opens=opens, closes=closes).single():
                raise WaveError("duplicate")  # a double submit, or the same wave opened twice
            members = [r["id"] for r in tx.run(
                """
                MATCH (t:Territory) WHERE t.id IN $territories
                MATCH (t)<-[:LOCATED_IN]-(:Organisation)<-[w:WORKS_AT]-(p:Person:Intervenant)
                WHERE coalesce(p.research_consent, false)
                  AND (w.since IS NULL OR w.since <= $opens) AND (w.until IS NULL OR w.until > $opens)
                  AND ($rule = 'working' OR EXISTS { (p)-[:ATTENDED]->(:Session)-[:HELD_IN]->(t) })
                RETURN DISTINCT p.id AS id ORDER BY id
                """,
                territories=territories, opens=opens, rule=roster_rule,
            )]
            if len(members) < 2:
                raise WaveError("invalid", "roster")
            tx.run(
                """
                CREATE (w:Wave {id: $id, title: $title, scope: $scope, territories: $territories, opens: $opens,
                                closes: $closes, roster_rule: $rule, created_at: datetime(), created_by: $by})
                WITH w
                UNWIND $members AS member
                MATCH (p:Person {id: member})
                CREATE (w)-[:INCLUDES]->(p)
                """,
                id=wave_id, title=title, scope=scope, territories=territories, opens=opens, closes=closes,
                rule=roster_rule, by=created_by, members=members,
            ).consume()

        self.write(work)
        return self.get(wave_id)

    def get(self, wave_id: str) -> dict | None:
        def work(tx: ManagedTransaction):
            record = tx.run(f"MATCH (w:Wave {{id: $id}}) RETURN {WAVE_FIELDS} AS wave", id=wave_id).single()
            return dict(record["wave"]) if record else None

        return self.read(work)

    def list(self) -> list[dict]:
        def work(tx: ManagedTransaction):
            return [dict(r["wave"]) | {"respondents": r["respondents"]} for r in tx.run(
                f"""
                MATCH (w:Wave)
                RETURN {WAVE_FIELDS} AS wave,
                       COUNT {{ (w)-[:INCLUDES]->(p) WHERE EXISTS {{ (p)-[:RATED {{wave: w.id}}]->() }} }}
                           AS respondents
                ORDER BY w.opens DESC, w.created_at DESC
                """
            )]

        return self.read(work)

    def open_for(self, person_id: str, today: date) -> list[dict]:
        """The waves this person is on the roster of and may answer today, with their progress."""

        def work(tx: ManagedTransaction):
            return [dict(r["wave"]) | {"answered": r["answered"]} for r in tx.run(
                f"""
                MATCH (w:Wave)-[:INCLUDES]->(p:Person {{id: $person}})
                WHERE w.opens <= $today <= w.closes
                RETURN {WAVE_FIELDS} AS wave, COUNT {{ (p)-[:RATED {{wave: w.id}}]->() }} AS answered
                ORDER BY w.closes
                """,
                person=person_id, today=today,
            )]

        return self.read(work)

    def questionnaire(self, wave_id: str, person_id: str) -> list[dict] | None:
        """For a member: the others on the roster (name and organisation, as a member of the group
        knows them; whether they are listed and where they work, for the policy) with the answers already
        saved; None when the person is not on the roster."""

        def work(tx: ManagedTransaction):
            if not tx.run("MATCH (:Wave {id: $wave})-[:INCLUDES]->(:Person {id: $person}) RETURN 1",
                          wave=wave_id, person=person_id).single():
                return None
            return tx.run(
                """
                MATCH (w:Wave {id: $wave})-[:INCLUDES]->(other:Person) WHERE other.id <> $person
                OPTIONAL MATCH (other)-[job:WORKS_AT]->(o:Organisation) WHERE job.until IS NULL
                WITH w, other, collect(o.name)[0] AS organisation
                OPTIONAL MATCH (:Person {id: $person})-[r:RATED {wave: $wave}]->(other)
                RETURN other.id AS id, other.name AS name, organisation, coalesce(other.listed, false) AS listed,
                       """ + current_territories_of("other") + """ AS territories,
                       r {.knows, .level, .trust, .value, .knew_before} AS answer
                ORDER BY organisation, name
                """,
                wave=wave_id, person=person_id,
            ).data()

        return self.read(work)

    def save_answers(self, wave_id: str, person_id: str, answers: dict[str, dict | None], today: date,
                     now: datetime) -> int:
        """Save one member's answers in one transaction: a dict answer per roster person rated, None
        to clear a previous answer. Raises WaveError and writes nothing when the wave is unknown, not
        open today, the person is not on its roster, or an answer names someone off the roster."""
        for answer in answers.values():
            if answer is not None:
                check_answer(answer)

        def work(tx: ManagedTransaction):
            wave = tx.run(
                """
                MATCH (w:Wave {id: $wave})
                OPTIONAL MATCH (w)-[:INCLUDES]->(member:Person)
                RETURN w.opens AS opens, w.closes AS closes, collect(member.id) AS roster
                """,
                wave=wave_id,
            ).single()
            if wave is None:
                raise WaveError("unknown")
            roster = set(wave["roster"])
            if person_id not in roster:
                raise WaveError("not_member")
            if today > wave["closes"].to_native():
                raise WaveError("closed")
            if today < wave["opens"].to_native():
                raise WaveError("not_open_yet")
            if not set(answers) <= roster - {person_id}:
                raise WaveError("invalid", "someone off the roster")
            rows = [{"other": other, **{f: a.get(f) for f in ANSWER_FIELDS}}
                    for other, a in answers.items() if a is not None]
            cleared = [other for other, a in answers.items() if a is None]
            tx.run(
                """
                MATCH (:Person {id: $person})-[r:RATED {wave: $wave}]->(other:Person) WHERE other.id IN $cleared
                DELETE r
                """,
                person=person_id, wave=wave_id, cleared=cleared,
            ).consume()
            tx.run(
                """
                MATCH (me:Person {id: $person})
                UNWIND $rows AS row
                MATCH (other:Person {id: row.other})
                MERGE (me)-[r:RATED {wave: $wave}]->(other)
                SET r.knows = row.knows, r.level = row.level, r.trust = row.trust, r.value = row.value,
                    r.knew_before = row.knew_before, r.at = $now
                """,
                person=person_id, wave=wave_id, rows=rows, now=now,
            ).consume()
            return len(rows)

        return self.write(work)

    def responses(self, wave_id: str) -> dict | None:
        """For the figures: the roster (ids, organisation, sector, territory and consent on the
        opening day) and every answer of the wave."""

        def work(tx: ManagedTransaction):
            wave = tx.run("MATCH (w:Wave {id: $id}) RETURN w.opens AS opens", id=wave_id).single()
            if wave is None:
                return None
            roster = tx.run(
                """
                MATCH (w:Wave {id: $wave})-[:INCLUDES]->(p:Person)
                OPTIONAL MATCH (p)-[job:WORKS_AT]->(o:Organisation)-[:LOCATED_IN]->(t:Territory)
                WHERE (job.since IS NULL OR job.since <= w.opens) AND (job.until IS NULL OR job.until > w.opens)
                WITH p, o, t ORDER BY job.since DESC
                WITH p, collect([o.id, o.sector, t.id])[0] AS job
                RETURN p.id AS id, job[0] AS organisation, job[1] AS sector, job[2] AS territory,
                       coalesce(p.research_consent, false) AS research_consent
                """,
                wave=wave_id,
            ).data()
            answers = tx.run(
                """
                MATCH (a:Person)-[r:RATED {wave: $wave}]->(b:Person)
                RETURN a.id AS a, b.id AS b, r.knows AS knows, r.level AS level, r.trust AS trust,
                       r.value AS value, r.knew_before AS knew_before
                """,
                wave=wave_id,
            ).data()
            return {"roster": roster, "answers": answers}

        return self.read(work)
