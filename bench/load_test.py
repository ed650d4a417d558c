"""Load test: 50 logged-in intervenant.es searching and referring at once, against the production server.

    .venv/bin/python bench/load_test.py                  # 50 users for 60 s
    .venv/bin/python bench/load_test.py --users 20 --seconds 30

It starts a SEPARATE throw-away Neo4j (free port, temporary folder), loads the demo network, gives 50 demo
people an account with an API token, then serves the app with waitress in its own process exactly as
`make serve-production` does (EI_ENV=production, `waitress-serve --call app:create_app`) on loopback.
Each simulated user loops for the bounded time: search « Qui appeler ? » (GET /api/v1/contacts), then
send a referral to the first result (POST /api/v1/referrals) one time in three, then read their sent box.
It prints throughput, p50 / p95 / p99 latency by kind of request, and the error count.
Run by hand; never asserted in tests. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.driver import create_driver  # noqa: E402
from graph.loader import load_network  # noqa: E402
from graph.local_server import LocalNeo4j, free_port, port_is_free  # noqa: E402
from graph.repositories.users import UserRepository  # noqa: E402
from graph.schema import init_schema  # noqa: E402
from referral.auth.tokens import hash_token  # noqa: E402
from seed.demo.network import build_demo  # noqa: E402
from seed.reference.taxonomy import NEEDS  # noqa: E402

# Every need of the taxonomy by id, and words a worker would type (each matches a need: no 422 by design).
SEARCHES = [need.id for need in NEEDS] + ["santé mentale", "avocat", "logement", "cours de français"]
LANGUAGES = [None, None, "ar", "es", "en"]


def log(message: str) -> None:
    print(message, flush=True)


def accounts(driver, network, count: int) -> list[tuple[str, str]]:
    """(token, territory) for `count` listed demo people, each given an account of their own."""
    users = UserRepository(driver)
    people = [p for p in network.people if p["kind"] == "intervenant" and p["listed"]][:count]
    made = []
    for n, person in enumerate(people):
        user = users.create(f"load{n:03d}@load.test", "!", "intervenant", person["territory"], person["id"])
        token = f"ei_load-{n:03d}-{random.randbytes(8).hex()}"
        now = datetime.now(UTC)
        users.add_token(user["id"], hash_token(token), "load test", "read-write", now, now + timedelta(days=1))
        made.append((token, person["territory"]))
    return made


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while port_is_free(port):
        if time.monotonic() > deadline:
            raise RuntimeError("waitress did not start")
        time.sleep(0.2)


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {"search": [], "refer": [], "box": []}
        self.errors: dict[str, int] = {}

    def record(self, kind: str, status: int, ms: float) -> None:
        with self.lock:
            self.latency[kind].append(ms)
            if status >= 400 or status == 0:
                key = f"{kind} {status}"
                self.errors[key] = self.errors.get(key, 0) + 1


def user_loop(port: int, token: str, territory: str, until: float, results: Results, rng: random.Random) -> None:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(kind: str, method: str, path: str, body: dict | None = None) -> dict | None:
        nonlocal connection
        started = time.perf_counter()
        try:
            connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status, payload = 0, b""
        results.record(kind, status, (time.perf_counter() - started) * 1000)
        return json.loads(payload) if status in (200, 201) else None

    while time.monotonic() < until:
        query = {"need": rng.choice(SEARCHES), "territory": rng.choice([territory, territory, "all"])}
        if language := rng.choice(LANGUAGES):
            query["language"] = language
        found = call("search", "GET", "/api/v1/contacts?" + urlencode(query))
        if found and found["results"] and rng.random() < 1 / 3:
            call("refer", "POST", "/api/v1/referrals",
                 {"to": found["results"][0]["id"], "need": "mental-health", "urgency": "normal"})
            call("box", "GET", "/api/v1/referrals?box=sent")
    connection.close()


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return at(0.50), at(0.95), at(0.99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=16, help="waitress worker threads (as in the Makefile)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="ei-load-"))
    server = LocalNeo4j(home=home / "neo4j", port=free_port(), heap="1g", pagecache="256m")
    web = None
    try:
        server.start()
        driver = create_driver(server.uri, *server.auth())
        init_schema(driver)
        network = build_demo(2022)
        load_network(driver, network)
        tokens = accounts(driver, network, args.users)
        driver.close()
        log(f"Demo network loaded; {len(tokens)} accounts with a token.")

        port = free_port()
        server_log = home / "waitress.log"
        env = {**os.environ, "EI_ENV": "production", "SECRET_KEY": os.urandom(16).hex(), "NEO4J_URI": server.uri,
               "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": server.password()}
        waitress = Path(sys.executable).parent / "waitress-serve"
        web = subprocess.Popen([str(waitress), "--host", "127.0.0.1", "--port", str(port), "--threads",
                                str(args.threads), "--call", "app:create_app"], env=env, cwd=ROOT,
                               stderr=server_log.open("w"))
        wait_for(port)
        log(f"waitress ({args.threads} threads, EI_ENV=production) on 127.0.0.1:{port}; "
            f"{len(tokens)} users for {args.seconds:.0f} s…")

        # Warm up (first requests load the app's lazies and Neo4j's query plans); not counted.
        user_loop(port, *tokens[0], time.monotonic() + 5, Results(), random.Random(-1))
        results = Results()
        started = time.monotonic()
        until = started + args.seconds
        threads = [threading.Thread(target=user_loop, args=(port, token, territory, until, results, random.Random(n)))
                   for n, (token, territory) in enumerate(tokens)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.seconds + 60)
        elapsed = time.monotonic() - started

        total = sum(len(v) for v in results.latency.values())
        errors = sum(results.errors.values())
        log(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s, {errors} errors "
            f"{results.errors or ''}")
        log(f"  {'ms':<8}{'count':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'mean':>9}")
        for kind, samples in [*results.latency.items(), ("all", sum(results.latency.values(), []))]:
            if samples:
                p50, p95, p99 = percentiles(samples)
                log(f"  {kind:<8}{len(samples):>7}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{statistics.fmean(samples):>9.1f}")
        served = server_log.read_text(errors="replace")
        log(f"Server log: {served.count('Task queue depth')} queue-depth warnings (all threads busy), "
            f"{served.count('DeadlockDetected')} deadlocks retried by the driver.")
    finally:
        if web is not None:
            web.send_signal(signal.SIGTERM)
            web.wait(30)
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
