"""HSDS packages in and out: the CSV tabular package (a folder or a zip, with datapackage.json)
and the nested JSON of the HSDS API. Reading yields rows that remember where they came from
(file and CSV line or JSON path), so that every problem can name its file, row and field."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from interop.hsds.errors import PackageError, Problem
from interop.hsds.mapping import COLUMN_ALIASES, COPIED_COLUMNS, FILE_ALIASES, IMPLIED_DEFAULTS, weekday_code
from interop.hsds.spec import HSDS_VERSION, datapackage, nested_properties, resource_by_path, resources

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a zip bomb is refused before it is read


@dataclass
class Row:
    file: str
    row: int | str  # CSV line (the header is line 1) or JSON path
    values: dict


@dataclass
class Package:
    tables: dict[str, list[Row]] = field(default_factory=dict)
    source: str = "csv"  # csv | json
    hsds2: bool = False  # HSDS 2.0 names were met (ids need not be UUIDs then)
    objects: list = field(default_factory=list)  # JSON: (kind, object, file, path) as read, for jsonschema
    notes: list[Problem] = field(default_factory=list)  # ignored files, renamed columns

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])


# --- Reading ---------------------------------------------------------------------------------------------


def read_path(path: Path) -> Package:
    """A folder of CSV files, a .zip of them, or a .json file."""
    path = Path(path)
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
        return read_files(files)
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, filename: str) -> Package:
    name = filename.lower()
    if name.endswith(".json"):
        return read_json(data, PurePosixPath(filename).name)
    if name.endswith(".zip") or data[:4] == b"PK\x03\x04":
        return read_files(_unzip(data, filename))
    raise PackageError([Problem(filename, None, None, "unknown_format")])


def _unzip(data: bytes, filename: str) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PackageError([Problem(filename, None, None, "unreadable")]) from None
    entries = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX")]
    if sum(i.file_size for i in entries) > MAX_UNPACKED_BYTES:
        raise PackageError([Problem(filename, None, None, "too_large")])
    # Only the base name counts: a package zipped with its folder reads the same, and no path escapes.
    return {PurePosixPath(i.filename).name: archive.read(i) for i in entries}


def read_files(files: dict[str, bytes]) -> Package:
    """File name -> content, as found in a folder or a zip."""
    package = Package(source="csv")
    problems: list[Problem] = []
    declared = _declared_encodings(files, problems)
    by_path = resource_by_path()
    extra_eligibility: list[Row] = []
    for name, content in sorted(files.items()):
        if name == "datapackage.json" or not name.lower().endswith(".csv"):
            if name != "datapackage.json" and not name.upper().startswith(("LICENSE", "SOURCE", "README")):
                package.notes.append(Problem(name, None, None, "ignored_file"))
            continue
        if name in by_path:
            table, renames, implied = by_path[name], COLUMN_ALIASES.get(by_path[name], {}), {}
        elif name in FILE_ALIASES:
            table, renames, implied = FILE_ALIASES[name]
            package.hsds2 = True
        else:
            package.notes.append(Problem(name, None, None, "ignored_file"))
            continue
        text = _decode(name, content, declared.get(name), problems)
        if text is None:
            continue
        rows = _csv_rows(name, text, table, renames, implied, package)
        if table == "eligibility":
            extra_eligibility += rows
        else:
            package.tables.setdefault(table, []).extend(rows)
    if problems:
        raise PackageError(problems)
    _merge_eligibility(package, extra_eligibility)
    if not package.tables:
        raise PackageError([Problem("datapackage.json", None, None, "no_tables")])
    return package


def _declared_encodings(files: dict[str, bytes], problems: list[Problem]) -> dict[str, str]:
    """Encodings a datapackage.json declares per resource (UTF-8 when it says nothing)."""
    if "datapackage.json" not in files:
        return {}
    try:
        descriptor = json.loads(files["datapackage.json"].decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        problems.append(Problem("datapackage.json", None, None, "unreadable"))
        return {}
    found = {}
    for resource in descriptor.get("resources") or ():
        if isinstance(resource, dict) and resource.get("encoding") and isinstance(resource.get("path"), str):
            found[PurePosixPath(resource["path"]).name] = str(resource["encoding"])
    return found


def _decode(name: str, content: bytes, encoding: str | None, problems: list[Problem]) -> str | None:
    codec = (encoding or "utf-8").lower()
    try:
        codecs.lookup(codec)
    except LookupError:
        problems.append(Problem(name, None, None, "unknown_encoding", encoding))
        return None
    if codec.replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        codec = "utf-8-sig"  # a byte-order mark from a spreadsheet is not part of the first column's name
    try:
        return content.decode(codec)
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        problems.append(Problem(name, line, None, "bad_encoding", encoding or "UTF-8"))
        return None


def _csv_rows(name, text, table, renames, implied, package) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None) or []
    columns = []
    for column in header:
        column = column.strip()
        if column in renames:
            package.hsds2 = True
            package.notes.append(Problem(name, 1, column, "renamed_column", renames[column]))
            column = renames[column]
        columns.append(column)
    defaults = {**IMPLIED_DEFAULTS.get(table, {}), **implied}
    missing_defaults = {k: v for k, v in defaults.items() if k not in columns}
    rows = []
    for line, cells in enumerate(reader, 2):
        if not any(text.strip() for text in cells):
            continue
        values = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(columns) if col}
        values = {k: (v.strip() if v.strip() else None) for k, v in values.items()}
        values.update(missing_defaults)
        for column, source in COPIED_COLUMNS.get(name, {}).items():
            if values.get(column) is None:
                values[column] = values.get(source)
        if table == "schedule" and "byday" in renames.values() and values.get("byday"):
            values["byday"] = weekday_code(values["byday"]) or values["byday"]
        rows.append(Row(name, line, values))
    return rows


def _merge_eligibility(package: Package, rows: list[Row]) -> None:
    """HSDS 2.0 kept eligibility in its own table; 3.0 has service.eligibility_description."""
    by_service = {}
    for row in rows:
        if row.values.get("service_id") and row.values.get("eligibility"):
            by_service.setdefault(row.values["service_id"], []).append(row.values["eligibility"])
    for service in package.rows("service"):
        texts = by_service.get(service.values.get("id"))
        if texts and not service.values.get("eligibility_description"):
            service.values["eligibility_description"] = "; ".join(texts)


def read_json(data: bytes, filename: str) -> Package:
    """A fully nested organization or service, a list of them, or a page of them ({"contents": […]})."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise PackageError([Problem(filename, None, None, "bad_encoding", "UTF-8")]) from error
    except json.JSONDecodeError as error:
        raise PackageError([Problem(filename, f"line {error.lineno}", None, "unreadable")]) from error
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items, prefix = document["contents"], "contents"
    elif isinstance(document, list):
        items, prefix = document, ""
    elif isinstance(document, dict):
        items, prefix = [document], None
    else:
        raise PackageError([Problem(filename, None, None, "unreadable")])
    package = Package(source="json")
    for index, item in enumerate(items):
        path = "$" if prefix is None else f"{prefix}[{index}]" if prefix else f"[{index}]"
        if not isinstance(item, dict):
            raise PackageError([Problem(filename, path, None, "type", "object")])
        kind = json_kind(item)
        package.objects.append((kind, item, filename, path))
        flatten(kind, item, filename, path, package.tables)
    if not package.tables:
        raise PackageError([Problem(filename, None, None, "no_tables")])
    return package


