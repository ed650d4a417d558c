"""An account's own credentials, shared by the login and logout pages, the profile and the `user token`
command: logging in (as long for an unknown e-mail as for a known one), ending every session, changing the
password, and API tokens — kept as their SHA-256 only (a token is 32 random bytes: no salt or slow hash
needed), their last use noted once a minute at most.

No Flask, no Cypher: repositories come from `repository(cls)`. Changing the password ends every session of
the account (graph/repositories/users.py moves its session epoch on): the caller logs the current one in
again (referral/auth/sessions.py)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from werkzeug.security import generate_password_hash

from graph.repositories.users import UserRepository
from referral.auth.passwords import password_matches

# `last used` is for people reading their token list: a write per minute at most, not one per request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, repository: Callable):
        self.repository = repository

    def _users(self) -> UserRepository:
        return self.repository(UserRepository)

    def authenticate(self, email: str, password: str) -> dict | None:
        """The active account with this e-mail and password, else None. The hash is checked even for an
        unknown or disabled account: every answer takes as long."""
        record = self._users().by_email(email)
        if password_matches(record, password) and record.get("active"):
            return record
        return None

    def end_sessions(self, account_id: str) -> None:
        """Every session and remember cookie of the account, on every device."""
        self._users().end_sessions(account_id)

    def change_password(self, account_id: str, current: str, new: str) -> dict | None:
        """The account as it is after the change (every session and API token of it ended, as after a reset:
        one changes a password after a doubt), or None when `current` is not its password (nothing changed)."""
        users = self._users()
        account = users.by_id(account_id)
        if not password_matches(account, current):
            return None
        if not users.replace_password(account_id, account["password_hash"], generate_password_hash(new)):
            return None  # changed meanwhile, from another session: `current` is no longer its password
        return users.by_id(account_id)

    # --- API tokens ----------------------------------------------------------------------------------

    def tokens(self, account_id: str) -> list[dict]:
        return self._users().tokens(account_id)

    def issue_token(self, account_id: str, name: str, scope: str, now: datetime, lifetime: timedelta) -> str:
        """A new token for the account, beside its others, returned once."""
        token = "ei_" + secrets.token_urlsafe(32)
        self._users().add_token(account_id, hash_token(token), name, scope, now, now + lifetime)
        return token

    def revoke_token(self, account_id: str, token_id: str) -> bool:
        """False when the account has no such token (another account's is not revoked)."""
        return self._users().revoke_token(account_id, token_id)

    def token_account(self, token: str, now: datetime) -> dict | None:
        """The active account of an unexpired, unrevoked token, with the token as `token` ({id, scope,
        noted}); None otherwise. Its last use is written once a minute at most."""
        users = self._users()
        record = users.by_token_hash(hash_token(token), now, now - LAST_USED_PRECISION)
        if not record or not record.get("active", True):
            return None
        if not record["token"]["noted"]:
            users.token_used(record["token"]["id"], now)
        return record
