"""API tokens for scripts: `Authorization: Bearer <token>` under /api/ only, with a scope and an expiry.

A token never opens an HTML page: there the header is ignored and the session decides. What a token is
and how it is kept: referral/auth/service.py.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from referral.auth import bp
from referral.auth.service import Accounts
from referral.auth.users import User
from referral.clock import utc_now
from referral.errors import ApiError
from referral.extensions import login_manager
from referral.graphdb import repo

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def issue_token(user_id: str, name: str, scope: str, days: int | None = None) -> str:
    """A new token for the account, returned once; it expires after `days` (API_TOKEN_DAYS by default)."""
    lifetime = timedelta(days=days or current_app.config["API_TOKEN_DAYS"])
    return Accounts(repo).issue_token(user_id, name, scope, utc_now(), lifetime)


@login_manager.request_loader
def load_user_from_token(req):
    """Asked only when there is no session user; None (so 401 JSON) for an unknown, expired or revoked token."""
    scheme, _space, token = req.headers.get("Authorization", "").partition(" ")
    if not req.path.startswith("/api/") or scheme.lower() != "bearer":  # a scheme is case-insensitive (RFC 9110)
        return None
    record = Accounts(repo).token_account(token.strip(), utc_now())
    return User(record, token_scope=record["token"]["scope"]) if record else None


@bp.before_app_request
def read_tokens_only_read():
    if request.method in READ_METHODS or not request.path.startswith("/api/"):
        return
    if getattr(current_user, "token_scope", None) == "read":
        raise ApiError(403, "read_only_token", _("Ce jeton d'API permet seulement de lire : créez un jeton "
                                                 "« lecture et écriture » dans votre profil pour modifier."))
