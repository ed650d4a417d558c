"""GET /api/v1/contacts: the search of « Qui appeler ? », the same form and service as the page."""

from __future__ import annotations

from flask import jsonify

from referral import policy
from referral.api import bp
from referral.api.openapi import document, error_responses
from referral.api.validation import form_error
from referral.auth.users import role_required
from referral.search import web

PERSON_REF = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
              "required": ["id", "name"]}
CONTACT_SCHEMA = {
    "type": "object",
    "required": ["id", "name", "role", "organisation", "services", "languages", "phone", "email",
                 "distance_km", "score", "reasons", "path"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "role": {"type": "string", "nullable": True, "description": "Role code, e.g. intervenant_social"},
        "organisation": {"type": "object", "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "address": {"type": "string", "nullable": True},
            "phone": {"type": "string", "nullable": True}, "territory": {"type": "string", "nullable": True}}},
        "services": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "hours": {"type": "string", "nullable": True},
            "languages": {"type": "array", "items": {"type": "string"}}}}},
        "languages": {"type": "array", "items": {"type": "string"}, "description": "ISO 639 codes"},
        "phone": {"type": "string", "nullable": True},
        "email": {"type": "string", "nullable": True},
        "distance_km": {"type": "number", "nullable": True,
                        "description": "From `near`, else from the searcher's organisation"},
        "score": {"type": "number", "description": "0–100; the weights: docs/search-and-ranking.md"},
        "reasons": {"type": "array", "items": {"type": "string"},
                    "description": "Why this person, in words, in the language of Accept-Language"},
        "path": {"type": "array", "items": PERSON_REF,
                 "description": "Searcher → (introducer →) contact when they are linked by at most 2 ties"},
    },
}
document("/api/v1/contacts", {"get": {
    "summary": "Find named contacts for a family's need, best first",
    "parameters": [
        {"name": "need", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 120},
         "description": "A need id of the taxonomy (e.g. mental-health) or free text, accent- and typo-tolerant"},
        {"name": "territory", "in": "query", "schema": {"type": "string"},
         "description": "A territory id (mn, vsp, abc, asl, prsl, cdn) or `all`; default: the user's territory"},
        {"name": "language", "in": "query", "schema": {"type": "string"},
         "description": "ISO 639 code of the family's language (e.g. ar); keeps people who speak it or whose "
                        "matching service is offered in it"},
        {"name": "near", "in": "query", "schema": {"type": "string", "maxLength": 120},
         "description": "The family's postal code (or an address when online geocoding is enabled)"},
        {"name": "max_km", "in": "query", "schema": {"type": "number", "minimum": 0.5, "maximum": 50}},
        {"name": "open_now", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]},
         "description": "1: only people whose matching service is open now (Montréal time)"},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1},
         "description": "Pages of 10 results"},
    ],
    "responses": {
        "200": {"description": "One page of results", "content": {"application/json": {"schema": {
            "type": "object", "required": ["results", "page", "total"],
            "properties": {"results": {"type": "array", "items": CONTACT_SCHEMA},
                           "page": {"type": "integer"},
                           "total": {"type": "integer", "description": "People who match (at least this many "
                                                                       "when total_exact is false)"},
                           "total_exact": {"type": "boolean", "description": "false when the search stopped "
                                           "once the page was settled: less likely matches were not counted"}}}}}},
        **error_responses(400, 401, 403, 422, 503),
    },
}})


def contact_json(result) -> dict:
    organisation = result.organisation
    return {
        "id": result.id, "name": result.name, "role": result.role,
        "organisation": {"id": organisation["id"], "name": organisation["name"],
                         "address": organisation.get("address"), "phone": organisation.get("phone"),
                         "territory": (result.territory or {}).get("id")},
        "services": [{"id": s["id"], "name": s["name"], "hours": s.get("hours"), "languages": s.get("languages") or []}
                     for s in result.services],
        "languages": result.languages, "phone": result.phone, "email": result.email,
        "distance_km": result.distance_km, "score": result.score, "reasons": result.reasons, "path": result.path,
    }


@bp.route("/contacts")
@role_required(*policy.WORKERS)
def contacts():
    searching = web.searching()
    form = web.search_form(searching)
    page = web.run(form, searching)
    if page is None:
        raise form_error(form)
    return jsonify({"results": [contact_json(r) for r in page.results], "page": page.page, "total": page.total,
                    "total_exact": page.exact})
