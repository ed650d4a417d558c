"""A Neo4j of a benchmark's own: a free port, a temporary folder, stopped whatever happens."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from config import TestConfig
from graph.driver import create_driver
from graph.local_server import LocalNeo4j, free_port


@contextmanager
def throwaway_neo4j() -> Iterator[tuple]:
    """(a driver, an app configuration pointed at the server) while the block runs."""
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as home:
        server = LocalNeo4j(home=Path(home) / "neo4j", port=free_port(), heap="1g", pagecache="256m")
        server.start()
        try:
            user, password = server.auth()
            config = TestConfig()
            config.NEO4J_URI, config.NEO4J_USER, config.NEO4J_PASSWORD = server.uri, user, password
            driver = create_driver(server.uri, user, password)
            try:
                yield driver, config
            finally:
                driver.close()
        finally:
            server.stop()
