"""Command groups: `flask --app app neo4j|graph|seed|user ...`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from neo4j.exceptions import ServiceUnavailable
from werkzeug.security import generate_password_hash

from graph import search_index
from graph.loader import clear, load_network, load_reference
from graph.local_server import Neo4jServerError
from graph.repositories import places
from graph.schema import SharedEmails, init_schema
from referral.graphdb import driver, local_server
from referral.hsds.cli import hsds_cli

neo4j_cli = AppGroup("neo4j", help="Start, stop and inspect the local embedded Neo4j.")
graph_cli = AppGroup("graph", help="Schema and maintenance of the graph.")
seed_cli = AppGroup("seed", help="Load reference and demo data.")
translate_cli = AppGroup("translate", help="Interface translations (French is the source language).")


def _fail(message: str) -> None:
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(1)


def _schema() -> None:
    """Constraints and indexes, and search entries of an older layout recomputed; a clear refusal when
    people of an older graph share e-mails."""
    database = current_app.config["NEO4J_DATABASE"]
    try:
        init_schema(driver(), database)
    except SharedEmails as error:
        shared = "\n".join(f"  {row['email']}: {', '.join(row['people'])}" for row in error.shared[:20])
        more = f"\n  … and {len(error.shared) - 20} more" if len(error.shared) > 20 else ""
        _fail("several people share an e-mail (in any case), so people's e-mails are not all kept unique (every "
              f"constraint and index that could be was made):\n{shared}{more}\n"
              "Give each of them their own e-mail, or none, in the directory; then run "
              "`flask --app app graph init` again.")
    people = search_index.refresh_outdated(driver(), database=database)
    if people:
        click.echo(f"Search entries written by an older version recomputed: {people:,} "
                   f"{'person' if people == 1 else 'people'}.")


def _local():
    if current_app.config.get("NEO4J_URI"):
        _fail(f"NEO4J_URI is set ({current_app.config['NEO4J_URI']}): that server is managed outside this project.")
    return local_server(current_app.config)


@neo4j_cli.command("start")
def neo4j_start():
    """Build (first time only) and start the local Neo4j, then wait until Bolt answers."""
    try:
        status = _local().start()
    except Neo4jServerError as error:
        _fail(str(error))
    click.echo(f"Neo4j is running at {status['uri']} (pid {status['pid']}).")


@neo4j_cli.command("stop")
def neo4j_stop():
    """Stop the local Neo4j cleanly (SIGTERM, store closed)."""
    click.echo("Neo4j stopped." if _local().stop() else "Neo4j was not running.")


@neo4j_cli.command("status")
def neo4j_status():
    """Tell whether the local Neo4j runs and answers; exit 1 when it does not."""
    if current_app.config.get("NEO4J_URI"):
        try:
            driver().verify_connectivity()
        except Exception as error:  # noqa: BLE001 — report any connection failure as "down"
            _fail(f"{current_app.config['NEO4J_URI']} does not answer: {error}")
        click.echo(f"External Neo4j at {current_app.config['NEO4J_URI']} answers.")
        return
    status = _local().status()
    if not status["running"]:
        click.echo(f"Neo4j is stopped (data in {status['home']}).")
        sys.exit(1)
    state = "ready" if status["ready"] else "starting (Bolt not answering yet)"
    click.echo(f"Neo4j is running, {state}, at {status['uri']} (pid {status['pid']}, data in {status['home']}).")


@graph_cli.command("init")
def graph_init():
    """Create constraints and indexes (idempotent); bring older data in step with them (lower-case
    e-mails, search entries of an older layout)."""
    try:
        _schema()
    except ServiceUnavailable:
        _fail("Neo4j does not answer: start it with `flask --app app neo4j start`.")
    click.echo("Schema ready (constraints, full-text and point indexes).")


@graph_cli.command("reindex")
@click.option("--check", is_flag=True, help="Only report what is out of date; exit 1 if anything is.")
def graph_reindex(check: bool):
    """Recompute the search projection (CAN_HELP) from the graph, or check it."""
    database = current_app.config["NEO4J_DATABASE"]
    if check:
        differences = search_index.stale(driver(), database)
        for line in differences[:20]:
            click.echo(line)
        if differences:
            _fail(f"{len(differences)} search entries out of date: run `flask --app app graph reindex`.")
        click.echo("Search projection up to date.")
        return
    click.echo(f"Search projection rebuilt: {search_index.rebuild(driver(), database=database):,} entries.")


@graph_cli.command("clear")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def graph_clear(yes: bool):
    """Delete every node and relationship."""
    if not yes:
        click.confirm("Delete the whole graph?", abort=True)
    clear(driver(), current_app.config["NEO4J_DATABASE"])
    places.clear()
    click.echo("Graph cleared.")


def _seed_reference() -> dict:
    """Schema, then the needs, the territories (polygons included) and the postal areas; the places this
    process had read are forgotten."""
    from seed.reference.rows import reference_rows

    try:
        _schema()
        counts = load_reference(driver(), reference_rows(), current_app.config["NEO4J_DATABASE"])
    except ServiceUnavailable:
        _fail("Neo4j does not answer: start it with `flask --app app neo4j start`.")
    places.clear()
    return counts


@seed_cli.command("reference")
def seed_reference():
    """Load the reference data a real installation starts from (idempotent): the needs, the six territories
    with their polygons, Montréal's postal areas and boroughs; no people, no accounts."""
    counts = _seed_reference()
    click.echo(f"Reference data loaded: {counts['needs']} needs, {counts['territories']} territories, "
               f"{counts['postal_areas']} postal areas, {counts['boroughs']} boroughs. "
               "A running web server reads them once restarted.")


