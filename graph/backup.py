"""A portable dump of the whole graph (JSON), and its restore.

The dump is canonical — nodes and relationships sorted by content, not by Neo4j's internal ids —
so two dumps of the same graph are byte-identical, and a restore can be checked by dumping again.
A SHA-256 of the content guards against damaged files: restore checks it, and the structure of
every record, before it touches the graph; then it replaces the graph in one transaction, so a
failure leaves the graph as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ConstraintError
from neo4j.spatial import CartesianPoint, Point, WGS84Point
from neo4j.time import Date, DateTime

from graph.driver import DATABASE
from graph.search_index import refresh_people

FORMAT = "reseau-ei-backup"
VERSION = 1
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class BackupError(ValueError):
    """The file is not a backup this version can restore; the message says why."""


def _encode(value):
    if isinstance(value, DateTime):
        return {"$datetime": value.iso_format()}
    if isinstance(value, Date):
        return {"$date": value.iso_format()}
    if isinstance(value, Point):
        return {"$point": list(value), "srid": value.srid}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, dict):
        if "$datetime" in value:
            return DateTime.from_iso_format(value["$datetime"])
        if "$date" in value:
            return Date.from_iso_format(value["$date"])
        if "$point" in value:
            cls = WGS84Point if value.get("srid") in (4326, 4979) else CartesianPoint
            return cls(tuple(value["$point"]))
        raise BackupError(f"unknown value {sorted(value)}")
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _read_all(tx: ManagedTransaction):
    nodes = [(r["key"], sorted(r["labels"]), {k: _encode(v) for k, v in r["props"].items()})
             for r in tx.run("MATCH (n) RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS props")]
    rels = [(r["start"], r["end"], r["type"], {k: _encode(v) for k, v in r["props"].items()})
            for r in tx.run("MATCH (a)-[r]->(b) RETURN elementId(a) AS start, elementId(b) AS end, "
                            "type(r) AS type, properties(r) AS props")]
    return nodes, rels


def dump(driver: Driver, database: str = DATABASE) -> dict:
    with driver.session(database=database) as session:
        nodes, rels = session.execute_read(_read_all)
    ordered = sorted(nodes, key=lambda n: _canonical([n[1], n[2]]))
    index = {key: i for i, (key, _, _) in enumerate(ordered)}
    content = {
        "nodes": [{"labels": labels, "props": props} for _, labels, props in ordered],
        "relationships": sorted(
            ({"start": index[a], "end": index[b], "type": t, "props": p} for a, b, t, p in rels),
            key=_canonical,
        ),
    }
    return {
        "format": FORMAT, "version": VERSION, "created_at": datetime.now(UTC).isoformat(),
        "sha256": hashlib.sha256(_canonical(content).encode()).hexdigest(), **content,
    }


def _check(backup) -> None:
    if not isinstance(backup, dict) or backup.get("format") != FORMAT:
        raise BackupError("not a Réseau EI backup")
    if backup.get("version") != VERSION:
        raise BackupError(f"backup version {backup.get('version')} is not supported")
    nodes, rels = backup.get("nodes"), backup.get("relationships")
    if not isinstance(nodes, list) or not isinstance(rels, list):
        raise BackupError("nodes or relationships missing")
    digest = hashlib.sha256(_canonical({"nodes": nodes, "relationships": rels}).encode()).hexdigest()
    if digest != backup.get("sha256"):
        raise BackupError("checksum mismatch: the file is damaged or was edited")
    for number, node in enumerate(nodes):
        if not all(isinstance(label, str) and NAME.match(label) for label in node.get("labels", [None])):
            raise BackupError(f"node {number}: invalid labels")
        if not isinstance(node.get("props"), dict):
            raise BackupError(f"node {number}: invalid properties")
    for number, rel in enumerate(rels):
        ends_ok = all(isinstance(rel.get(end), int) and 0 <= rel[end] < len(nodes) for end in ("start", "end"))
        if not ends_ok or not isinstance(rel.get("type"), str) or not NAME.match(rel["type"]):
            raise BackupError(f"relationship {number}: invalid")
        if not isinstance(rel.get("props"), dict):
            raise BackupError(f"relationship {number}: invalid properties")


def restore(driver: Driver, backup: dict, database: str = DATABASE) -> dict:
    """Replace the whole graph by the backup's content, atomically. Raises BackupError, changing nothing."""
    _check(backup)
    nodes = [{"labels": n["labels"], "props": {k: _decode(v) for k, v in n["props"].items()}}
             for n in backup["nodes"]]
    rels = [{"start": r["start"], "end": r["end"], "type": r["type"],
             "props": {k: _decode(v) for k, v in r["props"].items()}} for r in backup["relationships"]]

    def work(tx: ManagedTransaction):
        tx.run("MATCH (n) DETACH DELETE n").consume()
        # collect() keeps UNWIND's order, so a relationship finds its ends by position in the file.
        tx.run("""
            UNWIND $nodes AS row
            CREATE (n:$(row.labels)) SET n = row.props
            WITH collect(n) AS created
            UNWIND $rels AS rel
            WITH created[rel.start] AS a, created[rel.end] AS b, rel
            CREATE (a)-[r:$(rel.type)]->(b) SET r = rel.props
        """, nodes=nodes, rels=rels).consume()
        # A backup made before the search projection existed (or by hand) gets it recomputed.
        people = tx.run("MATCH (p:Person) RETURN collect(p.id) AS ids").single()["ids"]
        refresh_people(tx, people)

    try:
        with driver.session(database=database) as session:
            session.execute_write(work)
    except ConstraintError as error:  # rolled back: the graph is as it was
        raise BackupError(f"it breaks a uniqueness rule of this graph ({error.message})") from error
    return {"nodes": len(nodes), "relationships": len(rels)}
