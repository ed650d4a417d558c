"""Search latency on a large synthetic network, through the driver and through HTTP.

    .venv/bin/python bench/search_benchmark.py                       # 20,000 orgs / 200,000 people / 2,000,000 ties
    .venv/bin/python bench/search_benchmark.py --organisations 2000 --people 20000 --ties 200000

It starts a SEPARATE throw-away Neo4j (free port, temporary folder, its own heap and page cache),
generates the network there in UNWIND batches (nothing is committed), then times the same searches
(1) as the graph reads the search makes (full-text match, candidates, ranking, one page of details)
through the Python driver, and (2) as real HTTP requests to GET /api/v1/contacts on the Flask app
served as in production (bench/served.py) on loopback with a bearer token, once the server is warm
(--warmup untimed rounds first). It prints p50 / p95 / p99 of each, their ratio, and the PROFILE of the
candidates query (index seeks, no label scan on the hot path).
Run by hand; never asserted in tests. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import served  # noqa: E402
from graph import search_index, search_query  # noqa: E402
from graph.driver import create_driver  # noqa: E402
from graph.loader import load_reference  # noqa: E402
from graph.local_server import LocalNeo4j, free_port  # noqa: E402
from graph.repositories.contact_search import TOP_TIER, parameters  # noqa: E402
from graph.repositories.contacts import DETAILS, ContactRepository  # noqa: E402
from graph.repositories.needs import MATCH_NEEDS, NeedRepository, match_parameters  # noqa: E402
from graph.repositories.places import PlacesRepository  # noqa: E402
from graph.repositories.users import BY_TOKEN_HASH  # noqa: E402
from graph.schema import init_schema  # noqa: E402
from graph.search_criteria import SearchCriteria  # noqa: E402
from referral.auth.service import hash_token  # noqa: E402
from referral.ranking import RANKING  # noqa: E402
from referral.search.service import WHOLE_UP_TO  # noqa: E402
from seed.demo.network import HOURS, LEVELS, SERVICE_MENU  # noqa: E402
from seed.demo.people_names import ORIGINS  # noqa: E402
from seed.reference.rows import reference_rows  # noqa: E402
from seed.reference.taxonomy import NEEDS  # noqa: E402
from seed.reference.territories import TERRITORIES, territory_shape  # noqa: E402

BATCH = 10_000
LANGUAGES = ("en", "ar", "es", "ht", "vi", "fa", "zh", "pa", "ta", "kab")
SECTOR_MENUS = [menu for menu in SERVICE_MENU.values()]
# What workers type: taxonomy ids, labels, synonyms and typos, across territories and languages.
QUERIES = [
    {"need": "santé mentale", "territory": "mn", "language": "ar"},
    {"need": "sante mentale", "territory": "vsp"},
    {"need": "santé mentle", "territory": "asl", "language": "es"},
    {"need": "avocat", "territory": "cdn"},
    {"need": "impots", "territory": "abc", "language": "ar"},
    {"need": "francisation", "territory": "prsl"},
    {"need": "logement", "territory": "mn", "near": "H1G 3T4", "max_km": "3"},
    {"need": "early-childhood", "territory": "vsp", "language": "ht"},
    {"need": "aide alimentaire", "territory": "asl", "near": "H1S", "max_km": "4"},
    {"need": "emploi", "territory": "all", "language": "ta"},
]


def log(message: str) -> None:
    print(message, flush=True)


def batches(rows: list, size: int = BATCH):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def write_batches(driver, cypher: str, rows: list, label: str) -> None:
    started = time.monotonic()
    with driver.session() as session:
        for chunk in batches(rows):
            session.execute_write(lambda tx, chunk=chunk: tx.run(cypher, rows=chunk).consume())
    log(f"  {label}: {len(rows):,} in {time.monotonic() - started:.1f} s")


def generate(driver, organisations: int, people: int, ties: int, seed: int) -> list[str]:
    """The synthetic network; returns the ids of the searchers (people with accounts and tokens)."""
    rng = random.Random(seed)
    today = date.today()
    territories = []
    for t in TERRITORIES:
        shape = territory_shape(t.id)
        point = shape.representative_point()
        territories.append({"id": t.id, "name": t.name, "cohort": t.cohort, "bounds": shape.bounds,
                            "latitude": point.y, "longitude": point.x})
    load_reference(driver, reference_rows())  # as `flask seed`: territories, needs, postal areas…

    orgs, services = [], []
    for number in range(organisations):
        territory = rng.choice(territories)
        west, south, east, north = territory["bounds"]
        org_id = f"o{number}"
        org_languages = ["fr", *rng.sample(LANGUAGES, 2)]
        orgs.append({"id": org_id, "name": f"Organisme {number}", "territory": territory["id"],
                     "latitude": rng.uniform(south, north), "longitude": rng.uniform(west, east),
                     "languages": org_languages})
        for index, (name, description, needs) in enumerate(rng.sample(rng.choice(SECTOR_MENUS), 2)):
            services.append({"id": f"{org_id}-s{index}", "organisation": org_id, "name": name,
                             "description": description, "needs": list(needs), "languages": org_languages,
                             "hours": rng.choice(HOURS)})
    write_batches(driver, """
        UNWIND $rows AS row
        MATCH (t:Territory {id: row.territory})
        CREATE (o:Organisation {id: row.id, name: row.name, languages: row.languages,
                                location: point({latitude: row.latitude, longitude: row.longitude})})
        CREATE (o)-[:LOCATED_IN]->(t), (o)-[:SERVES]->(t)
    """, orgs, "organisations")
    write_batches(driver, """
        UNWIND $rows AS row
        MATCH (o:Organisation {id: row.organisation})
        CREATE (s:Service {id: row.id, name: row.name, description: row.description, languages: row.languages,
                           hours: row.hours})
        CREATE (o)-[:OFFERS]->(s)
        WITH s, row UNWIND row.needs AS need_id
        MATCH (n:Need {id: need_id}) CREATE (s)-[:ADDRESSES]->(n)
    """, services, "services")

    persons, org_of = [], []
    need_ids = [n.id for n in NEEDS]
    for number in range(people):
        origin = rng.choice(ORIGINS)
        org = rng.randrange(organisations)
        org_of.append(org)
        persons.append({
            "id": f"p{number}", "name": f"{rng.choice(origin[3])} {rng.choice(origin[5])} {number}",
            "languages": ["fr", *rng.sample(origin[2], rng.randint(0, len(origin[2])))],
            "listed": rng.random() < 0.95, "organisation": f"o{org}",
            "left": rng.random() < 0.03, "expertise": rng.sample(need_ids, rng.randint(1, 3)),
            "accepting_until": (today + timedelta(days=20)) if rng.random() < 0.02 else None,
        })
    write_batches(driver, """
        UNWIND $rows AS row
        MATCH (o:Organisation {id: row.organisation})
        CREATE (p:Person:Intervenant {id: row.id, name: row.name, role: 'intervenant_communautaire',
                                      languages: row.languages, listed: row.listed,
                                      accepting_until: row.accepting_until,
                                      email: row.id + '@bench.example.org', phone: '514 555-0100'})
        CREATE (p)-[:WORKS_AT {since: date('2019-01-01'),
                               until: CASE WHEN row.left THEN date('2024-06-30') END}]->(o)
        WITH p, row UNWIND row.expertise AS need_id
        MATCH (n:Need {id: need_id}) CREATE (p)-[:HAS_EXPERTISE]->(n)
    """, persons, "people")

    # Ties: most between people of nearby ids (colleagues, neighbours), the rest at random; one per pair.
    # Rows are made and written batch by batch, so two million ties never sit in memory as dicts.
    pairs: set[tuple[int, int]] = set()
    started = time.monotonic()
    with driver.session() as session:
        attempts = 0
        while len(pairs) < ties and attempts < ties * 3:
            batch = []
            while len(batch) < BATCH and len(pairs) < ties and attempts < ties * 3:
                attempts += 1
                a = rng.randrange(people)
                b = (a + rng.randint(1, 200)) % people if rng.random() < 0.7 else rng.randrange(people)
                pair = (min(a, b), max(a, b))
                if a != b and pair not in pairs:
                    pairs.add(pair)
                    batch.append({"a": f"p{pair[0]}", "b": f"p{pair[1]}", "level": rng.choice(LEVELS),
                                  "origin": rng.choice(("before_ei", "ei_session", "declared")),
                                  "since": date(2020, 1, 1) + timedelta(days=rng.randrange(1800))})
            session.execute_write(lambda tx, batch=batch: tx.run("""
                UNWIND $rows AS row
                MATCH (a:Person {id: row.a}), (b:Person {id: row.b})
                CREATE (a)-[:KNOWS {origin: row.origin, level: row.level, since: row.since}]->(b)
            """, rows=batch).consume())
    log(f"  KNOWS ties: {len(pairs):,} in {time.monotonic() - started:.1f} s")
    del pairs

    at = datetime(2025, 5, 1, tzinfo=UTC)
    referrals = [{"id": f"r{n}", "from": f"p{rng.randrange(people)}", "to": f"p{rng.randrange(people)}",
                  "need": rng.choice(need_ids), "at": at,
                  "outcome": rng.choice(("got_help", "got_help", "could_not_reach"))}
                 for n in range(max(10, people // 20))]
    write_batches(driver, """
        UNWIND $rows AS row
        MATCH (a:Person {id: row.from}), (b:Person {id: row.to}), (n:Need {id: row.need})
        CREATE (r:Referral {id: row.id, need: row.need, language: 'fr', urgency: 'normal', status: 'completed',
                            created_at: row.at, updated_at: row.at})
        CREATE (r)-[:FROM]->(a), (r)-[:TO]->(b), (r)-[:FOR]->(n)
        CREATE (r)-[:HAS_EVENT]->(:ReferralEvent {seq: 0, referral: row.id, status: 'sent', at: row.at, by: row.from})
        CREATE (r)-[:HAS_EVENT]->(:ReferralEvent {seq: 1, referral: row.id, status: 'completed', at: row.at,
                                                  by: row.to, outcome: row.outcome})
    """, referrals, "completed referrals")

    searchers = [p["id"] for p in rng.sample(persons, 20) if not p["left"]]
    return searchers


# The benchmark's API tokens (only their hashes stored), made as the profile makes them.
BENCH_TOKEN = ("(:ApiToken {id: 't-' + row.id, hash: row.hash, name: 'bench', scope: 'read', "
               "created: datetime(), expires: datetime() + duration('P30D')})")


def create_accounts(driver, searchers: list[str]) -> dict[str, str]:
    """One account and API token per searcher (the token is what the HTTP requests send)."""
    tokens = {person: f"ei_bench_{person}_{random.random():.12f}" for person in searchers}
    rows = [{"id": f"u-{p}", "person": p, "hash": hash_token(token)} for p, token in tokens.items()]
    with driver.session() as session:
        session.execute_write(lambda tx: tx.run(
            """
            UNWIND $rows AS row
            MATCH (p:Person {id: row.person})
            OPTIONAL MATCH (p)-[:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t:Territory)
            WITH row, p, head(collect(t.id)) AS territory
            CREATE (u:User {id: row.id, email: row.person + '@bench.example.org', role: 'intervenant',
                            territory: territory, active: true, password_hash: '!'})
            CREATE (u)-[:IS]->(p)
            CREATE (u)-[:HAS_TOKEN]->""" + BENCH_TOKEN, rows=rows).consume())
    return tokens


def reuse_accounts(driver, searchers: list[str]) -> dict[str, str]:
    """New tokens for the accounts of a reused network (only hashes are stored)."""
    tokens = {person: f"ei_bench_{person}_{random.random():.12f}" for person in searchers}
    with driver.session() as session:
        session.execute_write(lambda tx: tx.run(
            "UNWIND $rows AS row MATCH (u:User {id: row.id}) OPTIONAL MATCH (u)-[:HAS_TOKEN]->(old:ApiToken) "
            "DETACH DELETE old WITH DISTINCT row, u "
            "CREATE (u)-[:HAS_TOKEN]->" + BENCH_TOKEN,
            rows=[{"id": f"u-{p}", "hash": hash_token(t)} for p, t in tokens.items()]).consume())
    return tokens


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "mean": statistics.fmean(ordered)}


def driver_search(contacts: ContactRepository, query: dict, me: str, home: str) -> str:
    """The graph work of one search as referral/search/service.py does it (one read transaction: need
    matching, ties, ranked candidates, one page of details), without Flask, the form or HTTP.
    Returns the number of results, "≥ n" when it was read by tiers (a lower bound)."""
    from referral.geocode import locate

    territory = None if query.get("territory") == "all" else query.get("territory")
    found = contacts.find(query["need"], SearchCriteria(
        ranking=RANKING, today=date.today(), limit=10, me=me, territories=(territory,) if territory else None,
        home=territory or home, language=query.get("language"),
        origin=locate(query["near"], PlacesRepository(contacts.driver).postal_area).pair if query.get("near") else None,
        max_km=float(query["max_km"]) if query.get("max_km") else None, whole_up_to=WHOLE_UP_TO))
    if found is None:
        raise RuntimeError(f"« {query['need']} » names no need of the taxonomy")
    return count(found["total"], found["exact"])


def matching_time(needs: NeedRepository, text: str) -> float:
    """Need matching alone, in a transaction of its own (ms): the share of it in a search."""
    started = time.perf_counter()
    needs.match(text)
    return (time.perf_counter() - started) * 1000


def count(total: int, exact: bool) -> str:
    return f"{total:,}" if exact else f"≥{total:,}"


def http_search(connection: http.client.HTTPConnection, query: dict, token: str) -> str:
    connection.request("GET", "/api/v1/contacts?" + urlencode(query), headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {body[:300]!r}")
    answer = json.loads(body)
    return count(answer["total"], answer["total_exact"])


def operators_of(plan: dict) -> list[str]:
    names = [plan["operatorType"].replace("@neo4j", "")]
    for child in plan.get("children", []):
        names += operators_of(child)
    return names


def print_plan(driver, needs: NeedRepository, me: str, home: str) -> None:
    matched = needs.match("santé mentale")
    criteria = SearchCriteria(ranking=RANKING, today=date.today(), limit=10, me=me, territories=(home,), home=home,
                              language="ar", need_ids=tuple(n["id"] for n in matched["needs"]))

    def work(tx):  # the search's own parameters (contact_search.parameters), the top tier's reading
        context = tx.run(search_query.CONTEXT, me=me, today=criteria.today, everywhere=False,
                         need_ids=list(criteria.need_ids), whole_up_to=0).single()
        return {**parameters(tx, criteria, context), "experts": TOP_TIER[0], "offers": TOP_TIER[1],
                "neighbours": sorted(set(context["direct"]) | set(context["second"]))}

    with driver.session() as session:
        params = session.execute_read(work)
    with driver.session() as session:
        result = session.run("PROFILE " + search_query.queries(RANKING).ranked, **params)
        result.fetch(10 ** 6)  # the profile is complete only once every row was produced
        summary = result.consume()
    operators: list[str] = []

    def walk(plan, depth=0):
        operators.append(plan["operatorType"])
        args = plan.get("args", {})
        detail = args.get("Details", "")
        log(f"  {'  ' * depth}{plan['operatorType']:<32} rows={plan.get('rows', '?'):<8} "
            f"hits={plan.get('dbHits', '?'):<8} {str(detail)[:90]}")
        for child in plan.get("children", []):
            walk(child, depth + 1)

    log("\nPROFILE of the ranked candidates, top tier (« santé mentale », the searcher's territory, Arabic):")
    walk(summary.profile)
    scans = [op for op in operators if "LabelScan" in op or "AllNodesScan" in op]
    seeks = [op for op in operators if "Seek" in op]
    log(f"  index seeks: {len(seeks)} ({', '.join(sorted(set(seeks)))}); label or all-node scans: {len(scans)}"
        f"{' ← ' + ', '.join(scans) if scans else ''}")
    # The other statements of a search: none may scan a label either.
    others = {
        "need matching": (MATCH_NEEDS, match_parameters("santé mentale", ["sante", "mentale"], every_term=True)),
        "bearer token": (BY_TOKEN_HASH, {"hash": "no such token", "now": 0, "noted_since": 0}),
        "ties and origin": (search_query.CONTEXT, {"me": me, "today": date.today(), "everywhere": True,
                                                  "need_ids": params["need_ids"], "whole_up_to": WHOLE_UP_TO}),
        "page details": (DETAILS, {"rows": [], "me": me, "need_ids": params["need_ids"], "service_ids": [],
                                   "today": date.today(), "every_need": False}),
    }
    for name, (cypher, values) in others.items():
        with driver.session() as session:
            result = session.run("PROFILE " + cypher, **values)
            result.fetch(10 ** 6)
            profile = result.consume().profile
        found = operators_of(profile)
        scans = sorted({op for op in found if "LabelScan" in op or "AllNodesScan" in op})
        access = sorted({op for op in found
                         if any(kind in op for kind in ("Seek", "IndexScan", "TypeScan", "Procedure"))})
        log(f"  {name}: {', '.join(access) or 'argument rows only'}; label or all-node scans: {scans or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--ties", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=20, help="times each of the 10 queries is run (timed)")
    # A Neo4j just started answers a search 1.5 times slower than after a few hundred (its JIT compiles the
    # hot paths meanwhile, and the page cache fills): the rounds timed are those of a server in use.
    parser.add_argument("--warmup", type=int, default=30,
                        help="untimed rounds first (plans, page cache, the JVM's compilation)")
    parser.add_argument("--pause", type=float, default=0.0,
                        help="ms of idleness before each HTTP search, as between a worker's searches")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="4g")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the data folder (printed) instead of deleting it")
    parser.add_argument("--data", type=Path, help="a data folder to keep and reuse: the network is generated "
                                                  "only when it holds none (then sizes are those it was made with)")
    args = parser.parse_args()
    # The server's "property does not exist" notices would be logged on every query of the app.
    logging.getLogger("neo4j").setLevel(logging.ERROR)

    home = args.data or Path(tempfile.mkdtemp(prefix="ei-bench-neo4j-"))
    web_home = Path(tempfile.mkdtemp(prefix="ei-bench-web-"))  # the app server's var folder and log
    keep = args.keep or args.data is not None
    server = LocalNeo4j(home=home, port=free_port(), heap=args.heap, pagecache=args.pagecache)
    log(f"Neo4j for the benchmark: {server.uri}, data in {home} (heap {args.heap}, page cache {args.pagecache})")
    server.start()
    http_server = None
    try:
        driver = create_driver(server.uri, *server.auth(), connection_acquisition_timeout=60.0)
        init_schema(driver)
        with driver.session() as session:
            existing = session.run("MATCH (u:User) WHERE u.id STARTS WITH 'u-p' RETURN u.id AS id").data()
        if existing:
            log(f"Reusing the network in {home}.")
            tokens = reuse_accounts(driver, [row["id"][2:] for row in existing])
        else:
            log(f"Generating {args.organisations:,} organisations, {args.people:,} people, {args.ties:,} ties…")
            started = time.monotonic()
            tokens = create_accounts(driver, generate(driver, args.organisations, args.people, args.ties, args.seed))
            log(f"Generated in {time.monotonic() - started:.0f} s.")
        with driver.session() as session:
            entries = session.run("MATCH ()-[c:CAN_HELP]->() RETURN count(c) AS n").single()["n"]
        started = time.monotonic()
        if not entries:
            entries = search_index.rebuild(driver, batch=5_000)
            log(f"Search projection: {entries:,} CAN_HELP entries in {time.monotonic() - started:.0f} s.")
        elif outdated := search_index.refresh_outdated(driver, batch=5_000):
            log(f"Search entries of {outdated:,} people written by an older version recomputed in "
                f"{time.monotonic() - started:.0f} s.")
        with driver.session() as session:
            session.run("CALL db.awaitIndexes(600)").consume()
            counts = session.run("CALL () { MATCH (o:Organisation) RETURN count(o) AS orgs } "
                                 "CALL () { MATCH (p:Person) RETURN count(p) AS people } "
                                 "CALL () { MATCH ()-[k:KNOWS]->() RETURN count(k) AS ties } "
                                 "RETURN orgs, people, ties").single()
        log(f"Network: {counts['orgs']:,} organisations, {counts['people']:,} people, {counts['ties']:,} KNOWS ties, "
            f"{entries:,} search entries.")
        searchers = list(tokens)

        needs, contacts = NeedRepository(driver), ContactRepository(driver)
        homes = {}
        with driver.session() as session:
            for person in searchers:
                record = session.run("MATCH (:Person {id: $id})-[:WORKS_AT]->()-[:LOCATED_IN]->(t) RETURN t.id AS t",
                                     id=person).single()
                homes[person] = record["t"]
        plan_searcher = searchers[0]
        print_plan(driver, needs, plan_searcher, homes[plan_searcher])

        port = free_port()  # searches are GETs: no rate limit applies to them
        env = {**os.environ, "SECRET_KEY": "bench-only-secret", "NEO4J_URI": server.uri, "NEO4J_USER": "neo4j",
               "NEO4J_PASSWORD": server.password(), "EI_VAR_DIR": str(web_home)}
        http_server = served.start(served.production_command(port), port, env, web_home / "server.log")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        plan = [(query, searchers[i % len(searchers)]) for i, query in enumerate(QUERIES)]
        load_before = os.getloadavg()[0]
        driver_ms, http_ms, warming_ms, totals = [], [], [], {}
        per_query: dict[str, tuple[list[float], list[float], list[float]]] = {q["need"]: ([], [], [])
                                                                               for q in QUERIES}
        for round_number in range(args.warmup + args.rounds):
            timed = round_number >= args.warmup
            for query, person in plan:
                t0 = time.perf_counter()
                total = driver_search(contacts, query, person, homes[person])
                one_driver_ms = (time.perf_counter() - t0) * 1000
                time.sleep(args.pause / 1000)
                t1 = time.perf_counter()
                http_total = http_search(connection, query, tokens[person])
                one_http_ms = (time.perf_counter() - t1) * 1000
                matching_ms = matching_time(needs, query["need"])
                totals[query["need"]] = (total, http_total)
                if not timed:
                    warming_ms.append(one_http_ms)
                else:
                    driver_ms.append(one_driver_ms)
                    http_ms.append(one_http_ms)
                    for samples, value in zip(per_query[query["need"]], (one_driver_ms, one_http_ms, matching_ms),
                                              strict=True):
                        samples.append(value)
        connection.close()
        load_after = os.getloadavg()[0]

        log("\nPer query: results (driver / HTTP), median ms (driver / HTTP; need matching alone):")
        for query in QUERIES:
            a, b = totals[query["need"]]
            d_ms, h_ms, m_ms = per_query[query["need"]]
            filters = ", ".join(f"{k}={v}" for k, v in query.items() if k != "need")
            log(f"  {query['need']:<17} {filters:<40} {a:>8} / {b:<8} {statistics.median(d_ms):>7.0f} / "
                f"{statistics.median(h_ms):.0f}; {statistics.median(m_ms):.1f}")
        d, h = percentiles(driver_ms), percentiles(http_ms)
        idle = f", {args.pause:g} ms idle before each HTTP one" if args.pause else ""
        log(f"\nSearch latency over {len(driver_ms)} searches ({args.rounds} rounds × {len(QUERIES)} queries, after "
            f"{args.warmup} untimed rounds{idle}), ms:")
        log(f"  {'':<8}{'p50':>9}{'p95':>9}{'p99':>9}{'mean':>9}")
        log(f"  {'driver':<8}{d['p50']:>9.1f}{d['p95']:>9.1f}{d['p99']:>9.1f}{d['mean']:>9.1f}")
        log(f"  {'HTTP':<8}{h['p50']:>9.1f}{h['p95']:>9.1f}{h['p99']:>9.1f}{h['mean']:>9.1f}")
        log(f"  {'HTTP / driver':<14} p50 ×{h['p50'] / d['p50']:.2f}  p95 ×{h['p95'] / d['p95']:.2f}  "
            f"p99 ×{h['p99'] / d['p99']:.2f}")
        log(f"  target p95 < 50 ms through HTTP: {'met' if h['p95'] < 50 else 'NOT met'}")
        if warming_ms:
            w = percentiles(warming_ms)
            log(f"  HTTP during the untimed rounds, the server warming up: p50 {w['p50']:.1f}, p95 {w['p95']:.1f}")
        log(f"  machine load average (1 min) before / after the timed searches: {load_before:.1f} / {load_after:.1f} "
            f"on {os.cpu_count()} cores (other processes share them)")
        driver.close()
    finally:
        if http_server is not None:
            http_server.terminate()
            http_server.wait(30)
        shutil.rmtree(web_home, ignore_errors=True)
        server.stop()
        if keep:
            log(f"Data kept in {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
