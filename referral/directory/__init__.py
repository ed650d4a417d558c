from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/repertoire")

from referral.directory import routes  # noqa: E402,F401
