"""Is a package good enough to import? And is our export valid HSDS 3?

- every JSON object, nested or not, is validated against its own schema (fast_schema, then jsonschema for the
  details) of the shipped HSDS 3 schemas, its children apart (each is an object of its own);
- CSV rows are checked against the tabular `datapackage.json` (required, types, formats, enums,
  unique ids), and typed on the way (numbers become numbers);
- references between tables: a reference HSDS requires (a service's organization, both ends of a
  service_at_location, an attribute's term) must point to a row of the package, or the package is
  refused; an optional one that points nowhere is dropped and reported (the official example has some).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from urllib.parse import urlparse

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from interop.cells import formula_like
from interop.hsds import fast_schema, legacy
from interop.hsds.errors import Problem, shown
from interop.hsds.mapping import link_problems
from interop.hsds.package import Package, Row, explained
from interop.hsds.rows import IMPORTED, UUID, id_key
from interop.hsds.spec import object_schemas, resources
from interop.hsds.writing import cell, json_document

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# C0 and C1 controls but tab and line breaks, which a description may hold.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# 00:00 to 23:59(:59), or 24:00 for a closing at midnight (« 25:00 » passed).
# A decimal number written with a comma, as a French spreadsheet does: read, and said.
DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]+")
TIME = re.compile(r"^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?|24:00(:00)?)(Z|[+-]\d{2}:?\d{2})?$")


@cache
def registry() -> Registry:
    # The object schemas refer to each other by file name ("$ref": "attribute.json") and carry no
    # $schema: register each under its file name as Draft 2020-12.
    return Registry().with_resources(
        (f"{name}.json", Resource.from_contents(schema, default_specification=DRAFT202012))
        for name, schema in object_schemas().items()
    )


@cache
def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(object_schemas()[kind], registry=registry(), format_checker=FormatChecker())


def schema_problems(kind: str, obj: dict, file: str, path: str) -> list[Problem]:
    """jsonschema errors of one object (nested ones included), each with its JSON path and field; asked only
    when the compiled check (fast_schema) refuses the object."""
    if fast_schema.conforms(kind, obj):
        return []
    problems = []
    for error in sorted(validator(kind).iter_errors(obj), key=lambda e: list(map(str, e.absolute_path))):
        location = path + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else None
            problems.append(Problem(file, location, missing, "required"))
            continue
        field = next((str(p) for p in reversed(error.absolute_path) if isinstance(p, str)), None)
        if error.validator in ("type", "format", "enum"):
            location = location.rsplit(".", 1)[0] if field and location.endswith(f".{field}") else location
            expected = error.validator_value  # a type, a format, or the values an enum allows
            expected = ", ".join(map(str, expected)) if isinstance(expected, list) else expected
            problems.append(Problem(file, location, field, error.validator, shown(error.instance),
                                    expected if isinstance(expected, str) else None))
        else:
            problems.append(Problem(file, location, field, "schema", error.message))
    return problems


# --- Tabular checks --------------------------------------------------------------------------------


def _typed(value: str, spec: dict, strict_ids: bool):
    """The value as its declared type, or raise ValueError naming the check that failed."""
    kind, fmt = spec.get("type", "string"), spec.get("format")
    if kind in ("number", "integer", "date", "datetime", "time") and not value.isascii():
        raise ValueError("type")  # float() reads Arabic-Indic and full-width digits
    if kind == "number":
        number = float(value.replace(",", ".")) if DECIMAL_COMMA.fullmatch(value) else float(value)
        return int(number) if number.is_integer() and re.fullmatch(r"-?\d+", value) else number
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise ValueError("type")
        return value.lower() in ("true", "1", "yes")
    if kind == "date":
        date.fromisoformat(value)
    elif kind == "datetime":
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    elif kind == "time":
        if not TIME.match(value):
            raise ValueError("type")
    elif fmt == "uuid" and strict_ids and not UUID.match(value):  # uuid.UUID reads « {…} », « urn:uuid:… »
        raise ValueError("format")
    elif fmt == "email" and not EMAIL.match(value):
        raise ValueError("format")
    elif fmt == "uri" and not urlparse(value).scheme:
        raise ValueError("format")
    return value


def check_rows(package: Package) -> list[Problem]:
    """CSV rows of the imported tables against the tabular resources; values are converted to their types in
    place."""
    problems = []
    for table, rows in package.tables.items():
        resource = resources().get(table)
        if resource is None or table not in IMPORTED:
            continue
        for column in resource.required:
            if rows and (table, column) not in package.optional and all(column not in row.values for row in rows):
                problems.append(Problem(rows[0].file, 1, column, "missing_column"))
        for row in rows:
            for column, spec in resource.fields.items():
                value = row.values.get(column)
                if value is None:
                    if column in resource.required and column in rows[0].values and (
                            table, column) not in package.optional:
                        problems.append(Problem(row.file, row.row, column, "required"))
                    continue
                if spec.get("type") == "number" and DECIMAL_COMMA.fullmatch(value):
                    package.notes.append(Problem(row.file, row.row, column, "decimal_comma", value))
                try:
                    row.values[column] = _typed(value, spec, not package.hsds2)
                except ValueError as error:
                    code = "format" if spec.get("format") in ("uuid", "email", "uri") else "type"
                    code = str(error) if str(error) == "format" else code
                    expected = spec.get("format") if code == "format" else spec.get("type", "string")
                    if package.hsds2 and column not in resource.required:  # an older package's bad optional value
                        row.values[column] = None
                        package.notes.append(Problem(row.file, row.row, column, "value_dropped", shown(value),
                                                     expected))
                    else:
                        problems.append(Problem(row.file, row.row, column, code, shown(value), expected))
                    continue
                allowed = spec.get("constraints", {}).get("enum")
                if allowed and row.values[column] not in allowed:
                    problems.append(Problem(row.file, row.row, column, "enum", shown(value), ", ".join(allowed)))
    return problems


def check_ids(package: Package) -> list[Problem]:
    """Ids unique within each imported table (a missing id is reported as a required field), a duplicate
    naming where the id was met first, as JSON's do."""
    problems = []
    for table in IMPORTED:
        seen: dict = {}
        for row in package.rows(table):
            value = row.values.get("id")
            first = seen.get(id_key(value))
            if value is not None and first is not None:
                place = first.row if first.file == row.file else f"{first.file}, {first.row}"
                problems.append(Problem(row.file, row.row, "id", "duplicate", shown(value), f"first:{place}"))
            seen.setdefault(id_key(value), row)
    return problems


