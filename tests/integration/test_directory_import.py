"""CSV import through the app: preview row by row, all-or-nothing import in one transaction, the same
file twice, Excel's BOM and separators, bad files, scope, escaping, templates."""

import base64
import html
import io
import re
from datetime import date

import pytest

from graph.driver import Repository
from graph.repositories.changes import record_change
from graph.repositories.imports import ImportRepository
from graph.repositories.organisations import OrganisationRepository, write_organisation
from graph.repositories.places import PlacesRepository
from graph.repositories.staff import StaffRepository, create_person, start_job, update_person
from graph.schema import EmailTaken
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
    assert '<td data-label="Ligne">3</td>' in row and "Courriel invalide" in row
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


def _run(graph, kind: str, text: str):
    """Import `text` as the operator (every territory), through the repository the service calls."""
    parsed = csv_import.parse(text.encode(), kind)

    def planner(context):
        context = csv_import.ImportContext(**context, postal_area=PlacesRepository(graph).postal_area)
        return csv_import.plan_import(parsed, context, OPERATOR)

    return ImportRepository(graph).run(kind, csv_import.emails(parsed), planner, "test")


def _journal(graph) -> list[dict]:
    """The import's journal entries, oldest first."""
    # The map is not named `c`: it would hide the node's `at` from ORDER BY (all null: any order).
    return graph.execute_query("MATCH (c:Change) WHERE c.summary CONTAINS '(CSV, ligne' "
                               "RETURN c {.action, .entity, .entity_id, .summary, .territories, .user} AS change "
                               "ORDER BY c.at").records


def test_rows_updating_and_creating_people_are_written_journaled_and_found(demo, graph):
    """One import of several rows: existing people updated (one moving into another territory), new ones
    created; every row journaled under its territories before and after it, in the order of the file, and
    everyone written findable by the search (the fixture checks the whole projection)."""
    text = participants(
        demo,
        "Annie Côté;annie.cote@halte-garderie-montreal.example.org;514 555-0177;{org};mn;;;;2024-09-01",
        "Salma El Idrissi;salma.el.idrissi@maison-des-familles-parc.example.org;;{org};mn;;;;",
        GOOD[0], GOOD[2])
    plan = _run(graph, "participants", text)
    assert [row.action for row in plan.rows] == ["update", "update", "create", "create"]
    awa, hoa = (person_with_email(graph, e) for e in ("awa.diallo@exemple.org", "hoa.nguyen@exemple.org"))
    assert [dict(r["change"]) for r in _journal(graph)] == [
        {"action": "update", "entity": "person", "entity_id": "p-001", "user": "test", "territories": ["mn"],
         "summary": "p-001 — organisation, phone (CSV, ligne 2)"},
        {"action": "update", "entity": "person", "entity_id": "p-012", "user": "test", "territories": ["mn", "vsp"],
         "summary": "p-012 — organisation (CSV, ligne 3)"},
        {"action": "create", "entity": "person", "entity_id": awa, "user": "test", "territories": ["mn"],
         "summary": "Awa Diallo (CSV, ligne 4)"},
        {"action": "create", "entity": "person", "entity_id": hoa, "user": "test", "territories": ["mn"],
         "summary": "Nguyễn Thị Hoa (CSV, ligne 5)"}]
    annie = StaffRepository(graph).get("p-001")
    assert annie["phone"] == "514 555-0177" and annie["name"] == "Annie Côté"
    assert sorted(j["organisation"] for j in annie["jobs"] if j["until"] is None) == ["o-mn-01", "o-mn-02"]
    assert str(next(j["since"] for j in annie["jobs"] if j["organisation"] == "o-mn-02")) == "2024-09-01"
    found = {r["person"]: r["organisations"] for r in graph.execute_query(
        "MATCH (p:Person)-[c:CAN_HELP {territory: 'mn'}]->() WHERE p.id IN $ids "
        "RETURN p.id AS person, collect(DISTINCT c.organisation) AS organisations", ids=["p-001", "p-012", awa, hoa]
    ).records}
    assert sorted(found["p-001"]) == ["o-mn-01", "o-mn-02"] and found["p-012"] == ["o-mn-02"]
    assert found[awa] == ["o-mn-02"] and hoa not in found  # Hoa did not agree to be listed
    after = graph_fingerprint(graph)
    assert all(row.action == "unchanged" for row in _run(graph, "participants", text).rows)
    assert graph_fingerprint(graph) == after


