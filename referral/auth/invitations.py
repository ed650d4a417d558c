"""Choosing a password from a signed link: an invitation (admins; coordinators for the people of their
territory) or « Mot de passe oublié ? ». The links themselves: referral/auth/links.py; sending them:
referral/auth/mail.py.

No Flask, no Cypher: repositories come from `repository(cls)`. A reset is asked for an active account
only, and the caller answers the same whatever happens here. Setting the password ends every session of
the account (graph/repositories/users.py) and makes the link, and any older one, useless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.security import generate_password_hash

from graph.repositories.notifications import NotificationRepository
from graph.repositories.staff import StaffRepository, current_territories
from graph.repositories.users import AccountTaken, UserRepository
from referral import policy
from referral.auth import messages
from referral.auth.links import INVITE, RESET, LinkRefused, fingerprint, make_link_token, read_link_token
from referral.auth.passwords import unusable_hash
from referral.service_errors import CONFLICT, INVALID, Refused, ServiceError


@dataclass(frozen=True)
class Letter:
    """What to send: a link of `purpose` to `to`, in `locale`."""

    purpose: str
    account: str
    to: str
    token: str
    name: str | None = None
    locale: str = "fr"


def _error(kind: str, code: str, message) -> ServiceError:
    return ServiceError(kind, code, str(message), {"email": str(message)})


def may_invite(principal: policy.Principal, person: dict | None, role: str) -> bool:
    return policy.may_invite(principal, current_territories(person) if person else None, role)


class PasswordLinks:
    def __init__(self, repository: Callable, secret_key: str):
        self.repository = repository
        self.secret_key = secret_key

    def _users(self) -> UserRepository:
        return self.repository(UserRepository)

    def _letter(self, account: dict, purpose: str) -> Letter:
        recipient = {}
        if account.get("person"):
            recipient = self.repository(NotificationRepository).recipients([account["person"]]).get(
                account["person"], {})
        return Letter(purpose, account["id"], account["email"], make_link_token(self.secret_key, purpose, account),
                      recipient.get("name"), recipient.get("locale") or "fr")

    # --- using a link --------------------------------------------------------------------------------

    def reset_letter(self, email: str) -> Letter | None:
        """The reset link of the active account with this e-mail; None when there is none."""
        account = self._users().by_email(email)
        return self._letter(account, RESET) if account and account["active"] else None

    def account_for(self, purpose: str, token: str) -> dict:
        """The active account a genuine, unexpired, unused link names; LinkRefused otherwise."""
        account_id, print_ = read_link_token(self.secret_key, purpose, token)
        account = self._users().by_id(account_id)
        if not account or not account["active"]:
            raise LinkRefused("invalid")
        if fingerprint(account["password_hash"]) != print_:
            # Still waiting for its first password: a newer invitation replaced this one.
            raise LinkRefused("replaced" if account["invited"] else "used")
        return account

    def choose_password(self, purpose: str, token: str, password: str) -> dict:
        """The account with its new password (every session of it ended); LinkRefused when the link no longer
        holds — including when another use of it won the race."""
        account = self.account_for(purpose, token)
        if not self._users().replace_password(account["id"], account["password_hash"],
                                              generate_password_hash(password)):
            raise LinkRefused("used")
        return self._users().by_id(account["id"])

    # --- invitations ---------------------------------------------------------------------------------

    def invite(self, principal: policy.Principal, email: str, role: str, territory: str | None, *,
               person_required: bool = True) -> Letter:
        """An account for the directory's person with this e-mail (created with an unusable password), and
        its invitation. Re-inviting an account that never chose a password sends a fresh link (the older
        ones stop working). ServiceError when there is no such person or the account is already in use; Refused
        when the principal may not invite them. `person_required=False` (the command line): an account
        with no person when none has this e-mail."""
        email = email.strip().lower()
        person_id = self._users().person_id_by_email(email)
        person = self.repository(StaffRepository).get(person_id) if person_id else None
        if person is None and person_required:
            raise _error(INVALID, "unknown_person", messages.NO_PERSON)
        if not may_invite(principal, person, role):
            raise Refused
        return self._invite(email, role, territory, person, principal)

    def invite_person(self, principal: policy.Principal, person: dict) -> Letter:
        """From a person's page: as an intervenant.e, in the inviter's territory when the person works there."""
        if not person.get("email"):
            raise _error(INVALID, "no_email", messages.NO_EMAIL)
        if not may_invite(principal, person, policy.INTERVENANT):
            raise Refused
        territories = sorted(current_territories(person))
        territory = principal.territory if principal.territory in territories else next(iter(territories), None)
        return self._invite(person["email"].strip().lower(), policy.INTERVENANT, territory, person, principal)

    def _invite(self, email: str, role: str, territory: str | None, person: dict | None,
                principal: policy.Principal) -> Letter:
        users = self._users()
        account = users.by_email(email) or (users.by_person(person["id"]) if person else None)
        if account and not may_invite(principal, person, account["role"]):
            raise Refused  # re-inviting renews the account as it is: only who could give its role may
        if account:
            if not account["active"]:
                raise _error(CONFLICT, "account_disabled", messages.DISABLED)
            if not account["invited"]:
                raise _error(CONFLICT, "account_exists", messages.HAS_ACCOUNT)
            users.renew_invitation(account["id"], unusable_hash())
            account = users.by_id(account["id"])
        else:
            try:
                account = users.create(email, unusable_hash(), role, territory, person["id"] if person else None,
                                       invited=True)
            except AccountTaken as error:  # invited twice at once: the other one's invitation stands
                raise _error(CONFLICT, "account_exists", messages.HAS_ACCOUNT) from error
        return self._letter(account, INVITE)
