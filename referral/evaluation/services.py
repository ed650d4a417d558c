"""What the evaluation pages, the API and the `export` command share: scopes, the timeline read
once per request, comparisons, exports and wave figures — always pseudonymous."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Response, current_app, g
from flask_babel import gettext as _

from analysis import before_after, export_formats, survey_wave
from analysis.pseudonyms import Pseudonyms
from analysis.timeline import ORIGINS, Timeline
from graph.repositories.evaluation import EvaluationRepository
from graph.repositories.waves import WaveRepository
from graph.timeline_reader import read_timeline
from referral.errors import ApiError
from referral.evaluation.forms import QueryForm
from referral.graphdb import driver, repo


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


def parse_query(args) -> tuple[Query, QueryForm]:
    """Validate the comparison's options; raise ApiError 422 (with the fields at fault) when invalid."""
    form = QueryForm(formdata=args)
    if not form.validate():
        raise ApiError(422, "invalid_query", _("Certaines options de la comparaison sont invalides."),
                       {name: " ".join(str(e) for e in errors) for name, errors in form.errors.items()})
    origins = tuple(o for o in ORIGINS if o in (form.origin.data or [])) or None
    return Query(form.start.data, form.end.data, origins), form


def pseudonyms() -> Pseudonyms:
    if "evaluation_pseudonyms" not in g:
        g.evaluation_pseudonyms = Pseudonyms(current_app.config["SECRET_KEY"])
    return g.evaluation_pseudonyms


def scopes() -> dict[str, before_after.Scope]:
    if "evaluation_scopes" not in g:
        g.evaluation_scopes = before_after.build_scopes(repo(EvaluationRepository).territories())
    return g.evaluation_scopes


def get_scope(scope_id: str) -> before_after.Scope:
    found = scopes().get(scope_id)
    if found is None:
        raise ApiError(404, "unknown_scope", _("Ce territoire ou cette cohorte n'existe pas."))
    return found


def timeline(details: bool = False) -> Timeline:
    """The whole network's timeline, read once per request: every scope is a view of it. Ties'
    level and session (`details`) are read for exports only."""
    name = "evaluation_timeline_details" if details else "evaluation_timeline"
    if name not in g:
        setattr(g, name, read_timeline(driver(), None, current_app.config["NEO4J_DATABASE"], details))
    return g.get(name)


def points(scope: before_after.Scope, query: Query) -> list[tuple[str, dict]]:
    if query.start and query.end:
        return before_after.range_points(scope, query.start, query.end)
    return before_after.cohort_points(scope, date.today())


def comparison(scope: before_after.Scope, query: Query, brokers: bool = True) -> dict:
    return before_after.compare(timeline(), points(scope, query), pseudonyms(), query.origins, brokers)


def curve(scope: before_after.Scope, query: Query) -> list[dict]:
    return before_after.curve(timeline(), scope, query.origins)


def stage_differences(scope: before_after.Scope, query: Query) -> list[dict]:
    """From `before` to each stage in turn (before, sessions 1–6, after): the difference view's frames."""
    t = timeline()
    stage_points = before_after.stage_points(scope)
    base = t.snapshot(stage_points[0][1], query.origins)
    frames = []
    for name, dates in stage_points:
        snapshot = t.snapshot(dates, query.origins)
        frames.append({"name": name, **before_after.difference(t, base, snapshot, pseudonyms())})
    return frames


def export(scope: before_after.Scope, query: Query, fmt: str) -> tuple[str, str, str]:
    """(content, mimetype, file name) of one export format."""
    if fmt not in export_formats.FORMATS:
        raise ApiError(404, "unknown_format", _("Format d'export inconnu."))
    t = timeline(details=True)
    chosen = points(scope, query)
    found = before_after.compare(t, chosen, pseudonyms(), query.origins)
    network = export_formats.export_graph(t, [(name, t.snapshot(dates, query.origins)) for name, dates in chosen],
                                   pseudonyms())
    content = export_formats.render(fmt, found, network, scope.id)
    suffix = fmt if "." in fmt else f"network.{fmt}"
    name = f"reseau-ei-{scope.id}-{chosen[0][0]}-{chosen[-1][0]}-{suffix}"
    mimetype = export_formats.FORMATS[fmt]
    return content, mimetype, name


def export_download(scope_id: str, fmt: str, args) -> Response:
    """The export as a file download: the evaluation page's link and the API's endpoint alike."""
    scope = get_scope(scope_id)
    query, _form = parse_query(args)
    content, mimetype, name = export(scope, query, fmt)
    return Response(content, mimetype=f"{mimetype}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def tables() -> dict:
    """The report's tables 2 and 3, regenerated from the graph."""
    found = repo(EvaluationRepository).participation()
    rows = []
    for t in found["territories"]:
        kinds: dict[str, int] = {}
        for kind in t["kinds"]:
            kinds[kind] = kinds.get(kind, 0) + 1
        community = kinds.pop("community", 0)
        rows.append({"id": t["id"], "name": t["name"], "cohort": t["cohort"], "community": community,
                     "institutions": kinds, "organisations": community + sum(kinds.values()),
                     "intervenants": t["intervenants"]})
    return {
        "table_2": rows,
        "table_2_totals": {"organisations": sum(r["organisations"] for r in rows),
                           "intervenants": sum(r["intervenants"] for r in rows)},
        "table_3": [{"sector": s["sector"], "organisations": s["organisations"]}
                    for s in sorted(found["sectors"], key=lambda s: before_after.SECTOR_ORDER.index(s["sector"])
                                    if s["sector"] in before_after.SECTOR_ORDER else 99)],
    }


def wave_or_404(wave_id: str) -> dict:
    wave = repo(WaveRepository).get(wave_id)
    if wave is None:
        raise ApiError(404, "unknown_wave", _("Cette vague d'enquête n'existe pas."))
    return wave


def wave_figures(wave_id: str, rule: str) -> dict:
    if rule not in survey_wave.RULES:
        raise ApiError(422, "invalid_rule", _("Règle de symétrisation inconnue."), {"rule": _("either ou both")})
    found = repo(WaveRepository).responses(wave_id)
    if found is None:
        raise ApiError(404, "unknown_wave", _("Cette vague d'enquête n'existe pas."))
    return survey_wave.wave_figures(found["roster"], found["answers"], rule, pseudonyms())
