from flask import Blueprint

bp = Blueprint("territories", __name__, url_prefix="/territoires")

from referral.territories import routes  # noqa: E402,F401
