"""The OpenAPI document is generated (apispec) from what serves the API: it validates as OpenAPI 3.0.3
without the network (the HSDS schemas are in it), its request parameters and bodies are the forms' own rules,
its answers the schemas the views dump through, and each operation has an example its schema accepts."""

import json
import socket

from flask_babel import force_locale
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate
from wtforms.validators import Length

from analysis.export_formats import FORMATS
from referral.api import form_schema
from referral.api.schemas import ContactSchema, ReferralSchema
from referral.referrals.forms import NOTE_MAX, ReferralForm
from referral.search.forms import MAX_KM, SearchForm

OPERATIONS = {("/api/v1/contacts", "get"), ("/api/v1/referrals", "get"), ("/api/v1/referrals", "post"),
              ("/api/v1/referrals/{referral_id}/status", "post"), ("/api/v1/territories", "get"),
              ("/api/v1/me", "get"), ("/api/v1/evaluation/scopes", "get"), ("/api/v1/evaluation/scopes/{scope}", "get"),
              ("/api/v1/evaluation/scopes/{scope}/export/{format}", "get"), ("/api/v1/evaluation/tables", "get"),
              ("/api/v1/evaluation/waves", "get"), ("/api/v1/evaluation/waves/{wave}", "get"),
              ("/api/v1/sessions", "get"), ("/api/v1/sessions/{id}", "get"),
              ("/api/v1/sessions/{id}/attendance", "put"), ("/api/v1/sessions/{id}/ties", "post"),
              ("/api/v1/cohorts", "get"), ("/api/v1/cohorts", "post"), ("/api/v1/cohorts/{id}/sessions", "post"),
              ("/api/v1/hsds/", "get"), ("/api/v1/hsds/export.zip", "get"), ("/api/v1/hsds/export.json", "get")} | {
    (f"/api/v1/hsds/{records}{one}", "get") for records in (
        "organizations", "services", "service_at_locations", "taxonomies", "taxonomy_terms") for one in ("", "/{id}")}


def refs(node):
    if isinstance(node, dict):
        yield from ([node["$ref"]] if "$ref" in node else [])
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def test_the_served_document_is_valid_openapi_without_the_network(spec, monkeypatch):
    def refused(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refused)
    monkeypatch.setattr(socket, "getaddrinfo", refused)
    monkeypatch.setattr(socket.socket, "connect", refused)
    assert spec["openapi"] == "3.0.3"
    assert {ref for ref in refs(spec) if not ref.startswith("#/components/")} == set()
    validate(spec)
    hsds = spec["components"]["schemas"]["HsdsServiceAtLocation"]["properties"]
    assert hsds["service"] == {"$ref": "#/components/schemas/HsdsService"}
    assert "constraints" not in json.dumps(spec["components"]["schemas"]["HsdsService"])
    assert set(spec["components"]["securitySchemes"]) == {"session", "token"}
    served = {(path, method) for path, operations in spec["paths"].items() for method in operations}
    assert served == OPERATIONS
    for operations in spec["paths"].values():
        assert all(operation["summary"] and "errors" not in operation for operation in operations.values())


def test_it_is_built_once_per_app(app, client):
    first = client.get("/api/v1/openapi.json")
    assert client.get("/api/v1/openapi.json", headers={"Accept-Language": "fr"}).json == first.json
    assert app.extensions["openapi"] is app.extensions["openapi"]


