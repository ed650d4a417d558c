"""« Mon réseau »: the people I know, by how we met; ties I declare and confirm; my referrals."""

from flask import Blueprint

bp = Blueprint("network", __name__, url_prefix="/reseau")

from referral.network import routes  # noqa: E402,F401
