"""Packages as real directories still publish them, read before the rows are checked, each change said once
per file and column with how many rows it touched (never silently):

- in every version, a web address given without its scheme (« www.ymca.org ») is completed with https://, as
  the directory's own forms and imports do;
- in a package written before HSDS 3 (1.x and 2.0 names: `Package.hsds2`), whose child tables often had no ids:
  a phone, schedule, language, contact, address, area or attribute without an id, or with one its table
  gives twice, gets an id derived from its file and line (no other table refers to these rows); such a row
  without its required value (a phone without a number) is left out; a service without status is active, a
  location without type physical (in HSDS 3 these columns are required: a package without them is refused);
  a service whose status says « available » or « open » in words is active, HSDS's statuses in capitals are
  read in lower case; an hour written 9:00 is 09:00; a row of organisations, services or locations holding no
  value but a reference (a spreadsheet's stray line) is left out, as is a service whose organisation the
  package does not hold (an extract of a larger directory: 340 of ILAO's 430) and a service_at_location
  whose service or location it does not hold; the eligibility table is joined to its services' text;
  an organisation's description, which HSDS 3 added as required, may be empty; a taxonomy term given twice
  under one id and name is one term; an optional value that cannot be used (an address in the website
  column) is left out (validate.check_rows says each).

Organisations, services and locations keep HSDS 3's rules in every version: their ids, names and references
are what the directory is built from."""

from __future__ import annotations

import re
from collections import Counter

from interop.cells import formula_like, web_url
from interop.hsds.errors import Problem, shown
from interop.hsds.export import stable_id
from interop.hsds.mapping import IMPLIED_DEFAULTS
from interop.hsds.rows import Package
from interop.hsds.spec import resources

URL_COLUMNS = {"organization": ("website",), "service": ("url",), "location": ("url",)}
CHILD_TABLES = ("phone", "schedule", "language", "contact", "address", "service_area", "attribute")
# Required in HSDS 3, not before it: (table, column).
OPTIONAL_BEFORE_3 = frozenset({("organization", "description")})
# A service's status as older directories wrote it, for HSDS's « active » (Health Leads: « Available »).
ACTIVE_WORDS = frozenset({"available", "open", "operating", "operational"})
RECORDS = ("organization", "service", "location")
SHORT_TIME = re.compile(r"^[0-9]:[0-5][0-9](:[0-5][0-9])?$")  # « 9:60 » is no hour: left out as unusable


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
        _leave_out_strays(package, notes)
        _read_status_words(package)
        _pad_times(package, notes)
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


def _leave_out_strays(package: Package, notes: Counter) -> None:
    """Rows with no value of their own; then services whose organisation, and links whose service or location,
    the package does not hold."""
    for table in RECORDS:
        kept = []
        for row in package.rows(table):
            if any(value is not None for column, value in row.values.items() if not column.endswith("_id")):
                kept.append(row)
            else:
                notes[row.file, None, "empty_row"] += 1
        if table in package.tables:
            package.tables[table] = kept
    _keep_linked(package, "service", {"organization_id": "organization"}, "orphan_left_out", notes)
    _keep_linked(package, "service_at_location", {"service_id": "service", "location_id": "location"},
                 "link_left_out", notes)


def _keep_linked(package: Package, table: str, references: dict[str, str], code: str, notes: Counter) -> None:
    """Rows of `table` whose required references all point to rows of the package; the others left out."""
    held = {column: {row.values.get("id") for row in package.rows(target)} | {None}
            for column, target in references.items()}
    kept = []
    for row in package.rows(table):
        missing = next((column for column in references if row.values.get(column) not in held[column]), None)
        if missing:
            notes[row.file, missing, code] += 1
        else:
            kept.append(row)
    if table in package.tables:
        package.tables[table] = kept


def _read_status_words(package: Package) -> None:
    """« Available » is active; HSDS's own values in capitals (« Defunct ») are those values."""
    words, allowed = Counter(), resources()["service"].fields["status"]["constraints"]["enum"]
    for row in package.rows("service"):
        status = row.values.get("status")
        if not isinstance(status, str) or status in allowed:
            continue
        if status.lower() in ACTIVE_WORDS:
            row.values["status"] = "active"
            words[row.file, status, "status_word"] += 1
        elif status.lower() in allowed:
            row.values["status"] = status.lower()
            words[row.file, status, "status_case"] += 1
    package.notes += [Problem(file, None, "status", code, status) for file, status, code in words]


def _pad_times(package: Package, notes: Counter) -> None:
    """« 9:00 » as spreadsheets write it is 09:00 (ILAO's 1,346 opening hours)."""
    for table, rows in package.tables.items():
        fields = resources()[table].fields if table in resources() else {}
        for column in (name for name, spec in fields.items() if spec.get("type") == "time"):
            for row in rows:
                value = row.values.get(column)
                if isinstance(value, str) and SHORT_TIME.match(value):
                    row.values[column] = "0" + value
                    notes[row.file, column, "time_padded"] += 1


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


def join_eligibility(package: Package) -> list[Problem]:
    """HSDS 1.x/2.0 kept eligibility in its own table; 3.0 has service.eligibility_description: each row's text
    is joined to its service's, once the services left out are known, said with how many were and why the
    others were not. A text a spreadsheet would run is a problem at its own line (left out, said, in a
    package written before HSDS 3). Returns the problems."""
    problems, counts = [], Counter()
    services = {row.values.get("id"): row for row in package.rows("service")}
    texts: dict[str, list[str]] = {}
    for row in package.tables.pop("eligibility", []):
        text, service = row.values.get("eligibility"), services.get(row.values.get("service_id"))
        if text and formula_like(text):
            if not package.hsds2:
                problems.append(Problem(row.file, row.row, "eligibility", "formula", shown(text)))
                continue
            package.notes.append(Problem(row.file, row.row, "eligibility", "value_dropped", shown(text),
                                         "no_formula"))
            continue
        reason = ("eligibility_unlinked" if not text or not row.values.get("service_id")
                  else "eligibility_left_out" if service is None
                  else "eligibility_described" if service.values.get("eligibility_description")
                  else "eligibility_joined")
        counts[row.file, reason] += 1
        if reason == "eligibility_joined":
            texts.setdefault(row.values["service_id"], []).append(text)
    for service_id, joined in texts.items():
        services[service_id].values["eligibility_description"] = "; ".join(joined)
    package.notes += [Problem(file, None, None, code, str(n)) for (file, code), n in sorted(counts.items())]
    return problems
