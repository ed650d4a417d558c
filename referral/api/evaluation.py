"""Evaluation API: comparisons, exports, the report's tables and survey waves — pseudonymous only."""

from __future__ import annotations

from flask import jsonify, request

from referral import policy
from referral.api import bp
from referral.api.schemas import ComparisonSchema, ScopesSchema, TablesSchema, WaveFiguresSchema, WavesSchema, shared
from referral.auth.users import role_required
from referral.evaluation.web import evaluation, export_download, parse_query


@bp.route("/evaluation/scopes")
@role_required(*policy.EVALUATION)
def evaluation_scopes():
    """The groups one can compare.
    ---
    get:
      tags: [evaluation]
      summary: "The groups one can compare: all territories, each cohort, each territory (again per later cohort)"
      responses:
        200: {description: Scopes with their stage dates, content: {application/json: {schema: ScopesSchema}}}
      errors: [401, 403, 503]
    """
    return jsonify(shared(ScopesSchema).dump({"scopes": [
        {"id": s.id, "kind": s.kind, "cohort": s.cohort, "territories": s.territory_ids,
         "stages": {stage: {t: d.isoformat() for t, d in s.stage_dates(stage).items()} for stage in s.stages}}
        for s in evaluation().scopes().values()
    ]}))


@bp.route("/evaluation/scopes/<scope_id>")
@role_required(*policy.EVALUATION)
def evaluation_comparison(scope_id: str):
    """One scope compared.
    ---
    get:
      tags: [evaluation]
      summary: "Before / after / now (or two chosen dates): figures, tie changes, sector matrix, growth curve"
      parameters: [Scope, QueryForm]
      responses:
        200: {description: The comparison, content: {application/json: {schema: ComparisonSchema}}}
      errors: [401, 403, 404, 422, 503]
    """
    service = evaluation()
    found = service.scope(scope_id)
    query, _ = parse_query(request.args)
    return jsonify(shared(ComparisonSchema).dump({"scope": found.id, **service.comparison(found, query),
                                                  "curve": service.curve(found, query)}))


@bp.route("/evaluation/scopes/<scope_id>/export/<fmt>")
@role_required(*policy.EVALUATION)  # as every API route says it, though the shared handler asks too
def evaluation_export(scope_id: str, fmt: str):
    """The page's download handler itself: one body for both.
    ---
    get:
      tags: [evaluation]
      summary: Download the comparison's network and figures (CSV, GraphML, GEXF, JSON)
      description: Nodes and ties carry `in_<snapshot>` flags; nodes their organisation, sector and territory
        per snapshot; ties their date (`since`), origin and level.
      parameters: [Scope, ExportFormat, QueryForm]
      responses:
        200: Export
      errors: [401, 403, 404, 422, 503]
    """
    return export_download(scope_id, fmt)


@bp.route("/evaluation/tables")
@role_required(*policy.EVALUATION)
def evaluation_tables():
    """The report's tables.
    ---
    get:
      tags: [evaluation]
      summary: The report's tables 2 (per territory) and 3 (per sector), regenerated from the graph
      responses:
        200: {description: Tables 2 and 3, content: {application/json: {schema: TablesSchema}}}
      errors: [401, 403, 503]
    """
    return jsonify(shared(TablesSchema).dump(evaluation().tables()))


@bp.route("/evaluation/waves")
@role_required(*policy.EVALUATION)
def evaluation_waves():
    """The survey waves.
    ---
    get:
      tags: [evaluation]
      summary: Network survey waves with their roster size and number of respondents
      responses:
        200: {description: Waves, content: {application/json: {schema: WavesSchema}}}
      errors: [401, 403, 503]
    """
    waves = evaluation().waves()
    return jsonify(shared(WavesSchema).dump({"waves": [
        {**w, "opens": w["opens"].isoformat(), "closes": w["closes"].isoformat()} for w in waves]}))


@bp.route("/evaluation/waves/<wave_id>")
@role_required(*policy.EVALUATION)
def evaluation_wave(wave_id: str):
    """One wave's figures.
    ---
    get:
      tags: [evaluation]
      summary: "One wave's figures: response rates, network (and retrospective baseline), reciprocity, trust
        and value by territory and organisation"
      description: Means resting on fewer than 5 raters are null.
      parameters:
        - {name: wave, in: path, required: true, schema: {type: string}}
        - RuleForm
      responses:
        200: {description: Figures of the wave, content: {application/json: {schema: WaveFiguresSchema}}}
      errors: [401, 403, 404, 422, 503]
    """
    service = evaluation()
    found = service.wave(wave_id)
    figures = service.wave_figures(wave_id, request.args.get("rule", "either"))
    return jsonify(shared(WaveFiguresSchema).dump({**found, "opens": found["opens"].isoformat(),
                                                   "closes": found["closes"].isoformat(), **figures}))
