from flask import Blueprint

bp = Blueprint("profile", __name__, url_prefix="/profil")

from referral.profile import routes  # noqa: E402,F401
