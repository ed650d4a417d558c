"""CSV import through the app: preview row by row, all-or-nothing import in one transaction, the same
file twice, Excel's BOM and separators, bad files, scope, escaping, templates."""

import base64
import html
import io
import re

from graph.repositories.imports import ImportRepository
from graph.repositories.places import PlacesRepository
from graph.repositories.staff import StaffRepository
from referral.directory import csv_import
from referral.policy import OPERATOR
from tests.conftest import graph_fingerprint, person_with_email

HEADER = "nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis"


def participants(demo, *rows) -> str:
    organisation = next(o["name"] for o in demo.organisations if o["id"] == "o-mn-02")
    lines = [HEADER] + [row.format(org=organisation) for row in rows]
    return "\r\n".join(lines) + "\r\n"


GOOD = ("Awa Diallo;awa.diallo@exemple.org;514 555-0161;{org};Montréal-Nord;intervenant_communautaire;fr ln;oui;"
        "2024-09-01",
        "Élodie Bérubé;elodie.berube@exemple.org;514 555-0162;{org};Montréal-Nord;agent_efc;fr en;oui;2024-09-01",
        "Nguyễn Thị Hoa;hoa.nguyen@exemple.org;;{org};mn;;fr vi;non;")


def preview(client, text: str | bytes, kind="participants", encoding="utf-8-sig"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return client.post("/repertoire/import", data={"kind": kind, "file": (io.BytesIO(data), "cahier.csv")},
                       content_type="multipart/form-data")


def confirm(client, response):
    """Press « Importer » on a preview page: post back the hidden fields it carries."""
    html = response.get_data(as_text=True)
    form = re.search(r'<form method="post" action="/repertoire/import/confirmer".*?</form>', html, re.S).group(0)
    fields = dict(re.findall(r'<input[^>]*name="(kind|content)" type="hidden" value="([^"]*)"', form))
    return client.post("/repertoire/import/confirmer", data=fields)


def imported(graph, *emails):
    return {e: person_with_email(graph, e) for e in emails}


def test_good_file_previews_then_imports_then_changes_nothing_twice(demo, graph, client, auth):
    auth.as_role("coordinator")
    text = participants(demo, *GOOD)
    before = graph_fingerprint(graph)
    page = preview(client, text)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('class="row-create"') == 3 and "3 à créer" in html
    assert graph_fingerprint(graph) == before  # a preview writes nothing

    done = confirm(client, page)
    assert done.status_code == 302
    people = imported(graph, "awa.diallo@exemple.org", "elodie.berube@exemple.org", "hoa.nguyen@exemple.org")
    assert all(people.values())
    hoa = StaffRepository(graph).get(people["hoa.nguyen@exemple.org"])
    assert hoa["name"] == "Nguyễn Thị Hoa" and hoa["listed"] is False and hoa["languages"] == ["fr", "vi"]
    assert [j["organisation"] for j in hoa["jobs"]] == ["o-mn-02"]
    log = client.get("/repertoire/journal").get_data(as_text=True)
    assert log.count("(CSV, ligne") == 3

    after = graph_fingerprint(graph)
    again = preview(client, text)
    assert again.get_data(as_text=True).count('class="row-unchanged"') == 3
    assert "Rien à importer" in again.get_data(as_text=True)
    confirm_again = client.post("/repertoire/import/confirmer", data={
        "kind": "participants", "content": base64.b64encode(text.encode("utf-8-sig")).decode()})
    assert confirm_again.status_code == 302
    assert graph_fingerprint(graph) == after


def test_a_wrong_row_blocks_the_whole_import(demo, graph, client, auth):
    auth.as_role("coordinator")
    text = participants(demo, GOOD[0], GOOD[1].replace("elodie.berube@exemple.org", "elodie.berube@"), GOOD[2])
    before = graph_fingerprint(graph)
    page = preview(client, text)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    row = re.search(r'<tr class="row-reject">(.*?)</tr>', html, re.S).group(1)
    assert "<td>3</td>" in row and "Courriel invalide" in row
    assert "Rien ne sera importé" in html and "/repertoire/import/confirmer" not in html
    # Posting the import anyway changes nothing either.
    forced = client.post("/repertoire/import/confirmer", data={
        "kind": "participants", "content": base64.b64encode(text.encode()).decode()})
    assert forced.status_code == 422 and "Rien n&#39;a été importé" in forced.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


def test_commas_and_no_bom_work_too(demo, graph, client, auth):
    auth.as_role("coordinator")
    text = participants(demo, *GOOD).replace(";", ",")
    page = preview(client, text, encoding="utf-8")
    assert page.status_code == 200 and page.get_data(as_text=True).count('class="row-create"') == 3
    assert confirm(client, page).status_code == 302
    assert all(imported(graph, "awa.diallo@exemple.org", "hoa.nguyen@exemple.org").values())


def test_unreadable_file_is_refused_with_a_clear_message(demo, graph, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    page = preview(client, participants(demo, *GOOD).encode("utf-16"))
    assert page.status_code == 422
    assert "n'est pas en UTF-8" in html.unescape(page.get_data(as_text=True))
    page = client.post("/repertoire/import", data={"kind": "participants"}, content_type="multipart/form-data")
    assert page.status_code == 422 and "Choisissez un fichier CSV" in page.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


def test_import_outside_ones_territory_is_rejected(demo, graph, client, auth):
    auth.as_role("coordinator")
    vsp = next(o["name"] for o in demo.organisations if o["territory"] == "vsp")
    text = HEADER + f"\nA;a@exemple.org;;{vsp};vsp;;;;\n"
    before = graph_fingerprint(graph)
    page = preview(client, text)
    assert page.status_code == 422 and "pas dans votre portée" in page.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


def test_user_typed_text_is_escaped_in_the_preview(demo, client, auth):
    auth.as_role("coordinator")
    row = "<script>alert(1)</script>;<b>x</b>;;<i>o</i>;<u>t</u>;;;;"
    html = preview(client, HEADER + "\n" + row + "\n").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "<u>t</u>" not in html and "<i>o</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;u&gt;t&lt;/u&gt;" in html


def test_organisations_import_and_reimport(demo, graph, client, auth):
    auth.as_role("coordinator")
    text = ("nom;territoire;secteur;type;adresse;code_postal;telephone;site_web;langues\n"
            "Maison de la famille de l'exemple;Montréal-Nord;famille;;4000, boulevard Henri-Bourassa Est;"
            "h1h 1j5;514 555-0190;https://exemple.org;fr ht\n")
    page = preview(client, text, kind="organisations")
    assert page.status_code == 200 and 'class="row-create"' in page.get_data(as_text=True)
    assert confirm(client, page).status_code == 302
    listing = client.get("/repertoire/?territoire=mn").get_data(as_text=True)
    assert "Maison de la famille de l&#39;exemple" in listing
    after = graph_fingerprint(graph)
    again = preview(client, text, kind="organisations")
    assert 'class="row-unchanged"' in again.get_data(as_text=True)
    assert graph_fingerprint(graph) == after


def test_the_import_is_one_transaction(demo, graph):
    """A write failing half-way (here an organisation that vanished) rolls every row back."""
    parsed = csv_import.parse(participants(demo, *GOOD).encode(), "participants")

    def planner(context):
        context = csv_import.ImportContext(**context, postal_area=PlacesRepository(graph).postal_area)
        plan = csv_import.plan_import(parsed, context, OPERATOR)
        plan.rows[2].values["organisation"] = "o-vanished"
        return plan

    before = graph_fingerprint(graph)
    try:
        ImportRepository(graph).run("participants", csv_import.emails(parsed), planner, "test")
    except LookupError:
        pass
    else:
        raise AssertionError("the write should have failed")
    assert graph_fingerprint(graph) == before


def test_templates_download(demo, client, auth):
    auth.as_role("coordinator")
    response = client.get("/repertoire/import/modele-participants.csv")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert response.data.startswith(b"\xef\xbb\xbfnom;courriel")
    assert client.get("/repertoire/import/modele-autre.csv").status_code == 404
