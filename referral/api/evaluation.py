"""Evaluation API: comparisons, exports, the report's tables and survey waves — pseudonymous only."""

from __future__ import annotations

from flask import jsonify, request

from analysis.export_formats import FORMATS
from analysis.survey_wave import RULES
from analysis.timeline import ORIGINS
from referral import policy
from referral.api import bp
from referral.api.openapi import document, error_responses
from referral.auth.users import role_required
from referral.evaluation.web import evaluation, export_download, parse_query

ROLES_NOTE = "Evaluators, coordinators and admins. People are `P-…`, organisations `O-…` (keyed HMAC, stable)."
QUERY_PARAMETERS = [
    {"name": "start", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "With `end`: compare these two dates instead of before / after / now."},
    {"name": "end", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "origin", "in": "query", "style": "form", "explode": True,
     "schema": {"type": "array", "items": {"type": "string", "enum": list(ORIGINS)}},
     "description": "Count only the ties of these origins (repeat the parameter); all when absent."},
]
SCOPE_PARAMETER = {"name": "scope", "in": "path", "required": True, "schema": {"type": "string"},
                   "description": "`all`, `cohort-1`, `cohort-2` or a territory id (`mn`, `vsp`…)."}
FIGURES_SCHEMA = {"type": "object", "additionalProperties": {"type": "number", "nullable": True}}
SNAPSHOT_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"}, "dates": {"type": "object", "additionalProperties": {"type": "string"}},
        "totals": FIGURES_SCHEMA, "figures": FIGURES_SCHEMA, "ties_by_origin": FIGURES_SCHEMA,
        "breakdowns": {"type": "object", "description": "People per sector / role; null = fewer than 5."},
        "brokers": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "string"}, "betweenness": {"type": "number"}}}},
        "methods": {"type": "object", "description": "How estimated figures were computed (exact or sampled)."},
    },
}
COMPARISON_SCHEMA = {
    "type": "object",
    "properties": {
        "scope": {"type": "string"}, "origins": {"type": "array", "items": {"type": "string"}},
        "snapshots": {"type": "array", "items": SNAPSHOT_SCHEMA},
        "changes": {"type": "array", "items": {"type": "object", "properties": {
            "from": {"type": "string"}, "to": {"type": "string"}, "new": {"type": "integer"},
            "kept": {"type": "integer"}, "lost": {"type": "integer"},
            "new_by_origin": FIGURES_SCHEMA, "lost_by_reason": FIGURES_SCHEMA}}},
        "sectors": {"type": "array", "items": {"type": "string"}},
        "sector_matrix": {"type": "object", "additionalProperties": {"type": "array"}},
        "curve": {"type": "array", "items": {"type": "object"}},
    },
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


document("/api/v1/evaluation/scopes", {"get": {
    "summary": "The groups one can compare: all six territories, each cohort, each territory",
    "description": ROLES_NOTE,
    "responses": {"200": _json({"type": "object"}, "Scopes with their stage dates"), **error_responses(401, 403, 503)},
}})


@bp.route("/evaluation/scopes")
@role_required(*policy.EVALUATION)
def evaluation_scopes():
    return jsonify({"scopes": [
        {"id": s.id, "kind": s.kind, "cohort": s.cohort, "territories": s.territory_ids,
         "stages": {stage: {t: d.isoformat() for t, d in s.stage_dates(stage).items()}
                    for stage in ("before", "s1", "s2", "s3", "s4", "s5", "s6", "after")}}
        for s in evaluation().scopes().values()
    ]})


document("/api/v1/evaluation/scopes/{scope}", {"get": {
    "summary": "Before / after / now (or two chosen dates): figures, tie changes, sector matrix, growth curve",
    "description": ROLES_NOTE,
    "parameters": [SCOPE_PARAMETER, *QUERY_PARAMETERS],
    "responses": {"200": _json(COMPARISON_SCHEMA, "The comparison"), **error_responses(401, 403, 404, 422, 503)},
}})


@bp.route("/evaluation/scopes/<scope_id>")
@role_required(*policy.EVALUATION)
def evaluation_comparison(scope_id: str):
    service = evaluation()
    scope = service.scope(scope_id)
    query, _ = parse_query(request.args)
    return jsonify({"scope": scope.id, **service.comparison(scope, query), "curve": service.curve(scope, query)})


document("/api/v1/evaluation/scopes/{scope}/export/{format}", {"get": {
    "summary": "Download the comparison's network and figures (CSV, GraphML, GEXF, JSON)",
    "description": ROLES_NOTE + " Nodes and ties carry `in_<snapshot>` flags; nodes their organisation, sector "
                                "and territory per snapshot; ties their date (`since`), origin and level.",
    "parameters": [SCOPE_PARAMETER,
                   {"name": "format", "in": "path", "required": True,
                    "schema": {"type": "string", "enum": list(FORMATS)}},
                   *QUERY_PARAMETERS],
    "responses": {"200": {"description": "The file", "content": {m: {} for m in sorted(set(FORMATS.values()))}},
                  **error_responses(401, 403, 404, 422, 503)},
}})


# The page's download handler itself: one body for both.
bp.add_url_rule("/evaluation/scopes/<scope_id>/export/<fmt>", "evaluation_export", export_download)


document("/api/v1/evaluation/tables", {"get": {
    "summary": "The report's tables 2 (per territory) and 3 (per sector), regenerated from the graph",
    "description": ROLES_NOTE,
    "responses": {"200": _json({"type": "object"}, "Tables 2 and 3"), **error_responses(401, 403, 503)},
}})


@bp.route("/evaluation/tables")
@role_required(*policy.EVALUATION)
def evaluation_tables():
    return jsonify(evaluation().tables())


document("/api/v1/evaluation/waves", {"get": {
    "summary": "Network survey waves with their roster size and number of respondents",
    "description": ROLES_NOTE,
    "responses": {"200": _json({"type": "object"}, "Waves"), **error_responses(401, 403, 503)},
}})


@bp.route("/evaluation/waves")
@role_required(*policy.EVALUATION)
def evaluation_waves():
    waves = evaluation().waves()
    return jsonify({"waves": [
        {**{k: w[k] for k in ("id", "title", "scope", "territories", "roster", "respondents", "roster_rule")},
         "opens": w["opens"].isoformat(), "closes": w["closes"].isoformat()}
        for w in waves
    ]})


document("/api/v1/evaluation/waves/{wave}", {"get": {
    "summary": "One wave's figures: response rates, network (and retrospective baseline), reciprocity, "
               "trust and value by territory and organisation",
    "description": ROLES_NOTE + " Means resting on fewer than 5 raters are null.",
    "parameters": [{"name": "wave", "in": "path", "required": True, "schema": {"type": "string"}},
                   {"name": "rule", "in": "query",
                    "schema": {"type": "string", "enum": list(RULES), "default": "either"},
                    "description": "Symmetrisation: a tie counts when `either` side reports it, "
                                   "or only when `both` do."}],
    "responses": {"200": _json({"type": "object"}, "Figures of the wave"), **error_responses(401, 403, 404, 422, 503)},
}})


@bp.route("/evaluation/waves/<wave_id>")
@role_required(*policy.EVALUATION)
def evaluation_wave(wave_id: str):
    service = evaluation()
    wave = service.wave(wave_id)
    figures = service.wave_figures(wave_id, request.args.get("rule", "either"))
    return jsonify({"id": wave["id"], "title": wave["title"], "scope": wave["scope"],
                    "opens": wave["opens"].isoformat(), "closes": wave["closes"].isoformat(), **figures})
