"""`flask --app app hsds export DIR` and `flask --app app hsds import DIR|FILE`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _

from graph.schema import EmailTaken
from interop.bounded import Limits
from interop.hsds import package, writing
from interop.hsds.errors import PackageError
from interop.hsds.mapping import KINDS, SECTORS
from interop.hsds.plan import ImportOptions
from referral.graphdb import repo
from referral.hsds import messages
from referral.hsds.service import TITLE, HsdsExchange, Preview
from referral.policy import OPERATOR

hsds_cli = AppGroup("hsds", help="Open Referral HSDS 3: export and import the directory.")
JSON_NAME = "directory.json"


def _exchange() -> HsdsExchange:
    """Whoever runs the command holds the server; the journal names the command."""
    return HsdsExchange(OPERATOR, repo, "flask hsds import")


@hsds_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def hsds_export(directory: Path):
    """Write the directory as an HSDS 3 CSV package (with datapackage.json) and as nested JSON."""
    tables = _exchange().export_tables()
    writing.write_directory(tables, directory, TITLE)
    (directory / JSON_NAME).write_text(
        json.dumps(writing.json_document(tables), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counts = ", ".join(f"{len(tables[t])} {t}" for t in ("organization", "service", "contact"))
    click.echo(f"HSDS 3 package written to {directory} ({counts}); nested JSON: {directory / JSON_NAME}.")


@hsds_cli.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--territory", help="Put every organisation in this territory, by id: mn, vsp… (default: from each "
                                   "location's coordinates).")
@click.option("--sector", type=click.Choice(SECTORS), default="community_other", show_default=True,
              help="Sector of organisations the package does not classify.")
@click.option("--kind", type=click.Choice(KINDS), default="community", show_default=True,
              help="Kind of organisations the package does not classify (institutions are recognised by name).")
@click.option("--dry-run", is_flag=True, help="Show the preview only; write nothing.")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the preview and of the problems.")
def hsds_import(source: Path, territory, sector, kind, dry_run, language):
    """Import an HSDS 3 CSV package (folder or .zip) or nested JSON: all or nothing, idempotent."""
    # No request here to choose a language from: the option says it, headers and lines alike.
    with force_locale(language):
        exchange = _exchange()
        known = [tid for tid, _name in exchange.territory_choices() if tid]
        if territory and territory not in known:
            # The territories are the graph's: none before `seed reference`.
            listed = ", ".join(known) or "(none in the graph: run `flask --app app seed reference`)"
            raise click.BadParameter(f"{territory!r} is not one of: {listed}.", param_hint="'--territory'")
        _import(exchange, source, exchange.options(territory, sector, kind), dry_run)


def _import(exchange: HsdsExchange, source: Path, options: ImportOptions, dry_run: bool) -> None:
    try:
        data = package.read_path(source, Limits.from_config(current_app.config))
        result = exchange.preview(data, options)
    except PackageError as error:
        click.echo(_("Refusé, rien n'a été importé (%(n)s problème(s)) :", n=len(error.problems)), err=True)
        for text in messages.describe_all(error.problems):
            click.echo(f"  {text}", err=True)
        sys.exit(1)
    _echo_preview(result)
    if dry_run:
        click.echo(_("Essai : rien n'a été écrit."))
        return
    if not result.plan.changes:
        click.echo(_("Rien à changer : le répertoire contient déjà ce paquet."))
        return
    try:
        exchange.apply(data, options)
    except EmailTaken:
        click.echo(_("Refusé, rien n'a été importé : une autre personne a reçu un de ces courriels entre-temps. "
                     "Relancez l'import."), err=True)
        sys.exit(1)
    click.echo(_("Importé."))


# The most used of the terms no need maps (Miami's package has 1,900).
UNMAPPED_SHOWN = 20


def _echo_preview(result: Preview) -> None:
    plan = result.plan
    for entity, counts in plan.counts().items():
        figures = ", ".join(f"{counts[a]} {messages.action(a)}" for a in messages.ACTIONS)
        click.echo(f"{messages.entity(entity)}: {figures}")
    skipped: dict[tuple, list[dict]] = {}
    for item in plan.items:
        if item["action"] == "skip":
            skipped.setdefault((item["entity"], item["reason"]), []).append(item)
    for (_entity, reason), items in skipped.items():  # three of a kind said, the rest counted (Miami: 3,500)
        shown = messages.a_few(items)
        for item in shown:
            name = item["name"] or _("identifiant %(id)s", id=item["key"])
            click.echo(f"  {messages.action('skip')}: {name} — {messages.reason(reason)}")
        if len(items) > len(shown):
            click.echo("  " + _("… et %(n)s autres lignes ignorées pour la même raison", n=len(items) - len(shown)))
    for term in plan.unmapped[:UNMAPPED_SHOWN]:
        click.echo("  " + _("terme de taxonomie sans besoin correspondant : %(term)s (%(taxonomy)s), %(n)s service(s)",
                            term=term["name"] or term["code"], taxonomy=term["taxonomy"] or _("taxonomie sans nom"),
                            n=term["services"]))
    if len(plan.unmapped) > UNMAPPED_SHOWN:  # the page lists them all, each with its link to map it
        click.echo("  " + _("… et %(n)s autres termes sans besoin correspondant (la page d'import les liste tous)",
                            n=len(plan.unmapped) - UNMAPPED_SHOWN))
    for text in messages.describe_notes(result.warnings):
        click.echo("  " + _("note : %(text)s", text=text))
