"""The logged-in user, role checks and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from functools import wraps

from flask import abort, request
from flask_login import UserMixin, current_user

from graph.repositories.users import UserRepository
from referral.extensions import login_manager
from referral.graphdb import repo


class User(UserMixin):
    def __init__(self, record: dict):
        self.record = record
        self.id = record["id"]
        self.email = record["email"]
        self.role = record["role"]
        self.territory = record.get("territory")
        self.person_id = record.get("person")
        self.person_name = record.get("person_name")

    @property
    def is_active(self) -> bool:
        return bool(self.record.get("active", True))

    def can_edit_territory(self, territory_id: str | None) -> bool:
        """Admins everywhere; coordinators in their territory, or everywhere when unscoped."""
        if self.role == "admin":
            return True
        return self.role == "coordinator" and (self.territory is None or self.territory == territory_id)

    @property
    def sees_names(self) -> bool:
        # Evaluators work on pseudonymous data only.
        return self.role != "evaluator"


@login_manager.user_loader
def load_user(user_id: str):
    record = repo(UserRepository).by_id(user_id)
    return User(record) if record and record.get("active", True) else None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "ei_" + secrets.token_urlsafe(32)


@login_manager.request_loader
def load_user_from_token(req):
    """Scripts send `Authorization: Bearer <token>`; only the token's hash is stored."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    record = repo(UserRepository).by_token_hash(hash_token(header[7:].strip()))
    return User(record) if record and record.get("active", True) else None


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