def text_problems(package: Package) -> list[Problem]:
    """Text bound for the directory holds no control character (a NUL, a bell) and does not start like a
    spreadsheet formula (a phone may start with +); in a package written before HSDS 3, such an optional text
    (Health Leads: « -Anyone can visit… ») is left out."""
    problems = []
    for table in IMPORTED:
        required = resources()[table].required if table in resources() else ()
        for row in package.rows(table):
            for column, value in row.values.items():
                control = CONTROL.search(value) if isinstance(value, str) else None
                if control:
                    problems.append(Problem(row.file, row.row, column, "control_character",
                                            f"U+{ord(control.group()):04X}"))
                    continue
                if column == "id" or column.endswith("_id") or not formula_like(
                        value, phone=table == "phone" and column == "number"):
                    continue
                if package.hsds2 and column not in required:
                    row.values[column] = None
                    package.notes.append(Problem(row.file, row.row, column, "value_dropped", shown(value),
                                                 "no_formula"))
                else:
                    problems.append(Problem(row.file, row.row, column, "formula", shown(value)))
    return problems


def check_references(package: Package) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings); optional references that point nowhere are removed from their rows."""
    errors, warnings = [], []
    ids = {table: {r.values.get("id") for r in package.rows(table)} for table in resources()}
    for table in IMPORTED:
        resource = resources()[table]
        for row in package.rows(table):
            for column, target in resource.foreign_keys:
                if target not in IMPORTED:
                    continue  # a program, say: not read, so not followed
                value = row.values.get(column)
                if value is None:
                    if column in resource.required:
                        errors.append(Problem(row.file, row.row, column, "required"))
                elif value not in ids[target]:
                    if column in resource.required:
                        errors.append(Problem(row.file, row.row, column, "reference", shown(value)))
                    else:
                        warnings.append(Problem(row.file, row.row, column, "reference_ignored", shown(value)))
                        row.values[column] = None
    return errors, warnings


def check_package(package: Package) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings). Any error refuses the whole package. Checked once: the rows are typed in place, so
    the answer is kept on the package (a preview and its import read one package)."""
    if package.checked is None:
        package.checked = _check(package)
    return package.checked


def _check(package: Package) -> tuple[list[Problem], list[Problem]]:
    if package.source == "json":
        errors = [p for kind, obj, file, path in package.objects for p in schema_problems(kind, obj, file, path)]
    else:
        package.notes += legacy.relax(package)
        errors = legacy.join_eligibility(package) + check_rows(package)
    errors += link_problems(package) + check_ids(package)
    errors += text_problems(package)
    if errors:
        return explained(package, errors), []
    reference_errors, warnings = check_references(package)
    if reference_errors:
        return explained(package, reference_errors), []
    return [], package.notes + warnings


def export_problems(tables: dict[str, list[dict]]) -> list[Problem]:
    """Our own export against the schemas: every record of every table, and each nested organization."""
    problems = []
    for table, records in tables.items():
        for index, record in enumerate(records):
            values = {k: v for k, v in record.items() if v is not None}
            problems += schema_problems(table, values, resources()[table].path, f"[{index}]")
    for index, organization in enumerate(json_document(tables)["contents"]):
        problems += schema_problems("organization", organization, "directory.json", f"contents[{index}]")
        for number, service in enumerate(organization.get("services", [])):
            problems += schema_problems("service", service, "directory.json", f"contents[{index}].services[{number}]")
    tabular = Package(tables={t: [Row(resources()[t].path, i + 2, {k: _text(v) for k, v in r.items()})
                                  for i, r in enumerate(rs)] for t, rs in tables.items()})
    problems += check_rows(tabular) + check_ids(tabular)
    problems += check_references(tabular)[0]
    return problems


def _text(value):
    """A value as its CSV cell reads back (None for an empty cell)."""
    text = cell(value)
    return text if text != "" else None
