"""API tokens for scripts: `Authorization: Bearer <token>` under /api/ only, with a scope and an expiry.

Only a token's SHA-256 is stored (a token is 32 random bytes: no salt or slow hash needed). A token never
opens an HTML page: there the header is ignored and the session decides.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from graph.repositories.users import UserRepository
from referral.auth import bp
from referral.auth.users import User
from referral.clock import utc_now
from referral.errors import ApiError
from referral.extensions import login_manager
from referral.graphdb import repo

READ_METHODS = ("GET", "HEAD", "OPTIONS")
# `last used` is for people reading their token list: a write per minute at most, not one per request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user_id: str, name: str, scope: str, days: int | None = None) -> str:
    """A new token for the account, returned once; it expires after `days` (API_TOKEN_DAYS by default)."""
    token = "ei_" + secrets.token_urlsafe(32)
    now = utc_now()
    lifetime = timedelta(days=days or current_app.config["API_TOKEN_DAYS"])
    repo(UserRepository).add_token(user_id, hash_token(token), name, scope, now, now + lifetime)
    return token


@login_manager.request_loader
def load_user_from_token(req):
    """Asked only when there is no session user; None (so 401 JSON) for an unknown, expired or revoked token."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.startswith("Bearer "):
        return None
    now = utc_now()
    record = repo(UserRepository).by_token_hash(hash_token(header[7:].strip()), now)
    if not record or not record.get("active", True):
        return None
    token = record["token"]
    if token["last_used"] is None or now - token["last_used"] > LAST_USED_PRECISION:
        repo(UserRepository).token_used(token["id"], now)
    return User(record, token_scope=token["scope"])


@bp.before_app_request
def read_tokens_only_read():
    if request.method in READ_METHODS or not request.path.startswith("/api/"):
        return
    if getattr(current_user, "token_scope", None) == "read":
        raise ApiError(403, "read_only_token", _("Ce jeton d'API permet seulement de lire : créez un jeton "
                                                 "« lecture et écriture » dans votre profil pour modifier."))
