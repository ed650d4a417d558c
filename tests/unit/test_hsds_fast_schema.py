"""The compiled HSDS check (interop.hsds.fast_schema) never passes an object jsonschema refuses."""

import copy
import json
from pathlib import Path

import pytest

from interop.hsds import fast_schema, validate

EXAMPLES = Path(__file__).parent.parent / "data" / "hsds-example-json"


def _objects():
    for path in sorted(EXAMPLES.glob("*.json")):
        kind = path.stem.removesuffix("_full").removesuffix("s")
        if kind in validate.IMPORTED:
            yield kind, json.loads(path.read_text(encoding="utf-8"))


def _spoiled(obj: dict):
    """The object with one fault at a time: a bad id, e-mail, type, a missing required field."""
    for key, bad in (("id", "1"), ("email", "nope"), ("name", 12), ("website", 3), ("status", "maybe")):
        if key in obj:
            yield {**obj, key: bad}
    for key in list(obj)[:3]:
        yield {k: v for k, v in obj.items() if k != key}
    yield {**obj, "phones": [{"id": "x", "number": 5}]}


@pytest.mark.parametrize("kind,obj", list(_objects()), ids=lambda v: v if isinstance(v, str) else "")
def test_the_compiled_check_agrees_with_jsonschema(kind, obj):
    full = validate.validator(kind)
    verdicts = []
    for candidate in [obj, *_spoiled(copy.deepcopy(obj))]:
        verdicts.append(fast_schema.conforms(kind, candidate))
        assert verdicts[-1] == full.is_valid(candidate), candidate
    assert verdicts[0] and verdicts.count(False) >= 3  # the example passes, most faults are caught
