"""« Qui appeler ? »: find a named contact by need, territory, language and distance."""

from flask import Blueprint

bp = Blueprint("search", __name__)

from referral.search import routes  # noqa: E402,F401
