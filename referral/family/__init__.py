"""« Fiche pour la famille »: a one-page sheet a family takes to the person it is referred to."""

from flask import Blueprint

bp = Blueprint("family", __name__, url_prefix="/fiche-famille")

from referral.family import routes  # noqa: E402,F401