def test_rows_updating_and_creating_organisations_are_written_and_journaled(demo, graph):
    text = ("nom;territoire;secteur;type;adresse;code_postal;telephone;site_web;langues\n"
            "Halte-garderie Montréal-Nord;mn;family;community;;H1G 1A1;514 555-0101;;\n"
            "Maison de l'exemple;Montréal-Nord;famille;;4000, boulevard Henri-Bourassa Est;h1h 1j5;;;fr ht\n")
    before = OrganisationRepository(graph).get("o-mn-01")
    plan = _run(graph, "organisations", text)
    assert [row.action for row in plan.rows] == ["update", "create"]
    created = next(o["id"] for o in OrganisationRepository(graph).list("mn") if o["name"] == "Maison de l'exemple")
    changes = [dict(r["change"]) for r in _journal(graph)]
    assert [(c["action"], c["entity_id"], c["territories"]) for c in changes] == [
        ("update", "o-mn-01", ["mn"]), ("create", created, ["mn"])]
    assert changes[0]["summary"] == "o-mn-01 — location_source, phone, postal_code (CSV, ligne 2)"
    moved = OrganisationRepository(graph).get("o-mn-01")
    assert moved["phone"] == "514 555-0101" and moved["postal_code"] == "H1G 1A1"
    assert (moved["territory"], moved["served"]) == (before["territory"], before["served"])
    assert (moved["latitude"], moved["longitude"]) != (before["latitude"], before["longitude"])
    assert moved["location_source"] == "postal_area"  # placed at its new postal area
    new = OrganisationRepository(graph).get(created)
    assert new["territory"] == "mn" and new["served"] == ["mn"] and new["languages"] == ["fr", "ht"]


class _RolledBack(Exception):
    """Ends a transaction whose writes were only there to be looked at."""


def test_single_row_writers_are_the_import_batches_with_one_row(demo, graph):
    """The writers of the forms, the API and the HSDS import share the import's batch statements: same labels,
    answers and errors as before (looked at inside a transaction that is then rolled back)."""

    def work(tx):
        create_person(tx, "p-test", {"name": "Parent", "email": " Parent@Exemple.org "}, "parent", "test")
        person = tx.run("MATCH (p:Person {id: 'p-test'}) RETURN labels(p) AS labels, p.email AS email").single()
        assert (sorted(person["labels"]), person["email"]) == (["ParentPartner", "Person"], "parent@exemple.org")
        assert start_job(tx, "p-test", "o-mn-02", date(2024, 9, 1)) == (True, "mn")
        assert start_job(tx, "p-test", "o-mn-02", date(2024, 9, 1)) == (False, "mn")
        for person_id, organisation_id in (("p-test", "o-vanished"), ("p-vanished", "o-mn-02")):
            with pytest.raises(LookupError, match=organisation_id):
                start_job(tx, person_id, organisation_id, date(2024, 9, 1))
        taken = tx.run("MATCH (p:Person {id: 'p-001'}) RETURN p.email AS email").single()["email"]
        with pytest.raises(EmailTaken):
            update_person(tx, "p-test", {"email": taken.upper()}, "test")
        write_organisation(tx, "o-test", {"name": "Test", "latitude": 45.6, "longitude": -73.6}, "mn",
                           ["mn", "vsp"], create=True)
        write_organisation(tx, "o-test", {"phone": "514 555-0199"}, "vsp", ["vsp"], create=False)
        organisation = tx.run(
            "MATCH (o:Organisation {id: 'o-test'}) RETURN o {.name, .phone, .created_on, latitude: o.location.latitude,"
            " located: [(o)-[:LOCATED_IN]->(t) | t.id], served: [(o)-[:SERVES]->(t) | t.id]} AS o").single()["o"]
        assert organisation == {"name": "Test", "phone": "514 555-0199", "created_on": organisation["created_on"],
                                "latitude": 45.6, "located": ["vsp"], "served": ["vsp"]}
        assert organisation["created_on"] is not None
        record_change(tx, "test", "update", "person", "p-test", "résumé", ["mn", None, "mn"])
        change = tx.run("MATCH (c:Change {entity_id: 'p-test'}) RETURN c {.*} AS c").single()["c"]
        assert {k: v for k, v in change.items() if k not in ("id", "at")} == {
            "user": "test", "action": "update", "entity": "person", "entity_id": "p-test", "summary": "résumé",
            "territories": ["mn"], "fields": "[]"}
        raise _RolledBack

    with pytest.raises(_RolledBack):
        Repository(graph).write(work)


