"""The one Neo4j driver of a process: created from settings, verified, closed."""

from __future__ import annotations

from neo4j import Driver, GraphDatabase
from neo4j.spatial import Point
from neo4j.time import Date, DateTime

DATABASE = "neo4j"


def create_driver(uri: str, user: str, password: str, **options) -> Driver:
    """Connection is lazy: a driver is created even when Neo4j is down, and recovers when it is back."""
    options.setdefault("connection_acquisition_timeout", 5.0)
    options.setdefault("connection_timeout", 2.0)
    options.setdefault("max_transaction_retry_time", 2.0)
    # Schema hints ("property does not exist" on an empty graph) are noise for an app, not errors.
    options.setdefault("notifications_min_severity", "OFF")
    return GraphDatabase.driver(uri, auth=(user, password), **options)


class Repository:
    """Base for the repositories: one per aggregate, each taking the driver."""

    def __init__(self, driver: Driver, database: str = DATABASE):
        self.driver = driver
        self.database = database

    def read(self, work, **params):
        with self.driver.session(database=self.database) as session:
            return plain(session.execute_read(work, **params))

    def write(self, work, **params):
        with self.driver.session(database=self.database) as session:
            return plain(session.execute_write(work, **params))


def plain(value):
    """Neo4j temporal and spatial values to Python ones, recursively: repositories return plain data."""
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
