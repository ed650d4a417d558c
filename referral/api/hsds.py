"""GET /api/v1/hsds/…: the directory as the Open Referral HSDS 3 API serves it (read only).

Organizations, services, taxonomies and terms, paginated as HSDS pages, and the whole directory
as a CSV tabular package (zip) or one nested JSON document. Listed contacts only; evaluators,
who work on pseudonymous data, have no access. HTTP only: the records are referral.hsds.service's,
the same exchange the pages and the CLI use.
"""

from __future__ import annotations

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _

from interop.hsds import writing
from interop.hsds.spec import HSDS_VERSION
from referral.api import bp
from referral.api.schemas import HsdsPageSchema, HsdsRootSchema
from referral.auth.users import role_required
from referral.errors import ApiError
from referral.hsds.service import TITLE
from referral.hsds.web import current_exchange
from referral.policy import WORKERS

READERS = WORKERS
MAX_PER_PAGE = 500


def _flag(name: str) -> bool:
    return request.args.get(name, "").lower() in ("1", "true", "yes")


def _page(records: list) -> dict:
    fields = {}
    try:
        number = int(request.args.get("page", 1))
        if number < 1:
            raise ValueError
    except ValueError:
        fields["page"] = _("Un entier à partir de 1.")
    try:
        per_page = int(request.args.get("per_page", 50))
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError
    except ValueError:
        fields["per_page"] = _("Un entier de 1 à %(n)s.", n=MAX_PER_PAGE)
    if fields:
        raise ApiError(400, "bad_pagination", _("Pagination invalide."), fields)
    start = (number - 1) * per_page
    return HsdsPageSchema().dump(writing.page(records[start:start + per_page], number, per_page,
                                              total=len(records)))


@bp.route("/hsds/")
@role_required(*READERS)
def hsds_root():
    """HSDS: this API's version and profile.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: this API's version and profile"
      responses:
        200: {description: HSDS version, content: {application/json: {schema: HsdsRootSchema}}}
      errors: [401, 403, 503]
    """
    return jsonify(HsdsRootSchema().dump({"version": HSDS_VERSION, "profile": "https://openreferral.org/",
                                          "openapi_url": url_for("api.openapi", _external=True)}))


@bp.route("/hsds/organizations")
@role_required(*READERS)
def hsds_organizations():
    """Organizations.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: organizations, paginated (full_service=true nests their full services)"
      parameters: [Page, PerPage, {name: full_service, in: query, schema: {type: boolean}}]
      page_of: compiled/organization_list
      errors: [400, 401, 403, 503]
    """
    return jsonify(_page(current_exchange().organizations(_flag("full_service"))))


@bp.route("/hsds/organizations/<record_id>")
@role_required(*READERS)
def hsds_organization(record_id: str):
    """One organization.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: one organization, fully nested"
      parameters: [RecordId]
      record_of: compiled/organization
      errors: [401, 403, 404, 503]
    """
    return jsonify(current_exchange().organization(record_id))


@bp.route("/hsds/services")
@role_required(*READERS)
def hsds_services():
    """Services.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: services, paginated, optionally of one organization or taxonomy term"
      parameters:
        - Page
        - PerPage
        - {name: full, in: query, schema: {type: boolean}}
        - {name: organization_id, in: query, schema: {type: string}}
        - {name: taxonomy_term_id, in: query, schema: {type: string}}
      page_of: compiled/service_list
      errors: [400, 401, 403, 503]
    """
    return jsonify(_page(current_exchange().services(request.args.get("organization_id"),
                                                     request.args.get("taxonomy_term_id"), _flag("full"))))


@bp.route("/hsds/services/<record_id>")
@role_required(*READERS)
def hsds_service(record_id: str):
    """One service.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: one service, fully nested (its organization, locations, schedules, terms…)"
      parameters: [RecordId]
      record_of: compiled/service
      errors: [401, 403, 404, 503]
    """
    return jsonify(current_exchange().service(record_id))


@bp.route("/hsds/taxonomies")
@role_required(*READERS)
def hsds_taxonomies():
    """Taxonomies.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: taxonomies, paginated (our needs, sectors and kinds of institution)"
      parameters: [Page, PerPage]
      page_of: taxonomy
      errors: [400, 401, 403, 503]
    """
    return jsonify(_page(current_exchange().taxonomies()))


@bp.route("/hsds/taxonomies/<record_id>")
@role_required(*READERS)
def hsds_taxonomy(record_id: str):
    """One of the taxonomies.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: one of the taxonomies"
      parameters: [RecordId]
      record_of: taxonomy
      errors: [401, 403, 404, 503]
    """
    return jsonify(current_exchange().taxonomy(record_id))


@bp.route("/hsds/taxonomy_terms")
@role_required(*READERS)
def hsds_taxonomy_terms():
    """Taxonomy_terms.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: taxonomy_terms, paginated (our needs, sectors and kinds of institution)"
      parameters: [Page, PerPage, {name: taxonomy_id, in: query, schema: {type: string}}]
      page_of: taxonomy_term
      errors: [400, 401, 403, 503]
    """
    return jsonify(_page(current_exchange().taxonomy_terms(request.args.get("taxonomy_id"))))


@bp.route("/hsds/taxonomy_terms/<record_id>")
@role_required(*READERS)
def hsds_taxonomy_term(record_id: str):
    """One of the taxonomy_terms.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: one of the taxonomy_terms"
      parameters: [RecordId]
      record_of: taxonomy_term
      errors: [401, 403, 404, 503]
    """
    return jsonify(current_exchange().taxonomy_term(record_id))


@bp.route("/hsds/export.zip")
@role_required(*READERS)
def hsds_export_zip():
    """HSDS: the whole directory as a CSV tabular package.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: the whole directory as a CSV tabular package with its datapackage.json (zip)"
      responses:
        200: {description: The package, content: {application/zip: {schema: {type: string, format: binary}}}}
      errors: [401, 403, 503]
    """
    data = writing.zip_bytes(current_exchange().export_tables(), TITLE)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": "attachment; filename=reseau-ei-hsds.zip"})


@bp.route("/hsds/export.json")
@role_required(*READERS)
def hsds_export_json():
    """HSDS: the whole directory as one page of nested organizations.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: the whole directory as one page of fully nested organizations with their services"
      page_of: compiled/organization
      errors: [401, 403, 503]
    """
    response = jsonify(writing.json_document(current_exchange().export_tables()))
    response.headers["Content-Disposition"] = "attachment; filename=reseau-ei-hsds.json"
    return response
