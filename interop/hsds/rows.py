"""What a package read from HSDS files holds: rows that remember where they came from (file and CSV line or JSON
path), so that every problem can name its file, row and field; the notes of what was not read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interop.bounded import Limits
from interop.hsds.errors import PackageError, Problem

# The tables an import reads; the others are noted once as ignored and never read nor checked (a package is
# not refused for a table the directory has no use for).
IMPORTED = ("organization", "service", "location", "service_at_location", "address", "phone", "contact",
            "language", "schedule", "service_area", "taxonomy", "taxonomy_term", "attribute")


# \A…\Z: `$` would let a final line break through.
UUID = re.compile(r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


def id_key(value):
    """An id as duplicates are found: a UUID whatever its letters' case (RFC 4122 reads them alike)."""
    return value.lower() if isinstance(value, str) and UUID.match(value) else value


@dataclass
class Row:
    file: str
    row: int | str  # CSV line (the header is line 1) or JSON path
    values: dict


@dataclass
class Package:
    tables: dict[str, list[Row]] = field(default_factory=dict)
    source: str = "csv"  # csv | json
    hsds2: bool = False  # written before HSDS 3: read with legacy.py's tolerances (package._written_before_3)
    optional: set = field(default_factory=set)  # (table, column) HSDS 3 requires but the package's version did not
    objects: list = field(default_factory=list)  # JSON: (kind, object, file, path) as read, for jsonschema
    notes: list[Problem] = field(default_factory=list)  # ignored files, renamed columns
    room: int = Limits.rows  # rows or objects that may still be read
    read: int = 0  # rows or objects read
    faults: list[Problem] = field(default_factory=list)  # JSON, found reading: an id twice, a list that is not one
    by_id: dict = field(default_factory=dict, repr=False)  # JSON: (kind, id) -> Row
    checked: tuple | None = field(default=None, repr=False, compare=False)  # check_package's answer (typed rows)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    def count(self, file: str, where: int | str) -> None:
        """One more row or object read; past the limit the package is refused (before it costs more)."""
        self.room -= 1
        self.read += 1
        if self.room < 0:  # the bound, said: what was read before this one
            raise PackageError([Problem(file, where, None, "too_many_rows", f"{self.read - 1:,}".replace(",", " "))])

    def add(self, kind: str, row: Row, own: dict) -> None:
        """A JSON object's row, merged into the row of the same id when there is one (in constant time)."""
        key = id_key(row.values.get("id"))
        same = self.by_id.get((kind, key)) if key is not None else None
        if same is None:
            self.tables.setdefault(kind, []).append(row)
            if key is not None:
                self.by_id[kind, key] = row
            return
        if any(v is not None and same.values.get(k) not in (None, v) for k, v in own.items()):
            self.faults.append(Problem(row.file, row.row, "id", "duplicate", str(key)[:60], f"first:{same.row}"))
        for column, value in row.values.items():
            if same.values.get(column) is None:
                same.values[column] = value

    def ignore(self, table: str, file: str) -> None:
        """A table the import does not read, noted once per file."""
        note = Problem(file, None, None, "ignored_table", table)
        if note not in self.notes:
            self.notes.append(note)
