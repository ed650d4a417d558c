"""Where the time of one request goes: wall time, Python CPU (this thread), Neo4j (each transaction, its
round trips and Neo4j's work) and the rest (templates, forms, headers), for the pages and API calls of a
day's work, one at a time, warm.

    .venv/bin/python -m bench.request_profile            # 60 timed requests of each, after 30 untimed
    .venv/bin/python -m bench.request_profile --rounds 200
    .venv/bin/python -m bench.request_profile --moving [--figures-max-age 0]   # someone writes meanwhile

It starts a throw-away Neo4j (free port, temporary folder), loads the demo (`seed demo`), and calls the app
in-process (Flask's test client: no HTTP server, so the figures are the app's own). The floor printed
beside each row is the time of the same number of empty transactions (`RETURN 1`): what the round trips
alone cost on this machine, measured in the same run. Run by hand; never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench.throwaway import throwaway_neo4j  # noqa: E402
from config import Config  # noqa: E402
from graph import driver as graph_driver  # noqa: E402
from graph.driver import create_driver  # noqa: E402
from seed.demo.network import DEMO_PASSWORDS  # noqa: E402

# (who, what, path): the pages of a day's work, and the API's search.
REQUESTS = [
    ("intervenant", "home", "/"),
    ("intervenant", "search page", "/qui-appeler?need=sant%C3%A9+mentale&territory=mn&language=ar"),
    ("intervenant", "search API", "/api/v1/contacts?need=mental-health&territory=mn"),
    ("intervenant", "my referrals", "/references/"),
    ("intervenant", "my profile", "/profil/"),
    ("intervenant", "my network", "/reseau/"),
    ("coordinator", "territory map page", "/territoires/mn/carte"),
    ("coordinator", "territory map document", "/territoires/mn/carte/plan"),
    ("evaluator", "evaluation", "/evaluation/"),
]
ACCOUNTS = {"intervenant": "intervenant@demo.reseau-ei.ca", "coordinator": "coordination.mn@demo.reseau-ei.ca",
            "evaluator": "evaluation@demo.reseau-ei.ca"}


class Transactions:
    """Counts and times every transaction the repositories open (graph.driver.Repository.read/write)."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0
        self._read, self._write = graph_driver.Repository.read, graph_driver.Repository.write
        graph_driver.Repository.read = self._timed(self._read)
        graph_driver.Repository.write = self._timed(self._write)

    def _timed(self, original: Callable) -> Callable:
        def run(repository, work, **params):
            started = time.perf_counter()
            try:
                return original(repository, work, **params)
            finally:
                self.count += 1
                self.seconds += time.perf_counter() - started

        return run


def profile(client, path: str, rounds: int, transactions: Transactions, before: Callable[[], None]) -> dict:
    for _ in range(30):
        before()
        client.get(path)
    walls, cpus, status = [], [], 0
    transactions.count, transactions.seconds = 0, 0.0
    for _ in range(rounds):
        before()  # untimed, and not the app's transactions: someone else's write, with `--moving`
        started, cpu = time.perf_counter(), time.thread_time()
        status = client.get(path).status_code
        cpus.append(time.thread_time() - cpu)
        walls.append(time.perf_counter() - started)
    return {"status": status, "wall": statistics.median(walls) * 1000, "cpu": statistics.median(cpus) * 1000,
            "tx": transactions.count / rounds, "neo4j": transactions.seconds / rounds * 1000}


def empty_transaction_ms(driver, rounds: int = 300) -> float:
    """One `RETURN 1` in a managed read transaction: the floor of each transaction a page opens (the
    median of the last 200, once Neo4j's and the driver's paths are warm)."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        with driver.session(database="neo4j") as session:
            session.execute_read(lambda tx: tx.run("RETURN 1").consume())
        times.append(time.perf_counter() - started)
    return statistics.median(times[-200:]) * 1000


def main(rounds: int, moving: bool, figures_max_age: float) -> None:
    with throwaway_neo4j() as (driver, config):
        config.FIGURES_MAX_AGE = figures_max_age
        app = create_app(config)
        for command in (["graph", "init"], ["seed", "demo"]):  # as `make run` does, accounts included
            assert app.test_cli_runner().invoke(args=command).exit_code == 0, command
        clients = {}
        for role, email in ACCOUNTS.items():
            clients[role] = app.test_client()
            clients[role].post("/connexion", data={"email": email, "password": DEMO_PASSWORDS[role]})
        transactions = Transactions()
        other = create_driver(config.NEO4J_URI, config.NEO4J_USER, config.NEO4J_PASSWORD)
        before = ((lambda: other.execute_query("MERGE (p:BenchProbe {id: 1}) SET p.at = timestamp()")) if moving
                  else (lambda: None))
        rows = [(label, profile(clients[role], path, rounds, transactions, before))
                for role, label, path in REQUESTS]
        other.close()
        print(f"{'a write by someone else before each request' if moving else 'nothing written meanwhile'}; "
              f"FIGURES_MAX_AGE {figures_max_age:g} s")
        floor = empty_transaction_ms(driver)
        print(f"one empty transaction (RETURN 1), median: {floor:.2f} ms\n")
        print(f"{'request':<22} {'status':>6} {'wall':>8} {'python cpu':>11} {'tx':>4} {'neo4j':>8} "
              f"{'floor':>7} {'other':>7}   (medians, ms)")
        for label, row in rows:
            other = row["wall"] - row["neo4j"]
            print(f"{label:<22} {row['status']:>6} {row['wall']:8.1f} {row['cpu']:11.1f} {row['tx']:4.1f} "
                  f"{row['neo4j']:8.1f} {row['tx'] * floor:7.1f} {other:7.1f}")
        app.extensions["notify"].stop()
        app.extensions["neo4j"].close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--moving", action="store_true",
                        help="someone else writes before each request (a territory at work): the graph's version moves")
    parser.add_argument("--figures-max-age", type=float, default=Config.FIGURES_MAX_AGE,
                        help="seconds an older figure may be shown (production's by default; 0: exact)")
    args = parser.parse_args()
    main(args.rounds, args.moving, args.figures_max_age)
