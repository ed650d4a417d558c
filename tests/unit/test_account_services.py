"""The accounts' services on their own, with stand-in repositories (no Neo4j, no Flask app): logging in, API
tokens, the administration of accounts, one's own profile; and the layers of issue 14 — pages, forms and the
API call no repository, services import no Flask."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from graph.repositories.people import PersonRepository
from graph.repositories.users import AccountTaken, UserRepository
from referral.admin.service import Administration
from referral.auth.service import Accounts, hash_token
from referral.policy import Principal
from referral.profile.service import Profile
from referral.service_errors import FORBIDDEN, NotFound, Refused, ServiceError

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2025, 10, 8, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
HASH = generate_password_hash("correct horse battery staple")


class FakeUsers:
    def __init__(self, *records: dict):
        self.records = {r["id"]: dict(r) for r in records}
        self.updates, self.used, self.added = [], [], []

    def by_id(self, user_id):
        return self.records.get(user_id)

    def by_email(self, email):
        return next((r for r in self.records.values() if r["email"] == email), None)

    def update(self, user_id, **fields):
        self.updates.append((user_id, fields))
        self.records[user_id].update(fields)

    def replace_password(self, user_id, expected_hash, password_hash):
        """Compare and set, as the graph does under the account's lock."""
        if self.records[user_id]["password_hash"] != expected_hash:
            return False
        self.update(user_id, password_hash=password_hash)
        return True

    def by_token_hash(self, token_hash, now, noted_since):
        """As the graph answers: whether the token's last use is `noted_since` or later, not its date."""
        return next(({**r, "token": {**r["token"], "noted": (r["token"]["last_used"] or noted_since - SECOND)
                                     >= noted_since}}
                     for r in self.records.values() if r.get("token", {}).get("hash") == token_hash), None)

    def token_used(self, token_id, now):
        self.used.append(token_id)

    def add_token(self, user_id, token_hash, name, scope, created, expires):
        self.added.append((user_id, token_hash, name, scope, created, expires))

    def create(self, email, password_hash, role, territory, person):
        if self.by_email(email):
            raise AccountTaken(email)
        if person == "nobody":
            raise LookupError(person)
        self.records["new"] = {"id": "new", "email": email, "password_hash": password_hash}
        return self.records["new"]


def account(user_id="u-1", active=True, **more):
    return {"id": user_id, "email": f"{user_id}@example.org", "password_hash": HASH, "active": active, **more}


@pytest.mark.parametrize("email,password,active,logged_in", [
    ("u-1@example.org", "correct horse battery staple", True, True),
    ("u-1@example.org", "correct horse battery staple", False, False),
    ("u-1@example.org", "wrong", True, False),
    ("nobody@example.org", "correct horse battery staple", True, False),
])
def test_only_an_active_account_with_its_password_logs_in(email, password, active, logged_in):
    accounts = Accounts(lambda cls: FakeUsers(account(active=active)))
    assert (accounts.authenticate(email, password) is not None) is logged_in


def test_changing_the_password_needs_the_current_one():
    users = FakeUsers(account())
    accounts = Accounts(lambda cls: users)
    assert accounts.change_password("u-1", "wrong", "new password") is None and users.updates == []
    changed = accounts.change_password("u-1", "correct horse battery staple", "a new long passphrase")
    assert check_password_hash(changed["password_hash"], "a new long passphrase")


def test_a_token_is_kept_as_its_hash_and_expires():
    users = FakeUsers(account())
    token = Accounts(lambda cls: users).issue_token("u-1", "script", "read", NOW, timedelta(days=90))
    assert token.startswith("ei_") and users.added == [("u-1", hash_token(token), "script", "read", NOW,
                                                        NOW + timedelta(days=90))]


@pytest.mark.parametrize("last_used,noted", [(None, True), (NOW - timedelta(minutes=2), True),
                                             (NOW - timedelta(seconds=30), False)])
def test_a_tokens_last_use_is_noted_once_a_minute_at_most(last_used, noted):
    users = FakeUsers(account(token={"id": "t-1", "hash": hash_token("ei_x"), "scope": "read",
                                     "last_used": last_used}))
    found = Accounts(lambda cls: users).token_account("ei_x", NOW)
    assert found["token"]["scope"] == "read" and (users.used == ["t-1"]) is noted


def test_a_disabled_accounts_token_opens_nothing():
    users = FakeUsers(account(active=False, token={"id": "t-1", "hash": hash_token("ei_x"), "scope": "read",
                                                   "last_used": None}))
    accounts = Accounts(lambda cls: users)
    assert accounts.token_account("ei_x", NOW) is None and accounts.token_account("ei_other", NOW) is None


ADMIN = Principal("admin")


@pytest.mark.parametrize("principal", [Principal("coordinator"), Principal("intervenant", "mn", "p"),
                                       Principal("evaluator")])
def test_only_admins_administer_accounts(principal):
    with pytest.raises(Refused):
        Administration(principal, lambda cls: FakeUsers(), "u-1")


def test_nobody_changes_their_own_role():
    users = FakeUsers(account("u-admin"), account("u-2"))
    administration = Administration(ADMIN, lambda cls: users, "u-admin")
    with pytest.raises(ServiceError) as error:
        administration.change_role("u-admin", "intervenant", None)
    assert error.value.kind == FORBIDDEN and users.updates == []
    assert administration.change_role("u-2", "coordinator", "mn")
    assert not administration.change_role("u-missing", "coordinator", "mn")
    assert users.updates == [("u-2", {"role": "coordinator", "territory": "mn"})]


def test_a_new_account_is_refused_on_the_field_at_fault():
    administration = Administration(ADMIN, lambda cls: FakeUsers(account()), "u-admin")
    for email, person, field in (("u-1@example.org", None, "email"), ("new@example.org", "nobody", "person")):
        with pytest.raises(ServiceError) as error:
            administration.create(email, "a long passphrase", "intervenant", None, person)
        assert list(error.value.fields) == [field]
    created = administration.create("new@example.org", "a long passphrase", "intervenant", None, None)
    assert check_password_hash(created["password_hash"], "a long passphrase")


def test_disabling_flips_the_account_and_ignores_unknown_ones():
    users = FakeUsers(account())
    administration = Administration(ADMIN, lambda cls: users, "u-admin")
    assert administration.toggle_active("u-1") and users.records["u-1"]["active"] is False
    assert not administration.toggle_active("u-missing")


class FakePeople:
    def __init__(self):
        self.erased = []

    def get(self, person_id):
        return {"id": person_id} if person_id == "p-1" else None

    def erase(self, person_id):
        self.erased.append(person_id)


def test_an_account_that_is_no_person_has_no_profile():
    people = FakePeople()
    repositories = {PersonRepository: people, UserRepository: FakeUsers()}
    assert Profile(Principal("intervenant", "mn", "p-1"), repositories.get).person() == {"id": "p-1"}
    for principal in (Principal("admin"), Principal("intervenant", "mn", "p-gone")):
        with pytest.raises(NotFound):
            Profile(principal, repositories.get).person()
    with pytest.raises(NotFound):
        Profile(Principal("admin"), repositories.get).erase()
    assert people.erased == []
