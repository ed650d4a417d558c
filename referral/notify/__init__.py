"""E-mail notifications of the referral loop: the outbox's rules (service.py), composing (compose.py),
sending (mailer.py, dispatch.py), the page a link in each message opens to choose what one receives, and
`flask --app app notify due`."""

from flask import Blueprint

bp = Blueprint("notify", __name__, url_prefix="/courriels")

from referral.notify import routes  # noqa: E402,F401
