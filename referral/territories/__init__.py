from flask import Blueprint

bp = Blueprint("territories", __name__, url_prefix="/territoires")

from referral.territories import boundary_routes, routes  # noqa: E402,F401
