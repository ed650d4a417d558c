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
from referral.api.openapi import document, error_responses
from referral.auth.users import role_required
from referral.hsds.routes import current_exchange
from referral.hsds.service import TITLE
from referral.policy import WORKERS
from referral.service_errors import ApiError

READERS = WORKERS
MAX_PER_PAGE = 500
HSDS_SCHEMA = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


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
    return writing.page(records[start:start + per_page], number, per_page, total=len(records))


def _schema(name: str) -> dict:
    return {"$ref": f"{HSDS_SCHEMA}{name}"}


def _page_schema(items: str) -> dict:
    return {"type": "object", "properties": {
        "total_items": {"type": "integer"}, "total_pages": {"type": "integer"}, "page_number": {"type": "integer"},
        "size": {"type": "integer"}, "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"}, "contents": {"type": "array", "items": _schema(items)}}}


PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                                                    "default": 50}},
]
ID_PARAMETER = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}]


def _ok(description: str, schema: dict, statuses=(401, 403, 503)) -> dict:
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}}},
            **error_responses(*statuses)}


document("/api/v1/hsds/", {"get": {
    "summary": "HSDS: this API's version and profile",
    "responses": _ok("HSDS version", {"type": "object", "properties": {
        "version": {"type": "string"}, "profile": {"type": "string"}, "openapi_url": {"type": "string"}}}),
}})


@bp.route("/hsds/")
@role_required(*READERS)
def hsds_root():
    return jsonify({"version": HSDS_VERSION, "profile": "https://openreferral.org/",
                    "openapi_url": url_for("api.openapi", _external=True)})


document("/api/v1/hsds/organizations", {"get": {
    "summary": "HSDS: organizations, paginated (full_service=true nests their full services)",
    "parameters": [*PAGE_PARAMETERS, {"name": "full_service", "in": "query", "schema": {"type": "boolean"}}],
    "responses": _ok("A page of organizations", _page_schema("compiled/organization_list.json"),
                     (400, 401, 403, 503)),
}})


@bp.route("/hsds/organizations")
@role_required(*READERS)
def hsds_organizations():
    return jsonify(_page(current_exchange().organizations(_flag("full_service"))))


document("/api/v1/hsds/organizations/{id}", {"get": {
    "summary": "HSDS: one organization, fully nested",
    "parameters": ID_PARAMETER,
    "responses": _ok("The organization", _schema("compiled/organization.json"), (401, 403, 404, 503)),
}})


@bp.route("/hsds/organizations/<record_id>")
@role_required(*READERS)
def hsds_organization(record_id: str):
    return jsonify(current_exchange().organization(record_id))


document("/api/v1/hsds/services", {"get": {
    "summary": "HSDS: services, paginated, optionally of one organization or taxonomy term",
    "parameters": [*PAGE_PARAMETERS, {"name": "full", "in": "query", "schema": {"type": "boolean"}},
                   {"name": "organization_id", "in": "query", "schema": {"type": "string"}},
                   {"name": "taxonomy_term_id", "in": "query", "schema": {"type": "string"}}],
    "responses": _ok("A page of services", _page_schema("compiled/service_list.json"), (400, 401, 403, 503)),
}})


@bp.route("/hsds/services")
@role_required(*READERS)
def hsds_services():
    return jsonify(_page(current_exchange().services(request.args.get("organization_id"),
                                                     request.args.get("taxonomy_term_id"), _flag("full"))))


document("/api/v1/hsds/services/{id}", {"get": {
    "summary": "HSDS: one service, fully nested (its organization, locations, schedules, terms…)",
    "parameters": ID_PARAMETER,
    "responses": _ok("The service", _schema("compiled/service.json"), (401, 403, 404, 503)),
}})


@bp.route("/hsds/services/<record_id>")
@role_required(*READERS)
def hsds_service(record_id: str):
    return jsonify(current_exchange().service(record_id))


for _table, _path, _schema_name in (("taxonomy", "taxonomies", "taxonomy.json"),
                                    ("taxonomy_term", "taxonomy_terms", "taxonomy_term.json")):
    document(f"/api/v1/hsds/{_path}", {"get": {
        "summary": f"HSDS: {_path}, paginated (our needs, sectors and kinds of institution)",
        "parameters": PAGE_PARAMETERS,
        "responses": _ok(f"A page of {_path}", _page_schema(_schema_name), (400, 401, 403, 503)),
    }})
    document(f"/api/v1/hsds/{_path}/{{id}}", {"get": {
        "summary": f"HSDS: one of the {_path}", "parameters": ID_PARAMETER,
        "responses": _ok("The record", _schema(_schema_name), (401, 403, 404, 503)),
    }})


@bp.route("/hsds/taxonomies")
@role_required(*READERS)
def hsds_taxonomies():
    return jsonify(_page(current_exchange().taxonomies()))


@bp.route("/hsds/taxonomies/<record_id>")
@role_required(*READERS)
def hsds_taxonomy(record_id: str):
    return jsonify(current_exchange().taxonomy(record_id))


@bp.route("/hsds/taxonomy_terms")
@role_required(*READERS)
def hsds_taxonomy_terms():
    return jsonify(_page(current_exchange().taxonomy_terms(request.args.get("taxonomy_id"))))


@bp.route("/hsds/taxonomy_terms/<record_id>")
@role_required(*READERS)
def hsds_taxonomy_term(record_id: str):
    return jsonify(current_exchange().taxonomy_term(record_id))


document("/api/v1/hsds/export.zip", {"get": {
    "summary": "HSDS: the whole directory as a CSV tabular package with its datapackage.json (zip)",
    "responses": {"200": {"description": "The package", "content": {"application/zip": {
        "schema": {"type": "string", "format": "binary"}}}}, **error_responses(401, 403, 503)},
}})


@bp.route("/hsds/export.zip")
@role_required(*READERS)
def hsds_export_zip():
    data = writing.zip_bytes(current_exchange().export_tables(), TITLE)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": "attachment; filename=reseau-ei-hsds.zip"})


document("/api/v1/hsds/export.json", {"get": {
    "summary": "HSDS: the whole directory as one page of fully nested organizations with their services",
    "responses": _ok("The directory", _page_schema("compiled/organization.json")),
}})


@bp.route("/hsds/export.json")
@role_required(*READERS)
def hsds_export_json():
    response = jsonify(writing.json_document(current_exchange().export_tables()))
    response.headers["Content-Disposition"] = "attachment; filename=reseau-ei-hsds.json"
    return response
