"""What every part of an HSDS import plan shares: the options, the plan being filled, the package's
rows indexed, and the ids given to new records (interop.hsds.plan puts the parts together)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from interop.hsds.errors import Problem
from interop.hsds.export import stable_id
from interop.hsds.mapping import DEFAULT_KIND, DEFAULT_SECTOR
from interop.hsds.package import Package
from referral import policy


def _nowhere(*_where) -> None:
    return None


@dataclass(frozen=True)
class Places:
    """Where things are, asked of the caller (who reads the graph): a postal area (« H1G ») -> (latitude,
    longitude, place), and the territory whose polygon holds a point; None when unknown."""

    postal_area: Callable[[str], tuple[float, float, str] | None] = _nowhere
    territory_at: Callable[[float, float], str | None] = _nowhere


@dataclass(kw_only=True)
class ImportOptions:
    principal: policy.Principal  # who imports: no default, so that no caller imports as everyone by omission
    territory: str | None = None  # chosen for the whole import; None: from each location's coordinates
    places: Places = field(default_factory=Places)  # to place each organisation when no territory is chosen
    sector: str = DEFAULT_SECTOR
    kind: str = DEFAULT_KIND
    source: str = "hsds"


@dataclass
class Plan:
    organisations: list[dict] = field(default_factory=list)  # rows to write (created or updated)
    services: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)  # the preview, one entry per record read
    unmapped: list[dict] = field(default_factory=list)  # taxonomy terms that map to no need
    warnings: list[Problem] = field(default_factory=list)
    claimed: dict = field(default_factory=dict, repr=False)  # (entity, our id) -> the package's id that found it

    def twice(self, entity: str, current: dict, key) -> bool:
        """Did another row of the package already find this record of ours? A package may name one record by
        the id it was imported with and by the one our export gives it: the second is skipped, said (the last
        row written would have won, unsaid)."""
        first = self.claimed.setdefault((entity, current["id"]), key)
        return first != key

    def counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for item in self.items:
            entity = result.setdefault(item["entity"], {"create": 0, "update": 0, "unchanged": 0, "skip": 0})
            entity[item["action"]] += 1
        return result

    @property
    def refused(self) -> list[dict]:
        """Records of the directory the importer may not change: the import is refused as a whole (403)."""
        return [item for item in self.items if item.get("reason") == "refused"]

    @property
    def changes(self) -> bool:
        return bool(self.organisations or self.services or self.people)

    def item(self, entity: str, record: dict, action: str, **details) -> None:
        self.items.append({"entity": entity, "key": record.get("id"), "name": record.get("name"), "action": action,
                           **details})

    def record(self, entity: str, rows: list, row: dict, planned: dict, current: dict | None,
               fields: tuple[str, ...], **details) -> None:
        """Create, update or leave unchanged: the preview says which fields change."""
        if current is None:
            rows.append({**planned, "create": True})
            self.item(entity, row, "create", **details)
            return
        changes = _diff(planned, current, fields)
        if changes:
            rows.append({**planned, "create": False})
        self.item(entity, row, "update" if changes else "unchanged", changes=changes, **details)


def node_id(prefix: str, kind: str, key: str) -> str:
    return f"{prefix}-{stable_id('import', kind, key)}"


def unique(codes: list) -> list:
    """Without blanks or repeats, in the package's order (the first language is the main one)."""
    return list(dict.fromkeys(code for code in codes if code))


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and round(float(a), 6) == round(float(b), 6)
    if isinstance(a, list) or isinstance(b, list):
        return list(a or []) == list(b or [])
    return (a if a != "" else None) == (b if b != "" else None)


def _diff(planned: dict, existing: dict | None, fields: tuple[str, ...]) -> list[str]:
    return [f for f in fields if not _same(planned.get(f), (existing or {}).get(f))]


class PackageIndex:
    """The package's rows, by id and by the record they belong to."""

    def __init__(self, package: Package):
        self.rows = {t: [r.values for r in rows] for t, rows in package.tables.items()}
        self.by_id = {t: {r["id"]: r for r in rows if r.get("id") is not None} for t, rows in self.rows.items()}
        self.groups: dict = {}
        self.positions = {(t, r.values.get("id")): (r.file, r.row) for t, rows in package.tables.items() for r in rows}

    def locate(self, table: str, record: dict) -> tuple:
        """(file, row) a record was read from, for warnings."""
        return self.positions.get((table, record.get("id")), (table, None))

    def where(self, table: str, **match) -> list[dict]:
        """Rows whose columns equal `match`, through a per-column index (packages may be large)."""
        (column, value), *rest = match.items()
        key = (table, column)
        if key not in self.groups:
            groups: dict = {}
            for row in self.rows.get(table, []):
                groups.setdefault(row.get(column), []).append(row)
            self.groups[key] = groups
        return [r for r in self.groups[key].get(value, []) if all(r.get(k) == v for k, v in rest)]

    def get(self, table: str, key) -> dict | None:
        return self.by_id.get(table, {}).get(key) if key is not None else None