@seed_cli.command("demo")
@click.option("--seed", default=2022, show_default=True, help="Same seed, same network.")
def seed_demo(seed: int):
    """Load the reference data, then the fictional demo network built from the report's tables (idempotent)."""
    from seed.demo.network import DEMO_PASSWORDS, build_demo

    started = time.monotonic()
    _seed_reference()
    click.echo("Building the demo network from the report's tables…")
    network = build_demo(seed)
    # One hash per demo password: the demo accounts share documented passwords anyway.
    hashes = {role: generate_password_hash(pw) for role, pw in DEMO_PASSWORDS.items()}
    for user in network.users:
        user["password_hash"] = hashes[user["role"]]
    try:
        counts = load_network(driver(), network, current_app.config["NEO4J_DATABASE"])
    except ServiceUnavailable:
        _fail("Neo4j does not answer: start it with `flask --app app neo4j start`.")
    click.echo(
        f"Loaded in {time.monotonic() - started:.1f} s: {counts['territories']} territories, "
        f"{counts['organisations']} organisations, {counts['people']} people, {counts['knows']} ties, "
        f"{counts['referrals']} referrals, {counts['users']} accounts."
    )
    click.echo("Demo accounts (fictional data):")
    for email, role in (
        ("intervenant@demo.reseau-ei.ca", "intervenant"),
        ("coordination.mn@demo.reseau-ei.ca", "coordinator"),
        ("coordination@demo.reseau-ei.ca", "coordinator"),
        ("evaluation@demo.reseau-ei.ca", "evaluator"),
        ("admin@demo.reseau-ei.ca", "admin"),
    ):
        click.echo(f"  {email:<38} {DEMO_PASSWORDS[role]}")
    click.echo(f"  every intervenant.e's own e-mail        {DEMO_PASSWORDS['intervenant']}")


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_command(file):
    """Write a portable dump of the whole graph (JSON with a checksum)."""
    from graph.backup import dump

    content = dump(driver(), current_app.config["NEO4J_DATABASE"])
    with open(file, "w", encoding="utf-8") as handle:
        json.dump(content, handle, ensure_ascii=False)
    click.echo(f"Backup written to {file}: {len(content['nodes'])} nodes, "
               f"{len(content['relationships'])} relationships.")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file, yes):
    """Replace the whole graph by a backup; a damaged file is refused and nothing changes."""
    from graph.backup import BackupError, restore

    try:
        with open(file, encoding="utf-8") as handle:
            content = json.load(handle)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        _fail(f"{file} is not a readable backup ({error}); the graph was not changed.")
    if not yes:
        click.confirm("Replace the whole graph with this backup?", abort=True)
    try:
        counts = restore(driver(), content, current_app.config["NEO4J_DATABASE"])
    except BackupError as error:
        _fail(f"{file} was refused: {error}; the graph was not changed.")
    click.echo(f"Restored {counts['nodes']} nodes and {counts['relationships']} relationships.")
    places.clear()
    _schema()


def _pybabel(*args: str) -> None:
    import subprocess

    pybabel = str(Path(sys.executable).with_name("pybabel"))
    if subprocess.run([pybabel, *args]).returncode != 0:
        _fail(f"pybabel {args[0]} failed.")


@translate_cli.command("update")
def translate_update():
    """Extract the French strings and merge them into the English catalogue."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", "translations/messages.pot", ".")
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations")


@translate_cli.command("compile")
def translate_compile():
    """Compile the catalogues (make does it before run and test)."""
    _pybabel("compile", "-d", "translations")


def register_commands(app: Flask) -> None:
    from referral.auth.cli import user_cli
    from referral.evaluation.cli import export_cli
    from referral.notify.cli import notify_cli

    for group in (neo4j_cli, graph_cli, seed_cli, user_cli, translate_cli, hsds_cli, export_cli, notify_cli):
        app.cli.add_command(group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
