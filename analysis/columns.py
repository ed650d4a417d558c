"""Plain columns (one list per field, as the graph projection reads them) as numpy arrays: strings as small
integer codes, dates as proleptic ordinals — what analysis.timeline replays dates on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np


class Codes:
    """Strings to small integers, in order of first appearance."""

    def __init__(self, initial: Iterable[str] = ()):
        self.index: dict = {}
        self.values: list = []
        for value in initial:
            self.code(value)

    def code(self, value) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


def per_index(index: np.ndarray, size: int, values: list, dtype=np.int64) -> np.ndarray:
    """values[i] at index[i] of an array of `size` (a person's or an organisation's field, from its jobs)."""
    out = np.zeros(size, dtype=dtype)
    out[index] = np.array(values, dtype=dtype) if len(values) else out[:0]
    return out


def _ordinal(value, missing: int) -> int:
    if value is None:
        return missing
    return int(value) if isinstance(value, int | np.integer) else value.toordinal()


def day_ordinals(values, missing: int) -> np.ndarray:
    """`date`s or ordinals (ints) as ordinals, None as `missing`."""
    if isinstance(values, np.ndarray):
        return values.astype(np.int64)
    return np.array([_ordinal(v, missing) for v in values], dtype=np.int64)


def columns(rows: Iterable[Mapping], fields: tuple[str, ...]) -> dict[str, list]:
    """Rows (dicts) as one list per field."""
    rows = list(rows)
    return {field: [row.get(field) for row in rows] for field in fields}
