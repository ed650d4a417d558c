"""Benchmark: the full before / after / now comparison on a large synthetic network.

Starts a separate local Neo4j (free port, temporary folder, its own heap), loads a synthetic
network of six territories in two cohorts (organisations, people with jobs that start and end,
ties of every origin dated before, during and after the cohorts), then times what the evaluation
page does for "all six territories": read the timeline, replay before / after / now, compute every
figure (exact or sampled betweenness and clustering, as analysis.metrics decides), the tie changes and
the sector matrices; then the session-by-session curve. Run by hand, never in the tests:

    .venv/bin/python bench/evaluation_benchmark.py --orgs 1000 --people 10000 --ties 100000
    .venv/bin/python bench/evaluation_benchmark.py            # 10,000 / 100,000 / 1,000,000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import before_after, metrics  # noqa: E402
from analysis.pseudonyms import Pseudonyms  # noqa: E402
from graph.driver import create_driver  # noqa: E402
from graph.local_server import LocalNeo4j, free_port  # noqa: E402
from graph.repositories.evaluation import EvaluationRepository  # noqa: E402
from graph.schema import init_schema  # noqa: E402
from graph.timeline_reader import read_timeline  # noqa: E402
from seed.reference.territories import COHORTS, TERRITORIES  # noqa: E402

SECTORS = ("family", "newcomers", "community_other", "institutional")
SECTOR_WEIGHTS = (20, 14, 4, 4)
BATCH = 50_000


def synthetic(orgs: int, people: int, ties: int, seed: int) -> dict:
    """Plain rows: same arguments, same network."""
    rng = random.Random(seed)
    territories = []
    for t in TERRITORIES:
        cohort = COHORTS[t.cohort]
        territories.append({"id": t.id, "name": t.name, "cohort": t.cohort, "start": cohort.start, "end": cohort.end,
                            "sessions": list(cohort.session_dates)})
    by_id = {t["id"]: t for t in territories}
    org_rows = [{"id": f"o-{i}", "territory": territories[i % len(territories)]["id"],
                 "sector": rng.choices(SECTORS, SECTOR_WEIGHTS)[0]} for i in range(orgs)]
    person_rows, members = [], {t["id"]: [] for t in territories}
    for i in range(people):
        org = org_rows[rng.randrange(orgs)]
        cohort = by_id[org["territory"]]
        since = cohort["start"] - timedelta(days=rng.randint(30, 3000))
        until = None
        roll = rng.random()
        if roll < 0.03:  # joined during the cohort
            since = cohort["start"] + timedelta(days=rng.randint(1, 150))
        elif roll < 0.06:  # left during the cohort
            until = cohort["start"] + timedelta(days=rng.randint(1, 150))
        person_rows.append({"id": f"p-{i}", "org": org["id"], "since": since, "until": until,
                            "consent": rng.random() < 0.95, "role": rng.choice(("agent_efc", "coordination", "autre"))})
        members[org["territory"]].append(i)
    tie_rows, seen = [], set()
    territory_ids = [t["id"] for t in territories]
    while len(tie_rows) < ties:
        home = by_id[rng.choice(territory_ids)]
        group = members[home["id"]]
        a = rng.choice(group)
        # Nine ties in ten stay in the territory, the rest cross to another one.
        b = rng.choice(group) if rng.random() < 0.9 else rng.randrange(people)
        pair = (min(a, b), max(a, b))
        if a == b or pair in seen:
            continue
        seen.add(pair)
        roll = rng.random()
        if roll < 0.3:
            origin, since = "before_ei", home["start"] - timedelta(days=rng.randint(1, 1500))
        elif roll < 0.8:
            origin, since = "ei_session", rng.choice(home["sessions"])
        elif roll < 0.95:
            origin, since = "declared", home["end"] + timedelta(days=rng.randint(1, 600))
        else:
            origin, since = "referral", home["end"] + timedelta(days=rng.randint(1, 600))
        tie_rows.append([f"p-{pair[0]}", f"p-{pair[1]}", since, origin])
    return {"territories": territories, "orgs": org_rows, "people": person_rows, "ties": tie_rows}


def load(driver, data: dict) -> None:
    def batches(rows):
        for start in range(0, len(rows), BATCH):
            yield rows[start:start + BATCH]

    with driver.session() as session:
        session.run(
            """
            UNWIND $rows AS row
            CREATE (t:Territory {id: row.id, name: row.name, cohort: row.cohort, start: row.start, end: row.end})
            WITH t, row
            UNWIND range(0, size(row.sessions) - 1) AS i
            CREATE (:Session {id: row.id + '-s' + (i + 1), number: i + 1, date: row.sessions[i]})-[:HELD_IN]->(t)
            """, rows=data["territories"]).consume()
        for rows in batches(data["orgs"]):
            session.run("""
                UNWIND $rows AS row MATCH (t:Territory {id: row.territory})
                CREATE (:Organisation {id: row.id, sector: row.sector, kind: 'community'})-[:LOCATED_IN]->(t)
                """, rows=rows).consume()
        for rows in batches(data["people"]):
            session.run("""
                UNWIND $rows AS row MATCH (o:Organisation {id: row.org})
                CREATE (p:Person:Intervenant {id: row.id, research_consent: row.consent, role: row.role})
                CREATE (p)-[:WORKS_AT {since: row.since, until: row.until}]->(o)
                """, rows=rows).consume()
        for rows in batches(data["ties"]):
            session.run("""
                UNWIND $rows AS row MATCH (a:Person {id: row[0]}) MATCH (b:Person {id: row[1]})
                CREATE (a)-[:KNOWS {since: row[2], origin: row[3]}]->(b)
                """, rows=rows).consume()


class Stopwatch:
    """`with Stopwatch("label"):` prints how long the block took, and the CPU time this process
    spent in it (the rest is Neo4j working, or waiting for a core on a busy machine)."""

    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        self.started, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        wall, cpu = time.perf_counter() - self.started, time.process_time() - self.cpu
        print(f"  {self.label:<52} {wall:7.2f} s   (Python CPU {cpu:6.2f} s)", flush=True)


def run_once(driver, keys: Pseudonyms) -> dict:
    with Stopwatch("= full comparison"):
        with Stopwatch("read the timeline from Neo4j"):
            timeline = read_timeline(driver, details=False)
        with Stopwatch("scopes (cohort and session dates)"):
            scope = before_after.build_scopes(EvaluationRepository(driver).territories())["all"]
        with Stopwatch("before / after / now: figures, changes, matrices"):
            found = before_after.compare(timeline, before_after.cohort_points(scope, date.today()), keys)
    with Stopwatch("session-by-session curve (8 snapshots)"):
        before_after.curve(timeline, scope)
    return found


def report(found: dict) -> None:
    for snapshot in found["snapshots"]:
        f, methods = snapshot["figures"], snapshot["methods"]
        print(f"{snapshot['name']:>7}: {f['people']:,} people, {f['ties']:,} ties, density {f['density']:.6f}, "
              f"components {f['components']:,} (largest {f['largest_component']:,}), "
              f"isolates {f['isolates']:,}, cross-organisation {f['cross_organisation_share']:.1%}, "
              f"E–I {f['ei_index_sector']:+.3f}, clustering {f['average_clustering']:.4f} "
              f"({methods['average_clustering']}), betweenness {methods['betweenness']}")
    for change in found["changes"]:
        print(f"{change['from']} → {change['to']}: new {change['new']:,}, kept {change['kept']:,}, "
              f"lost {change['lost']:,} {change['lost_by_reason']}")
    print(f"Limits: exact betweenness up to {metrics.EXACT_BETWEENNESS_LIMIT:,} people, else "
          f"{metrics.BETWEENNESS_SAMPLES} sampled sources; exact clustering up to Σ degree² = "
          f"{metrics.EXACT_CLUSTERING_WORK:,}, else {metrics.CLUSTERING_SAMPLES:,} sampled people.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--heap", default="4g", help="Neo4j heap of the benchmark's own server")
    parser.add_argument("--pagecache", default="2g")
    parser.add_argument("--repeat", type=int, default=2, help="times the comparison is run (warm runs count)")
    args = parser.parse_args()

    print(f"Synthetic network: {args.orgs:,} organisations, {args.people:,} people, {args.ties:,} ties "
          f"(Neo4j heap {args.heap}, page cache {args.pagecache})")
    with tempfile.TemporaryDirectory(prefix="ei-bench-") as home:
        server = LocalNeo4j(home=Path(home) / "neo4j", port=free_port(), heap=args.heap, pagecache=args.pagecache)
        with Stopwatch("start a separate Neo4j"):
            server.start()
        driver = create_driver(server.uri, *server.auth(), max_transaction_retry_time=60.0)
        try:
            init_schema(driver)
            with Stopwatch("generate"):
                data = synthetic(args.orgs, args.people, args.ties, args.seed)
            with Stopwatch("load (UNWIND batches of 50,000)"):
                load(driver, data)
            del data
            keys = Pseudonyms("benchmark-secret")
            for run in range(1, args.repeat + 1):
                print(f"Run {run} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
                found = run_once(driver, keys)
            report(found)
        finally:
            driver.close()
            server.stop()


if __name__ == "__main__":
    main()
