"""`flask --app app export evaluation SCOPE --format F`: the page's exports, from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from werkzeug.datastructures import MultiDict

from analysis.export_formats import FORMATS
from analysis.timeline import ORIGINS
from referral import policy
from referral.evaluation import web
from referral.service_errors import ServiceError

export_cli = AppGroup("export", help="Pseudonymous exports for evaluators.")


@export_cli.command("evaluation")
@click.argument("scope")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "all"]), default="all", show_default=True)
@click.option("--start", default=None, help="With --end: compare two dates (YYYY-MM-DD) instead of before/after/now.")
@click.option("--end", default=None)
@click.option("--origin", "origins", multiple=True, type=click.Choice(ORIGINS), help="Count only these origins.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="A file (one format) or a folder (all); standard output when absent.")
def export_evaluation(scope, fmt, start, end, origins, output):
    """Export SCOPE (all, cohort-1, cohort-2 or a territory id) as CSV, GraphML, GEXF or JSON."""
    args = MultiDict([(name, value) for name, value in (("start", start), ("end", end)) if value])
    for origin in origins:
        args.add("origin", origin)
    # The messages and the query's form want a request: give them one (French by default).
    try:
        with current_app.test_request_context():
            service = web.build(policy.OPERATOR)
            found = service.scope(scope)
            query, _ = web.parse_query(args)
            formats = list(FORMATS) if fmt == "all" else [fmt]
            files = [service.export(found, query, f) for f in formats]
    except ServiceError as error:
        fields = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        click.echo(f"Erreur : {error.message}{' (' + fields + ')' if fields else ''}", err=True)
        sys.exit(1)
    if output is None and len(files) == 1:
        click.echo(files[0][0], nl=False)
        return
    folder = output or Path(".")
    if len(files) == 1 and not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        _write(folder, files[0][0])
        click.echo(f"{folder}")
        return
    folder.mkdir(parents=True, exist_ok=True)
    for content, _, name in files:
        _write(folder / name, content)
        click.echo(f"{folder / name}")


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):  # the spreadsheet
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
