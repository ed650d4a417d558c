"""The OpenAPI document describes the search and referral endpoints, the answers match it, and
scripts authenticate with a token made on the profile page or by the CLI."""

import jsonschema
import pytest

from tests.conftest import DEMO_ACCOUNTS

ENDPOINTS = [
    ("/api/v1/contacts", "get", {"400", "401", "403", "422", "503"}),
    ("/api/v1/referrals", "get", {"401", "403", "422", "503"}),
    ("/api/v1/referrals", "post", {"400", "401", "403", "422", "503"}),
    ("/api/v1/referrals/{referral_id}/status", "post", {"400", "401", "403", "404", "422", "503"}),
]


def json_schema(schema):
    """OpenAPI 3.0 `nullable` → JSON Schema, so jsonschema can check the answers."""
    if isinstance(schema, dict):
        converted = {k: json_schema(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable") and "type" in converted:
            converted["type"] = [converted["type"], "null"]
        return converted
    if isinstance(schema, list):
        return [json_schema(item) for item in schema]
    return schema


def response_schema(spec, path, method, status):
    """The answer's schema, with the document's components its `$ref`s point to."""
    schema = spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    return json_schema({**schema, "components": spec["components"]})


@pytest.mark.parametrize("path,method,errors", ENDPOINTS)
def test_every_endpoint_is_documented_with_its_errors(spec, path, method, errors):
    operation = spec["paths"][path][method]
    assert operation["summary"]
    assert errors <= set(operation["responses"])
    for status in errors:
        ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/Error"


def test_search_parameters_are_documented(spec):
    names = {p["name"] for p in spec["paths"]["/api/v1/contacts"]["get"]["parameters"]}
    assert names == {"need", "territory", "language", "near", "max_km", "open_now", "page"}


def test_answers_match_the_document(demo, client, auth, spec):
    auth.as_role("intervenant")
    found = client.get("/api/v1/contacts?need=santé mentale&territory=mn&language=ar")
    jsonschema.validate(found.json, response_schema(spec, "/api/v1/contacts", "get", "200"))
    assert set(found.json["results"][0]) == {"id", "name", "role", "title", "organisation", "services", "languages",
                                             "phone", "email", "distance_km", "score", "reasons", "path",
                                             "not_accepting_until"}
    created = client.post("/api/v1/referrals", json={"to": found.json["results"][0]["id"], "need": "mental-health",
                                                     "language": "ar"})
    jsonschema.validate(created.json, response_schema(spec, "/api/v1/referrals", "post", "201"))
    listed = client.get("/api/v1/referrals?box=sent")
    jsonschema.validate(listed.json, response_schema(spec, "/api/v1/referrals", "get", "200"))
    cancelled = client.post(f"/api/v1/referrals/{created.json['referral']['id']}/status", json={"status": "cancelled"})
    jsonschema.validate(cancelled.json, response_schema(spec, "/api/v1/referrals/{referral_id}/status", "post", "200"))
    error = client.get("/api/v1/contacts")
    error_schema = {"$ref": "#/components/schemas/Error", "components": spec["components"]}
    jsonschema.validate(error.json, json_schema(error_schema))


def test_cli_token_for_scripts(demo, app, runner):
    result = runner.invoke(args=["user", "token", DEMO_ACCOUNTS["intervenant"]])
    assert result.exit_code == 0
    token = result.stdout.strip().splitlines()[-1]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json["email"] == DEMO_ACCOUNTS["intervenant"]
    assert client.get("/api/v1/contacts?need=avocat", headers=headers).status_code == 200
    # A second token does not replace the first (each is revoked on its own, in the profile).
    assert runner.invoke(args=["user", "token", DEMO_ACCOUNTS["intervenant"]]).exit_code == 0
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    missing = runner.invoke(args=["user", "token", "nobody@example.org"])
    assert missing.exit_code == 1 and "No account" in missing.output


def test_profile_page_token(demo, app, client, auth):
    auth.as_role("intervenant")
    assert "Aucun jeton actif" in client.get("/profil/").get_data(as_text=True)
    page = client.post("/profil/jeton", data={"name": "mon script", "create": "1"}).get_data(as_text=True)
    token = page.split('class="token"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert token.startswith("ei_")
    script = app.test_client()
    assert script.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    profile = client.get("/profil/").get_data(as_text=True)
    assert "mon script" in profile and token not in profile
    token_id = profile.split('name="token_id" value="', 1)[1].split('"')[0]
    client.post("/profil/jeton/revoquer", data={"token_id": token_id})
    assert script.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_accounts_without_a_person_can_have_a_token(demo, client, auth):
    auth.as_role("evaluator")
    page = client.post("/profil/jeton", data={"create": "1"})
    assert page.status_code == 200 and "ei_" in page.get_data(as_text=True)
