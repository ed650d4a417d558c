"""What we validate with is the 3.1 line's schemas (interop/hsds/schema); a package declaring the released 3.0
must get 3.0's verdicts from them. It does because the 3.1 line only adds to 3.0: every rule 3.0 states (required
fields, types, enums, formats, patterns, keys) is the same in the files we ship, words aside. Checked here against
3.0's own files (tests/data/hsds-3.0-examples: schema/ and csv/datapackage.json, tag v3.0)."""

import json
from pathlib import Path

import pytest

from interop.hsds.spec import SCHEMA_DIR, datapackage, object_schemas

RELEASED = Path(__file__).resolve().parents[1] / "data" / "hsds-3.0-examples"
WORDS = {"description", "title", "example", "core", "$id", "constraints_description"}


def rules(value):
    """A schema without what only informs a reader."""
    if isinstance(value, dict):
        return {k: rules(v) for k, v in value.items() if k not in WORDS}
    if isinstance(value, list):
        return [rules(v) for v in value]
    return value


RELEASED_SCHEMAS = sorted((RELEASED / "schema").glob("*.json"))


def test_the_released_schemas_are_all_here():
    assert len(RELEASED_SCHEMAS) == 21 and (SCHEMA_DIR / "organization.json").exists()


@pytest.mark.parametrize("path", RELEASED_SCHEMAS, ids=lambda p: p.stem)
def test_each_object_keeps_every_rule_of_3_0(path):
    released = json.loads(path.read_text(encoding="utf-8"))
    ours = object_schemas()[released["name"]]
    assert rules({k: v for k, v in released.items() if k != "properties"}) == rules(
        {k: v for k, v in ours.items() if k != "properties"})
    for name, spec in released["properties"].items():
        assert rules(ours["properties"][name]) == rules(spec), (released["name"], name)


def test_each_table_keeps_every_rule_of_3_0():
    released = json.loads((RELEASED / "csv" / "datapackage.json").read_text(encoding="utf-8"))
    ours = {r["name"]: r["schema"] for r in datapackage()["resources"]}
    for resource in released["resources"]:
        schema, our = resource["schema"], ours[resource["name"]]
        our_fields = {f["name"]: f for f in our["fields"]}
        for field in schema["fields"]:
            assert rules(our_fields[field["name"]]) == rules(field), (resource["name"], field["name"])
        assert our.get("primaryKey") == schema.get("primaryKey")
        added = [fk for fk in our.get("foreignKeys", []) if fk not in schema.get("foreignKeys", [])]
        released_columns = {f["name"] for f in schema["fields"]}
        # a key 3.1 adds binds only a column 3.0 does not have: a 3.0 package never meets it
        assert all(fk["fields"] not in released_columns for fk in added), resource["name"]
        assert all(fk in our.get("foreignKeys", []) for fk in schema.get("foreignKeys", []))
