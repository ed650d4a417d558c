"""The local Neo4j manager: it tells the truth and says what to do. (It starts, stops and keeps the data
through a SIGKILL and a restart: tests/integration/test_faults.py.)"""

import socket

import pytest

from app import create_app
from graph import local_server as server_module
from graph.local_server import LocalNeo4j, Neo4jServerError, free_port
from tests.conftest import make_config


def test_a_taken_port_gets_a_one_line_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(Neo4jServerError, match=f"Port {port} is already taken"):
            LocalNeo4j(home=tmp_path, port=port).start()


def test_missing_maven_says_what_to_install(monkeypatch):
    monkeypatch.setattr(server_module.shutil, "which", lambda name: None)
    with pytest.raises(Neo4jServerError, match="Maven is missing"):
        server_module.build(force=True)


def test_status_command_tells_the_truth(neo4j_settings, tmp_path):
    stopped = create_app(make_config(neo4j_settings, NEO4J_URI=None, NEO4J_LOCAL_HOME=tmp_path,
                                     NEO4J_LOCAL_PORT=free_port()))
    result = stopped.test_cli_runner().invoke(args=["neo4j", "status"])
    assert result.exit_code == 1 and "stopped" in result.output
    if "server" not in neo4j_settings:
        pytest.skip("the suite runs against an external Neo4j")
    server = neo4j_settings["server"]
    running = create_app(make_config(neo4j_settings, NEO4J_URI=None, NEO4J_LOCAL_HOME=server.home,
                                     NEO4J_LOCAL_PORT=server.port))
    result = running.test_cli_runner().invoke(args=["neo4j", "status"])
    assert result.exit_code == 0 and "running, ready" in result.output


def test_pages_answer_503_quickly_when_neo4j_is_down(neo4j_settings):
    import time

    app = create_app(make_config(neo4j_settings, NEO4J_URI=f"bolt://127.0.0.1:{free_port()}"))
    client = app.test_client()
    started = time.monotonic()
    page = client.get("/")
    page_seconds = time.monotonic() - started
    api = client.get("/api/v1/territories", headers={"Authorization": "Bearer some-token"})
    # Generous bound: the driver gives up after ~2 s of retries; this only catches a hang.
    assert page_seconds < 10
    assert page.status_code == 503 and "indisponible" in page.get_data(as_text=True)
    assert api.status_code == 503 and api.json["error"]["code"] == "database_unavailable"
