"""Web addresses (organisation websites): http(s) only through every way in, and no link at render time
for anything else that is already stored."""

from __future__ import annotations

import html
import io
import json
import zipfile

import pytest

from interop.cells import web_url
from interop.hsds import package
from interop.hsds.validate import check_package
from referral.links import safe_href
from tests.conftest import graph_fingerprint
from tests.hsds_helpers import EXAMPLE_CSV, EXAMPLE_JSON

HOSTILE = ["javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:alert(1)",
           "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
           "ftp://exemple.org", "https://", "https://exemple.org/a b"]


@pytest.mark.parametrize("value", HOSTILE)
def test_only_http_and_https_addresses_are_links(value):
    with pytest.raises(ValueError):
        web_url(value)
    assert safe_href(value) is None


@pytest.mark.parametrize(("typed", "stored"), [
    ("https://exemple.org", "https://exemple.org"),
    ("http://exemple.org/a?b=1", "http://exemple.org/a?b=1"),
    ("  www.exemple.org ", "https://www.exemple.org"),
    ("exemple.org/accueil", "https://exemple.org/accueil"),
    ("www.exemple.org:8080/x", "https://www.exemple.org:8080/x"),
    ("", None),
])
def test_a_bare_host_gets_https(typed, stored):
    assert web_url(typed) == stored


# --- each way in ----------------------------------------------------------------------------------------


def organisation_form(website: str) -> dict:
    return {"name": "Carrefour des parents du Nord", "sector": "family", "kind": "community", "territory": "mn",
            "served": ["mn"], "address": "4000, boulevard Henri-Bourassa Est", "postal_code": "h1h 1j5",
            "phone": "514 555-0142", "website": website, "languages": ["fr", "ar"]}


def test_the_organisation_form_refuses_javascript_and_completes_a_bare_host(demo, graph, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    refused = client.post("/repertoire/organisations/nouvelle", data=organisation_form(website="javascript:alert(1)"))
    assert refused.status_code in (200, 422)
    assert "seules les adresses http:// ou https://" in html.unescape(refused.get_data(as_text=True))
    assert graph_fingerprint(graph) == before

    created = client.post("/repertoire/organisations/nouvelle", data=organisation_form(website="www.exemple.org"))
    assert created.status_code == 302
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert 'href="https://www.exemple.org"' in page


def test_the_csv_import_refuses_a_javascript_website(demo, graph, client, auth):
    auth.as_role("coordinator")
    text = ("nom;territoire;secteur;type;adresse;code_postal;telephone;site_web;langues\n"
            "Maison de l'exemple;Montréal-Nord;famille;;4000, boulevard Henri-Bourassa Est;h1h 1j5;514 555-0190;"
            "javascript:alert(1);fr\n")
    before = graph_fingerprint(graph)
    page = client.post("/repertoire/import", content_type="multipart/form-data", data={
        "kind": "organisations", "file": (io.BytesIO(text.encode("utf-8-sig")), "organisations.csv")})
    body = html.unescape(page.get_data(as_text=True))
    assert "Site web invalide : « javascript:alert(1) »" in body and "row-create" not in body
    assert graph_fingerprint(graph) == before


def _example_zip(website: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EXAMPLE_CSV.iterdir()):
            content = path.read_bytes()
            if path.name == "organizations.csv":
                content = content.replace(b",http://example.com,tax_status", f",{website},tax_status".encode())
            archive.writestr(f"example/{path.name}", content)
    return buffer.getvalue()


def test_the_hsds_upload_refuses_a_javascript_website(app, client, auth, demo):
    auth.as_role("coordinator_all")
    driver = app.extensions["neo4j"]
    before = graph_fingerprint(driver)
    refused = client.post("/hsds/import", content_type="multipart/form-data", data={
        "package": (io.BytesIO(_example_zip("javascript:alert(1)")), "example.zip"), "territory": "mn",
        "sector": "community_other", "kind": "community"})
    text = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422
    assert "organizations.csv, ligne 2, champ website" in text and "javascript:alert(1)" in text
    assert graph_fingerprint(driver) == before


def test_the_hsds_json_reader_refuses_javascript_and_completes_a_bare_host():
    document = json.loads((EXAMPLE_JSON / "organization_full.json").read_text(encoding="utf-8"))
    document["website"] = "javascript:alert(1)"
    errors, _ = check_package(package.read_bytes(json.dumps(document).encode(), "org.json"))
    assert [(e.field, e.code, e.value) for e in errors if e.field == "website"] == \
        [("website", "format", "javascript:alert(1)")]

    document["website"] = "www.exemple.org"
    read = package.read_bytes(json.dumps(document).encode(), "org.json")
    errors, _ = check_package(read)
    assert errors == [] and read.rows("organization")[0].values["website"] == "https://www.exemple.org"


def test_a_stored_javascript_website_renders_without_a_link(demo, graph, client, auth):
    graph.execute_query("MATCH (o:Organisation {id: 'o-mn-01'}) SET o.website = 'javascript:alert(document.cookie)'")
    auth.as_role("coordinator")
    page = client.get("/repertoire/organisations/o-mn-01").get_data(as_text=True)
    assert "javascript:alert(document.cookie)" in page  # shown as text…
    assert 'href="javascript:' not in page  # …never as a link
