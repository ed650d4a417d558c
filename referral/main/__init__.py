from flask import Blueprint

bp = Blueprint("main", __name__)

from referral.main import routes  # noqa: E402,F401
