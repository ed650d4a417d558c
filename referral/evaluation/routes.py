"""The evaluation pages: comparisons before / after / now, growth curves, the difference view,
exports and the report's tables — pseudonymous for everyone who opens them."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from analysis.before_after import SMALL_CELL
from analysis.metrics import BETWEENNESS_SAMPLES, EXACT_BETWEENNESS_LIMIT
from analysis.timeline import ORIGINS
from referral import policy
from referral.auth.users import role_required
from referral.evaluation import bp, charts, presentation, web
from referral.evaluation.forms import QueryForm
from referral.evaluation.service import Query
from referral.labels import LEVEL_LABELS, ORIGIN_LABELS, ROLE_LABELS, SECTOR_LABELS, SECTOR_SHORT_LABELS

DEFAULT_METRIC = "ties"


@bp.context_processor
def evaluation_helpers():
    return {
        "FIGURES": presentation.FIGURES, "TOTALS": presentation.TOTALS, "STAGE_LABELS": presentation.STAGE_LABELS,
        "ORIGIN_LABELS": ORIGIN_LABELS, "LEVEL_LABELS": LEVEL_LABELS,
        "LOST_LABELS": presentation.LOST_LABELS, "RULE_LABELS": presentation.RULE_LABELS,
        "format_figure": presentation.format_figure, "format_change": presentation.format_change,
        "format_cell": presentation.format_cell, "scope_name": presentation.scope_name,
        "breakdown_label": _breakdown_label, "SECTOR_SHORT_LABELS": SECTOR_SHORT_LABELS,
    }


def _breakdown_label(by: str, code: str) -> str:
    table = SECTOR_LABELS if by == "sector" else ROLE_LABELS
    return str(table.get(code, code))


def _metric() -> str:
    metric = request.args.get("metric", DEFAULT_METRIC)
    return metric if metric in presentation.FIGURE_FORMATS else DEFAULT_METRIC


def _curve_chart(scope, query, metric: str, width: int = 640, height: int = 260) -> dict:
    series = web.evaluation().curve(scope, query)
    values = [s["figures"][metric] for s in series]
    return charts.line_chart([str(presentation.STAGE_SHORT_LABELS[s["name"]]) for s in series],
                             [{"label": presentation.scope_name(scope), "values": values}], width, height,
                             integer=presentation.FIGURE_FORMATS[metric] == "int")


@bp.route("/")
@role_required(*policy.EVALUATION)
def index():
    metric = _metric()
    service = web.evaluation()
    query = Query()
    scopes = service.scopes()
    rows = [{"scope": scope, "comparison": service.comparison(scope, query, brokers=False)}
            for scope in scopes.values()]
    curves = [{"scope": scope, "chart": _curve_chart(scope, query, metric, 320, 180)}
              for scope in scopes.values() if scope.kind != "cohort"]
    return render_template("evaluation/index.html", rows=rows, curves=curves, metric=metric,
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
        comparison=service.comparison(found, query), chart=_curve_chart(found, query, metric),
        origins=ORIGINS, args=query.as_args(), scopes=service.scopes(),
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
