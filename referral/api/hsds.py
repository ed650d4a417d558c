"""GET /api/v1/hsds/…: the directory as the Open Referral HSDS 3 API serves it (read only).

Organizations, services, services at their locations, taxonomies and terms, paginated as HSDS pages and
filtered by the official API's parameters (`search`, `modified_after`…), and the whole directory as a CSV
tabular package (zip) or one nested JSON document. Listed contacts only; evaluators,
who work on pseudonymous data, have no access. HTTP only: the records are referral.hsds.service's,
the same exchange the pages and the CLI use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _

from graph.driver import MONTREAL_ZONE
from interop.hsds import writing
from interop.hsds.spec import HSDS_VERSION, SPEC_URL
from referral.api import bp
from referral.api.schemas import HsdsPageSchema, HsdsRootSchema, shared
from referral.api.validation import page_number, refused_together, whole_number
from referral.auth.users import role_required
from referral.errors import ApiError
from referral.hsds.service import TITLE
from referral.hsds.web import current_exchange
from referral.policy import WORKERS

READERS = WORKERS
MAX_PER_PAGE = 500


def _flag(name: str) -> bool:
    """A boolean parameter; anything else is said (« full=maybe » was read as false), and what is read is what
    the refusal says (yes and no were read too)."""
    raw = request.args.get(name, "").strip().lower()
    if raw not in ("", "1", "true", "0", "false"):
        raise ApiError(400, "bad_request", _("La requête est invalide."), {name: _("true ou false (ou 1 et 0).")})
    return raw in ("1", "true")


def _search() -> str | None:
    return request.args.get("search", "").strip() or None


def _modified_after() -> datetime | None:
    """`modified_after`, ISO 8601; without a time zone, Montréal's."""
    raw = request.args.get("modified_after", "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, "bad_request", _("La requête est invalide."), {
            "modified_after": _("Une date et heure ISO 8601, par exemple 2025-03-31T09:00 (heure de Montréal) ou "
                                "2025-03-31T13:00:00Z.")}) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(MONTREAL_ZONE))


def _service_filters() -> tuple:
    """What the services' lists are filtered by, in the order HsdsExchange takes it."""
    return (request.args.get("organization_id"), request.args.get("taxonomy_term_id"), _flag("full"), _search(),
            _modified_after())


def _page(read: Callable[[], list]) -> dict:
    """One page of what `read` finds, every parameter checked first and every bad one named in one answer
    (page=0 went unsaid beside a bad modified_after)."""
    errors, found = [], []
    for check in (lambda: _flag("full"), lambda: _flag("full_service"), _modified_after, page_number,
                  lambda: whole_number("per_page", 50, MAX_PER_PAGE)):
        try:
            found.append(check())
        except ApiError as error:
            errors.append(error)
    if errors:
        raise refused_together(errors)
    number, per_page = found[-2:]
    records = read()
    start = (number - 1) * per_page
    return shared(HsdsPageSchema).dump(writing.page(records[start:start + per_page], number, per_page,
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
    return jsonify(shared(HsdsRootSchema).dump({"version": HSDS_VERSION, "profile": SPEC_URL,
                                                "openapi_url": url_for("api.openapi", _external=True)}))


@bp.route("/hsds/organizations")
@role_required(*READERS)
def hsds_organizations():
    """Organizations.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: organizations, paginated (full_service=true nests their full services)"
      parameters: [Search, Page, PerPage, {name: full_service, in: query, schema: {type: boolean}}]
      page_of: organization
      errors: [400, 401, 403, 422, 503]
    """
    return jsonify(_page(lambda: current_exchange().organizations(_flag("full_service"), _search())))


@bp.route("/hsds/organizations/<record_id>")
@role_required(*READERS)
def hsds_organization(record_id: str):
    """One organization.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: one organization, fully nested"
      parameters: [RecordId]
      record_of: organization
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
      parameters: [Search, ModifiedAfter, Page, PerPage, Full, OrganizationId, TaxonomyTermId]
      page_of: service
      errors: [400, 401, 403, 422, 503]
    """
    return jsonify(_page(lambda: current_exchange().services(*_service_filters())))


@bp.route("/hsds/services/<record_id>")
@role_required(*READERS)
def hsds_service(record_id: str):
    """One service.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: one service, fully nested (its organization, locations, schedules, terms…)"
      parameters: [RecordId]
      record_of: service
      errors: [401, 403, 404, 503]
    """
    return jsonify(current_exchange().service(record_id))


@bp.route("/hsds/service_at_locations")
@role_required(*READERS)
def hsds_service_at_locations():
    """Services at their locations.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: each service where it is offered, paginated (full=true nests the service and the location)"
      parameters: [Search, ModifiedAfter, Page, PerPage, Full, OrganizationId, TaxonomyTermId]
      page_of: service_at_location
      errors: [400, 401, 403, 422, 503]
    """
    return jsonify(_page(lambda: current_exchange().service_at_locations(*_service_filters())))


@bp.route("/hsds/service_at_locations/<record_id>")
@role_required(*READERS)
def hsds_service_at_location(record_id: str):
    """One service at its location.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: one service at its location, fully nested (the location, the full service)"
      parameters: [RecordId]
      record_of: service_at_location
      errors: [401, 403, 404, 503]
    """
    return jsonify(current_exchange().service_at_location(record_id))


@bp.route("/hsds/taxonomies")
@role_required(*READERS)
def hsds_taxonomies():
    """Taxonomies.
    ---
    get:
      tags: [hsds]
      summary: "HSDS: taxonomies, paginated (our needs, sectors and kinds of institution)"
      parameters: [Search, Page, PerPage]
      page_of: taxonomy
      errors: [400, 401, 403, 422, 503]
    """
    return jsonify(_page(lambda: current_exchange().taxonomies(_search())))


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
      parameters: [Search, Page, PerPage, TaxonomyId]
      page_of: taxonomy_term
      errors: [400, 401, 403, 422, 503]
    """
    return jsonify(_page(lambda: current_exchange().taxonomy_terms(request.args.get("taxonomy_id"), _search())))


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
      page_of: organization
      errors: [401, 403, 503]
    """
    response = jsonify(writing.json_document(current_exchange().export_tables()))
    response.headers["Content-Disposition"] = "attachment; filename=reseau-ei-hsds.json"
    return response