def test_the_referral_body_is_the_forms(spec, monkeypatch):
    body = spec["components"]["schemas"]["ReferralForm"]
    post = spec["paths"]["/api/v1/referrals"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert post == {"$ref": "#/components/schemas/ReferralForm"}
    assert body["properties"]["note"]["maxLength"] == NOTE_MAX
    assert body["required"] == ["to", "need"]
    assert body["properties"]["request_key"]["pattern"] == "^[A-Za-z0-9_-]{8,64}$"
    assert "enum" not in body["properties"]["need"]  # the graph's needs, at run time
    # Change the form, and the document follows.
    monkeypatch.setattr(ReferralForm.note, "kwargs", {**ReferralForm.note.kwargs, "validators": [Length(max=42)]})
    assert form_schema.body_schema(ReferralForm)["properties"]["note"]["maxLength"] == 42


def test_the_search_parameters_are_the_forms(app, spec):
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/contacts"]["get"]["parameters"]}
    with app.test_request_context(), force_locale("en"):
        assert parameters == {p["name"]: p for p in form_schema.query_parameters(SearchForm)}
    assert parameters["need"]["required"] and parameters["need"]["schema"]["maxLength"] == 120
    assert parameters["max_km"]["schema"] == {"type": "number", "minimum": 0.5, "maximum": MAX_KM}
    assert parameters["open_now"]["schema"] == {"type": "boolean"}
    assert "run time" in parameters["territory"]["description"]
    assert "ar" in parameters["language"]["schema"]["enum"]
    assert parameters["need"]["description"].startswith("A need")  # the form's description, in English


def test_the_answers_are_the_schemas_the_views_dump_through(spec):
    components = spec["components"]["schemas"]
    assert set(components["Contact"]["properties"]) == set(ContactSchema().fields)
    declared = ReferralSchema().fields.items()
    assert set(components["Referral"]["properties"]) == {field.data_key or name for name, field in declared}
    assert components["Contact"]["properties"]["distance_km"]["nullable"] is True
    shaped = ReferralSchema().dump({"id": "r", "secret": "x", "note": None})
    assert shaped == {"id": "r", "note": None, "language": None}  # nullable keys sent as null


def test_every_operation_has_an_example_that_its_schema_accepts(spec):
    """Every media type of every success answer, binary files included (found by the outside pass of issue 20:
    export.zip and the evaluators' .xlsx had none)."""
    components = spec["components"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            answers = [components["responses"][a["$ref"].split("/")[-1]] if "$ref" in a else a
                       for status, a in operation["responses"].items() if status.startswith("2")]
            examples = {media: content for answer in answers for media, content in answer["content"].items()}
            assert examples and all("example" in content for content in examples.values()), (method, path)
            for media, content in examples.items():
                    schema = content.get("schema", {} if media.endswith("json") else {"type": "string"})
                    validator = OAS30Validator({"components": components, "allOf": [schema]},
                                               format_checker=oas30_format_checker)
                    assert [error.message for error in validator.iter_errors(content["example"])] == [], (method, path)


def test_a_binary_answer_says_what_its_bytes_hold_and_its_file_name(spec):
    package = spec["paths"]["/api/v1/hsds/export.zip"]["get"]["responses"]["200"]
    said = package["content"]["application/zip"]["example"]
    assert said.startswith("(binary) a zip of ") and {"datapackage.json", "organizations.csv", "services.csv"} <= set(
        said.removeprefix("(binary) a zip of ").split(", "))
    assert package["headers"]["Content-Disposition"]["example"] == "attachment; filename=reseau-ei-hsds.zip"
    xlsx = spec["components"]["responses"]["Export"]["content"][FORMATS["xlsx"]]["example"]
    assert xlsx.startswith("(binary) an .xlsx workbook")


def test_the_hsds_examples_are_the_exports_own_records(spec):
    """Made by the export's code from a sample directory: an English term is coded en:…, a service says when
    it last changed, a service at its location nests its full service."""
    terms = spec["paths"]["/api/v1/hsds/taxonomy_terms"]["get"]["responses"]["200"]["content"]["application/json"]
    assert terms["example"]["total_items"] > terms["example"]["size"] == 2
    answer = spec["paths"]["/api/v1/hsds/service_at_locations/{id}"]["get"]["responses"]["200"]
    example = answer["content"]["application/json"]["example"]
    assert example["service"]["last_modified"] == "2025-03-03T14:00:00.000Z"
    assert example["service"]["organization"]["name"] == example["location"]["name"]
