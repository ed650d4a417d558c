"""The shipped HSDS 3 specification, loaded once: object schemas, tabular resources, nesting.

`schema/` holds the Open Referral files byte for byte (CC BY-SA 4.0, see schema/SOURCE.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
# What we follow is what schema/ holds: the 3.1 pre-release line (branch 3.1-dev at SPEC_COMMIT), whose files
# still say 3.0.0 but add 3.1's columns (attribute.label…) that a released-3.0 consumer would refuse.
HSDS_VERSION = "3.1"
PACKAGE_VERSION = "3.1.0-dev"  # semver: a pre-release of 3.1.0
SPEC_COMMIT = "abc731c8ac11825010e9d74a0ab61dcd48e880ec"
SPEC_URL = f"https://github.com/openreferral/specification/tree/{SPEC_COMMIT}"


@dataclass(frozen=True)
class Resource:
    """One table of the tabular package: its file, its fields and their constraints."""

    name: str
    path: str
    fields: dict  # field name -> Frictionless field descriptor
    foreign_keys: tuple  # (field, referenced resource)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(n for n, f in self.fields.items() if f.get("constraints", {}).get("required"))


@cache
def object_schemas() -> dict[str, dict]:
    """Object name (organization, service…) -> its JSON schema."""
    schemas = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path.name == "datapackage.json":
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[schema["name"]] = schema
    return schemas


@cache
def datapackage() -> dict:
    return json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))


@cache
def resources() -> dict[str, Resource]:
    """Resource name -> Resource, in the order of the official datapackage.json."""
    result = {}
    for resource in datapackage()["resources"]:
        schema = resource["schema"]
        foreign_keys = tuple(
            (fk["fields"], fk["reference"]["resource"]) for fk in schema.get("foreignKeys") or ()
        )
        result[resource["name"]] = Resource(
            resource["name"], resource["path"], {f["name"]: f for f in schema["fields"]}, foreign_keys
        )
    return result


@cache
def resource_by_path() -> dict[str, str]:
    return {r.path: r.name for r in resources().values()}


# The HSDS API nests an organization's services, and a service_at_location's service (the compiled schemas add
# them; the object schemas do not).
API_NESTING = {"organization": (("services", "service", True),),
               "service_at_location": (("service", "service", False),)}


@cache
def nested_properties(kind: str) -> tuple[tuple[str, str, bool], ...]:
    """(property, object kind, is_list) of the objects nested in `kind` (services in an organization…)."""
    found = list(API_NESTING.get(kind, ()))
    for name, spec in object_schemas()[kind]["properties"].items():
        if spec.get("type") == "array" and isinstance(spec.get("items"), dict) and "$ref" in spec["items"]:
            found.append((name, spec["items"]["$ref"].removesuffix(".json"), True))
        elif "$ref" in spec:
            found.append((name, spec["$ref"].removesuffix(".json"), False))
    return tuple(found)
