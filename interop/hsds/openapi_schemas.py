"""The shipped HSDS object schemas as OpenAPI 3.0 components, so that the API's document needs no network.

The official schemas are JSON Schema files that name each other (`"$ref": "phone.json"`) and carry the
tabular package's own keys (`constraints`, `core`, `datapackage_type`…), which OpenAPI 3.0 refuses: each is
kept with the keywords OpenAPI 3.0 knows, its `$ref`s pointing to the component of the same object.
"""

from __future__ import annotations

from interop.hsds.spec import API_NESTING, object_schemas

KEPT = ("type", "title", "description", "format", "enum", "example", "required", "properties", "items")


def component_name(kind: str) -> str:
    """`service_at_location` -> `HsdsServiceAtLocation`."""
    return "Hsds" + "".join(part.title() for part in kind.split("_"))


def component_ref(kind: str) -> dict:
    return {"$ref": f"#/components/schemas/{component_name(kind)}"}


def _converted(node: dict) -> dict:
    if "$ref" in node:  # OpenAPI 3.0 reads nothing beside a $ref
        return component_ref(node["$ref"].removesuffix(".json"))
    result = {key: node[key] for key in KEPT if key in node}
    if "properties" in result:
        result["properties"] = {name: _converted(spec) for name, spec in result["properties"].items()}
    if isinstance(result.get("items"), dict):
        result["items"] = _converted(result["items"])
    return result


def components() -> dict[str, dict]:
    """Component name -> OpenAPI schema, for every HSDS object, with what the HSDS API nests beyond the object
    schemas: an organization's services (interop.hsds.spec.API_NESTING) and, as the official
    service_at_location_full example, a service_at_location's service. New dicts on each call: apispec may
    change what it is given."""
    result = {}
    for kind, schema in object_schemas().items():
        converted = _converted(schema)
        for prop, child, _ in API_NESTING.get(kind, ()):
            converted["properties"][prop] = {"type": "array", "items": component_ref(child)}
        if kind == "service_at_location":
            converted["properties"]["service"] = component_ref("service")
        result[component_name(kind)] = converted
    return result
