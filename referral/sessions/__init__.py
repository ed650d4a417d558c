"""EI sessions as a facilitator runs them: who came (on a phone, during the session) and the ties first made
there."""

from flask import Blueprint

bp = Blueprint("sessions", __name__, url_prefix="/seances")

from referral.sessions import routes  # noqa: E402,F401
