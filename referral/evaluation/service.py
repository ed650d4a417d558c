"""The evaluation's rules, shared by its pages, the API and the `export` command: scopes, comparisons,
exports, the report's tables and survey waves — always pseudonymous.

No Flask, no Cypher: repositories come from `repository(cls)` and the whole network's timeline from
`read_timeline(details)`. A service reads the scopes and each timeline once and keeps them, so one
service per request (referral/evaluation/web.py) reads them once per request: every scope is a view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from analysis import before_after, export_formats, survey_wave
from analysis.pseudonyms import Pseudonyms
from analysis.timeline import Timeline
from graph.repositories.evaluation import EvaluationRepository
from graph.repositories.waves import WaveError, WaveRepository
from referral import policy
from referral.evaluation import messages
from referral.service_errors import CONFLICT, FORBIDDEN, INVALID, MISSING, Refused, ServiceError


@dataclass(frozen=True)
class Query:
    start: date | None = None
    end: date | None = None
    origins: tuple[str, ...] | None = None  # None: every origin

    def as_args(self) -> dict:
        """url_for arguments that give this query back (for links to exports and views)."""
        args: dict = {}
        if self.start and self.end:
            args.update(start=self.start.isoformat(), end=self.end.isoformat())
        if self.origins:
            args["origin"] = list(self.origins)
        return args


@dataclass(frozen=True)
class Questionnaire:
    """A wave as one member answers it: the others of its roster the member may see, with their answers."""

    wave: dict
    roster: list[dict]
    today: date

    @property
    def is_open(self) -> bool:
        return self.wave["opens"] <= self.today <= self.wave["closes"]

    @property
    def people(self) -> dict[str, dict]:
        return {person["id"]: person for person in self.roster}


class Evaluation:
    def __init__(self, principal: policy.Principal, repository: Callable, read_timeline: Callable[[bool], Timeline],
                 secret: str, today: date, kept: Callable[[tuple, Callable], Any] = lambda key, compute: compute()):
        self.principal = principal
        # `kept(key, compute)`: a figure computed once per state of the graph (web.py keeps them per process);
        # figures are the same for every reader (pseudonymous, the research sample), so the key is the question.
        self.kept = kept
        self.today = today  # Montréal's day, of the « now » snapshot
        self.repository = repository
        self.read_timeline = read_timeline
        self.pseudonyms = Pseudonyms(secret)
        self._scopes: dict[str, before_after.Scope] | None = None
        self._timelines: dict[bool, Timeline] = {}

    # --- scopes and comparisons ----------------------------------------------------------------------

    def scopes(self) -> dict[str, before_after.Scope]:
        if self._scopes is None:
            self._scopes = before_after.build_scopes(self.repository(EvaluationRepository).territories())
        return self._scopes

    def scope(self, scope_id: str) -> before_after.Scope:
        found = self.scopes().get(scope_id)
        if found is None:
            raise ServiceError(MISSING, "unknown_scope", str(messages.UNKNOWN_SCOPE))
        return found

    def timeline(self, details: bool = False) -> Timeline:
        """The whole network's timeline; ties' level and session (`details`) are read for exports only."""
        if details not in self._timelines:
            self._timelines[details] = self.read_timeline(details)
        return self._timelines[details]

    def points(self, scope: before_after.Scope, query: Query) -> list[tuple[str, dict]]:
        if query.start and query.end:
            return before_after.range_points(scope, query.start, query.end)
        return before_after.cohort_points(scope, self.today)

    def comparison(self, scope: before_after.Scope, query: Query, brokers: bool = True) -> dict:
        return self.kept(("comparison", scope.id, query, brokers, self.today), lambda: before_after.compare(
            self.timeline(), self.points(scope, query), self.pseudonyms, query.origins, brokers, self.today))

    def curve(self, scope: before_after.Scope, query: Query) -> list[dict]:
        return self.kept(("curve", scope.id, query, self.today),
                         lambda: before_after.curve(self.timeline(), scope, query.origins, self.today))

    def stage_differences(self, scope: before_after.Scope, query: Query) -> list[dict]:
        """From `before` to each stage in turn (before, sessions 1–6, after): the difference view's frames."""
        t = self.timeline()
        stage_points = before_after.stage_points(scope)
        base = t.snapshot(stage_points[0][1], query.origins)
        return [{"name": name, **before_after.difference(t, base, t.snapshot(dates, query.origins), self.pseudonyms)}
                for name, dates in stage_points]

    def export(self, scope: before_after.Scope, query: Query, fmt: str,
               language: str = "fr") -> tuple[str | bytes, str, str]:
        """(content, mimetype, file name) of one export format; CSV as a spreadsheet in `language` opens it."""
        if fmt not in export_formats.FORMATS:
            raise ServiceError(MISSING, "unknown_format", str(messages.UNKNOWN_FORMAT))
        t = self.timeline(details=True)
        chosen = self.points(scope, query)
        found = before_after.compare(t, chosen, self.pseudonyms, query.origins)
        network = export_formats.export_graph(
            t, [(name, t.snapshot(dates, query.origins)) for name, dates in chosen], self.pseudonyms,
            {name: max(dates.values()) for name, dates in chosen})
        content = export_formats.render(fmt, found, network, scope.id, language)
        suffix = fmt if "." in fmt else "tables.xlsx" if fmt == "xlsx" else f"network.{fmt}"
        name = f"reseau-ei-{scope.id}-{chosen[0][0]}-{chosen[-1][0]}-{suffix}"
        return content, export_formats.FORMATS[fmt], name

    def tables(self) -> dict:
        """The report's tables 2 and 3, regenerated from the graph."""
        found = self.repository(EvaluationRepository).participation()
        rows = []
        for t in found["territories"]:
            kinds: dict[str, int] = {}
            for kind in t["kinds"]:
                kinds[kind] = kinds.get(kind, 0) + 1
            community = kinds.pop("community", 0)
            rows.append({"id": t["id"], "name": t["name"], "cohort": t["cohort"], "community": community,
                         "institutions": kinds, "organisations": community + sum(kinds.values()),
                         "intervenants": t["intervenants"]})
        order = before_after.SECTOR_ORDER
        return {
            "table_2": rows,
            "table_2_totals": {"organisations": sum(r["organisations"] for r in rows),
                               "intervenants": sum(r["intervenants"] for r in rows)},
            "table_3": [{"sector": s["sector"], "organisations": s["organisations"]}
                        for s in sorted(found["sectors"],
                                        key=lambda s: order.index(s["sector"]) if s["sector"] in order else 99)],
        }

    # --- survey waves --------------------------------------------------------------------------------

    def _may_survey(self, scope: before_after.Scope) -> bool:
        return scope.kind != "all" and policy.may_survey(self.principal, scope.territory_ids)

    def survey_scopes(self) -> list[before_after.Scope]:
        """The groups the principal may open a wave for (never the whole network at once)."""
        return [scope for scope in self.scopes().values() if self._may_survey(scope)]

    def waves(self) -> list[dict]:
        return self.repository(WaveRepository).list()

    def open_wave(self, scope_id: str, title: str, opens: date, closes: date, roster_rule: str,
                  created_by: str | None) -> dict:
        """Raises ServiceError (invalid, about the scope) when fewer than two of the group consented to research."""
        scope = self.scope(scope_id)
        if not self._may_survey(scope):
            raise Refused(scope_id)
        try:
            return self.repository(WaveRepository).create(
                title=title.strip(), scope=scope.id, territories=scope.territory_ids, opens=opens, closes=closes,
                roster_rule=roster_rule, created_by=created_by)
        except WaveError as error:
            if error.code == "duplicate":
                message = str(messages.DUPLICATE_WAVE)
                raise ServiceError(INVALID, "duplicate_wave", message, {"title": message}) from error
            message = str(messages.SMALL_ROSTER)
            raise ServiceError(INVALID, "small_roster", message, {"scope": message}) from error

    def wave(self, wave_id: str) -> dict:
        wave = self.repository(WaveRepository).get(wave_id)
        if wave is None:
            raise ServiceError(MISSING, "unknown_wave", str(messages.UNKNOWN_WAVE))
        return wave

    def wave_figures(self, wave_id: str, rule: str) -> dict:
        if rule not in survey_wave.RULES:
            raise ServiceError(INVALID, "invalid_rule", str(messages.UNKNOWN_RULE), {"rule": str(messages.RULES)})
        found = self.repository(WaveRepository).responses(wave_id)
        if found is None:
            raise ServiceError(MISSING, "unknown_wave", str(messages.UNKNOWN_WAVE))
        return survey_wave.wave_figures(found["roster"], found["answers"], rule, self.pseudonyms)

    def open_questionnaires(self, today: date) -> list[dict]:
        """The waves open today whose roster holds the principal's person."""
        person = self.principal.person
        return self.repository(WaveRepository).open_for(person, today) if person else []

    def questionnaire(self, wave_id: str, today: date) -> Questionnaire:
        """Refused unless the principal's person is on the roster; unlisted members are left out unless
        the policy lets the principal read them."""
        wave = self.wave(wave_id)
        person = self.principal.person
        roster = self.repository(WaveRepository).questionnaire(wave_id, person) if person else None
        if roster is None:
            raise Refused(wave_id)
        roster = [p for p in roster if policy.may_read_person(self.principal, p["territories"], p["listed"], p["id"])]
        return Questionnaire(wave, roster, today)

    def check_submission(self, sheet: Questionnaire, submitted: list[str]) -> None:
        """A submission is taken only while the wave is open, and only about its roster, each person once."""
        if not sheet.is_open:
            raise ServiceError(CONFLICT, "wave_closed", str(messages.WAVE_CLOSED))
        if len(set(submitted)) != len(submitted) or not set(submitted) <= set(sheet.people):
            raise ServiceError(INVALID, "invalid_roster", str(messages.INVALID_ROSTER))

    def save_answers(self, sheet: Questionnaire, answers: dict[str, dict | None], now: datetime) -> int:
        """How many answers are saved; ServiceError: forbidden off the roster, a conflict when the wave refuses them."""
        try:
            return self.repository(WaveRepository).save_answers(sheet.wave["id"], self.principal.person, answers,
                                                                sheet.today, now)
        except WaveError as error:
            raise ServiceError(FORBIDDEN if error.code == "not_member" else CONFLICT, error.code,
                           str(messages.NOT_SAVED)) from error
