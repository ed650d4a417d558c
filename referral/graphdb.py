"""Binds the graph layer to the Flask app: one driver per app, repositories on demand."""

from __future__ import annotations

import atexit

from flask import Flask, current_app

from graph.driver import create_driver
from graph.local_server import LocalNeo4j


def local_server(config) -> LocalNeo4j:
    return LocalNeo4j(
        home=config["NEO4J_LOCAL_HOME"],
        port=config["NEO4J_LOCAL_PORT"],
        heap=config["NEO4J_LOCAL_HEAP"],
        pagecache=config["NEO4J_LOCAL_PAGECACHE"],
    )


def connection_settings(config) -> tuple[str, str, str]:
    """An external server when NEO4J_URI is set; otherwise the local one, with its generated password."""
    if config.get("NEO4J_URI"):
        return config["NEO4J_URI"], config["NEO4J_USER"], config["NEO4J_PASSWORD"] or ""
    server = local_server(config)
    return server.uri, *server.auth()


def init_app(app: Flask) -> None:
    uri, user, password = connection_settings(app.config)
    driver = create_driver(uri, user, password)
    app.extensions["neo4j"] = driver
    atexit.register(driver.close)


def driver():
    return current_app.extensions["neo4j"]


def repo(cls):
    """A repository bound to the app's driver and database, e.g. repo(PersonRepository).get(id)."""
    return cls(driver(), current_app.config["NEO4J_DATABASE"])

