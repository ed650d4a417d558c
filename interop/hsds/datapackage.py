"""What a CSV package's datapackage.json declares, read as the authority on where each table is: a table
declared in a file of another name is read there only (a leftover file under the HSDS name is set aside,
said); a declared path that cannot be followed — out of the package, absent, not a text — is said. These
notes explain a refusal they lead to (`EXPLAINS`): a missing organisation table is named, not only the
services' broken references."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from interop.bounded import Limits, Refused, load_json, safe_name
from interop.hsds.errors import PackageError, Problem, shown, unreadable_json
from interop.hsds.spec import resources

NAME = "datapackage.json"
# Notes that say why a package may be refused: shown with its refusal, not only with a preview.
EXPLAINS = frozenset({"path_outside", "path_unreadable", "declared_missing", "shadowed_file", "empty_file",
                      "symlink_skipped", "json_in_package"})


@dataclass
class Declared:
    files: dict[str, dict] = field(default_factory=dict)  # base name -> {"table": …, "encoding": …}
    tables: dict[str, str] = field(default_factory=dict)  # HSDS 3 table -> base name of its declared file
    version: str = ""  # the major version of HSDS declared, "3" ("" when none)
    notes: list[Problem] = field(default_factory=list)


def read_declared(files: dict, limits: Limits) -> Declared:
    """What the package's datapackage.json declares (nothing when it has none); PackageError when it is no
    datapackage at all."""
    found = Declared()
    if NAME not in files:
        return found
    try:
        descriptor = load_json(files[NAME], limits.depth)
    except Refused as refused:
        raise PackageError([Problem(NAME, None, None, refused.code, str(refused.limit or ""))]) from None
    except ValueError as error:  # UnicodeDecodeError too
        raise PackageError([unreadable_json(NAME, error)]) from None
    if not isinstance(descriptor, dict):
        raise PackageError([Problem(NAME, "$", None, "type", shown(descriptor), "object")])
    declared = descriptor.get("resources")
    if not isinstance(declared, list | None):
        raise PackageError([Problem(NAME, "resources", None, "type", shown(declared), "array")])
    for index, resource in enumerate(declared or ()):
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str):
            found.notes.append(Problem(NAME, f"resources[{index}]", "path", "path_unreadable", shown(path)))
            continue
        name = _inside(path)
        if name is None:
            found.notes.append(Problem(NAME, f"resources[{index}]", "path", "path_outside", path))
            continue
        if name not in files:
            found.notes.append(Problem(NAME, f"resources[{index}]", "path", "declared_missing", path))
            continue
        table = resource.get("name")
        table = table if isinstance(table, str) and table in resources() else None
        found.files[name] = {"encoding": str(resource["encoding"]) if resource.get("encoding") else None,
                             "table": table}
        if table:
            found.tables.setdefault(table, name)
    found.version = _major(descriptor.get("version"))
    return found


def _major(version) -> str:
    """The major version a datapackage.json declares, as a digit string: « v3.0 », « HSDS 3.0 », 3.0 → "3";
    "" when it declares none."""
    if isinstance(version, bool) or not isinstance(version, str | int | float):
        return ""
    found = re.search(r"[0-9]+", str(version))
    return found.group() if found else ""


def _inside(path: str) -> str | None:
    """The base name of a path that stays in the package (data\\orgs.csv, data/../data/orgs.csv), else None."""
    normal = posixpath.normpath(path.replace("\\", "/"))
    try:
        safe_name(normal)  # what a zip's entry may not be named, a declared path may not point to
    except Refused:
        return None
    return PurePosixPath(normal).name or None
