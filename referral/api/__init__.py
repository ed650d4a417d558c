"""JSON API under /api/v1/, described by /api/v1/openapi.json; same login as the pages, or a token."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from referral.api import cohorts, contacts, evaluation, hsds, referrals, routes, sessions  # noqa: E402,F401
