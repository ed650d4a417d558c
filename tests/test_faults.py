"""Neo4j going away while the app runs: 503 quickly, then normal service again without a restart."""

import time

import pytest

from app import create_app
from graph.driver import create_driver
from graph.loader import load_network
from graph.schema import init_schema
from graph.server import LocalNeo4j, free_port
from tests.conftest import make_config


@pytest.fixture
def own_server(tmp_path):
    """A server of this test's own, since the test stops and kills it."""
    server = LocalNeo4j(home=tmp_path / "neo4j", port=free_port(), heap="512m", pagecache="64m")
    server.start()
    yield server
    server.stop()


def test_app_answers_503_while_neo4j_is_down_and_recovers_by_itself(own_server, demo_network, neo4j_settings):
    driver = create_driver(own_server.uri, *own_server.auth())
    init_schema(driver)
    load_network(driver, demo_network)
    driver.close()
    settings = {"uri": own_server.uri, "user": "neo4j", "password": own_server.password()}
    app = create_app(make_config(settings))
    client = app.test_client()
    assert client.get("/").status_code == 200

    own_server.stop()
    started = time.monotonic()
    down = client.get("/")
    assert down.status_code == 503 and down.headers["Retry-After"]
    assert time.monotonic() - started < 10
    assert client.get("/sante", headers={"Accept": "application/json"}).json["error"]["code"] == "database_unavailable"

    own_server.start()
    assert client.get("/").status_code == 200
    assert "Montréal-Nord" in client.get("/").get_data(as_text=True)
    app.extensions["neo4j"].close()
