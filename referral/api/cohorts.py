"""Cohorts through the API: the same service as the pages (referral/sessions/service.py, Cohorts) — list,
open one for territories one may run, schedule its sessions (the program's six, or one)."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from marshmallow import Schema, fields

from referral import policy
from referral.api import bp
from referral.api.schemas import shared
from referral.api.sessions import SessionSummarySchema
from referral.api.validation import schema_body
from referral.auth.users import role_required
from referral.errors import ApiError
from referral.sessions.web import cohorts


class TerritoryRefSchema(Schema):
    id = fields.String()
    name = fields.String()


class CohortSchema(Schema):
    id = fields.String(metadata={"description": "cohort-N: also its evaluation scope"})
    number = fields.Integer()
    name = fields.String()
    start = fields.Date()
    end = fields.Date()
    territories = fields.List(fields.Nested(TerritoryRefSchema))
    sessions = fields.Integer(metadata={"description": "Sessions scheduled, every territory together"})


class CohortsSchema(Schema):
    cohorts = fields.List(fields.Nested(CohortSchema))


class CohortBodySchema(Schema):
    name = fields.String(required=True)
    territories = fields.List(fields.String(), required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class SessionsBodySchema(Schema):
    template = fields.String(metadata={"description": "`ei`: the program's six sessions, monthly from the start"})
    number = fields.Integer(strict=True)
    date = fields.Date()
    theme = fields.String()


class ScheduledSchema(Schema):
    sessions = fields.List(fields.Nested(SessionSummarySchema))


@bp.route("/cohorts")
@role_required(*policy.MAINTAINERS)
def list_cohorts():
    """The cohorts of the territories I may run.
    ---
    get:
      summary: The cohorts of the territories I may run, by number
      responses:
        200: {description: Cohorts, content: {application/json: {schema: CohortsSchema}}}
      errors: [401, 403, 503]
    """
    return jsonify(shared(CohortsSchema).dump({"cohorts": cohorts().list()}))


@bp.route("/cohorts", methods=["POST"])
@role_required(*policy.MAINTAINERS)
def create_cohort():
    """Open a cohort.
    ---
    post:
      summary: Open a cohort for territories I may run
      description: A territory takes part in one cohort at a time (409 otherwise). Its sessions are scheduled
        apart (POST /cohorts/{id}/sessions). It appears in the evaluation's scopes as `cohort-N`.
      requestBody:
        required: true
        content: {application/json: {schema: CohortBodySchema}}
      responses:
        201: {description: The cohort, content: {application/json: {schema: CohortSchema}}}
      errors: [400, 401, 403, 409, 422, 503]
    """
    body = schema_body(shared(CohortBodySchema))
    cohort = cohorts().open(body["name"], body["territories"], body["start"], body["end"], template=False)
    return jsonify(shared(CohortSchema).dump(cohort)), 201


@bp.route("/cohorts/<cohort_id>/sessions", methods=["POST"])
@role_required(*policy.MAINTAINERS)
def schedule_sessions(cohort_id: str):
    """Schedule a cohort's sessions.
    ---
    post:
      summary: Schedule a cohort's sessions in each of its territories
      description: '`{"template": "ei"}`: the program''s six, monthly from the cohort''s start; or one
        `{"number", "date", "theme"}`. A number already held in a territory for this cohort is left as it is.'
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: SessionsBodySchema}}
      responses:
        201: {description: The sessions made, content: {application/json: {schema: ScheduledSchema}}}
        200:
          description: Nothing new (those numbers are held already)
          content: {application/json: {schema: ScheduledSchema}}
      errors: [400, 401, 403, 404, 422, 503]
    """
    body = schema_body(shared(SessionsBodySchema))
    if body.get("template") not in (None, "ei") or (body.get("template") and body.keys() - {"template"}):
        raise ApiError(422, "unknown_template", _("Le seul modèle est « ei » (les six séances du programme), seul ; "
                                                  "ou une séance : number, date, theme."),
                       {"template": _("« ei » ou rien")})
    one = None if body.get("template") else {"number": body.get("number") or 0, "date": body.get("date"),
                                              "theme": body.get("theme") or ""}
    made = cohorts().schedule(cohort_id, one)
    return jsonify(shared(ScheduledSchema).dump({"sessions": made})), 201 if made else 200
