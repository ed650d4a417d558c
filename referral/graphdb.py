"""Binds the graph layer to the Flask app: one driver per app, repositories on demand."""

from __future__ import annotations

import atexit
import copy

from flask import Flask, current_app, g

from graph.driver import create_driver, graph_version
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


# Figures kept per process, each under the graph's version when computed; at most this many (then all go).
KEPT_FIGURES = 64  # a territory's network of the 30-copies benchmark is a few MB


def kept(key: tuple, compute):
    """What `compute()` gives, computed once per state of the graph (graph_version, read once per request)
    and `key`: the evaluation's comparisons and the territories' networks were computed in Python on each
    page (114 ms of CPU for the evaluation's index). The caller gets its own copy."""
    if "graph_version" not in g:
        g.graph_version = graph_version(driver(), current_app.config["NEO4J_DATABASE"])
    figures = current_app.extensions.setdefault("kept_figures", {})
    found = figures.get(key)
    if found is None or found[0] != g.graph_version:
        if len(figures) >= KEPT_FIGURES:
            figures.clear()
        found = figures[key] = (g.graph_version, compute())
    return copy.deepcopy(found[1])

