"""The one Neo4j driver of a process: created from settings, verified, closed."""

from __future__ import annotations

import copy
import time
import weakref
from datetime import UTC, datetime, timedelta

from neo4j import Driver, GraphDatabase
from neo4j.spatial import Point
from neo4j.time import Date, DateTime

DATABASE = "neo4j"


def create_driver(uri: str, user: str, password: str, **options) -> Driver:
    """Connection is lazy: a driver is created even when Neo4j is down, and recovers when it is back.

    With Neo4j down a request must fail (503) within 2 s: a managed transaction is retried after 0.2 s
    and 0.4 s, then given up (the driver's 1 s, 2 s, 4 s… for 30 s held each page 8–9 s). A stopped
    Neo4j refuses at once (≈ 0.6 s in all); an unreachable host costs connection_timeout per attempt
    (≈ 2.2 s). The retries still absorb a deadlock or a leader switch.
    """
    options.setdefault("connection_timeout", 1.0)  # TCP connect: Neo4j is on the same host or network
    # Pool wait + connect + HELLO/LOGON, which a busy Neo4j may take a second or two to answer.
    options.setdefault("connection_acquisition_timeout", 3.0)
    options.setdefault("initial_retry_delay", 0.2)
    options.setdefault("max_transaction_retry_time", 0.5)
    # Schema hints ("property does not exist" on an empty graph) are noise for an app, not errors.
    options.setdefault("notifications_min_severity", "OFF")
    return GraphDatabase.driver(uri, auth=(user, password), **options)


# Montréal's clocks (its IANA zone): what « today » means in Cypher too, `date({timezone: $zone})`.
MONTREAL_ZONE = "America/Toronto"


def graph_version(driver: Driver, database: str = DATABASE) -> frozenset[str]:
    """What names the database's state: the bookmark of an empty read moves on with every committed write,
    from any process (one round trip). Figures computed from the graph are kept under it."""
    with driver.session(database=database) as session:
        session.execute_read(lambda tx: tx.run("RETURN 1").consume())
        return frozenset(session.last_bookmarks().raw_values)


def epoch_millis(instant: datetime) -> int:
    """An aware datetime as a parameter the driver sends without converting it in Python (Cypher:
    `datetime({epochMillis: $x})`), for statements run at every request."""
    return round(instant.timestamp() * 1000)


def instant(expression: str) -> str:
    """Cypher: the stored datetime `expression` as microseconds since the epoch, an integer the driver passes
    through (`from_instant` makes it a datetime again): for rows read at every request — the driver builds
    each datetime in Python, and a box's page holds fifty."""
    return f"{expression}.epochSeconds * 1000000 + {expression}.microsecond"


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def from_instant(micros: int | None) -> datetime | None:
    return None if micros is None else EPOCH + timedelta(microseconds=micros)


# Reads kept a while, per driver (a process has one; tests make many): {(database, name): (when, value)}.
_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
KEPT_SECONDS = 60.0


class Repository:
    """Base for the repositories: one per aggregate, each taking the driver."""

    def __init__(self, driver: Driver, database: str = DATABASE):
        self.driver = driver
        self.database = database

    def read(self, work, **params):
        with self.driver.session(database=self.database) as session:
            return plain(session.execute_read(work, **params))

    def read_kept(self, name: str, work, seconds: float = KEPT_SECONDS, pick=None):
        """`read(work)`, kept `seconds` per driver and database: for what every page shows and only loading
        reference data changes (the taxonomy, the territories' names; `flask seed` is seen within a minute).
        The caller gets its own copy — of `pick(value)` only, when given (one entry of a list)."""
        kept = _kept.setdefault(self.driver, {})
        found = kept.get((self.database, name))
        if found is None or time.monotonic() - found[0] > seconds:
            found = kept[(self.database, name)] = (time.monotonic(), self.read(work))
        return copy.deepcopy(found[1] if pick is None else pick(found[1]))

    def forget_kept(self, name: str) -> None:
        """Drop what `read_kept(name)` keeps, after a write that changes it (this process reads it again)."""
        _kept.get(self.driver, {}).pop((self.database, name), None)

    def write(self, work, **params):
        with self.driver.session(database=self.database) as session:
            return plain(session.execute_write(work, **params))


# What a record holds most of, returned as is before any isinstance (a search's rows are thousands of them).
_AS_IS = frozenset({str, int, float, bool, type(None)})


def plain(value):
    """Neo4j temporal and spatial values to Python ones, recursively: repositories return plain data."""
    if type(value) in _AS_IS:
        return value
    # Point before the sequences: neo4j's Point is a tuple subclass.
    if isinstance(value, Point):
        return {"latitude": value.y, "longitude": value.x}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (Date, DateTime)):
        return value.to_native()
    return value
