"""The API's description, the territories (the home page's service) and the logged-in account."""

from flask import current_app, jsonify
from flask_login import current_user

from referral.api import bp
from referral.api.openapi import openapi_document
from referral.api.schemas import AccountSchema, TerritoriesSchema, shared
from referral.auth.users import role_required
from referral.graphdb import repo
from referral.main.service import Overview


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app))


@bp.route("/territories")
@role_required()
def territories():
    """The six territories with their counts.
    ---
    get:
      summary: The six territories with their counts
      responses:
        200: {description: Territories, content: {application/json: {schema: TerritoriesSchema}}}
      errors: [401, 503]
    """
    return jsonify(shared(TerritoriesSchema).dump({"territories": Overview(repo).territories()}))


@bp.route("/me")
@role_required()
def me():
    """The logged-in account.
    ---
    get:
      summary: The logged-in account
      responses:
        200: {description: Account, content: {application/json: {schema: AccountSchema}}}
      errors: [401, 503]
    """
    return jsonify(shared(AccountSchema).dump({"id": current_user.id, "email": current_user.email,
                                               "role": current_user.role, "territory": current_user.territory,
                                               "person": current_user.person_id}))
