"""HSDS packages in, read within `Limits` whatever the files claim: the CSV tabular package (a folder or a zip,
its files found where its datapackage.json says, in a subfolder too) here, the JSON shapes in json_reader.py.
Reading yields rows (rows.py) that remember where they came from. Writing: writing.py."""

from __future__ import annotations

import codecs
import io
import json
import re
from pathlib import Path, PurePosixPath

from defusedcsv import csv

from interop.bounded import DEFAULT_LIMITS, PEEK, Limits, Refused, safe_name, unzip
from interop.hsds.errors import PackageError, Problem
from interop.hsds.mapping import COLUMN_ALIASES, COPIED_COLUMNS, FILE_ALIASES, weekday_code
from interop.hsds.rows import IMPORTED, Package, Row
from interop.hsds.spec import resource_by_path, resources

__all__ = ["Package", "Row", "read_bytes", "read_files", "read_path"]

ELIGIBILITY_COLUMNS = {"id", "service_id", "eligibility"}  # HSDS 2.0's eligibility.csv
# A spreadsheet-safe cell as defusedcsv writes it ('=… → '=…), read back as it was typed.
ESCAPED_CELL = re.compile(r"^'[=+\-@|%]")


def read_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Package:
    """A folder of CSV files, a .zip of them, or a .json file."""
    path = Path(path)
    if not path.is_dir():
        return read_bytes(path.read_bytes(), path.name, limits)
    found = []
    for index, file in enumerate(sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())):
        if index >= limits.entries:
            raise PackageError([Problem(path.name, None, None, "too_many_entries", str(limits.entries))])
        found.append(file)
    sizes = {p: p.stat().st_size for p in found if _wanted(p.name) and not _ignored_table(p.name)}
    if sizes and (max(sizes.values()) > limits.entry_bytes or sum(sizes.values()) > limits.unpacked_bytes):
        raise PackageError([Problem(path.name, None, None, "too_large")])
    files: dict[str, bytes | None] = {}
    seen: dict[str, Path] = {}
    for file in found:  # by name, as a zip's entries are: a data/ subfolder reads as its files
        if not _wanted(file.name):
            continue
        if file.name in seen:
            both = f"{seen[file.name].relative_to(path)}, {file.relative_to(path)}"
            raise PackageError([Problem(both, None, None, "duplicate_entry")])
        seen[file.name] = file
        if _ignored_table(file.name):
            with file.open("rb") as stream:
                files[file.name] = stream.read(PEEK)
        else:
            files[file.name] = file.read_bytes()
    return read_files(files, limits, [p.name for p in found if not _wanted(p.name)])


def read_bytes(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Package:
    name = filename.lower()
    if name.endswith(".json"):
        from interop.hsds.json_reader import read_json  # it reads tabular JSON with read_files: imported here

        return read_json(data, PurePosixPath(filename).name, limits)
    if name.endswith(".zip") or data[:4] == b"PK\x03\x04":
        try:
            files, skipped = unzip(data, _wanted, limits.entry_bytes, limits.unpacked_bytes, limits.entries,
                                   peek=_ignored_table)
        except Refused as refused:
            raise PackageError([Problem(refused.name or filename, None, None, refused.code,
                                        str(refused.limit or ""))]) from None
        return read_files(files, limits, skipped)
    raise PackageError([Problem(filename, None, None, "unknown_format")])


def _wanted(name: str) -> bool:
    """The files a package is read from; the others are listed as ignored, never read."""
    return name == "datapackage.json" or name.lower().endswith(".csv")


def _ignored_table(name: str) -> bool:
    """An HSDS table we do not import, known by its standard file name: only its first bytes are read, to say
    whether it holds rows (a package is never refused for it, whatever its size)."""
    table = resource_by_path().get(name)
    return table is not None and table not in IMPORTED


def read_files(files: dict[str, bytes | None], limits: Limits = DEFAULT_LIMITS, skipped: tuple = ()) -> Package:
    """File name -> content, as found in a folder or a zip."""
    package = Package(source="csv", room=limits.rows)
    problems: list[Problem] = []
    declared, version = _declared_resources(files, problems, package.notes)
    package.hsds2 = version.startswith(("0", "1", "2"))  # then again when 2.0 names are met
    by_path = resource_by_path()
    extra_eligibility: list[Row] = []
    for name in skipped:
        if not name.upper().startswith(("LICENSE", "SOURCE", "README")):
            package.notes.append(Problem(name, None, None, "ignored_file"))
    for name, content in sorted(files.items()):
        if name == "datapackage.json":
            continue
        # HSDS 3's file name; else an older one (1.x's taxonomy.csv holds terms); else the resource's name
        table = by_path.get(name) or (None if name in FILE_ALIASES else declared.get(name, {}).get("table"))
        if table and table not in IMPORTED:
            if content is None or len(content.strip().splitlines()) > 1:  # a header alone: our programs.csv
                package.ignore(table, name)
            continue
        if table:
            table, renames, implied = table, COLUMN_ALIASES.get(table, {}), {}
        elif name in FILE_ALIASES:
            table, renames, implied = FILE_ALIASES[name]
            package.hsds2 = True
        else:
            package.notes.append(Problem(name, None, None, "ignored_file"))
            continue
        text = _decode(name, content, declared.get(name, {}).get("encoding"), problems)
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
        # named by what it held (a zip of one JSON file blamed a datapackage.json it did not have)
        held = sorted(files) + [name for name in skipped if name not in files]
        raise PackageError([Problem(", ".join(held[:5]) or "—", None, None, "no_tables")])
    return package


def _declared_resources(files: dict, problems: list[Problem], notes: list[Problem]) -> tuple[dict[str, dict], str]:
    """What a datapackage.json declares of each file, by its name: its HSDS table (the resource's name, when
    its file is not named as HSDS names it) and its encoding (UTF-8 when it says nothing); and the version of
    HSDS it declares ("" when none). A path out of the package (absolute, `..`, a web address) is never
    followed: noted, the package's own file of that name is read if it has one."""
    if "datapackage.json" not in files:
        return {}, ""
    try:
        descriptor = json.loads(files["datapackage.json"].decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # `[` × 100,000 overflows the parser's stack
        descriptor = None
    declared = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(declared, list | None) or not isinstance(descriptor, dict):
        problems.append(Problem("datapackage.json", None, None, "unreadable"))
        return {}, ""
    found = {}
    for resource in declared or ():
        if isinstance(resource, dict) and isinstance(resource.get("path"), str):
            name = resource.get("name")
            if _outside(resource["path"]):
                notes.append(Problem("datapackage.json", None, None, "path_outside", resource["path"]))
                continue
            found[PurePosixPath(resource["path"]).name] = {
                "encoding": str(resource["encoding"]) if resource.get("encoding") else None,
                "table": name if isinstance(name, str) and name in resources() else None}
    version = descriptor.get("version")
    return found, version if isinstance(version, str) else ""


def _outside(path: str) -> bool:
    try:
        safe_name(path)  # what a zip's entry may not be named, a declared path may not point to
    except Refused:
        return True
    return False


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
        # what the file's own name implies (physical_address.csv: physical); a version's defaults: legacy.py
        missing_defaults = {k: v for k, v in implied.items() if k not in columns}
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
