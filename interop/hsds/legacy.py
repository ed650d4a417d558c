"""Packages as real directories still publish them, read before the rows are checked, each change said once
per file and column with how many rows it touched (never silently):

- in every version, a web address given without its scheme (« www.ymca.org ») is completed with https://, as
  the directory's own forms and imports do;
- in a package written before HSDS 3 (1.x and 2.0 names: `Package.hsds2`), whose child tables often had no ids:
  a phone, schedule, language, contact, address, area or attribute without an id, or with one its table
  gives twice, gets an id derived from its file and line (no other table refers to these rows); such a row
  without its required value (a phone without a number) is left out; a service without status is active, a
  location without type physical (in HSDS 3 these columns are required: a package without them is refused);
  an organisation's description, which HSDS 3 added as required, may be empty; a taxonomy term given twice
  under one id and name is one term; an optional value that cannot be used (an address in the website
  column) is left out (validate.check_rows says each).

Organisations, services and locations keep HSDS 3's rules in every version: their ids, names and references
are what the directory is built from."""

from __future__ import annotations

from collections import Counter

from interop.cells import web_url
from interop.hsds.errors import Problem
from interop.hsds.export import stable_id
from interop.hsds.mapping import IMPLIED_DEFAULTS
from interop.hsds.rows import Package
from interop.hsds.spec import resources

URL_COLUMNS = {"organization": ("website",), "service": ("url",), "location": ("url",)}
CHILD_TABLES = ("phone", "schedule", "language", "contact", "address", "service_area", "attribute")
# Required in HSDS 3, not before it: (table, column).
OPTIONAL_BEFORE_3 = frozenset({("organization", "description")})


def relax(package: Package) -> list[Problem]:
    """Change the package's rows as the module says; the notes saying what was changed."""
    notes = Counter()
    for table, columns in URL_COLUMNS.items():
        for row in package.rows(table):
            for column in columns:
                value = row.values.get(column)
                completed = _completed(value)
                if completed and completed != value:
                    row.values[column] = completed
                    notes[row.file, column, "url_completed"] += 1
    if package.hsds2:
        package.optional |= OPTIONAL_BEFORE_3
        for table, defaults in IMPLIED_DEFAULTS.items():  # a service is active, a location physical
            for row in package.rows(table):
                for column, default in defaults.items():
                    if row.values.get(column) is None:
                        row.values[column] = default
                        notes[row.file, column, f"{column}_assumed"] += 1
        for table in CHILD_TABLES:
            _derive_ids(package, table, notes)
        _merge_terms(package, notes)
    return [Problem(file, None, column, code, str(count)) for (file, column, code), count in notes.items()]


def _completed(value) -> str | None:
    if not isinstance(value, str) or "://" in value:
        return None
    try:
        return web_url(value)
    except ValueError:
        return None  # left as it is: the schema's check says what is wrong with it


def _derive_ids(package: Package, table: str, notes: Counter) -> None:
    required = [c for c in resources()[table].required if c != "id"]
    given = Counter(row.values.get("id") for row in package.rows(table))
    kept = []
    for row in package.rows(table):
        if any(row.values.get(column) is None for column in required):
            notes[row.file, next(c for c in required if row.values.get(c) is None), "row_left_out"] += 1
            continue
        if row.values.get("id") is None or given[row.values["id"]] > 1:
            row.values["id"] = stable_id("hsds-row", row.file, str(row.row))
            notes[row.file, "id", "id_derived"] += 1
        kept.append(row)
    if package.tables.get(table) is not None:
        package.tables[table] = kept


def _merge_terms(package: Package, notes: Counter) -> None:
    """A taxonomy term given twice with the same id and name (its facet apart) is one term."""
    seen, kept = {}, []
    for row in package.rows("taxonomy_term"):
        key = row.values.get("id")
        first = seen.get(key) if key is not None else None
        if first is not None and first.values.get("name") == row.values.get("name"):
            notes[row.file, "id", "term_merged"] += 1
            continue
        seen.setdefault(key, row)
        kept.append(row)
    if "taxonomy_term" in package.tables:
        package.tables["taxonomy_term"] = kept
