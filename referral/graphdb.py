"""Binds the graph layer to the Flask app: one driver per app, repositories on demand."""

from __future__ import annotations

import atexit
import pickle
import time

from flask import Flask, current_app, g, request
from flask_login import current_user

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
    app.after_request(note_writes)
    atexit.register(driver.close)


def driver():
    return current_app.extensions["neo4j"]


def repo(cls):
    """A repository bound to the app's driver and database, e.g. repo(PersonRepository).get(id)."""
    return cls(driver(), current_app.config["NEO4J_DATABASE"])


# Figures kept per process, each under the graph's version when computed; at most this many (then all go).
KEPT_FIGURES = 64  # a territory's network of the 30-copies benchmark is a few MB
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def kept(key: tuple, compute):
    """What `compute()` gives, computed once per state of the graph (graph_version, read once per request)
    and `key`: the evaluation's comparisons and the territories' networks were computed in Python on each
    page (114 ms of CPU for the evaluation's index). A figure of an older state is still given for
    FIGURES_MAX_AGE seconds after it was computed, to whoever has written nothing since: with a territory
    at work every referral moves the graph on, and recomputing the coordinators' and evaluators' figures
    at each change took half the server's CPU (issue 16); whoever wrote sees their change at once. The
    caller gets its own copy."""
    if "graph_version" not in g:
        g.graph_version = graph_version(driver(), current_app.config["NEO4J_DATABASE"])
    figures = current_app.extensions.setdefault("kept_figures", {})
    found = figures.get(key)
    if found is None or not _still_shown(*found[:2]):
        if len(figures) >= KEPT_FIGURES:
            figures.clear()
        started = time.monotonic()
        # Kept pickled: each reader unpickles its own copy, several times faster than a deepcopy (a
        # comparison is thousands of dicts; deepcopy took a third of the evaluation page's CPU).
        found = figures[key] = (g.graph_version, started, pickle.dumps(compute(), pickle.HIGHEST_PROTOCOL))
    return pickle.loads(found[2])  # bytes this process pickled itself, never received


def _still_shown(version: frozenset, computed_at: float) -> bool:
    if version == g.graph_version:
        return True
    if time.monotonic() - computed_at >= current_app.config["FIGURES_MAX_AGE"]:
        return False
    wrote = current_app.extensions.setdefault("last_writes", {}).get(_writer())
    return wrote is None or wrote < computed_at


def _writer() -> str | None:
    """The account of the request (its every session and token: one person's writes)."""
    return current_user.id if current_user and current_user.is_authenticated else None


def note_writes(response):
    """After a request that may have written (an unsafe method not refused), when its user did: their next
    figures are computed again (`kept`). At most one entry per account, dropped once older than any kept
    figure may be."""
    if request.method in UNSAFE_METHODS and response.status_code < 400 and (writer := _writer()):
        writes = current_app.extensions.setdefault("last_writes", {})
        now = time.monotonic()
        if len(writes) > 10_000:
            oldest = now - current_app.config["FIGURES_MAX_AGE"]
            for account in [a for a, at in writes.items() if at < oldest]:
                del writes[account]
        writes[writer] = now
    return response
