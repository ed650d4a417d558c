"""The API's description, the territories (the home page's service) and the logged-in account."""

from flask import jsonify
from flask_login import current_user

from referral.api import bp
from referral.api.openapi import document, error_responses, openapi_document
from referral.auth.users import role_required
from referral.graphdb import repo
from referral.main.service import Overview


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document())


TERRITORY_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "cohort": {"type": "integer"},
        "organisations": {"type": "integer"}, "intervenants": {"type": "integer"},
    },
}
document("/api/v1/territories", {"get": {
    "summary": "The six territories with their counts",
    "responses": {
        "200": {"description": "Territories", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"territories": {"type": "array", "items": TERRITORY_SCHEMA}}}}}},
        **error_responses(401, 503),
    },
}})


@bp.route("/territories")
@role_required()
def territories():
    rows = Overview(repo).territories()
    return jsonify({"territories": [
        {k: t[k] for k in ("id", "name", "cohort", "organisations", "intervenants")} for t in rows
    ]})


document("/api/v1/me", {"get": {
    "summary": "The logged-in account",
    "responses": {
        "200": {"description": "Account", "content": {"application/json": {"schema": {"type": "object"}}}},
        **error_responses(401, 503),
    },
}})


@bp.route("/me")
@role_required()
def me():
    return jsonify({"id": current_user.id, "email": current_user.email, "role": current_user.role,
                    "territory": current_user.territory, "person": current_user.person_id})
