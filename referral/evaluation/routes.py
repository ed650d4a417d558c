"""The evaluation pages: comparisons before / after / now, growth curves, the difference view,
exports and the report's tables — pseudonymous for everyone who opens them."""

from __future__ import annotations

import re
from datetime import date

from flask import Response, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from analysis.before_after import SMALL_CELL
from analysis.metrics import BETWEENNESS_SAMPLES, EXACT_BETWEENNESS_LIMIT
from analysis.timeline import ORIGINS
from interop.folding import fold
from referral import policy
from referral.auth.users import role_required
from referral.errors import ApiError
from referral.evaluation import bp, charts, curves, messages, presentation, web
from referral.evaluation.forms import QueryForm
from referral.evaluation.service import Query
from referral.labels import LEVEL_LABELS, ORIGIN_LABELS, ROLE_LABELS, SECTOR_LABELS, SECTOR_SHORT_LABELS
from referral.service_errors import ServiceError

DEFAULT_METRIC = "ties"
# What a measure can be, by its format: shares, density, centralisation and clustering 0–1, the E–I index −1 to +1.
BOUNDS = {"percent": (0.0, 1.0), "ratio": (0.0, 1.0), "signed": (-1.0, 1.0)}


@bp.context_processor
def evaluation_helpers():
    return {
        "FIGURES": presentation.FIGURES, "TOTALS": presentation.TOTALS, "STAGE_LABELS": presentation.STAGE_LABELS,
        "ORIGIN_LABELS": ORIGIN_LABELS, "LEVEL_LABELS": LEVEL_LABELS,
        "LOST_LABELS": presentation.LOST_LABELS, "RULE_LABELS": presentation.RULE_LABELS,
        "format_figure": presentation.format_figure, "format_change": presentation.format_change,
        "format_cell": presentation.format_cell, "scope_name": presentation.scope_name,
        "breakdown_label": _breakdown_label, "SECTOR_SHORT_LABELS": SECTOR_SHORT_LABELS,
        "CURVE_PIXELS": curves.PIXELS,
    }


def _breakdown_label(by: str, code: str) -> str:
    table = SECTOR_LABELS if by == "sector" else ROLE_LABELS
    return str(table.get(code, code))


def _metric() -> str:
    metric = request.args.get("metric", DEFAULT_METRIC)
    return metric if metric in presentation.FIGURE_FORMATS else DEFAULT_METRIC


def _curve(scope, query, metric: str) -> list[curves.Point]:
    """The measure at each stage reached, on the day the stage is reached in every territory of the scope; no day
    when it falls on different days (cohorts pooled stage by stage: found by the outside pass of issue 19, the
    pooled figures were dated by the last cohort)."""
    return [curves.Point(_one_day(s["dates"].values()), str(presentation.STAGE_SHORT_LABELS[s["name"]]),
                         s["figures"][metric])
            for s in web.evaluation().curve(scope, query)]


def _one_day(days) -> date | None:
    days = {date.fromisoformat(day) for day in days}
    return days.pop() if len(days) == 1 else None


def _image_query() -> tuple[Query, str]:
    """An image's options, checked as its page checks them; a bad one is a bad request, said in words."""
    metric = request.args.get("metric", DEFAULT_METRIC)
    if metric not in presentation.FIGURE_FORMATS:
        raise ApiError(400, "unknown_metric", str(messages.UNKNOWN_METRIC), {"metric": str(messages.UNKNOWN_METRIC)})
    try:
        query, _form = web.parse_query(request.args)
    except ServiceError as error:
        raise ApiError(400, error.code, error.message, error.fields) from error
    return query, metric


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@bp.route("/")
@role_required(*policy.EVALUATION)
def index():
    metric = _metric()
    service = web.evaluation()
    query = Query()
    scopes = service.scopes()
    rows = [{"scope": scope, "comparison": service.comparison(scope, query, brokers=False)}
            for scope in scopes.values()]
    shown = [{"scope": scope, "points": _curve(scope, query, metric)}
             for scope in scopes.values() if scope.kind != "cohort"]
    return render_template("evaluation/index.html", rows=rows, curves=shown, metric=metric,
                           form=QueryForm(formdata=None), scopes=scopes)


