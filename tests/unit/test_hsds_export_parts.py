"""The pure parts of the HSDS export: the package's tables and codes, the OpenAPI components of the schemas."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from interop.hsds import writing
from interop.hsds.export import address_fields, hsds_datetime, term_code
from interop.hsds.mapping import join_address
from interop.hsds.openapi_schemas import KEPT, components
from interop.hsds.spec import object_schemas


def test_a_table_a_foreign_key_names_is_written_even_empty():
    tables = writing.with_referenced({"service": [{"id": "s"}], "organization": []})
    assert tables["program"] == [] and tables["service"] == [{"id": "s"}]
    files = writing.package_files({"service": [], "organization": []}, "t")
    assert files["programs.csv"].startswith("id,organization_id,name")
    assert [r["name"] for r in json.loads(files["datapackage.json"])["resources"]] == [
        "organization", "program", "service"]  # in the official order


def test_term_codes_say_the_translation_and_datetimes_sort():
    assert (term_code("food-aid"), term_code("food-aid", "en")) == ("food-aid", "en:food-aid")
    montreal = datetime(2025, 3, 3, 9, 0, 0, 123456, tzinfo=timezone(timedelta(hours=-5)))
    assert hsds_datetime(montreal) == "2025-03-03T14:00:00.123Z" and hsds_datetime(None) is None


def test_an_address_without_a_city_goes_out_in_montreal():
    assert address_fields("1234, rue Fleury, Montréal-Nord (Québec)") == {
        "address_1": "1234, rue Fleury", "city": "Montréal-Nord", "state_province": "QC"}
    assert join_address(address_fields("55, rue Sans-Ville")) == "55, rue Sans-Ville, Montréal (Québec)"


def test_the_openapi_components_keep_only_openapi_keywords_and_internal_refs():
    found = components()
    assert set(found) == {"Hsds" + "".join(p.title() for p in kind.split("_")) for kind in object_schemas()}

    def walk(node):
        if "$ref" in node:
            assert set(node) == {"$ref"} and node["$ref"].startswith("#/components/schemas/Hsds")
            return
        assert set(node) <= set(KEPT), set(node) - set(KEPT)
        for child in (node.get("properties") or {}).values():
            walk(child)
        if isinstance(node.get("items"), dict):
            walk(node["items"])

    for schema in found.values():
        walk(schema)
    assert found["HsdsOrganization"]["properties"]["services"]["items"] == {"$ref": "#/components/schemas/HsdsService"}
    assert found["HsdsService"]["properties"]["status"]["enum"][0] == "active"
