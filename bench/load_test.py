"""Load test: a territory's morning — 50 people at once, 8 in 10 intervenant.es searching and referring, a
coordinator opening maps and an evaluator opening comparisons (bench/locustfile.py says who does what) —
against the production server, driven by Locust.

    make bench-deps                                       # Locust, in .venv-bench (apart from the app's)
    .venv/bin/python bench/load_test.py                   # 1, 10 and 50 users asking without pause, then
                                                          # 50 users offering 160 requests/s; 60 s each
    .venv/bin/python bench/load_test.py --users 20 --seconds 30 --no-floor --rate 0

It starts a SEPARATE throw-away Neo4j (free port, temporary folder), loads the demo as `make run` does
(`flask graph init`, `flask seed demo`: the search projection included), gives intervenant.es
accounts with an API token, then serves the app in its own process exactly as `make serve-production`
does (EI_ENV=production, Granian with the Makefile's SERVER_OPTIONS; bench/served.py) on loopback, and
runs Locust headless for the bounded time, after a warm-up that is not counted (`--warm`). Login limits
are raised for the run (every simulated person comes from 127.0.0.1). It prints requests per second,
failures and p50 / p95 / p99 by kind of request, and the CPU each process used.

Two ways of asking, both printed: with no think time (each user asks again as soon as answered) the
requests per second are what the server can answer, and each answer waits for the others' (Little's law:
50 users answered at 150 requests/s wait 333 ms on average); offering a rate (`--rate`, spread over the
users, bench/locustfile.py's LOAD_PACE) measures how long answers take at that rate — issue 16's target,
150 requests/s from 50 users with searches' p95 under 250 ms.
`--who Intervenant` runs only those users; `--waitress` and `--workers` measure the servers set aside (see
docs/benchmarks.md). LOAD_KEEP=1 keeps the temporary folder (Locust's CSV and log, the server's log),
LOAD_LOGLEVEL=INFO makes Locust say more. Run by hand; never asserted in tests. Loopback
only; every run is bounded.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.served import BIN, production_command, production_threads, start  # noqa: E402
from graph.driver import create_driver  # noqa: E402
from graph.local_server import LocalNeo4j, free_port  # noqa: E402
from graph.repositories.users import UserRepository  # noqa: E402
from referral.auth.service import hash_token  # noqa: E402
from seed.demo.network import DEMO_PASSWORDS, build_demo  # noqa: E402
from seed.reference.taxonomy import NEEDS  # noqa: E402

# Every need of the taxonomy by id, and words a worker would type (each matches a need: no 422 by design).
SEARCHES = [need.id for need in NEEDS] + ["santé mentale", "avocat", "logement", "cours de français"]
LOCUST = ROOT / ".venv-bench" / "bin" / "locust"


def log(message: str) -> None:
    print(message, flush=True)


def accounts(driver, network, count: int) -> dict:
    """What the locustfile reads: `count` listed demo intervenant.es each with an account and a token, the
    demo coordinator and evaluator (site logins) and the needs to search."""
    users = UserRepository(driver)
    people = [p for p in network.people if p["kind"] == "intervenant" and p["listed"]][:count]
    intervenants = []
    for n, person in enumerate(people):
        user = users.create(f"load{n:03d}@load.test", "!", "intervenant", person["territory"], person["id"])
        token = f"ei_load-{n:03d}-{random.randbytes(8).hex()}"
        now = datetime.now(UTC)
        users.add_token(user["id"], hash_token(token), "load test", "read-write", now, now + timedelta(days=1))
        intervenants.append({"token": token, "territory": person["territory"]})
    return {"intervenants": intervenants, "needs": SEARCHES,
            "coordinator": {"email": "coordination.mn@demo.reseau-ei.ca", "password": DEMO_PASSWORDS["coordinator"]},
            "evaluator": {"email": "evaluation@demo.reseau-ei.ca", "password": DEMO_PASSWORDS["evaluator"]}}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process and its live children (gunicorn's workers), from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_locust(port: int, users: int, seconds: int, accounts_file: Path, out: Path, who: list[str],
               processes: dict[str, int], rate: float = 0) -> tuple[list[dict], dict[str, float]]:
    """Locust headless for `seconds` (only the user classes `who`, when given; offering `rate` requests per
    second, or with no think time for 0): its per-request statistics, and the CPU seconds each of
    `processes` (name → pid) and Locust itself used meanwhile."""
    prefix = out / f"locust-{users}"
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    before["Locust"] = children_cpu_seconds()
    subprocess.run([str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), *who, "--headless", "--only-summary",
                    "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
                    "--csv", str(prefix), "--loglevel", os.environ.get("LOAD_LOGLEVEL", "WARNING")],
                   env={**os.environ, "LOAD_ACCOUNTS": str(accounts_file), "LOAD_PACE": str(rate / users)},
                   check=False, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=(out / f"locust-{users}.log").open("w"), timeout=seconds + 120)
    used = {name: cpu_seconds(pid) - before[name] for name, pid in processes.items()}
    used["Locust"] = children_cpu_seconds() - before["Locust"]
    errors = (out / f"locust-{users}.log").read_text(errors="replace")
    if "Error report" in errors or "Traceback" in errors:
        log(errors[-3000:])
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        return list(csv.DictReader(stats)), used


def report(users: int, rate: float, rows: list[dict], used: dict[str, float], seconds: int) -> None:
    log(f"\n{users} user(s), " + (f"offering {rate:g} requests/s:" if rate else "no think time:"))
    log(f"  {'request':<28}{'count':>7}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}  (ms)")
    for row in rows:
        if row["Name"] in ("login page", "login"):
            continue
        log(f"  {row['Name']:<28}{row['Request Count']:>7}{row['Failure Count']:>6}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}")
    answered = next((int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated"), 0) or 1
    log(f"  CPU, of the {os.cpu_count()} cores' {os.cpu_count() * seconds} s: " + ", ".join(
        f"{name} {spent:.0f} s ({1000 * spent / answered:.1f} ms a request)" for name, spent in used.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--threads", type=int, default=0, help="Python threads (default: the Makefile's)")
    parser.add_argument("--workers", type=int, default=0,
                        help="serve with gunicorn, this many processes × --threads threads, instead")
    parser.add_argument("--waitress", action="store_true",
                        help="serve with waitress (the server before issue 16), --threads threads, instead")
    parser.add_argument("--rate", type=float, default=160,
                        help="requests per second the --users offer in the last run (0: no think time)")
    parser.add_argument("--warm", type=int, default=60, help="seconds of warm-up with 10 users, not counted")
    parser.add_argument("--no-floor", action="store_true",
                        help="only the run at --rate: not the runs with no think time (1, 10 and --users users)")
    parser.add_argument("--who", nargs="*", default=[], help="only these users: Intervenant Coordinator Evaluator")
    args = parser.parse_args()
    if not LOCUST.exists():
        sys.exit("Locust is missing: run `make bench-deps` first.")
    if args.workers and not (BIN / "gunicorn").exists():
        sys.exit("--workers measures gunicorn (the product does not use it): `.venv/bin/pip install gunicorn==23.0.0`.")
    if args.waitress and not (BIN / "waitress-serve").exists():
        sys.exit("--waitress measures waitress (the product does not use it): `.venv/bin/pip install waitress==3.0.2`.")
    threads = args.threads or production_threads()
    home = Path(tempfile.mkdtemp(prefix="ei-load-"))
    server = LocalNeo4j(home=home / "neo4j", port=free_port(), heap="1g", pagecache="256m")
    web = None
    try:
        server.start()
        port = free_port()
        env = {**os.environ, "EI_ENV": "production", "SECRET_KEY": os.urandom(16).hex(), "NEO4J_URI": server.uri,
               "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": server.password(), "PUBLIC_URL": f"http://127.0.0.1:{port}",
               "TRUSTED_HOSTS": "127.0.0.1", "LOGIN_RATE_LIMIT": "1000 per minute",
               "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute"}
        flask = BIN / "flask"
        for command in (["graph", "init"], ["seed", "demo"]):  # as `make run` does: the search projection too
            subprocess.run([str(flask), "--app", "app", *command], env=env, cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        driver = create_driver(server.uri, *server.auth())
        accounts_file = home / "accounts.json"
        accounts_file.write_text(json.dumps(accounts(driver, build_demo(2022), args.users)), encoding="utf-8")
        driver.close()

        server_log = home / "server.log"
        serve = ([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                  "--threads", str(threads), "app:create_app()"] if args.workers else
                 [str(BIN / "waitress-serve"), "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads),
                  "--connection-limit", "1000", "--asyncore-use-poll", "--call", "app:create_app"] if args.waitress
                 else production_command(port, threads))
        web = start(serve, port, env, server_log)
        log(f"{Path(serve[0]).name} ({args.workers or 1} process(es) × {threads} threads, EI_ENV=production) "
            f"on 127.0.0.1:{port}; demo network loaded.")
        processes = {"Neo4j": server.status()["pid"], "app": web.pid}
        # Warm-up, not counted: the app's lazies, Neo4j's plans and its JIT — Neo4j's Java needs a minute of
        # work to compile its hot paths (its CPU per request fell from 21 ms to 5 ms over the first two
        # minutes of 2026-12-05's runs); a server in use is past that.
        run_locust(port, 10, args.warm, accounts_file, home, args.who, processes)
        runs = [(users, 0) for users in ([] if args.no_floor else [1, 10, args.users])]
        for users, rate in runs + [(args.users, args.rate)] * bool(args.rate or args.no_floor):
            report(users, rate, *run_locust(port, users, args.seconds, accounts_file, home, args.who, processes,
                                            rate), args.seconds)
        served = server_log.read_text(errors="replace")
        busy = f"{served.count('Task queue depth')} queue-depth warnings (all threads busy), " if args.waitress else ""
        log(f"\nServer log: {busy}{served.count('DeadlockDetected')} deadlocks retried by the driver, "
            f"{served.count('Traceback')} tracebacks.")
    finally:
        if web is not None:
            web.send_signal(signal.SIGTERM)
            web.wait(30)
        server.stop()
        if not os.environ.get("LOAD_KEEP"):
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
