"""Accounts: who can log in, with which role and territory scope; their sessions' epoch and API tokens.

A session or remember-me cookie names the account's `session_epoch` of its login: raising it ends every
session of the account at once. API tokens are their own nodes, (:User)-[:HAS_TOKEN]->(:ApiToken), holding
only the token's hash. An invited account (`invited: true`) has an unusable random password hash until its
person chooses a password; setting one removes the mark.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from neo4j import ManagedTransaction
from neo4j.exceptions import ConstraintError

from graph.driver import Repository, epoch_millis
from graph.locks import write_lock


class AccountTaken(Exception):
    """An account already has this e-mail (the user_email constraint refused the write): nothing written."""

TOKEN_SCOPES = ("read", "read-write")
# Changing any of these ends the account's sessions: who it is, what it may do, or whether it may log in.
SESSION_ENDING_FIELDS = ("role", "territory", "active", "password_hash")

USER_FIELDS = """
    u {.id, .email, .password_hash, .role, .territory, .active, .merged_away,
       session_epoch: coalesce(u.session_epoch, 0),
       invited: coalesce(u.invited, false), person: person.id, person_name: person.name}
"""

# The account of an unexpired API token (UserRepository.by_token_hash), read at every API request.
BY_TOKEN_HASH = f"""
MATCH (u:User)-[:HAS_TOKEN]->(t:ApiToken {{hash: $hash}})
WHERE t.expires > datetime({{epochMillis: $now}})
OPTIONAL MATCH (u)-[:IS]->(person:Person)
RETURN {USER_FIELDS} AS user,
       t {{.id, .scope, noted: coalesce(t.last_used >= datetime({{epochMillis: $noted_since}}), false)}} AS token
