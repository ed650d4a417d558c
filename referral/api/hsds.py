"""GET /api/v1/hsds/…: the directory as the Open Referral HSDS 3 API serves it (read only).

Organizations, services, taxonomies and terms, paginated as HSDS pages, and the whole directory
as a CSV tabular package (zip) or one nested JSON document. Listed contacts only; evaluators,
who work on pseudonymous data, have no access.
"""

from __future__ import annotations

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _

from graph.repositories.hsds import HsdsRepository
from interop.hsds import writing
from interop.hsds.spec import HSDS_VERSION
from referral.api import bp
from referral.api.openapi import document, error_responses
from referral.auth.users import role_required
from referral.errors import ApiError
from referral.graphdb import repo
from referral.hsds import service
from referral.policy import WORKERS

READERS = WORKERS
MAX_PER_PAGE = 500
HSDS_SCHEMA = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _tables() -> dict[str, list[dict]]:
    return service.export_tables(repo(HsdsRepository))


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


def _one(records: list, record_id: str, what: str) -> dict:
    found = next((r for r in records if r["id"] == record_id), None)
    if found is None:
        raise ApiError(404, "not_found", _("Aucun enregistrement %(what)s ne porte cet identifiant.", what=what))
    return found


def _full_service(record: dict, tables: dict, index: dict) -> dict:
    full = writing.nest("service", record, tables, index)
    organization = _one(tables["organization"], record["organization_id"], "organization")
    full["organization"] = writing.nest("organization", organization, tables, index, frozenset({"services"}))
    return full


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
    tables = _tables()
    if _flag("full_service"):
        return jsonify(_page(writing.json_document(tables)["contents"]))
    return jsonify(_page(tables["organization"]))


document("/api/v1/hsds/organizations/{id}", {"get": {
    "summary": "HSDS: one organization, fully nested",
    "parameters": ID_PARAMETER,
    "responses": _ok("The organization", _schema("compiled/organization.json"), (401, 403, 404, 503)),
}})


@bp.route("/hsds/organizations/<record_id>")
@role_required(*READERS)
def hsds_organization(record_id: str):
    tables = _tables()
    return jsonify(writing.nest("organization", _one(tables["organization"], record_id, "organization"), tables))


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
    tables = _tables()
    records = tables["service"]
    if request.args.get("organization_id"):
        records = [r for r in records if r["organization_id"] == request.args["organization_id"]]
    if request.args.get("taxonomy_term_id"):
        term = request.args["taxonomy_term_id"]
        linked = {a["link_id"] for a in tables["attribute"] if a["taxonomy_term_id"] == term}
        records = [r for r in records if r["id"] in linked]
    if _flag("full"):
        index = writing.children_index(tables)
        records = [_full_service(r, tables, index) for r in records]
    return jsonify(_page(records))


document("/api/v1/hsds/services/{id}", {"get": {
    "summary": "HSDS: one service, fully nested (its organization, locations, schedules, terms…)",
    "parameters": ID_PARAMETER,
    "responses": _ok("The service", _schema("compiled/service.json"), (401, 403, 404, 503)),
}})


@bp.route("/hsds/services/<record_id>")
@role_required(*READERS)
def hsds_service(record_id: str):
    tables = _tables()
    record = _one(tables["service"], record_id, "service")
    return jsonify(_full_service(record, tables, writing.children_index(tables)))


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
    return jsonify(_page(_tables()["taxonomy"]))


@bp.route("/hsds/taxonomies/<record_id>")
@role_required(*READERS)
def hsds_taxonomy(record_id: str):
    return jsonify(_one(_tables()["taxonomy"], record_id, "taxonomy"))


@bp.route("/hsds/taxonomy_terms")
@role_required(*READERS)
def hsds_taxonomy_terms():
    tables = _tables()
    records = tables["taxonomy_term"]
    if request.args.get("taxonomy_id"):
        records = [r for r in records if r["taxonomy_id"] == request.args["taxonomy_id"]]
    return jsonify(_page(records))


@bp.route("/hsds/taxonomy_terms/<record_id>")
@role_required(*READERS)
def hsds_taxonomy_term(record_id: str):
    tables = _tables()
    return jsonify(writing.nest("taxonomy_term", _one(tables["taxonomy_term"], record_id, "taxonomy_term"), tables))


document("/api/v1/hsds/export.zip", {"get": {
    "summary": "HSDS: the whole directory as a CSV tabular package with its datapackage.json (zip)",
    "responses": {"200": {"description": "The package", "content": {"application/zip": {
        "schema": {"type": "string", "format": "binary"}}}}, **error_responses(401, 403, 503)},
}})


@bp.route("/hsds/export.zip")
@role_required(*READERS)
def hsds_export_zip():
    data = writing.zip_bytes(_tables(), service.TITLE)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": "attachment; filename=reseau-ei-hsds.zip"})


document("/api/v1/hsds/export.json", {"get": {
    "summary": "HSDS: the whole directory as one page of fully nested organizations with their services",
    "responses": _ok("The directory", _page_schema("compiled/organization.json")),
}})


@bp.route("/hsds/export.json")
@role_required(*READERS)
def hsds_export_json():
    response = jsonify(writing.json_document(_tables()))
    response.headers["Content-Disposition"] = "attachment; filename=reseau-ei-hsds.json"
    return response