def test_imports_read_the_words_people_write_and_name_what_they_accept(demo, graph, client, auth):
    """Issue 21: « coordinatrice » was refused with « Rôle inconnu » and the user had to guess « coordination »;
    « Oui », plural and English words are read; every refusal names the accepted values; an empty column's
    default is said in the preview."""
    auth.as_role("coordinator")
    text = participants(demo, "Rose Alexis;rose.alexis@exemple.org;;{org};Montréal-Nord;Coordinatrice;Français, "
                              "Haitian Creole;Oui;2024-09-01",
                        "Line Roy;line.roy@exemple.org;;{org};Montréal-Nord;Travailleuses de milieu;;YES;")
    page = preview(client, text)
    body = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200 and body.count('class="row-create"') == 2, re.findall(r"<li>([^<]*)</li>", body)
    assert "langues : français (colonne vide)" in body
    assert confirm(client, page).status_code == 302
    rose, line = (StaffRepository(graph).get(person_with_email(graph, e))
                  for e in ("rose.alexis@exemple.org", "line.roy@exemple.org"))
    assert rose["role"] == "coordination" and rose["languages"] == ["fr", "ht"] and rose["listed"] is True
    assert line["role"] == "travailleuse_milieu" and line["languages"] == ["fr"]

    refused = html.unescape(preview(client, participants(
        demo, "X Y;x.y@exemple.org;;{org};mn;cheffe;klingon;peut-être;")).get_data(as_text=True))
    assert "Rôle inconnu : « cheffe ». Valeurs acceptées : intervenant_communautaire, " in refused
    assert "Langue inconnue : « klingon ». Valeurs acceptées : codes ISO (fr, en, ar" in refused
    assert "« peut-être » n'est pas compris ; écrivez oui ou non" in refused
    organisations = ("nom;territoire;secteur;type;code_postal\n"
                     "Biblio de l'exemple;mn;Institutions;Bibliothèques;H1H 1J5\n"
                     "Autre de l'exemple;mn;Organismes communautaires;;H1H 1J5\n")
    body = html.unescape(preview(client, organisations, kind="organisations").get_data(as_text=True))
    assert body.count('class="row-create"') == 1 and "Secteur inconnu : « Organismes communautaires ». " \
        "Valeurs acceptées : family, newcomers, community_other, institutional" in body


def test_the_import_page_lists_every_accepted_value(demo, client, auth):
    auth.as_role("coordinator")
    page = html.unescape(client.get("/repertoire/import").get_data(as_text=True))
    for words in ("Colonne « role »", "coordonnatrice", "Colonne « secteur »", "Colonne « type »", "bibliotheque",
                  "Colonne « langues »", "farsi", "Colonne « repertoire »", "vrai"):
        assert words in page, words
    response = client.get("/repertoire/import/valeurs-acceptees.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.startswith("\ufeffcolonne;valeur;signification;aussi_accepte")
    assert "role;coordination;Coordination;" in text and "coordinatrice" in text
