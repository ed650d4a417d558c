"""Territory map, network view and CSV import timings, by hand: `.venv/bin/python -m bench.territory_bench [COPIES]`.

Starts a throw-away local Neo4j (free port, temporary folder) and loads COPIES copies of the demo
network (fresh ids for organisations, people, ties and referrals; the six territories and their
sessions shared), so that each territory grows COPIES-fold. Then times, for Montréal-Nord: the network
analysis (analysis.territory_network), the map page and the map document through the test client —
each the first time (computed) then the median of 5 more (warm: plans made, figures kept per graph
version), beside the floor, one Cypher read of the same subgraph; and a CSV preview and import of 1,000
new participants (then the same file again) beside one UNWIND write of the same rows, rolled back.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import base64
import io
import statistics
import sys
import time
from dataclasses import replace
from datetime import date

from werkzeug.security import generate_password_hash

from app import create_app
from bench.throwaway import throwaway_neo4j
from graph.loader import load_network
from graph.schema import init_schema
from graph.timeline_reader import territory_network
from referral.directory import csv_import
from seed.demo.network import DEMO_PASSWORDS, build_demo


def _grown(copies: int):
    demo = build_demo()
    net = replace(demo, organisations=[], services=[], people=[], works_at=[], expertise=[], attended=[], knows=[],
                  referrals=[], users=[])

    for copy in range(copies):
        def fresh(value, copy=copy):
            return value if copy == 0 else f"{value}~{copy}"

        net.organisations += [{**o, "id": fresh(o["id"]), "name": f"{o['name']} {copy}"} for o in demo.organisations]
        net.services += [{**s, "id": fresh(s["id"]), "organisation": fresh(s["organisation"])} for s in demo.services]
        net.people += [{**p, "id": fresh(p["id"]), "email": p["email"] and f"{copy}.{p['email']}"}
                       for p in demo.people]
        net.works_at += [{**w, "person": fresh(w["person"]), "organisation": fresh(w["organisation"])}
                         for w in demo.works_at]
        net.attended += [{**a, "person": fresh(a["person"])} for a in demo.attended]
        net.knows += [{**k, "a": fresh(k["a"]), "b": fresh(k["b"])} for k in demo.knows]
        net.referrals += [{**r, "id": fresh(r["id"]), "from": fresh(r["from"]), "to": fresh(r["to"])}
                          for r in demo.referrals]
    net.users = [dict(u, password_hash=generate_password_hash(DEMO_PASSWORDS[u["role"]]))
                 for u in demo.users if u["id"].startswith("u-demo-")]
    return net


def _timed(label: str, work, floor: float | None = None, again: int = 0):
    """Run `work` once and print its time; with `again`, also the median of that many more runs (warm:
    Neo4j's plans made, the app's figures kept); beside `floor`, the ratio to it."""
    started = time.perf_counter()
    result = work()
    first = time.perf_counter() - started
    line = f"{label:<44} {first * 1000:8.0f} ms"
    if again:
        times = []
        for _ in range(again):
            started = time.perf_counter()
            result = work()
            times.append(time.perf_counter() - started)
        warm = statistics.median(times)
        line += f"   then {warm * 1000:6.0f} ms"
        if floor:
            line += f"   ({warm / floor:5.1f} × floor)"
    print(line)
    return result


# The floor of a territory's figures and map: one Cypher read of the same subgraph — the territory's
# people as of today with their organisation, and every tie of theirs.
SUBGRAPH = """
MATCH (:Territory {id: $territory})<-[:LOCATED_IN]-(o:Organisation)<-[w:WORKS_AT]-(p:Intervenant)
WHERE w.since <= date() AND (w.until IS NULL OR w.until > date())
OPTIONAL MATCH (p)-[k:KNOWS]-(q:Intervenant)
RETURN collect([p.id, o.id, q.id, k.since, k.origin]) AS rows
"""


def _floor(driver, label: str, query: str, **params) -> float:
    """The median of 5 warm runs of one read, printed and returned (seconds)."""
    with driver.session() as session:
        session.execute_read(lambda tx: tx.run(query, **params).consume())
        times = []
        for _ in range(5):
            started = time.perf_counter()
            session.execute_read(lambda tx: tx.run(query, **params).consume())
            times.append(time.perf_counter() - started)
    floor = statistics.median(times)
    print(f"{label:<44} {floor * 1000:8.1f} ms   (the floor)")
    return floor


def _participants_csv(rows: int, organisation: str) -> bytes:
    lines = ["nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis"]
    lines += [f"Personne {i};personne.{i}@exemple.org;514 555-01{i % 100:02d};{organisation};mn;;fr;oui;2024-09-01"
              for i in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


# The floor of the import: the same people and jobs written by one UNWIND, in a transaction rolled back.
WRITE_ROWS = """
MATCH (o:Organisation {id: $organisation})
UNWIND $rows AS row
CREATE (p:Person:Intervenant {id: row.id, name: row.name, email: row.email, listed: true})
CREATE (p)-[:WORKS_AT {since: date('2024-09-01')}]->(o)
"""


def _write_floor(driver, organisation: str, rows: int) -> float:
    people = [{"id": f"floor-{i}", "name": f"Personne {i}", "email": f"personne.{i}@exemple.org"} for i in range(rows)]
    with driver.session() as session:
        started = time.perf_counter()
        with session.begin_transaction() as tx:
            tx.run(WRITE_ROWS, organisation=organisation, rows=people).consume()
            tx.rollback()
        floor = time.perf_counter() - started
    print(f"{f'one write of the same {rows} people and jobs':<44} {floor * 1000:8.1f} ms   (the floor)")
    return floor


def _figures_and_maps(driver, client) -> None:
    floor = _floor(driver, "one read of mn's people and ties", SUBGRAPH, territory="mn")
    net = _timed("territory_network(mn, today), computed", lambda: territory_network(driver, "mn", date.today()),
                 floor, again=5)
    print(f"  mn: {net.figures['people']} people, {net.figures['ties']} ties, "
          f"{len(net.organisations)} organisations, {len(net.circuits)} closed circuits")
    for label, url in (("map page /territoires/mn/carte", "/territoires/mn/carte"),
                       ("map document (folium)", "/territoires/mn/carte/plan"),
                       ("map page, as of 2022-10-01", "/territoires/mn/carte?date=2022-10-01")):
        response = _timed(label, lambda url=url: client.get(url), floor, again=5)
        print(f"  {response.status_code}, {len(response.data) / 1024:.0f} KiB (then: the figures kept)")


def _import(driver, client, organisation: dict) -> None:
    data = _participants_csv(1000, organisation["name"])
    print(f"  CSV: 1000 participants, {len(data) / 1024:.0f} KiB")
    _timed("parse (pure Python)", lambda: csv_import.parse(data, "participants"))

    def upload():
        return client.post("/repertoire/import", content_type="multipart/form-data",
                           data={"kind": "participants", "file": (io.BytesIO(data), "a.csv")})

    preview = _timed("preview through the app", upload)
    fields = {"kind": "participants", "content": base64.b64encode(data).decode()}
    print(f"  preview {preview.status_code}")
    floor = _write_floor(driver, organisation["id"], 1000)
    started = time.perf_counter()
    done = client.post("/repertoire/import/confirmer", data=fields)
    took = time.perf_counter() - started
    print(f"{'import (one transaction)':<44} {took * 1000:8.0f} ms   ({took / floor:5.1f} × floor)")
    again = _timed("same file again (nothing to write)",
                   lambda: client.post("/repertoire/import/confirmer", data=fields))
    print(f"  import {done.status_code}, again {again.status_code}")


def main(copies: int) -> None:
    with throwaway_neo4j() as (driver, config):
        init_schema(driver)
        network = _grown(copies)
        _timed(f"load {len(network.people)} people, {len(network.knows)} ties", lambda: load_network(driver, network))
        app = create_app(config)
        client = app.test_client()
        client.post("/connexion", data={"email": "coordination.mn@demo.reseau-ei.ca",
                                        "password": DEMO_PASSWORDS["coordinator"]})
        _figures_and_maps(driver, client)
        _import(driver, client, network.organisations[0])
        app.extensions["notify"].stop()
        app.extensions["neo4j"].close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
