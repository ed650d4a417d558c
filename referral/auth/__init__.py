from flask import Blueprint

bp = Blueprint("auth", __name__)

# sessions before tokens: an expired session is ended before a request's user is looked up.
from referral.auth import link_routes, routes, sessions, tokens  # noqa: E402,F401
