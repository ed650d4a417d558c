"""Neo4j going away while the app runs: 503 quickly, then normal service again without a restart."""

import threading
import time

import pytest

from app import create_app
from graph.driver import create_driver
from graph.loader import load_network
from graph.schema import init_schema
from graph.server import LocalNeo4j, free_port
from tests.api_helpers import a_receiver, bearer, referrals_in
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


def test_no_acknowledged_referral_is_lost_or_half_written_when_neo4j_is_killed(own_server, demo_network):
    driver = create_driver(own_server.uri, *own_server.auth())
    init_schema(driver)
    load_network(driver, demo_network)
    headers = bearer(driver, "u-demo-intervenant")
    settings = {"uri": own_server.uri, "user": "neo4j", "password": own_server.password()}
    app = create_app(make_config(settings))
    receiver = a_receiver(app.test_client(), headers)
    before = referrals_in(driver)
    acknowledged, failed, lock = [], [], threading.Lock()
    enough = threading.Event()

    def send_burst(worker: int) -> None:
        client = app.test_client()
        for n in range(40):  # bounded: the kill comes long before
            response = client.post("/api/v1/referrals", headers=headers, json={
                "to": receiver, "need": "mental-health", "request_key": f"burst-{worker}-{n:03d}"})
            with lock:
                if response.status_code in (200, 201):
                    acknowledged.append(response.json["referral"]["id"])
                    if len(acknowledged) >= 15:
                        enough.set()
                else:
                    failed.append(response.status_code)
                    return

    threads = [threading.Thread(target=send_burst, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    assert enough.wait(60)
    own_server.kill()  # SIGKILL while requests are in flight
    for thread in threads:
        thread.join(60)
    assert failed and set(failed) == {503}  # the burst did run into the dead server

    own_server.start()
    found = referrals_in(driver)
    assert set(acknowledged) <= set(found)
    assert all(whole for _, whole, _ in found.values()), "a referral lost its parties, need or first event"
    burst = {key: value for key, value in found.items() if key not in before}
    assert all(status == "sent" and seqs == [0] for status, _, seqs in burst.values())
    driver.close()
    app.extensions["neo4j"].close()
