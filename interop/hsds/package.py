"""HSDS packages in: the CSV tabular package (a folder or a zip, with datapackage.json) and the nested JSON of the
HSDS API, read within `Limits` whatever the files claim. Reading yields rows that remember where they came from
(file and CSV line or JSON path), so that every problem can name its file, row and field. Writing: writing.py."""

from __future__ import annotations

import codecs
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from defusedcsv import csv

from interop.bounded import DEFAULT_LIMITS, Limits, Refused, load_json, unzip
from interop.hsds.errors import PackageError, Problem
from interop.hsds.mapping import COLUMN_ALIASES, COPIED_COLUMNS, FILE_ALIASES, IMPLIED_DEFAULTS, json_kind, weekday_code
from interop.hsds.spec import nested_properties, resource_by_path, resources

ELIGIBILITY_COLUMNS = {"id", "service_id", "eligibility"}  # HSDS 2.0's eligibility.csv
# A spreadsheet-safe cell as defusedcsv writes it ('=… → '=…), read back as it was typed.
ESCAPED_CELL = re.compile(r"^'[=+\-@|%]")


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
    room: int = Limits.rows  # rows or objects that may still be read
    duplicates: list[Problem] = field(default_factory=list)  # JSON: one id, two different objects
    by_id: dict = field(default_factory=dict, repr=False)  # JSON: (kind, id) -> Row
    checked: tuple | None = field(default=None, repr=False, compare=False)  # check_package's answer (typed rows)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    def count(self, file: str, where: int | str) -> None:
        """One more row or object read; past the limit the package is refused (before it costs more)."""
        self.room -= 1
        if self.room < 0:
            raise PackageError([Problem(file, where, None, "too_many_rows")])

    def add(self, kind: str, row: Row, own: dict) -> None:
        """A JSON object's row, merged into the row of the same id when there is one (in constant time)."""
        key = row.values.get("id")
        same = self.by_id.get((kind, key)) if key is not None else None
        if same is None:
            self.tables.setdefault(kind, []).append(row)
            if key is not None:
                self.by_id[kind, key] = row
            return
        if any(v is not None and same.values.get(k) not in (None, v) for k, v in own.items()):
            self.duplicates.append(Problem(row.file, row.row, "id", "duplicate", str(key)[:60]))
        for column, value in row.values.items():
            if same.values.get(column) is None:
                same.values[column] = value


def read_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Package:
    """A folder of CSV files, a .zip of them, or a .json file."""
    path = Path(path)
    if not path.is_dir():
        return read_bytes(path.read_bytes(), path.name, limits)
    found = sorted(p for p in path.iterdir() if p.is_file())
    sizes = {p: p.stat().st_size for p in found if _wanted(p.name)}
    if sizes and (max(sizes.values()) > limits.entry_bytes or sum(sizes.values()) > limits.unpacked_bytes):
        raise PackageError([Problem(path.name, None, None, "too_large")])
    files = {p.name: p.read_bytes() for p in sizes}
    return read_files(files, limits, [p.name for p in found if p not in sizes])


