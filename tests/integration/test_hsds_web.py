"""HSDS pages (upload, preview, confirm; mapping table; consent) and the read-only HSDS API."""

from __future__ import annotations

import html
import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

from graph.repositories.hsds import HsdsRepository
from graph.repositories.services import ServiceRepository
from interop.hsds import package
from interop.hsds.export import NAMESPACE
from interop.hsds.spec import SPEC_COMMIT
from interop.hsds.validate import check_package
from tests.conftest import graph_fingerprint
from tests.hsds_helpers import EXAMPLE_CSV


def _example_zip(damage: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EXAMPLE_CSV.iterdir()):
            archive.writestr(f"example/{path.name}", (damage or {}).get(path.name, path.read_bytes()))
    return buffer.getvalue()


def _upload(client, data: bytes, name="example.zip", territory="mn"):
    return client.post("/hsds/import", data={
        "package": (io.BytesIO(data), name), "territory": territory, "sector": "community_other",
        "kind": "community"}, content_type="multipart/form-data")


def _driver(app):
    return app.extensions["neo4j"]


def test_only_coordinators_and_admins_import(client, auth, demo):
    auth.as_role("intervenant")
    assert client.get("/hsds/import").status_code == 403
    auth.logout()
    auth.as_role("evaluator")
    assert client.get("/hsds/correspondances").status_code == 403
    auth.logout()
    auth.as_role("admin")
    page = client.get("/hsds/import")
    assert page.status_code == 200 and "Import / export HSDS" in page.get_data(as_text=True)


def test_upload_previews_without_writing_then_confirm_imports(app, client, auth, demo):
    auth.as_role("coordinator_all")
    before = graph_fingerprint(_driver(app))

    preview = _upload(client, _example_zip())

    text = preview.get_data(as_text=True).replace("&#39;", "'")
    assert preview.status_code == 200, text
    assert "Aperçu de l'import" in text and "Example Organization Inc." in text and "Ann Persona" in text
    assert "organisme communautaire" in text  # the kind the organisation will get, shown before confirming
    assert graph_fingerprint(_driver(app)) == before

    done = client.post("/hsds/import/confirmer", data={"token": _pending_token(client)}, follow_redirects=True)

    assert "Import terminé : 3 créés" in done.get_data(as_text=True)
    names = [o["name"] for o in HsdsRepository(_driver(app)).directory()["organisations"]]
    assert "Example Organization Inc." in names
    again = client.post("/hsds/import/confirmer", data={"token": "stale"}, follow_redirects=True)
    assert "plus en attente" in again.get_data(as_text=True)


def _pending_token(client) -> str:
    with client.session_transaction() as session:
        return session["hsds_upload"]["token"]


