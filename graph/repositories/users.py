"""Accounts: who can log in, with which role and territory scope."""

from __future__ import annotations

import uuid

from neo4j import ManagedTransaction

from graph.driver import Repository

ROLES = ("intervenant", "coordinator", "evaluator", "admin")

USER_FIELDS = """
    u {.id, .email, .password_hash, .role, .territory, .active, .api_token_hash,
       person: person.id, person_name: person.name}
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

    def by_email(self, email: str) -> dict | None:
        # E-mails are stored lower-cased, so the lookup uses the uniqueness constraint's index.
        return self._one("MATCH (u:User {email: $email})", email=email.strip().lower())

    def by_token_hash(self, token_hash: str) -> dict | None:
        return self._one("MATCH (u:User {api_token_hash: $hash})", hash=token_hash)

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

    def create(self, email: str, password_hash: str, role: str, territory: str | None, person: str | None) -> dict:
        """Raises neo4j.exceptions.ConstraintError when the e-mail is taken; LookupError for an unknown person."""

        def work(tx: ManagedTransaction):
            if person is not None and not tx.run("MATCH (p:Person {id: $id}) RETURN p", id=person).single():
                raise LookupError(person)
            tx.run(
                """
                CREATE (u:User {id: $id, email: $email, password_hash: $hash, role: $role,
                                territory: $territory, active: true})
                WITH u
                OPTIONAL MATCH (p:Person {id: $person})
                FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (u)-[:IS]->(p))
                """,
                id=f"u-{uuid.uuid4().hex[:12]}", email=email.strip().lower(), hash=password_hash,
                role=role, territory=territory, person=person,
            ).consume()

        self.write(work)
        return self.by_email(email)

    def update(self, user_id: str, **fields) -> None:
        editable = ("role", "territory", "active", "password_hash", "api_token_hash")
        allowed = {k: v for k, v in fields.items() if k in editable}

        def work(tx: ManagedTransaction):
            tx.run("MATCH (u:User {id: $id}) SET u += $fields", id=user_id, fields=allowed).consume()

        self.write(work)

    def set_active(self, email: str, active: bool) -> bool:
        def work(tx: ManagedTransaction):
            record = tx.run(
                "MATCH (u:User {email: $email}) SET u.active = $active RETURN u.id AS id",
                email=email.strip().lower(), active=active,
            ).single()
            return record is not None

        return self.write(work)