def json_kind(item: dict) -> str:
    if "status" in item or "service_at_locations" in item:
        return "service"
    if "location_type" in item:
        return "location"
    if "location" in item and isinstance(item["location"], dict):
        return "service_at_location"
    return "organization"


def flatten(kind: str, obj: dict, file: str, path: str, tables: dict, parent: tuple | None = None) -> None:
    """One nested object -> rows of the flat tables, with the references that nesting implied."""
    columns = resources()[kind].fields
    nested = {prop: (child, is_list) for prop, child, is_list in nested_properties(kind)}
    values = {k: v for k, v in obj.items() if k not in nested}
    if parent:
        parent_kind, parent_id = parent
        if kind == "attribute":
            values.setdefault("link_id", parent_id)
            values.setdefault("link_entity", parent_kind)
        elif kind == "metadata":
            values.setdefault("resource_id", parent_id)
            values.setdefault("resource_type", parent_kind)
        elif f"{parent_kind}_id" in columns:
            values.setdefault(f"{parent_kind}_id", parent_id)
    for prop, (child, is_list) in nested.items():
        value = obj.get(prop)
        if is_list and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    flatten(child, item, file, f"{path}.{prop}[{index}]", tables, (kind, obj.get("id")))
        elif isinstance(value, dict):
            flatten(child, value, file, f"{path}.{prop}", tables)
            if f"{child}_id" in columns:
                values.setdefault(f"{child}_id", value.get("id"))
    rows = tables.setdefault(kind, [])
    same = next((r for r in rows if values.get("id") is not None and r.values.get("id") == values["id"]), None)
    if same is None:
        rows.append(Row(file, path, values))
    else:  # the same phone under a contact and under its service: one row, both references
        for key, value in values.items():
            if same.values.get(key) is None:
                same.values[key] = value


# --- Writing -----------------------------------------------------------------------------------------


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
    """datapackage.json: the official resource descriptors of the tables written, UTF-8 declared."""
    official = {r["name"]: r for r in datapackage()["resources"]}
    return {
        "name": "reseau-ei-hsds",
        "title": title,
        "profile": "tabular-data-package",
        "version": f"{HSDS_VERSION}.0",
        "homepage": datapackage().get("homepage"),
        "resources": [{**official[name], "encoding": "utf-8"} for name in resources() if name in tables],
    }


def package_files(tables: dict[str, list[dict]], title: str) -> dict[str, str]:
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