def test_a_bad_upload_is_refused_with_file_row_and_field(app, client, auth, demo):
    auth.as_role("coordinator_all")
    services = (EXAMPLE_CSV / "services.csv").read_text(encoding="utf-8").replace(
        "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "d9d5e0f5-0000-4000-8000-000000000000")
    before = graph_fingerprint(_driver(app))

    refused = _upload(client, _example_zip({"services.csv": services.encode()}))

    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Paquet refusé" in text and "services.csv, ligne 2, champ organization_id" in text
    assert graph_fingerprint(_driver(app)) == before
    assert _upload(client, b"not a zip at all", name="x.zip").status_code == 422
    assert graph_fingerprint(_driver(app)) == before


def test_a_scoped_coordinator_imports_only_into_their_territory(client, auth, demo):
    auth.as_role("coordinator")  # Montréal-Nord
    page = client.get("/hsds/import").get_data(as_text=True)
    assert 'value="mn"' in page and 'value="cdn"' not in page
    assert _upload(client, _example_zip(), territory="cdn").status_code == 422


def test_the_mapping_table_is_editable(app, client, auth, demo):
    auth.as_role("coordinator_all")
    form = client.get("/hsds/correspondances?taxonomy=211+LA&term=BD-1800").get_data(as_text=True)
    assert 'value="BD-1800"' in form

    saved = client.post("/hsds/correspondances", data={"taxonomy": "211 LA", "term": "BD-1800", "need": "food-aid"},
                        follow_redirects=True)

    assert "Correspondance enregistrée" in saved.get_data(as_text=True)
    rows = HsdsRepository(_driver(app)).mappings()
    assert [(r["taxonomy"], r["term"], r["need"]) for r in rows] == [("211 LA", "BD-1800", "food-aid")]
    assert client.post("/hsds/correspondances", data={"term": "X", "need": "nope"}).status_code == 422
    client.post("/hsds/correspondances/supprimer", data={"key": rows[0]["id"]})
    assert HsdsRepository(_driver(app)).mappings() == []


def test_a_coordinator_confirms_the_consent_of_an_imported_contact(app, client, auth, demo):
    auth.as_role("coordinator")
    _upload(client, _example_zip())
    client.post("/hsds/import/confirmer", data={"token": _pending_token(client)})
    page = client.get("/hsds/contacts").get_data(as_text=True)
    assert "Ann Persona" in page
    person = HsdsRepository(_driver(app)).pending_contacts(["mn"])[0]

    client.post(f"/hsds/contacts/{person['id']}/consentement")

    listed = HsdsRepository(_driver(app)).directory(listed_only=True)["people"]
    assert "Ann Persona" in [p["name"] for p in listed]


def test_the_api_serves_hsds_pages_and_records(client, auth, demo):
    auth.as_role("intervenant")
    root = client.get("/api/v1/hsds/").get_json()
    assert root["version"] == "3.1" and root["profile"].endswith(SPEC_COMMIT)
    first = client.get("/api/v1/hsds/organizations?per_page=10").get_json()
    assert (first["total_items"], first["total_pages"], first["size"], first["first_page"]) == (42, 5, 10, True)
    last = client.get("/api/v1/hsds/organizations?per_page=10&page=5").get_json()
    assert (last["size"], last["last_page"]) == (2, True)
    organization = client.get(f"/api/v1/hsds/organizations/{first['contents'][0]['id']}").get_json()
    assert organization["locations"][0]["latitude"] and organization["services"]
    service_id = organization["services"][0]["id"]
    full = client.get(f"/api/v1/hsds/services/{service_id}").get_json()
    assert full["organization"]["id"] == organization["id"] and full["attributes"][0]["taxonomy_term"]["code"]
    term = full["attributes"][0]["taxonomy_term_id"]
    classified = client.get(f"/api/v1/hsds/services?taxonomy_term_id={term}&per_page=500").get_json()
    assert service_id in [s["id"] for s in classified["contents"]]
    terms = client.get("/api/v1/hsds/taxonomy_terms?per_page=500").get_json()
    assert {t["language"] for t in terms["contents"]} == {"fr", "en"}


def test_services_at_their_locations_as_the_official_api_lists_them(client, auth, demo):
    auth.as_role("coordinator")
    listed = client.get("/api/v1/hsds/service_at_locations?per_page=20").get_json()
    assert (listed["total_items"], listed["total_pages"], listed["size"]) == (len(demo.services), -(-len(
        demo.services) // 20), 20)
    assert {"page_number", "first_page", "last_page", "empty"} <= set(listed)
    one = client.get(f"/api/v1/hsds/service_at_locations/{listed['contents'][0]['id']}").get_json()
    assert one["service"]["id"] == listed["contents"][0]["service_id"]
    assert one["location"]["id"] == listed["contents"][0]["location_id"] and one["service"]["organization"]["name"]
    full = client.get("/api/v1/hsds/service_at_locations?full=true&per_page=500").get_json()
    text = json.dumps(full, ensure_ascii=False)
    for person in demo.people:  # unlisted people never appear, nested as deep as they may be
        if not person["listed"]:
            assert str(uuid.uuid5(NAMESPACE, f"person:{person['id']}")) not in text
            assert not person["email"] or person["email"] not in text
    assert {c["name"] for sal in full["contents"] for c in sal["service"]["organization"].get("contacts", [])} == {
        p["name"] for p in demo.people if p["listed"]}
    assert client.get("/api/v1/hsds/service_at_locations/o-mn-01").status_code == 404


def test_search_and_modified_after_filter_the_lists(app, client, auth, demo):
    auth.as_role("intervenant")
    service = demo.services[0]
    word = max(service["name"].split(), key=len)
    found = client.get(f"/api/v1/hsds/services?per_page=500&search={word.upper()}").get_json()["contents"]
    assert found and all(word.lower() in (s["name"] + s.get("description", "")).lower() for s in found)
    terms = client.get("/api/v1/hsds/taxonomy_terms?search=sante mentale").get_json()["contents"]
    assert [t["name"] for t in terms] == ["Santé mentale"]
    places = client.get(f"/api/v1/hsds/service_at_locations?per_page=500&search={word}").get_json()
    assert places["total_items"] >= len(found)
    before = datetime.now(UTC) - timedelta(seconds=1)
    after = {"modified_after": before.isoformat()}
    assert client.get("/api/v1/hsds/services", query_string=after).get_json()["empty"]  # the demo, as loaded
    ServiceRepository(app.extensions["neo4j"]).update(service["id"], {**service, "hours": "lun 09:00-12:00"},
                                                      service.get("needs") or [], "u-test")
    changed = client.get("/api/v1/hsds/services", query_string=after).get_json()["contents"]
    assert [s["name"] for s in changed] == [service["name"]] and changed[0]["last_modified"] >= before.isoformat()[:19]
    at = client.get("/api/v1/hsds/service_at_locations", query_string=after).get_json()["contents"]
    assert [r["service_id"] for r in at] == [changed[0]["id"]]
    # A minute ago on a UTC clock; without a zone, though, it is Montréal's time: hours from now.
    utc_clock = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert client.get(f"/api/v1/hsds/services?modified_after={utc_clock}").get_json()["empty"]
    bad = client.get("/api/v1/hsds/service_at_locations?modified_after=hier")
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) == {"modified_after"}
    # a flag that is neither true nor false is said, not read as false (found by the outside pass of issue 20)
    maybe = client.get("/api/v1/hsds/services?full=maybe")
    assert maybe.status_code == 400 and set(maybe.get_json()["error"]["fields"]) == {"full"}
    # every bad parameter named at once: page=0 went unsaid beside a bad modified_after (same pass)
    several = client.get("/api/v1/hsds/services?modified_after=hier&page=0&full=maybe")
    assert several.status_code == 400 and set(several.get_json()["error"]["fields"]) == {
        "modified_after", "page", "full"}


def test_the_api_exports_the_whole_directory(client, auth, demo):
    auth.as_role("coordinator")
    archive = client.get("/api/v1/hsds/export.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    errors, warnings = check_package(package.read_bytes(archive.data, "export.zip"))
    assert errors == [] and warnings == []
    document = client.get("/api/v1/hsds/export.json").get_json()
    assert document["total_items"] == 42


def test_the_api_answers_errors_in_json(client, auth, demo):
    assert client.get("/api/v1/hsds/organizations").status_code == 401
    auth.as_role("evaluator")
    assert client.get("/api/v1/hsds/export.json").status_code == 403
    auth.logout()
    auth.as_role("intervenant")
    bad = client.get("/api/v1/hsds/services?per_page=0&page=x")
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) == {"page", "per_page"}
    missing = client.get("/api/v1/hsds/services/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_the_hsds_api_is_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/hsds/", "/api/v1/hsds/organizations", "/api/v1/hsds/organizations/{id}",
                 "/api/v1/hsds/services", "/api/v1/hsds/services/{id}", "/api/v1/hsds/taxonomies",
                 "/api/v1/hsds/taxonomy_terms/{id}", "/api/v1/hsds/export.zip", "/api/v1/hsds/export.json"):
        assert "get" in paths[path], path


def test_another_territorys_coordinator_is_refused_the_consent(app, client, auth, demo):
    """Found by the outside pass: the refusal answered 302 and a flash; it is a 403 and nothing changes."""
    auth.as_role("coordinator_all")
    _upload(client, _example_zip(), territory="vsp")
    client.post("/hsds/import/confirmer", data={"token": _pending_token(client)})
    person = HsdsRepository(_driver(app)).pending_contacts(["vsp"])[0]
    auth.logout()
    auth.as_role("coordinator")  # Montréal-Nord's

    assert client.post(f"/hsds/contacts/{person['id']}/consentement").status_code == 403
    assert client.post("/hsds/contacts/nobody/consentement").status_code == 404
    assert HsdsRepository(_driver(app)).pending_contacts(None) == [person]


def test_broken_json_is_refused_in_french_with_its_line(client, auth, demo):
    """Found by the outside pass: the French message said « line 3 »."""
    auth.as_role("coordinator")
    response = _upload(client, b'[\n {"id": "a",\n  "name": }\n]', name="organizations.json")
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "ligne 3" in text and "line 3" not in text


def test_a_large_package_previews_its_totals_and_the_first_records_only(client, auth, demo):
    """Found by the outside pass: 20,000 organisations made a preview page of megabytes, in 10 s."""
    auth.as_role("coordinator")
    organisations = [{"id": f"00000000-0000-4000-8000-{i:012d}", "name": f"Organisme {i}", "description": "Aide"}
                     for i in range(1, 301)]
    response = _upload(client, json.dumps(organisations).encode(), name="organizations.json")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="detail-limit"' in page
    assert page.count("Organisme ") == 200 and "300" in page


def test_an_upload_over_the_limit_draws_the_import_page_again_with_the_limit(app, client, auth, demo, monkeypatch):
    """Found by the outside pass of issue 20: a 3 MB file gave a bare page, the form gone."""
    huge = b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1024)

    def as_in_production(role=None):
        """Signed in as `role` (or anonymous), then CSRF checked as in production: its check reads the body
        first, before the other before-request hooks."""
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
        auth.logout()
        if role:
            auth.as_role(role)
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    as_in_production("coordinator")
    response = _upload(client, huge, name="big.json")

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 413
    refusal = page[page.index('class="card hsds-problems"'):page.index("</div>", page.index("hsds-problems"))]
    assert "Le fichier dépasse 2 Mo, la taille qu'un envoi peut avoir" in refusal
    assert 'enctype="multipart/form-data"' in page and 'name="package"' in page and 'name="territory"' in page
    assert "Exporter" in page and "Retour à l'accueil" not in page
    # the page is still its own: who may not see it is not shown it, nor one whose session has expired
    with client.session_transaction() as session:
        session["auth_seen"] -= app.config["SESSION_IDLE_MINUTES"] * 60 + 60
    assert _upload(client, huge).status_code == 302
    as_in_production("intervenant")
    assert _upload(client, huge).status_code == 403
    as_in_production()
    assert _upload(client, huge).status_code == 302
    # the API's answer is still its JSON envelope
    assert client.post("/api/v1/referrals", data=huge, content_type="application/json").get_json()["error"]


def test_a_flag_is_refused_saying_what_is_read(client, auth, demo):
    """Found by the outside pass of issue 20: « true ou false » while 1, yes, 0 and no were read too."""
    auth.as_role("intervenant")
    for word in ("true", "1", "FALSE", "0"):
        assert client.get(f"/api/v1/hsds/services?full={word}").status_code == 200, word
    for word in ("yes", "no", "maybe"):
        refused = client.get(f"/api/v1/hsds/services?full_service={word}")
        assert refused.status_code == 400, word
        assert refused.get_json()["error"]["fields"] == {"full_service": "true ou false (ou 1 et 0)."}


def test_a_bad_modified_after_is_shown_an_example_of_both_kinds(client, auth, demo):
    """The docs say a time without a zone is Montréal's; the example gave a UTC one only."""
    auth.as_role("intervenant")
    said = client.get("/api/v1/hsds/services?modified_after=hier").get_json()["error"]["fields"]["modified_after"]
    assert "2025-03-31T09:00 (heure de Montréal)" in said and "2025-03-31T13:00:00Z" in said


def test_the_id_filters_say_that_any_id_is_read(client, auth, demo):
    """Not only UUIDs (an imported directory keeps its own ids): an unknown one gives an empty page."""
    auth.as_role("intervenant")
    for query in ("services?organization_id=bad", "services?taxonomy_term_id=bad", "taxonomy_terms?taxonomy_id=bad"):
        answer = client.get(f"/api/v1/hsds/{query}")
        assert answer.status_code == 200 and answer.get_json()["contents"] == [], query
    paths = client.get("/api/v1/openapi.json").get_json()
    parameters = paths["components"]["parameters"]
    for name in ("OrganizationId", "TaxonomyTermId", "TaxonomyId"):
        assert parameters[name]["description"].endswith("an HSDS id; an unknown id gives an empty page."), name
    terms = paths["paths"]["/api/v1/hsds/taxonomy_terms"]["get"]["parameters"]
    assert {"$ref": "#/components/parameters/TaxonomyId"} in terms
