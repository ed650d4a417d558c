"""Warm referrals, followed to their outcome: send, receive, accept or decline, close."""

from flask import Blueprint

bp = Blueprint("referrals", __name__, url_prefix="/references")

from referral.referrals import routes  # noqa: E402,F401
