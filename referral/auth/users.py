"""The logged-in user, how a session or remember cookie names them, and role checks."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import UserMixin, current_user

from graph.repositories.users import UserRepository
from referral import policy
from referral.clock import utc_now
from referral.extensions import login_manager
from referral.graphdb import repo


class User(UserMixin):
    def __init__(self, record: dict, logged_in_at: int | None = None, token_scope: str | None = None):
        self.record = record
        self.id = record["id"]
        self.epoch = record.get("session_epoch", 0)
        self.logged_in_at = logged_in_at  # seconds since the epoch; None when the API token is the login
        self.token_scope = token_scope  # "read" or "read-write" when logged in by an API token
        self.email = record["email"]
        self.role = record["role"]
        self.territory = record.get("territory")
        self.person_id = record.get("person")
        self.person_name = record.get("person_name")
        self.to_handle = record.get("to_handle")  # read with the session's account; None otherwise

    def get_id(self) -> str:
        """Flask-Login's "alternative id", kept in the session and the remember cookie: the account, its
        session epoch and the login time, so both die when the epoch moves on or the login gets too old."""
        return f"{self.id}:{self.epoch}:{self.logged_in_at}"

    @property
    def is_active(self) -> bool:
        return bool(self.record.get("active", True))

    @property
    def sees_names(self) -> bool:
        return policy.sees_names(policy.Principal.of(self))

    @property
    def may_refer(self) -> bool:
        return policy.may_refer(policy.Principal.of(self))


@login_manager.user_loader
def load_user(session_id: str):
    """None (logged out) for an id of an older epoch, an older format, or a login older than a remember
    cookie may live."""
    try:
        user_id, epoch, logged_in_at = session_id.rsplit(":", 2)
        epoch, logged_in_at = int(epoch), int(logged_in_at)
    except ValueError:
        return None
    if utc_now().timestamp() - logged_in_at > current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds():
        return None
    from referral.referrals.machine import OPEN_STATUSES  # the referrals blueprint imports this module

    record = repo(UserRepository).of_session(user_id, list(OPEN_STATUSES))
    if not record or not record.get("active", True) or record["session_epoch"] != epoch:
        return None
    return User(record, logged_in_at)


def role_required(*roles: str):
    """Server-side role check for pages and API alike: 401 when anonymous, 403 when the role is wrong."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    abort(401)
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
