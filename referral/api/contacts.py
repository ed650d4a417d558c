"""GET /api/v1/contacts: the search of « Qui appeler ? », the same form and service as the page."""

from __future__ import annotations

from flask import jsonify

from referral import policy
from referral.api import bp
from referral.api.schemas import ContactPageSchema, shared
from referral.api.validation import form_error
from referral.auth.users import role_required
from referral.search import web


def contact_json(result) -> dict:
    organisation = result.organisation
    return {
        "id": result.id, "name": result.name, "role": result.role, "title": result.title,
        "organisation": {"id": organisation["id"], "name": organisation["name"],
                         "address": organisation.get("address"), "phone": organisation.get("phone"),
                         "territory": (result.territory or {}).get("id")},
        "services": [{"id": s["id"], "name": s["name"], "hours": s.get("hours"), "languages": s.get("languages") or []}
                     for s in result.services],
        "languages": result.languages, "phone": result.phone, "email": result.email,
        "distance_km": result.distance_km, "score": result.score, "reasons": result.reasons, "path": result.path,
        "not_accepting_until": result.not_accepting_until.isoformat() if result.not_accepting_until else None,
    }


@bp.route("/contacts")
@role_required(*policy.WORKERS)
def contacts():
    """Find named contacts for a family's need, best first.
    ---
    get:
      summary: Find named contacts for a family's need, best first
      description: Best first is, in this order, people taking referrals now, then their fit to the need (an
        expertise in it and a service for it, then one of the two), then `score` (trust, language, distance,
        territory, successful referrals) — so a higher score can follow a better fit (docs/search-and-ranking.md).
      parameters: [SearchForm]
      responses:
        200:
          description: One page of results
          content: {application/json: {schema: ContactPageSchema}}
      errors: [400, 401, 403, 422, 503]
    """
    searching = web.searching()
    form = web.search_form(searching)
    page = web.run(form, searching)
    if page is None:
        raise form_error(form)
    return jsonify(shared(ContactPageSchema).dump({"results": [contact_json(r) for r in page.results],
                                                   "page": page.page, "total": page.total,
                                                   "total_exact": page.exact}))