"""


class UserRepository(Repository):
    def _one(self, match: str, **params) -> dict | None:
        """`match` is one of the fixed patterns below, never user input; values are parameters."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                f"{match} OPTIONAL MATCH (u)-[:IS]->(person:Person) RETURN {USER_FIELDS} AS user", **params
            ).single()
            return record["user"] if record else None

        return self.read(work)

    def by_id(self, user_id: str) -> dict | None:
        return self._one("MATCH (u:User {id: $id})", id=user_id)

    def of_session(self, user_id: str, open_statuses: list[str]) -> dict | None:
        """The account a session names, with `to_handle`: its person's received referrals in `open_statuses`
        (the menu's count). One read for what every page asks: each transaction is a round trip."""

        def work(tx: ManagedTransaction):
            record = tx.run(
                f"""
                MATCH (u:User {{id: $id}}) OPTIONAL MATCH (u)-[:IS]->(person:Person)
                RETURN {USER_FIELDS} AS user,
                       COUNT {{ (person)<-[:TO]-(r:Referral) WHERE r.status IN $open }} AS to_handle
                """, id=user_id, open=open_statuses).single()
            return {**record["user"], "to_handle": record["to_handle"]} if record else None

        return self.read(work)

    def by_email(self, email: str) -> dict | None:
        # E-mails are stored lower-cased, so the lookup uses the uniqueness constraint's index.
        return self._one("MATCH (u:User {email: $email})", email=email.strip().lower())

    def by_person(self, person_id: str) -> dict | None:
        """An account of the person (the oldest by id when there are several)."""
        return self._one("MATCH (u:User)-[:IS]->(:Person {id: $person}) WITH u ORDER BY u.id LIMIT 1",
                         person=person_id)

    def person_id_by_email(self, email: str) -> str | None:
        """The directory's person with this e-mail (stored lower-cased, unique)."""

        def work(tx: ManagedTransaction):
            record = tx.run("MATCH (p:Person {email: $email}) RETURN p.id AS id", email=email.strip().lower()).single()
            return record["id"] if record else None

        return self.read(work)

    def by_token_hash(self, token_hash: str, now: datetime, noted_since: datetime) -> dict | None:
        """The account of an unexpired token, with the token as `token` ({id, scope, noted}): `noted` when
        its last use is `noted_since` or later. Asked at every API request: the instants go as milliseconds
        and `noted` comes back as a flag, because the driver converts each date in Python — the two dates
        cost it more than the rest of the account."""

        def work(tx: ManagedTransaction):
            record = tx.run(BY_TOKEN_HASH, hash=token_hash, now=epoch_millis(now),
                            noted_since=epoch_millis(noted_since)).single()
            return {**record["user"], "token": record["token"]} if record else None

        return self.read(work)

    def list(self) -> list[dict]:
        def work(tx: ManagedTransaction):
            return [
                r["user"]
                for r in tx.run(
                    f"MATCH (u:User) OPTIONAL MATCH (u)-[:IS]->(person:Person) "
                    f"RETURN {USER_FIELDS} AS user ORDER BY u.role, u.email"
                )
            ]

        return self.read(work)

    def create(self, email: str, password_hash: str, role: str, territory: str | None, person: str | None,
               invited: bool = False) -> dict:
        """Raises AccountTaken when the e-mail is taken; LookupError for an unknown person.
        `invited`: the hash is a random one, until the person chooses a password from their invitation."""

        def work(tx: ManagedTransaction):
            if person is not None and not tx.run("MATCH (p:Person {id: $id}) RETURN p", id=person).single():
                raise LookupError(person)
            tx.run(
                """
                CREATE (u:User {id: $id, email: $email, password_hash: $hash, role: $role,
                                territory: $territory, active: true,
                                invited: CASE WHEN $invited THEN true ELSE null END})
                WITH u
                OPTIONAL MATCH (p:Person {id: $person})
                FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (u)-[:IS]->(p))
                """,
                id=f"u-{uuid.uuid4().hex[:12]}", email=email.strip().lower(), hash=password_hash,
                role=role, territory=territory, person=person, invited=invited,
            ).consume()

        try:
            self.write(work)
        except ConstraintError as error:
            raise AccountTaken(email) from error
        return self.by_email(email)

    def update(self, user_id: str, **fields) -> None:
        """Role, territory, active or password changed: every session of the account ends (the caller
        logs the current one in again when it should stay). A password set is no longer an invitation's."""
        allowed = {k: v for k, v in fields.items() if k in SESSION_ENDING_FIELDS}
        if "password_hash" in allowed:
            allowed["invited"] = None  # SET += with null removes the property

        def work(tx: ManagedTransaction):
            tx.run(
                "MATCH (u:User {id: $id}) SET u += $fields, u.session_epoch = coalesce(u.session_epoch, 0) + 1",
                id=user_id, fields=allowed,
            ).consume()

        self.write(work)

    def end_sessions(self, user_id: str) -> None:
        self.update(user_id)

    def replace_password(self, user_id: str, expected_hash: str, password_hash: str) -> bool:
        """Set the password only if the hash is still `expected_hash`, under the account's write lock: of two
        uses of one link at once, one wins. Every session and API token of the account ends (a reset is what
        one does after a compromise); False when it had changed."""

        def work(tx: ManagedTransaction) -> bool:
            return tx.run(
                "MATCH (u:User {id: $id}) " + write_lock("u") + """
                WITH u WHERE u.password_hash = $expected
                SET u.password_hash = $hash, u.session_epoch = coalesce(u.session_epoch, 0) + 1
                REMOVE u.invited
                WITH u
                CALL (u) { OPTIONAL MATCH (u)-[:HAS_TOKEN]->(t:ApiToken) DETACH DELETE t }
                RETURN count(u) AS n
                """, id=user_id, expected=expected_hash, hash=password_hash,
            ).single()["n"] > 0

        return self.write(work)

    def renew_invitation(self, user_id: str, password_hash: str) -> None:
        """A fresh random hash for an account still invited: the links sent before stop working."""

        def work(tx: ManagedTransaction):
            tx.run("MATCH (u:User {id: $id}) WHERE u.invited SET u.password_hash = $hash",
                   id=user_id, hash=password_hash).consume()

        self.write(work)

    def set_active(self, email: str, active: bool) -> bool:
        record = self.by_email(email)
        if record:
            self.update(record["id"], active=active)
        return record is not None

    def add_token(self, user_id: str, token_hash: str, name: str, scope: str, created: datetime,
                  expires: datetime) -> dict:
        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (u:User {id: $user})
                CREATE (u)-[:HAS_TOKEN]->(t:ApiToken {id: $id, hash: $hash, name: $name, scope: $scope,
                                                      created: $created, expires: $expires})
                RETURN t {.id, .name, .scope, .created, .expires} AS token
                """,
                user=user_id, id=f"t-{uuid.uuid4().hex[:12]}", hash=token_hash, name=name, scope=scope,
                created=created, expires=expires,
            ).single()["token"]

        return self.write(work)

    def tokens(self, user_id: str) -> list[dict]:
        """The account's tokens, newest first, expired ones included (until revoked); never their hash."""

        def work(tx: ManagedTransaction):
            return [r["token"] for r in tx.run(
                """
                MATCH (:User {id: $user})-[:HAS_TOKEN]->(t:ApiToken)
                RETURN t {.id, .name, .scope, .created, .expires, .last_used} AS token ORDER BY t.created DESC
                """, user=user_id)]

        return self.read(work)

    def revoke_token(self, user_id: str, token_id: str) -> bool:
        """Only the account's own token: another account's id revokes nothing."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (:User {id: $user})-[:HAS_TOKEN]->(t:ApiToken {id: $id})
                DETACH DELETE t RETURN count(*) AS n
                """, user=user_id, id=token_id,
            ).single()["n"] > 0

        return self.write(work)

    def token_used(self, token_id: str, now: datetime) -> None:
        def work(tx: ManagedTransaction):
            tx.run("MATCH (t:ApiToken {id: $id}) SET t.last_used = $now", id=token_id, now=now).consume()

        self.write(work)
