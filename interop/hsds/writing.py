"""HSDS packages out: the CSV tabular package (a folder or a zip, with datapackage.json) and the
nested JSON of the HSDS API. Cells go through defusedcsv: none can run as a spreadsheet formula."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from defusedcsv import csv

from interop.hsds.spec import HSDS_VERSION, PACKAGE_VERSION, SPEC_URL, datapackage, nested_properties, resources


def csv_text(table: str, records: list[dict]) -> str:
    columns = list(resources()[table].fields)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([cell(record.get(column)) for column in columns])
    return out.getvalue()


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def descriptor(tables: dict[str, list[dict]], title: str) -> dict:
    """datapackage.json: the official resource descriptors (foreign keys and unique constraints included) of the
    tables written, UTF-8 declared, and the HSDS version they are."""
    official = {r["name"]: r for r in datapackage()["resources"]}
    return {
        "name": "reseau-ei-hsds",
        "title": title,
        "profile": "tabular-data-package",
        "version": PACKAGE_VERSION,
        "homepage": datapackage().get("homepage"),
        "sources": [{"title": f"Human Services Data Specification {HSDS_VERSION} (pre-release, branch 3.1-dev)",
                     "path": SPEC_URL}],
        "resources": [{**official[name], "encoding": "utf-8"} for name in resources() if name in tables],
    }


def with_referenced(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The tables, and an empty one for each table their foreign keys name that we do not fill (`program`):
    a validator checks a foreign key only when the table it refers to is in the package."""
    referenced = {target for name in tables for _, target in resources()[name].foreign_keys}
    return {**tables, **{name: [] for name in sorted(referenced - set(tables))}}


def package_files(tables: dict[str, list[dict]], title: str) -> dict[str, str]:
    tables = with_referenced(tables)
    files = {resources()[name].path: csv_text(name, records) for name, records in tables.items()}
    files["datapackage.json"] = json.dumps(descriptor(tables, title), ensure_ascii=False, indent=2) + "\n"
    return files


def write_directory(tables: dict[str, list[dict]], directory: Path, title: str) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in package_files(tables, title).items():
        (directory / name).write_text(text, encoding="utf-8")
        written.append(directory / name)
    return written


def zip_bytes(tables: dict[str, list[dict]], title: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(package_files(tables, title).items()):
            # A fixed date: the same directory gives the same bytes, export after export.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


# Objects nested whole where a record refers to one (a service's organization, a term's taxonomy…).
SINGLE_OBJECTS = ("organization", "location", "taxonomy_term", "taxonomy")


def nest(kind: str, record: dict, tables: dict[str, list[dict]], index: dict | None = None,
         skip: frozenset = frozenset()) -> dict:
    """A flat record with everything that refers to it nested, as the HSDS API serves it.
    `skip` names the properties not to descend into (the way back to the parent)."""
    index = index if index is not None else children_index(tables)
    result = {k: v for k, v in record.items() if v is not None}
    for prop, child, is_list in nested_properties(kind):
        if prop in skip:
            continue
        if is_list:
            items = index.get((child, kind, record.get("id")), [])
            if items:
                result[prop] = [nest(child, item, tables, index, _way_back(child, kind)) for item in items]
        elif record.get(f"{child}_id") and child in SINGLE_OBJECTS:
            target = next((r for r in tables.get(child, []) if r["id"] == record[f"{child}_id"]), None)
            if target:
                result[prop] = nest(child, target, tables, index, _way_back(child, kind))
    return result


def _way_back(child: str, parent: str) -> frozenset:
    return frozenset(p for p, kind, _ in nested_properties(child) if kind == parent)


def children_index(tables: dict[str, list[dict]]) -> dict:
    """(child kind, parent kind, parent id) -> child records."""
    index: dict = {}
    for child, records in tables.items():
        for record in records:
            if child == "attribute":
                index.setdefault((child, record.get("link_entity"), record.get("link_id")), []).append(record)
                continue
            for column, value in record.items():
                if column.endswith("_id") and value and column != "id":
                    index.setdefault((child, column.removesuffix("_id"), value), []).append(record)
    return index


def page(contents: list, page_number: int = 1, per_page: int | None = None, total: int | None = None) -> dict:
    """The HSDS API's page envelope."""
    total = len(contents) if total is None else total
    size = per_page or max(total, 1)
    pages = max(1, -(-total // size))
    return {
        "total_items": total, "total_pages": pages, "page_number": page_number, "size": len(contents),
        "first_page": page_number == 1, "last_page": page_number >= pages, "empty": not contents,
        "contents": contents,
    }


def json_document(tables: dict[str, list[dict]]) -> dict:
    """The whole directory as one page of fully nested organizations, each with its full services."""
    index = children_index(tables)
    organizations = [nest("organization", record, tables, index) for record in tables.get("organization", [])]
    return page(organizations)
