"""HSDS export and import timings, by hand: `.venv/bin/python -m bench.hsds_bench [COPIES]`.

Starts a throw-away local Neo4j (free port, temporary folder), loads the demo, times the export,
then imports a package made of COPIES copies of the demo export (fresh ids for each copy) into an
empty graph, and imports it again (nothing to change). Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

from app import create_app
from bench.throwaway import throwaway_neo4j
from graph.loader import clear, load_network
from graph.schema import init_schema
from interop.hsds import package, writing
from referral.hsds.service import TITLE, HsdsExchange
from referral.policy import OPERATOR
from seed.demo.network import build_demo


def _copies(tables: dict, count: int) -> dict:
    """`count` copies of the export with fresh ids and contact e-mails (taxonomies shared), so the package grows."""
    shared = {r["id"] for t in ("taxonomy", "taxonomy_term") for r in tables[t]}
    grown = {t: list(rows) if t in ("taxonomy", "taxonomy_term") else [] for t, rows in tables.items()}
    for copy in range(count):
        def fresh(value, copy=copy):
            return value if value in shared or value is None else str(uuid.uuid5(uuid.NAMESPACE_OID, f"{copy}:{value}"))
        for table, rows in tables.items():
            if table in ("taxonomy", "taxonomy_term"):
                continue
            for row in rows:
                copied = {k: fresh(v) if k == "id" or k.endswith("_id") else v for k, v in row.items()}
                if table == "contact" and row.get("email"):
                    copied["email"] = f"{copy}.{row['email']}"  # one person per e-mail
                grown[table].append(copied)
    return grown


def _timed(label: str, work):
    started = time.perf_counter()
    result = work()
    print(f"{label:<48} {time.perf_counter() - started:7.2f} s")
    return result


def main(copies: int) -> None:
    with throwaway_neo4j() as (driver, config), tempfile.TemporaryDirectory() as home:
        app = create_app(config)
        init_schema(driver)
        load_network(driver, build_demo())
        with app.app_context():
            service = HsdsExchange(OPERATOR, lambda cls: cls(driver), "bench")
            tables = _timed("export of the demo directory (tables)", service.export_tables)
            _timed("  as a zip package", lambda: writing.zip_bytes(tables, TITLE))
            grown = _copies(tables, copies)
            print(f"package: {len(grown['organization'])} organizations, {len(grown['service'])} services, "
                  f"{len(grown['contact'])} contacts")
            folder = Path(home) / "package"
            writing.write_directory(grown, folder, TITLE)
            clear(driver)
            options = service.options()
            for attempt in ("import into an empty graph", "same package again"):
                read = _timed(f"{attempt}: read", lambda: package.read_path(folder))
                result = _timed(f"{attempt}: check and plan",
                                lambda r=read: service.preview(r, options))
                print(f"  {result.plan.counts()}")
                if result.plan.changes:
                    _timed(f"{attempt}: write (one transaction)",
                           lambda r=read: service.apply(r, options))
        app.extensions["neo4j"].close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
