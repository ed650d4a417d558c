"""Constraints and indexes, created idempotently (IF NOT EXISTS) at start-up and by `graph init`."""

from __future__ import annotations

from contextlib import contextmanager

from neo4j import Driver
from neo4j.exceptions import ConstraintError

from graph.driver import DATABASE

KEYED_LABELS = (
    "Territory",
    "Organisation",
    "Person",
    "Need",
    "Service",
    "Session",
    "Referral",
    "User",
    "Change",
    "Wave",
)

# The full-text index folds accents and case, so `sante mentale` finds « santé mentale ».
SEARCH_INDEX = "search_text"

STATEMENTS = [
    *[
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in KEYED_LABELS
    ],
    "CREATE CONSTRAINT user_email IF NOT EXISTS FOR (u:User) REQUIRE u.email IS UNIQUE",
    # Every API request looks its bearer token up by hash: an index seek, not a scan of the accounts.
    "CREATE CONSTRAINT user_token IF NOT EXISTS FOR (u:User) REQUIRE u.api_token_hash IS UNIQUE",
    # One person per e-mail (the forms and imports store it lower-case), even when two imports run at once. People
    # without an e-mail (partner parents, contacts) are allowed: the constraint ignores a missing property.
    "CREATE CONSTRAINT person_email IF NOT EXISTS FOR (p:Person) REQUIRE p.email IS UNIQUE",
    "CREATE INDEX person_listed IF NOT EXISTS FOR (p:Person) ON (p.listed)",
    "CREATE INDEX referral_status IF NOT EXISTS FOR (r:Referral) ON (r.status)",
    "CREATE INDEX referral_request IF NOT EXISTS FOR (r:Referral) ON (r.request_key)",
    # The search reads people by need, territory and tier (expert, offers): see graph/listings.py.
    """CREATE INDEX can_help_tier IF NOT EXISTS
        FOR ()-[c:CAN_HELP]-() ON (c.need, c.territory, c.expert, c.offers)""",
    """CREATE INDEX can_help_cell IF NOT EXISTS
        FOR ()-[c:CAN_HELP]-() ON (c.need, c.territory, c.expert, c.offers, c.successful, c.cell)""",
    "CREATE INDEX can_help_person IF NOT EXISTS FOR ()-[c:CAN_HELP]-() ON (c.need, c.person)",
    "CREATE POINT INDEX can_help_location IF NOT EXISTS FOR ()-[c:CAN_HELP]-() ON (c.location)",
    "CREATE POINT INDEX organisation_location IF NOT EXISTS FOR (o:Organisation) ON (o.location)",
    f"""CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS
        FOR (n:Need|Service|Organisation|Person)
        ON EACH [n.label_fr, n.label_en, n.keywords, n.name, n.description]
        OPTIONS {{indexConfig: {{`fulltext.analyzer`: 'standard-folding'}}}}""",
]


class EmailTaken(Exception):
    """The write gave a person an e-mail another person already has; its transaction was rolled back."""


@contextmanager
def unique_person_email():
    """Around a write: the person_email constraint's refusal becomes EmailTaken, other errors pass."""
    try:
        yield
    except ConstraintError as error:
        if "`Person` and property `email`" in (error.message or ""):
            raise EmailTaken from error
        raise


def init_schema(driver: Driver, database: str = DATABASE) -> None:
    # Schema commands cannot share a transaction with writes; each runs in its own auto-commit.
    with driver.session(database=database) as session:
        for statement in STATEMENTS:
            session.run(statement).consume()
        session.run("CALL db.awaitIndexes(120)").consume()
