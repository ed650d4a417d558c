"""EI sessions through the API: the same service as the pages (referral/sessions/service.py) — list, one
session with who came, its attendance and the ties first made there. Coordinators (their territory) and
admins."""

from __future__ import annotations

from flask import jsonify
from marshmallow import Schema, fields

from referral import policy
from referral.api import bp
from referral.api.schemas import shared
from referral.api.validation import schema_body
from referral.auth.users import role_required
from referral.sessions.service import MAX_PAIRS, MAX_PARENTS
from referral.sessions.web import sessions


class AttendeeSchema(Schema):
    id = fields.String()
    name = fields.String()
    organisation = fields.String(allow_none=True)
    territory = fields.String(allow_none=True)


class SessionSummarySchema(Schema):
    id = fields.String()
    number = fields.Integer()
    date = fields.Date()
    theme = fields.String()
    territory = fields.String()
    present = fields.Integer(metadata={"description": "Workers who attended"})
    parents = fields.Integer(metadata={"description": "Partner parents who attended (a number only)"})
    ties = fields.Integer(metadata={"description": "Ties first made at the session"})
    cancelled = fields.Boolean(allow_none=True, metadata={"description": "The session was cancelled"})


class SessionSchema(SessionSummarySchema):
    attendees = fields.List(fields.Nested(AttendeeSchema))


class SessionsSchema(Schema):
    sessions = fields.List(fields.Nested(SessionSummarySchema))


class AttendanceBodySchema(Schema):
    # Types only: the values are the service's to judge (422, in its words).
    people = fields.List(fields.String(), required=True,
                         metadata={"description": "Every worker present (ids): attendance becomes this list"})
    parents = fields.Integer(required=True, strict=True,
                             metadata={"description": f"How many partner parents came, 0 to {MAX_PARENTS} "
                                                      "(a number only: no personal data)"})


class TiesBodySchema(Schema):
    pairs = fields.List(fields.List(fields.String()), required=True,
                        metadata={"description": f"Pairs of people present who met for the first time "
                                                 f"({MAX_PAIRS} at most)"})
    level = fields.String(load_default="networking")


class TiesMadeSchema(Schema):
    created = fields.Integer(metadata={"description": "New ties; pairs tied already are left as they were"})


@bp.route("/sessions")
@role_required(*policy.MAINTAINERS)
def list_sessions():
    """The EI sessions of the territories I may run.
    ---
    get:
      summary: The EI sessions of the territories I may run, by territory then number
      responses:
        200: {description: Sessions, content: {application/json: {schema: SessionsSchema}}}
      errors: [401, 403, 503]
    """
    return jsonify(shared(SessionsSchema).dump({"sessions": sessions().list()}))


@bp.route("/sessions/<session_id>")
@role_required(*policy.MAINTAINERS)
def get_session(session_id: str):
    """One session and who attended.
    ---
    get:
      summary: One session and the workers who attended
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        200: {description: The session, content: {application/json: {schema: SessionSchema}}}
      errors: [401, 403, 404, 503]
    """
    return jsonify(shared(SessionSchema).dump(sessions().session(session_id)))


@bp.route("/sessions/<session_id>/attendance", methods=["PUT"])
@role_required(*policy.MAINTAINERS)
def put_attendance(session_id: str):
    """Who attended the session.
    ---
    put:
      summary: Who attended the session (workers by id, partner parents as a number)
      description: Taken on the session's day or after. Guests from other territories are welcome.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: AttendanceBodySchema}}
      responses:
        200: {description: The session after the change, content: {application/json: {schema: SessionSchema}}}
      errors: [400, 401, 403, 404, 422, 503]
    """
    body, service = schema_body(shared(AttendanceBodySchema)), sessions()
    service.take_attendance(session_id, body["people"], body["parents"])
    return jsonify(shared(SessionSchema).dump(service.session(session_id)))


@bp.route("/sessions/<session_id>/ties", methods=["POST"])
@role_required(*policy.MAINTAINERS)
def post_ties(session_id: str):
    """Ties first made at the session.
    ---
    post:
      summary: Ties first made at the session, between people who attended
      description: Each pair without a tie gets KNOWS {origin ei_session, session, since the session's day};
        a pair tied already is left as it was.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content: {application/json: {schema: TiesBodySchema}}
      responses:
        200: {description: How many ties were made, content: {application/json: {schema: TiesMadeSchema}}}
      errors: [400, 401, 403, 404, 422, 503]
    """
    body = schema_body(shared(TiesBodySchema))
    made = sessions().record_ties(session_id, body["pairs"], body["level"])
    return jsonify(shared(TiesMadeSchema).dump({"created": made}))
