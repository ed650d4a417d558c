"""Accounts, as the administration keeps them: listing, creating, disabling and enabling, changing a role
and its territory scope — each change but a creation ends every session of the account, which then acts
under its new rights. Nobody changes their own role. Admins only (Refused otherwise).

No Flask, no Cypher: repositories come from `repository(cls)`; a refused change raises ServiceError, worded by
messages.py, with the form field at fault."""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.security import generate_password_hash

from graph.repositories.notifications import NotificationRepository
from graph.repositories.territories import TerritoryRepository
from graph.repositories.users import AccountTaken, UserRepository
from referral import policy
from referral.admin import messages
from referral.service_errors import CONFLICT, FORBIDDEN, INVALID, Refused, ServiceError


def _error(kind: str, code: str, field: str, message) -> ServiceError:
    return ServiceError(kind, code, str(message), {field: str(message)})


class Administration:
    def __init__(self, principal: policy.Principal, repository: Callable, account_id: str):
        if not policy.may_open(principal, policy.ADMINS):
            raise Refused
        self.repository = repository
        self.account_id = account_id  # the administrator's own account

    def _users(self) -> UserRepository:
        return self.repository(UserRepository)

    def territories(self) -> list[dict]:
        return self.repository(TerritoryRepository).list()

    def accounts(self) -> list[dict]:
        return self._users().list()

    def notifications(self) -> list[dict]:
        """The latest e-mail notifications and where each stands (sent, waiting, failed and why)."""
        return self.repository(NotificationRepository).recent()

    def create(self, email: str, password: str, role: str, territory: str | None, person: str | None) -> dict:
        """The new account; ServiceError on `email` when it is taken, on `person` when no person has that id."""
        try:
            return self._users().create(email, generate_password_hash(password), role, territory, person)
        except AccountTaken as error:
            raise _error(CONFLICT, "email_taken", "email", messages.EMAIL_TAKEN) from error
        except LookupError as error:
            raise _error(INVALID, "unknown_person", "person", messages.UNKNOWN_PERSON) from error

    def toggle_active(self, account_id: str) -> bool:
        """Disable an active account (its sessions end), or enable a disabled one; False when there is none.
        ServiceError for the account of a record merged into another: it is tied to no one any more."""
        record = self._users().by_id(account_id)
        if not record:
            return False
        if record.get("merged_away") and not record["active"]:
            raise _error(CONFLICT, "merged_away", "active", messages.MERGED_AWAY)
        self._users().update(account_id, active=not record["active"])
        return True

    def check_role_change(self, account_id: str) -> None:
        """ServiceError (forbidden) for one's own account: another administrator changes it."""
        if account_id == self.account_id:
            raise _error(FORBIDDEN, "own_role", "role", messages.OWN_ROLE)

    def change_role(self, account_id: str, role: str, territory: str | None) -> bool:
        """False when there is no such account."""
        self.check_role_change(account_id)
        if not self._users().by_id(account_id):
            return False
        self._users().update(account_id, role=role, territory=territory)
        return True