def read_bytes(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Package:
    name = filename.lower()
    if name.endswith(".json"):
        return read_json(data, PurePosixPath(filename).name, limits)
    if name.endswith(".zip") or data[:4] == b"PK\x03\x04":
        try:
            files, skipped = unzip(data, _wanted, limits.entry_bytes, limits.unpacked_bytes, limits.entries)
        except Refused as refused:
            raise PackageError([Problem(refused.name or filename, None, None, refused.code,
                                        str(refused.limit or ""))]) from None
        return read_files(files, limits, skipped)
    raise PackageError([Problem(filename, None, None, "unknown_format")])


def _wanted(name: str) -> bool:
    """The files a package is read from; the others are listed as ignored, never read."""
    return name == "datapackage.json" or name.lower().endswith(".csv")


def read_files(files: dict[str, bytes], limits: Limits = DEFAULT_LIMITS, skipped: tuple = ()) -> Package:
    """File name -> content, as found in a folder or a zip."""
    package = Package(source="csv", room=limits.rows)
    problems: list[Problem] = []
    declared = _declared_encodings(files, problems)
    by_path = resource_by_path()
    extra_eligibility: list[Row] = []
    for name in skipped:
        if not name.upper().startswith(("LICENSE", "SOURCE", "README")):
            package.notes.append(Problem(name, None, None, "ignored_file"))
    for name, content in sorted(files.items()):
        if name == "datapackage.json":
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
    except (UnicodeDecodeError, ValueError, RecursionError):  # `[` × 100,000 overflows the parser's stack
        descriptor = None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list | None) or not isinstance(descriptor, dict):
        problems.append(Problem("datapackage.json", None, None, "unreadable"))
        return {}
    found = {}
    for resource in resources or ():
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
    """The rows of one CSV file, known columns only (anything else costs memory and says nothing)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    known = set(resources()[table].fields) if table in resources() else ELIGIBILITY_COLUMNS
    rows = []
    try:
        header = next(reader, None) or []
        columns = []
        for column in header:
            column = column.strip()
            if column in renames:
                package.hsds2 = True
                package.notes.append(Problem(name, 1, column, "renamed_column", renames[column]))
                column = renames[column]
            columns.append(column if column in known else None)
        defaults = {**IMPLIED_DEFAULTS.get(table, {}), **implied}
        missing_defaults = {k: v for k, v in defaults.items() if k not in columns}
        for line, cells in enumerate(reader, 2):
            if not any(text.strip() for text in cells):
                continue
            package.count(name, line)
            values = {col: _cell_value(cells[i] if i < len(cells) else "") for i, col in enumerate(columns) if col}
            values.update(missing_defaults)
            for column, source in COPIED_COLUMNS.get(name, {}).items():
                if values.get(column) is None:
                    values[column] = values.get(source)
            if table == "schedule" and "byday" in renames.values() and values.get("byday"):
                values["byday"] = weekday_code(values["byday"]) or values["byday"]
            rows.append(Row(name, line, values))
    except csv.Error:  # a cell longer than the csv module's field limit, typically
        raise PackageError([Problem(name, reader.line_num, None, "unreadable")]) from None
    return rows


def _cell_value(text: str) -> str | None:
    """A stripped cell, None when empty; a cell a spreadsheet-safe writer escaped ('=…) reads as typed."""
    text = text.strip()
    if ESCAPED_CELL.match(text):
        text = text[1:].replace("\\|", "|")
    return text or None


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


def read_json(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Package:
    """A fully nested organization or service, a list of them, or a page of them ({"contents": […]})."""
    try:
        document = load_json(data.decode("utf-8-sig"), limits.depth)
    except UnicodeDecodeError as error:
        raise PackageError([Problem(filename, None, None, "bad_encoding", "UTF-8")]) from error
    except Refused as refused:
        raise PackageError([Problem(filename, None, None, refused.code, str(refused.limit))]) from None
    except json.JSONDecodeError as error:
        raise PackageError([Problem(filename, error.lineno, None, "unreadable")]) from error  # « ligne N »
    except ValueError as error:  # a number of thousands of digits, for one
        raise PackageError([Problem(filename, None, None, "unreadable")]) from error
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items, prefix = document["contents"], "contents"
    elif isinstance(document, list):
        items, prefix = document, ""
    elif isinstance(document, dict):
        items, prefix = [document], None
    else:
        raise PackageError([Problem(filename, None, None, "unreadable")])
    package = Package(source="json", room=limits.rows)
    for index, item in enumerate(items):
        path = "$" if prefix is None else f"{prefix}[{index}]" if prefix else f"[{index}]"
        if not isinstance(item, dict):
            raise PackageError([Problem(filename, path, None, "type", "object")])
        kind = json_kind(item)
        package.objects.append((kind, item, filename, path))
        flatten(kind, item, filename, path, package)
    if package.duplicates:
        raise PackageError(package.duplicates)
    if not package.tables:
        raise PackageError([Problem(filename, None, None, "no_tables")])
    return package


def _as_declared(field: dict, value):
    """JSON may give 5 where the schema says a string (a taxonomy code): read it as a CSV package would."""
    if field.get("type", "string") == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def flatten(kind: str, obj: dict, file: str, path: str, package: Package, parent: tuple | None = None) -> None:
    """One nested object -> rows of the flat tables, with the references that nesting implied.
    The same object met twice (a phone under its contact and under its service) is one row with both
    references; the same id with different values is a duplicate, as in a CSV package."""
    package.count(file, path)
    columns = resources()[kind].fields
    nested = {prop: (child, is_list) for prop, child, is_list in nested_properties(kind)}
    own = {k: _as_declared(columns[k], v) for k, v in obj.items() if k in columns and k not in nested}
    values = dict(own)
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
                    flatten(child, item, file, f"{path}.{prop}[{index}]", package, (kind, obj.get("id")))
        elif isinstance(value, dict):
            flatten(child, value, file, f"{path}.{prop}", package)
            if f"{child}_id" in columns:
                values.setdefault(f"{child}_id", value.get("id"))
    package.add(kind, Row(file, path, values), own)
