"""Problems found in a package, as data: the web and CLI layers turn codes into translated text."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """`file` and `row` (a CSV line number, header = 1, or a JSON path) and `field` say where."""

    file: str
    row: int | str | None
    field: str | None
    code: str
    value: str | None = None
    expected: str | None = None  # what was expected instead: a JSON type or format (« string », « uuid »)

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}" if isinstance(self.row, int) else str(self.row))
        if self.field:
            parts.append(self.field)
        return ", ".join(parts)


class PackageError(Exception):
    """The package is refused: nothing is written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.where()}: {p.code}" for p in problems[:5]))
        self.problems = problems


# What json's parser expected, by the start of its message (said in the reader's language).
JSON_SYNTAX = (("Expecting ',' delimiter", "json_comma"), ("Expecting ':' delimiter", "json_colon"),
               ("Expecting property name", "json_key"), ("Expecting value", "json_value"),
               ("Unterminated string", "json_string"), ("Extra data", "json_end"),
               ("Invalid control character", "json_control"), ("Invalid \\", "json_escape"))


def unreadable_json(file: str, error: ValueError) -> Problem:
    """Why a file is not JSON, where it says: its line and column when the syntax is wrong, the key given
    twice, the constant (NaN) or the lone surrogate, a number too long to read (« illisible » said nothing)."""
    if isinstance(error, json.JSONDecodeError):
        expected = next((kind for start, kind in JSON_SYNTAX if error.msg.startswith(start)), None)
        return Problem(file, error.lineno, None, "json_syntax", str(error.colno), expected)
    code = getattr(error, "code", None)
    if code in ("duplicate_key", "constant", "lone_surrogate"):
        return Problem(file, None, None, f"json_{code}", getattr(error, "value", ""))
    return Problem(file, None, None, "json_number")  # int() refuses thousands of digits


def shown(value) -> str:
    """A value as a problem quotes it: as it was written, JSON's words for what is not text (true, null,
    {"a": 1}), cut at 60 characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"
