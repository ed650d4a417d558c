"""HSDS packages in, read within `Limits` whatever the files claim: the CSV tabular package (a folder or a zip,
its files found where its datapackage.json says, in a subfolder too) here, the JSON shapes in json_reader.py.
Reading yields rows (rows.py) that remember where they came from. Writing: writing.py."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path, PurePosixPath

from defusedcsv import csv

from interop.bounded import DEFAULT_LIMITS, PEEK, Limits, Refused, unzip
from interop.hsds.datapackage import EXPLAINS, Declared, read_declared
from interop.hsds.errors import PackageError, Problem
from interop.hsds.mapping import COLUMN_ALIASES, COPIED_COLUMNS, FILE_ALIASES, LEGACY_TABLES, weekday_code
from interop.hsds.rows import IMPORTED, Package, Row
from interop.hsds.spec import resource_by_path, resources

__all__ = ["Package", "Row", "read_bytes", "read_files", "read_path"]

ELIGIBILITY_COLUMNS = {"id", "service_id", "eligibility"}  # HSDS 2.0's eligibility.csv
# Files only HSDS 3 has: a package holding one is read as HSDS 3.
ONLY_IN_3 = frozenset(f"{name}.csv" for name in (
    "addresses", "attributes", "schedules", "url", "service_capacity", "units", "organization_identifiers",
    "cost_options", "taxonomy_terms", "taxonomies", "accessibility", "meta_table_descriptions", "service_areas"))
# A spreadsheet-safe cell as defusedcsv writes it ('=… → '=…), read back as it was typed.
ESCAPED_CELL = re.compile(r"^'[=+\-@|%]")


def read_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Package:
    """A folder of CSV files, a .zip of them, or a .json file."""
    path = Path(path)
    if not path.is_dir():
        return read_bytes(path.read_bytes(), path.name, limits)
    found, links = [], []
    for file in sorted(path.rglob("*")):
        if file.is_symlink():  # not followed, said: it may point out of the package
            links.append(Problem(str(file.relative_to(path)), None, None, "symlink_skipped"))
        elif file.is_file():
            if len(found) >= limits.entries:
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
    return read_files(files, limits, [p.name for p in found if not _wanted(p.name)], tuple(links))


def read_bytes(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Package:
    """A zip or a JSON file, known by what it holds (a zip named .json is a zip), else by its name."""
    name = filename.lower()
    is_zip = data[:4] == b"PK\x03\x04"
    if not is_zip and (name.endswith(".json") or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")):
        from interop.hsds.json_reader import read_json  # it reads tabular JSON with read_files: imported here

        return read_json(data, PurePosixPath(filename).name, limits)
    if is_zip or name.endswith(".zip"):
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
    """An HSDS table we do not import, known by its standard file name (or an older version's): only its first
    bytes are read, to say whether it holds rows (a package is never refused for it, whatever its size)."""
    table = resource_by_path().get(name)
    return (table is not None and table not in IMPORTED) or name in LEGACY_TABLES


def read_files(files: dict[str, bytes | None], limits: Limits = DEFAULT_LIMITS, skipped: tuple = (),
               notes: tuple = ()) -> Package:
    """File name -> content, as found in a folder or a zip; `skipped`: the names of the other files, unread."""
    package = Package(source="csv", room=limits.rows)
    problems: list[Problem] = []
    declared = read_declared(files, limits)
    package.notes += [*notes, *declared.notes]
    for name in skipped:
        if not name.upper().startswith(("LICENSE", "SOURCE", "README")):
            package.notes.append(Problem(name, None, None, "json_in_package" if name.lower().endswith(".json")
                                         else "ignored_file"))
    for name, content in sorted(files.items()):
        if name == "datapackage.json":
            continue
        table, renames, implied = _table_of(name, declared, package)
        if table is None:
            continue
        if table not in IMPORTED and table != "eligibility":
            if content is None or len(content.strip().splitlines()) > 1:  # a header alone: our programs.csv
                package.ignore(table, name)
            continue
        text = _decode(name, content, declared.files.get(name, {}).get("encoding"), problems)
        if text is None:
            continue
        package.tables.setdefault(table, []).extend(_csv_rows(name, text, table, renames, implied, package, problems))
    package.hsds2 = _written_before_3(declared, files, package.hsds2)
    if problems:
        raise PackageError(explained(package, problems))
    if not package.tables:
        # named by what it held (a zip of one JSON file blamed a datapackage.json it did not have)
        held = sorted(files) + [name for name in skipped if name not in files]
        raise PackageError(explained(package, [Problem(", ".join(held[:5]) or "—", None, None, "no_tables")]))
    return package


def _written_before_3(declared: Declared, files: dict, older_names: bool) -> bool:
    """Is the package one of HSDS 1.x or 2.0, to be read with legacy.py's tolerances? A datapackage.json
    declaring 3.x says no whatever names its files use (an HSDS 3 package with one file under its 2.0 name is
    still held to HSDS 3); so does a file only HSDS 3 has (a datapackage's `version` may be its own release,
    « 1.0 »). Else a declared 0.x–2.x or a 1.x/2.0 file or column name says yes."""
    if declared.version.startswith("3") or set(files) & ONLY_IN_3:
        return False
    return older_names or declared.version.startswith(("0", "1", "2"))


def explained(package: Package, problems: list[Problem]) -> list[Problem]:
    """A refusal's problems, after the notes that say why (a declared file missing, a file set aside)."""
    return [note for note in package.notes if note.code in EXPLAINS] + problems


def _table_of(name: str, declared: Declared, package: Package) -> tuple[str | None, dict, dict]:
    """(table, column renames, implied values) of a file: an older HSDS name (1.x's taxonomy.csv holds
    terms); else what datapackage.json declares it holds; else HSDS 3's name for it — unless datapackage.json
    declares that table in another file; else a table of HSDS 1.x or 2.0 we do not import. (None, …) for
    a file that is no table, noted."""
    if name in FILE_ALIASES:
        package.hsds2 = True
        return FILE_ALIASES[name]
    table = declared.files.get(name, {}).get("table") or resource_by_path().get(name)
    if table and declared.tables.get(table, name) != name:
        package.notes.append(Problem(name, None, None, "shadowed_file", declared.tables[table]))
        return None, {}, {}
    if table:
        return table, COLUMN_ALIASES.get(table, {}), {}
    if name in LEGACY_TABLES:
        return LEGACY_TABLES[name], {}, {}
    package.notes.append(Problem(name, None, None, "ignored_file"))
    return None, {}, {}


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


def _csv_rows(name, text, table, renames, implied, package, problems) -> list[Row]:
    """The rows of one CSV file, known columns only (anything else costs memory and says nothing). Semicolons
    (a French spreadsheet's) or tabs between cells are read and said."""
    first = text.split("\n", 1)[0]
    delimiter = next((d for d in (";", "\t") if d in first and "," not in first), ",")
    if delimiter != ",":
        package.notes.append(Problem(name, 1, None, "semicolons" if delimiter == ";" else "tabs"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    known = set(resources()[table].fields) if table in resources() else ELIGIBILITY_COLUMNS
    rows = []
    try:
        header = next(reader, None) or []
        if not header:
            package.notes.append(Problem(name, None, None, "empty_file"))
        columns = []
        for column in header:
            column = column.strip()
            if column in renames:
                package.hsds2 = True
                package.notes.append(Problem(name, 1, column, "renamed_column", renames[column]))
                column = renames[column]
            if column in known and column in columns:  # which of the two is meant cannot be known
                problems.append(Problem(name, 1, column, "duplicate_column"))
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
    except csv.Error as error:  # a cell longer than the csv module's field limit, a NUL
        code = "csv_nul" if "NUL" in str(error) else "csv_too_long" if "limit" in str(error) else "csv_syntax"
        raise PackageError([Problem(name, reader.line_num, None, code)]) from None
    return rows


def _cell_value(text: str) -> str | None:
    """A stripped cell, None when empty; a cell a spreadsheet-safe writer escaped ('=…) reads as typed."""
    text = text.strip()
    if ESCAPED_CELL.match(text):
        text = text[1:].replace("\\|", "|")
    return text or None
