"""Fixtures: one real Neo4j for the whole test session, a clean graph per test.

The server is a throw-away local Neo4j (free port, temporary data folder) started here and
stopped at the end whatever the outcome; set NEO4J_TEST_URI (+ NEO4J_TEST_USER,
NEO4J_TEST_PASSWORD) to run the suite against a server of your own instead. Never the run one.
"""

from __future__ import annotations

import os
import threading
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from werkzeug.security import generate_password_hash

from app import create_app
from config import TestConfig
from graph import search_index
from graph.driver import create_driver, graph_version
from graph.loader import clear, load_network, load_reference
from graph.local_server import LocalNeo4j, free_port
from graph.repositories import places
from graph.schema import init_schema
from seed.demo.network import DEMO_PASSWORDS, build_demo
from seed.reference.rows import reference_rows


def pytest_configure(config):
    """Compile the catalogues missing or older than their sources (*.mo are not in git), as `make translations` does."""
    for source in Path(__file__).resolve().parents[1].glob("translations/*/LC_MESSAGES/*.po"):
        compiled = source.with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            partial = compiled.with_suffix(f".{os.getpid()}.tmp")  # two runs at once never read half a file
            with source.open("rb") as po, partial.open("wb") as mo:
                write_mo(mo, read_po(po))
            os.replace(partial, compiled)


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory):
    if os.environ.get("NEO4J_TEST_URI"):
        yield {
            "uri": os.environ["NEO4J_TEST_URI"],
            "user": os.environ.get("NEO4J_TEST_USER", "neo4j"),
            "password": os.environ.get("NEO4J_TEST_PASSWORD", ""),
        }
        return
    server = LocalNeo4j(home=tmp_path_factory.mktemp("neo4j"), port=free_port(), heap="1g", pagecache="256m",
                        replan_interval=3600)  # plans kept: the graph swings between empty and the demo (ei.Launcher)
    server.start()
    try:
        user, password = server.auth()
        yield {"uri": server.uri, "user": user, "password": password, "server": server}
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings):
    driver = create_driver(neo4j_settings["uri"], neo4j_settings["user"], neo4j_settings["password"])
    init_schema(driver)
    yield driver
    driver.close()


def quick_hash(password: str) -> str:
    """Quick to check (tests log in hundreds of times; the app's scrypt is slow on purpose)."""
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture(scope="session")
def demo_network():
    """Built once; the password hashes are computed once too (they are slow on purpose)."""
    network = build_demo()
    hashes = {role: quick_hash(pw) for role, pw in DEMO_PASSWORDS.items()}
    for user in network.users:
        user["password_hash"] = hashes[user["role"]]
    return network


# The graph as the last fresh demo load left it (graph_fingerprint), until a test asks for another graph.
_demo_as_loaded: dict = {"fingerprint": None, "version": None}


def _demo_intact(driver) -> bool:
    """True when the graph is exactly the demo as last loaded: no test wrote since (every property counts,
    session bookkeeping included). Reading it (~0.1 s) costs less than clearing and loading again (~0.7 s),
    and most tests that load the demo only read it."""
    expected = _demo_as_loaded["fingerprint"]
    if expected is None:
        return False
    version = graph_version(driver)
    if version == _demo_as_loaded["version"]:  # nothing committed since (one round trip, ~5 ms)
        return True
    intact = graph_fingerprint(driver, bookkeeping=True) == expected  # written, maybe back as it was
    _demo_as_loaded["version"] = version if intact else None
    return intact


@pytest.fixture
def graph(neo4j_driver, request):
    """An empty graph (schema in place) for this test — or, for a test of the demo, the demo untouched by
    the tests before; afterwards, whatever the test wrote, the search projection must still match the graph
    (every write path refreshes it: graph/search_index.py). The places read by an earlier test (polygons,
    postal areas) are forgotten when the graph is cleared."""
    request.node.demo_reused = "demo" in request.fixturenames and _demo_intact(neo4j_driver)
    if not request.node.demo_reused:
        _demo_as_loaded["fingerprint"] = None
        clear(neo4j_driver)
        places.clear()
    request.node.graph_as_given = graph_version(neo4j_driver)
    yield neo4j_driver
    # Only a test that committed a write can have left the projection behind (the check reads it all: ~40 ms).
    if graph_version(neo4j_driver) != request.node.graph_as_given:
        assert search_index.stale(neo4j_driver) == [], "a write left the search projection (CAN_HELP) out of date"


@pytest.fixture(scope="session")
def reference_data():
    return reference_rows()


@pytest.fixture
def reference(graph, reference_data, request):
    """The reference data alone, as `seed reference` writes it: needs, territories, postal areas, no people."""
    if not request.node.demo_reused:
        load_reference(graph, reference_data)
    return reference_data


