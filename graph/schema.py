"""Constraints and indexes, created idempotently (IF NOT EXISTS) by `graph init`, the demo and a restore."""

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
    "Cohort",
    "Referral",
    "User",
    "ApiToken",
    "Change",
    "Wave",
)

# The full-text index folds accents and case, so `sante mentale` finds « santé mentale ».
SEARCH_INDEX = "search_text"

# One person per e-mail (the forms and imports store it lower-case), even when two imports run at once. People
# without an e-mail (partner parents, contacts) are allowed: the constraint ignores a missing property.
PERSON_EMAIL = "CREATE CONSTRAINT person_email IF NOT EXISTS FOR (p:Person) REQUIRE p.email IS UNIQUE"

STATEMENTS = [
    *[
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in KEYED_LABELS
    ],
    "CREATE CONSTRAINT user_email IF NOT EXISTS FOR (u:User) REQUIRE u.email IS UNIQUE",
    # A postal area (its first three characters, « H1G ») is written by `seed reference` and read by code.
    "CREATE CONSTRAINT postal_area_code IF NOT EXISTS FOR (a:PostalArea) REQUIRE a.code IS UNIQUE",
    "CREATE CONSTRAINT borough_name IF NOT EXISTS FOR (b:Borough) REQUIRE b.name IS UNIQUE",
    # Every API request looks its bearer token up by hash: an index seek, not a scan of the tokens.
    "CREATE CONSTRAINT api_token_hash IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.hash IS UNIQUE",
    PERSON_EMAIL,
    # One notification per event (its key), however many times the event is told; workers read due ones.
    "CREATE CONSTRAINT notification_key IF NOT EXISTS FOR (n:Notification) REQUIRE n.key IS UNIQUE",
    "CREATE INDEX notification_state IF NOT EXISTS FOR (n:Notification) ON (n.state, n.due)",
    # A worker's claim seeks the due ones and those a dead worker left: each through an index, never a scan
    # of every notification ever sent.
    "CREATE INDEX notification_claimed IF NOT EXISTS FOR (n:Notification) ON (n.state, n.claimed_at)",
    "CREATE INDEX notification_day IF NOT EXISTS FOR (n:Notification) ON (n.day)",
    # The admins' list of the latest: read in the index's order, not by sorting every notification ever written.
    "CREATE INDEX notification_created IF NOT EXISTS FOR (n:Notification) ON (n.created_at)",
    "CREATE INDEX person_listed IF NOT EXISTS FOR (p:Person) ON (p.listed)",
    "CREATE INDEX referral_status IF NOT EXISTS FOR (r:Referral) ON (r.status)",
    # A service's last change (the HSDS export's last_modified): the journal sought by the record's id.
    "CREATE INDEX change_entity IF NOT EXISTS FOR (c:Change) ON (c.entity_id)",
    "CREATE INDEX referral_request IF NOT EXISTS FOR (r:Referral) ON (r.request_key)",
    # The search reads people by need, territory and tier (expert, offers): see graph/search_index.py.
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


# Before tokens were nodes of their own, one token hash on the account opened every page, with no expiry
# nor scope: it is revoked (its owner makes a new token in the profile).
DROP_ACCOUNT_TOKENS = [
    "DROP CONSTRAINT user_token IF EXISTS",
    "MATCH (u:User) WHERE u.api_token_hash IS NOT NULL REMOVE u.api_token_hash",
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


class SharedEmails(Exception):
    """People of a graph made before e-mails were unique share one (in any case): the person_email
    constraint cannot be created, or cannot tell them apart."""

    def __init__(self, shared: list[dict]):
        self.shared = shared  # [{"email": …, "people": [ids]}], by e-mail
        super().__init__(f"{len(shared)} e-mail(s) shared by several people")


# Every writer stores e-mails lower-case, so that finding a person by e-mail is a seek of the
# person_email index; addresses stored before that are lower-cased here, unless two people would then
# share one (those are listed instead: SHARED_EMAILS).
NORMALISE_EMAILS = """
MATCH (p:Person) WHERE p.email IS NOT NULL
WITH toLower(trim(p.email)) AS email, collect(p) AS people
WHERE size(people) = 1 AND people[0].email <> email
UNWIND people AS p
SET p.email = email
"""
SHARED_EMAILS = """
MATCH (p:Person) WHERE p.email IS NOT NULL
WITH toLower(trim(p.email)) AS email, collect(p.id) AS people
WHERE size(people) > 1
RETURN email, people ORDER BY email
"""


def init_schema(driver: Driver, database: str = DATABASE) -> None:
    """Every constraint and index, stored e-mails lower-cased; SharedEmails, after all the others are
    made, when people share e-mails."""
    # Schema commands cannot share a transaction with writes; each runs in its own auto-commit.
    with driver.session(database=database) as session:
        session.run(NORMALISE_EMAILS).consume()
        for statement in DROP_ACCOUNT_TOKENS:
            session.run(statement).consume()
        shared = [{"email": row["email"], "people": sorted(row["people"])} for row in session.run(SHARED_EMAILS)]
        for statement in STATEMENTS:
            if not (shared and statement == PERSON_EMAIL):
                session.run(statement).consume()
        session.run("CALL db.awaitIndexes(120)").consume()
    if shared:
        raise SharedEmails(shared)
