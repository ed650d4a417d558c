"""Shared by the HSDS tests: the export of the loaded graph, and packages written to disk."""

from __future__ import annotations

from pathlib import Path

from graph.loader import clear, load_reference
from graph.repositories import places
from interop.hsds import package, writing
from referral.hsds.service import TITLE, HsdsExchange
from referral.policy import OPERATOR
from seed.reference.rows import reference_rows

DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_CSV = DATA / "hsds-example"
EXAMPLE_JSON = DATA / "hsds-example-json"


def exchange(driver, principal=OPERATOR) -> HsdsExchange:
    """The service as the CLI has it (`principal` the operator), on the test graph."""
    return HsdsExchange(principal, lambda cls: cls(driver), "test")


def export(app, driver) -> dict[str, list[dict]]:
    with app.app_context():
        return exchange(driver).export_tables()


def new_installation(driver) -> None:
    """An emptied graph with the reference data only, as after `graph clear` and `seed reference`."""
    clear(driver)
    load_reference(driver, reference_rows())
    places.clear()


def write_export(app, driver, directory: Path) -> Path:
    writing.write_directory(export(app, driver), directory, TITLE)
    return directory


def run_import(app, driver, source: Path, apply: bool = True, principal=OPERATOR, **options):
    """Preview (and apply) an import as the CLI and the page do; returns the preview.
    `options`: territory, sector, kind."""
    with app.app_context():
        service = exchange(driver, principal)
        chosen = service.options(**options)
        data = package.read_path(source)
        return service.apply(data, chosen) if apply else service.preview(data, chosen)


def write_csv(directory: Path, files: dict[str, list[dict]]) -> Path:
    """A hand-made package: file name -> rows (the first row's keys are the header)."""
    import csv

    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        with open(directory / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return directory