@pytest.fixture
def demo(reference, graph, demo_network, request):
    """The demo network over the reference data (as `seed demo` loads it), freshly loaded for this test unless
    the graph is still exactly as the last load left it."""
    if not request.node.demo_reused:
        load_network(graph, demo_network)
        _demo_as_loaded["fingerprint"] = graph_fingerprint(graph, bookkeeping=True)
        _demo_as_loaded["version"] = graph_version(graph)
    return demo_network


@pytest.fixture
def pair(graph):
    """The small network of the referral tests (tests/integration/test_referrals.py: S refers to R, X is a
    third person, U is unlisted), loaded."""
    from tests.integration.test_referrals import pair_network

    load_network(graph, pair_network())
    return graph


class Mailbox:
    """What the test session's SMTP server (aiosmtpd, on loopback) received, parsed."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's handler hook
        message = BytesParser(policy=email_policy.default).parsebytes(envelope.content)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 15.0) -> list[EmailMessage]:
        """The messages once at least `count` have arrived (fewer after `timeout`)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The SMTP server's messages, starting empty for this test."""
    smtp_server.handler.messages.clear()
    return smtp_server.handler


def make_config(neo4j_settings, smtp=None, **overrides):
    config = TestConfig()
    config.NEO4J_URI = neo4j_settings["uri"]
    config.NEO4J_USER = neo4j_settings["user"]
    config.NEO4J_PASSWORD = neo4j_settings["password"]
    if smtp is not None:
        config.MAIL_SERVER, config.MAIL_PORT, config.MAIL_BACKEND = smtp.hostname, smtp.port, "smtp"
        config.MAIL_USE_TLS = False
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


@pytest.fixture
def app(neo4j_settings, neo4j_driver, smtp_server):
    app = create_app(make_config(neo4j_settings, smtp_server))
    yield app
    app.extensions["notify"].wait_idle()  # nothing of this test is sent during the next one
    app.extensions["notify"].stop()
    app.extensions["neo4j"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email="intervenant@demo.reseau-ei.ca", password=None):
        if password is None:
            password = DEMO_PASSWORDS[ROLE_OF_DEMO_EMAIL.get(email, "intervenant")]
        return self.client.post("/connexion", data={"email": email, "password": password})

    def as_role(self, role):
        return self.login(DEMO_ACCOUNTS[role])

    def logout(self):
        return self.client.post("/deconnexion")


DEMO_ACCOUNTS = {
    "intervenant": "intervenant@demo.reseau-ei.ca",
    "coordinator": "coordination.mn@demo.reseau-ei.ca",
    "coordinator_all": "coordination@demo.reseau-ei.ca",
    "evaluator": "evaluation@demo.reseau-ei.ca",
    "admin": "admin@demo.reseau-ei.ca",
}
ROLE_OF_DEMO_EMAIL = {
    "intervenant@demo.reseau-ei.ca": "intervenant",
    "coordination.mn@demo.reseau-ei.ca": "coordinator",
    "coordination@demo.reseau-ei.ca": "coordinator",
    "evaluation@demo.reseau-ei.ca": "evaluator",
    "admin@demo.reseau-ei.ca": "admin",
}


@pytest.fixture
def spec(client):  # the OpenAPI document the app serves
    return client.get("/api/v1/openapi.json").json


@pytest.fixture
def auth(client):
    return AuthActions(client)


def person_with_email(driver, email: str) -> str | None:
    """The id of the person with this e-mail (in any case), found as the app finds it."""
    records = driver.execute_query("MATCH (p:Person {email: $email}) RETURN p.id AS id",
                                   email=email.strip().lower()).records
    return records[0]["id"] if records else None


def graph_fingerprint(driver, bookkeeping: bool = False) -> tuple:
    """Counts of nodes and relationships by label / type, and a digest of every property: what "the graph is
    exactly as it was" means in tests. Bookkeeping is left out unless asked for: logging in and out (the account's
    session_epoch), using a token (its last_used) and an e-mail going out (its outbox node, sent by a worker
    thread: a test comparing the graph must not see the previous request's mail go out) are not changes of data."""
    shown = "n {.*}" if bookkeeping else """CASE WHEN n:Notification THEN n {.key, .kind, .person, .referral}
                                                ELSE n {.*, session_epoch: null, last_used: null} END"""
    records, _, _ = driver.execute_query(
        """
        CALL () { MATCH (n) RETURN count(n) AS nodes }
        CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
        CALL () {
            MATCH (n) WITH n ORDER BY elementId(n)
            RETURN collect([labels(n), """ + shown + """]) AS node_props
        }
        CALL () {
            MATCH (a)-[r]->(b) WITH a, r, b ORDER BY elementId(r)
            RETURN collect([elementId(a), type(r), elementId(b), properties(r)]) AS rel_props
        }
        RETURN nodes, rels, node_props, rel_props
        """
    )
    record = records[0]
    return record["nodes"], record["rels"], str(record["node_props"]), str(record["rel_props"])
