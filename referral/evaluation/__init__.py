"""Evaluation: network growth before / after each cohort, on pseudonymous data; survey waves."""

from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")

from referral.evaluation import routes, wave_admin_routes, wave_routes  # noqa: E402,F401
