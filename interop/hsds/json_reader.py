"""HSDS JSON in, one reader per shape, chosen by what the document is: a nested organization, service or
service_at_location, a list or a page of them (the HSDS API's `contents`), or the tabular package as JSON
(`{"organizations.csv": [rows…]}`). A taxonomy, a location alone or the API's root hold nothing the directory
imports: they are refused by name, as is an object of no HSDS shape.

Every object, nested or not, is kept with its JSON path for validate.py (each against its own schema, its
children apart); every value's type is checked before it is used (an id given as a list is a problem, never a
crash); an id met twice at the top level, or twice nested with different values, is a duplicate."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

from interop.bounded import DEFAULT_LIMITS, Limits, Refused, load_json
from interop.hsds.errors import PackageError, Problem, shown, unreadable_json
from interop.hsds.package import read_files
from interop.hsds.rows import IMPORTED, Package, Row, id_key
from interop.hsds.spec import nested_properties, object_schemas, resources

# The HSDS API's root (`GET /`): what it says of itself, no record.
API_ROOT = frozenset({"version", "profile", "openapi_url"})
# Keys that only one kind of object has, the most telling first (an organization's « uri » is a taxonomy's too).
TELLING = (("service_at_location", frozenset({"service", "location", "location_id", "service_id"})),
           ("service", frozenset({"status", "service_at_locations", "organization_id", "program_id", "fees",
                                  "eligibility_description", "application_process", "interpretation_services"})),
           ("location", frozenset({"location_type", "latitude", "longitude", "transportation"})),
           ("taxonomy_term", frozenset({"code", "term_uri", "taxonomy_id", "taxonomy_detail", "parent_id"})),
           ("taxonomy", frozenset({"version"})),
           ("organization", frozenset({"services", "website", "tax_status", "tax_id", "year_incorporated",
                                       "legal_status", "logo", "parent_organization_id", "organization_identifiers",
                                       "locations", "programs", "additional_websites", "funding"})))
# What a file must hold for the directory to import anything.
RECORDS = ("organization", "service")
JSON_TYPES = {"string": str, "number": (int, float), "integer": int, "boolean": bool, "array": list, "object": dict}


def json_kind(item: dict) -> str | None:
    """The HSDS object `item` is, from the keys it has; None when it looks like none."""
    keys = set(item)
    for kind, telling in TELLING:
        if keys & telling and (kind != "service_at_location" or _is_service_at_location(item)):
            return kind
    # no telling key: an organization has at least its id and name (and may carry extensions: « x_custom »)
    return "organization" if {"id", "name"} <= keys else None


def _is_service_at_location(item: dict) -> bool:
    return (isinstance(item.get("service"), dict) or isinstance(item.get("location"), dict)
            or {"service_id", "location_id"} <= set(item))


def read_json(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Package:
    document = _load(data, filename, limits)
    if isinstance(document, dict) and document and all(str(k).endswith(".csv") for k in document):
        return _tabular(document, filename, limits)
    if isinstance(document, dict) and API_ROOT & set(document) and not {"id", "contents"} & set(document):
        raise PackageError([Problem(filename, "$", None, "api_root", ", ".join(sorted(map(str, document))))])
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        _check_page(document, filename)
        items, paths = document["contents"], [f"contents[{i}]" for i in range(len(document["contents"]))]
    elif isinstance(document, list):
        items, paths = document, [f"[{i}]" for i in range(len(document))]
    elif isinstance(document, dict):
        items, paths = [document], ["$"]
    else:
        raise PackageError([Problem(filename, "$", None, "type", shown(document), "object")])
    package = Package(source="json", room=limits.rows)
    problems, seen = [], {}
    for item, path in zip(items, paths, strict=True):
        kind = json_kind(item) if isinstance(item, dict) else None
        if not isinstance(item, dict):
            problems.append(Problem(filename, path, None, "type", shown(item), "object"))
        elif kind is None:
            problems.append(Problem(filename, path, None, "unknown_object", ", ".join(sorted(map(str, item))[:8])))
        else:
            key = (kind, id_key(item.get("id"))) if isinstance(item.get("id"), str) else None
            if key in seen:
                problems.append(Problem(filename, path, "id", "duplicate", item["id"][:60], f"first:{seen[key]}"))
                continue
            if key:
                seen[key] = path
            flatten(kind, item, filename, path, package)
    problems += package.faults
    if problems:
        raise PackageError(problems)
    if not any(package.rows(kind) for kind in RECORDS):
        held = Counter({kind: len(rows) for kind, rows in package.tables.items() if rows})
        raise PackageError([Problem(filename, None, None, "no_records",
                                    ", ".join(f"{kind} ({n})" for kind, n in held.most_common()) or "—")])
    return package


# A page of the HSDS API: what its other keys must be (its « contents » read as a list of records).
PAGE_TYPES = {"total_items": "integer", "total_pages": "integer", "page_number": "integer", "size": "integer",
              "first_page": "boolean", "last_page": "boolean", "empty": "boolean"}


def _check_page(document: dict, filename: str) -> None:
    wrong = [Problem(filename, key, None, "type", shown(document[key]), kind) for key, kind in PAGE_TYPES.items()
             if key in document and not _of_type(document[key], kind)]
    if wrong:
        raise PackageError(wrong)


def _load(data: bytes, filename: str, limits: Limits):
    try:
        return load_json(data.decode("utf-8-sig"), limits.depth)
    except UnicodeDecodeError as error:
        raise PackageError([Problem(filename, None, None, "bad_encoding", "UTF-8")]) from error
    except Refused as refused:
        raise PackageError([Problem(filename, None, None, refused.code, str(refused.limit))]) from None
    except ValueError as error:
        raise PackageError([unreadable_json(filename, error)]) from error


def _tabular(document: dict, filename: str, limits: Limits) -> Package:
    """The tabular package written as JSON (the specification's tabular.json): each file's rows as objects,
    read as the CSV package they stand for (its cells as text)."""
    files, problems = {}, []
    for name, rows in document.items():
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            problems.append(Problem(filename, f"$.{name}", None, "type", shown(rows), "rows"))
            continue
        columns = list(dict.fromkeys(str(k) for row in rows for k in row))
        text = io.StringIO()
        csv.writer(text).writerows([columns] + [[_cell(row.get(c)) for c in columns] for row in rows])
        files[str(name)] = text.getvalue().encode()
    if problems:
        raise PackageError(problems)
    return read_files(files, limits)


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value if isinstance(value, str) else json.dumps(value)


def _typed_values(kind: str, obj: dict, nested: dict) -> dict:
    """The object's own values whose type is the schema's; the others are left out, never used (validate.py
    says them, from the schema). A number where text is declared (a taxonomy code 5) is read as text, as a
    CSV package would — but not an id: an id is text."""
    columns, declared = resources()[kind].fields, object_schemas()[kind]["properties"]
    values = {}
    for key, value in obj.items():
        if key not in columns or key in nested or value is None:
            continue
        expected = declared.get(key, {}).get("type", "string")
        if expected == "string" and isinstance(value, int | float) and not isinstance(value, bool) and key != "id":
            value = str(value)
        if _of_type(value, expected):
            values[key] = value
    return values


def _of_type(value, expected: str) -> bool:
    """Is `value` of the JSON type `expected` (true is no number, though Python counts it one)?"""
    return isinstance(value, JSON_TYPES.get(expected, object)) and not (
        expected in ("number", "integer") and isinstance(value, bool))


def flatten(kind: str, obj: dict, file: str, path: str, package: Package, parent: tuple | None = None) -> None:
    """One nested object -> rows of the flat tables, with the references that nesting implied. Objects of the
    tables the import does not read are noted once, not read. The same object met twice (a phone under its
    contact and under its service) is one row with both references; the same id with other values is a
    duplicate, as in a CSV package."""
    if kind not in IMPORTED:
        package.ignore(kind, file)
        return
    package.count(file, path)
    nested = {prop: (child, is_list) for prop, child, is_list in nested_properties(kind)}
    own = _typed_values(kind, obj, nested)
    values = dict(own)
    if parent:
        parent_kind, parent_id = parent
        if kind == "attribute":
            values.setdefault("link_id", parent_id)
            values.setdefault("link_entity", parent_kind)
        elif f"{parent_kind}_id" in resources()[kind].fields:
            values.setdefault(f"{parent_kind}_id", parent_id)
    package.objects.append((kind, {k: v for k, v in obj.items() if k not in nested}, file, path))
    for prop, (child, is_list) in nested.items():
        value = obj.get(prop)
        if prop in obj and not isinstance(value, list if is_list else dict):  # « services: "text" », null
            package.faults.append(Problem(file, f"{path}.{prop}", None, "type", shown(value),
                                              "array" if is_list else "object"))
        elif is_list and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    flatten(child, item, file, f"{path}.{prop}[{index}]", package, (kind, own.get("id")))
                else:  # a number or a text among the phones: said, not dropped
                    package.faults.append(Problem(file, f"{path}.{prop}[{index}]", None, "type", shown(item),
                                                      "object"))
        elif isinstance(value, dict):
            flatten(child, value, file, f"{path}.{prop}", package)
            if f"{child}_id" in resources()[kind].fields and isinstance(value.get("id"), str):
                values.setdefault(f"{child}_id", value["id"])
    package.add(kind, Row(file, path, values), own)
