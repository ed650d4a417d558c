"""The OpenAPI document is generated (apispec) from what serves the API: it validates as OpenAPI 3.0.3,
its request parameters and bodies are the forms' own rules, and its answers the schemas the views dump
through."""

from flask_babel import force_locale
from openapi_spec_validator import validate
from wtforms.validators import Length

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
    (f"/api/v1/hsds/{records}{one}", "get") for records in ("organizations", "services", "taxonomies", "taxonomy_terms")
    for one in ("", "/{id}")}


def offline(node):
    """The HSDS records' schemas are the specification's, online: the validator is given a stand-in."""
    if isinstance(node, dict):
        if str(node.get("$ref", "")).startswith("https://"):
            return {"type": "object"}
        return {key: offline(value) for key, value in node.items()}
    if isinstance(node, list):
        return [offline(item) for item in node]
    return node


def test_the_served_document_is_valid_openapi(spec):
    assert spec["openapi"] == "3.0.3"
    validate(offline(spec))
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
