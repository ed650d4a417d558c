"""Shared by the HSDS tests: the export of the loaded graph, and packages written to disk."""

from __future__ import annotations

from pathlib import Path

from graph.repositories.hsds import HsdsRepository
from interop.hsds import package
from referral.hsds import service

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_CSV = DATA / "hsds-example"
EXAMPLE_JSON = DATA / "hsds-example-json"


def export(app, driver) -> dict[str, list[dict]]:
    with app.app_context():
        return service.export_tables(HsdsRepository(driver))


def write_export(app, driver, directory: Path) -> Path:
    package.write_directory(export(app, driver), directory, service.TITLE)
    return directory