@bp.route("/<scope_id>")
@role_required(*policy.EVALUATION)
def scope(scope_id: str):
    service = web.evaluation()
    found = service.scope(scope_id)
    query, form, status = web.query_or_default(request.args)
    metric = _metric()
    return render_template(
        "evaluation/scope.html", scope=found, query=query, form=form, metric=metric,
        comparison=service.comparison(found, query), points=_curve(found, query, metric),
        origins=ORIGINS, args=query.as_args(), scopes=service.scopes(), small_cell=SMALL_CELL,
    ), status


@bp.route("/<scope_id>/difference")
@role_required(*policy.EVALUATION)
def difference(scope_id: str):
    service = web.evaluation()
    found = service.scope(scope_id)
    query, form, status = web.query_or_default(request.args)
    # The slider sends a position (0–7), the links a stage name.
    stage, stages = request.args.get("stage", "after"), found.stages
    if stage.isdigit() and int(stage) < len(stages):
        stage = stages[int(stage)]
    stage = stage if stage in stages else "after"
    frames = service.stage_differences(found, query)
    too_large = max((len(f["nodes"]) for f in frames), default=0) > charts.MAX_DRAWN_PEOPLE
    drawn = []
    if not too_large:
        positions = charts.layout(frames)
        drawn = [charts.network_frame(frame, positions) for frame in frames]
    return render_template(
        "evaluation/difference.html", scope=found, query=query, form=form, stage=stage, stages=stages,
        frames=drawn, too_large=too_large, args=query.as_args(), limit=charts.MAX_DRAWN_PEOPLE,
    ), status


@bp.route("/<scope_id>/courbe.<any(svg, png):image>")
@role_required(*policy.EVALUATION)
def curve(scope_id: str, image: str):
    """One measure's growth curve as an image (SVG on the page, PNG at 2× for print), on the scale its peers
    share: the index shows every territory and the whole network side by side, cohorts are compared together."""
    service = web.evaluation()
    found = service.scope(scope_id)
    query, metric = _image_query()
    kind = presentation.FIGURE_FORMATS[metric]
    peers = {s.id: _curve(s, query, metric) for s in service.scopes().values()
             if (s.kind == "cohort") == (found.kind == "cohort")}
    limits = curves.y_limits(peers.values(), kind == "int", BOUNDS.get(kind))
    label, name = str(presentation.FIGURE_LABELS[metric]), presentation.scope_name(found)
    title = f"{label} — {name}"
    points = peers[found.id]
    x_label = _("Date") if all(p.day for p in points) else _("Étape du programme (dates selon la cohorte)")
    words = curves.Words(title, x_label, label + (" (%)" if kind == "percent" else ""),
                         lambda value: presentation.format_figure(value, kind), lambda day: format_date(day, "d MMM y"))
    drawn = curves.figure(points, words, limits, integer=kind == "int")
    content = curves.render(drawn, image, title, str(get_locale() or "fr"))
    filename = f"reseau-ei-{_slug(name)}-{_slug(label)}-{service.today.isoformat()}.{image}"
    return Response(content, mimetype="image/svg+xml" if image == "svg" else "image/png",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# The same handler answers the API's export (referral/api/evaluation.py).
bp.add_url_rule("/<scope_id>/export/<fmt>", "export", web.export_download)


@bp.route("/periode")
@role_required(*policy.EVALUATION)
def period():
    """The index page's "another period" form: the scope's page with the two dates."""
    found = web.evaluation().scope(request.args.get("scope", "all"))
    return redirect(url_for("evaluation.scope", scope_id=found.id, start=request.args.get("start"),
                            end=request.args.get("end")))


@bp.route("/tableaux")
@role_required(*policy.EVALUATION)
def tables():
    return render_template("evaluation/tables.html", tables=web.evaluation().tables())


@bp.route("/definitions")
@role_required()
def definitions():
    """Each measure in plain words, its formula and a reference (every signed-in user: the map shows them too)."""
    return render_template("evaluation/definitions.html", small_cell=SMALL_CELL,
                           exact_limit=EXACT_BETWEENNESS_LIMIT, samples=BETWEENNESS_SAMPLES)
