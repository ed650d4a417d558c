"""A coordinator keeps the directory in a real browser, at 1280 and 390 px (issue 21): an organisation made
from its address, its pin dragged; a CSV written in everyday words imported; the journal of one person
filtered and exported."""

import csv
import io

import pytest
from playwright.sync_api import expect

from graph.repositories.organisations import OrganisationRepository
from tests.browser.conftest import login

PARTICIPANTS = ("nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis\r\n"
                "Rose Alexis;rose.{width}@exemple.org;;Joujouthèque Montréal-Nord;Montréal-Nord;Coordinatrice;"
                "Français, Haitian Creole;Oui;2024-09-01\r\n")


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_a_coordinator_keeps_the_directory(demo, graph, live_server, request, viewport, steps, tmp_path):
    page = request.getfixturevalue(viewport)
    width = page.viewport_size["width"]
    login(page, live_server, "coordination.mn@demo.reseau-ei.ca", "demo-coordination")

    # An organisation by its address; the website's scheme is added and said.
    page.goto(f"{live_server}/repertoire/organisations/nouvelle")
    name = f"Maison de l'épingle {width}"
    page.get_by_label("Nom", exact=True).fill(name)
    page.get_by_label("Secteur").select_option("family")
    page.get_by_label("Type").select_option("community")
    page.get_by_label("Adresse").fill("4000, boulevard Henri-Bourassa Est")
    pin = page.locator("#pin-map .leaflet-marker-icon")
    pin.scroll_into_view_if_needed()
    before = pin.bounding_box()
    page.get_by_label("Code postal").fill("H1H 1J5")
    page.get_by_label("Code postal").press("Tab")
    # The pin goes where saving will put it, as soon as the postal code is typed (found by the outside pass).
    page.locator("#pin-said", has_text="H1H").wait_for()
    assert pin.bounding_box() != before
    page.get_by_label("Site web").fill("www.exemple.org")
    assert page.get_by_label("français").is_checked()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Adresse du site complétée : https://www.exemple.org").wait_for()
    found = graph.execute_query("MATCH (o:Organisation {name: $name}) RETURN o.id AS id", name=name).records[0]
    organisation = OrganisationRepository(graph).get(found["id"])

    # Its pin, dragged: the point moves and is kept as placed by hand.
    page.goto(f"{live_server}/repertoire/organisations/{organisation['id']}/modifier")
    pin = page.locator("#pin-map .leaflet-marker-icon")
    pin.scroll_into_view_if_needed()
    box = pin.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y - 30, steps=8)
    page.mouse.up()
    assert page.get_by_label("Je place le point moi-même").is_checked()
    steps.shot(page, f"epingle-{viewport}")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/organisations/{organisation['id']}")
    moved = OrganisationRepository(graph).get(organisation["id"])
    assert moved["location_source"] == "manual"
    assert moved["latitude"] > organisation["latitude"] and moved["longitude"] > organisation["longitude"]

    # Typed as the hint shows, with a decimal comma: kept as typed (a number field made 45,6012 into 456012).
    page.goto(f"{live_server}/repertoire/organisations/{organisation['id']}/modifier")
    page.get_by_role("textbox", name="Latitude").fill("45,6012")
    page.get_by_role("textbox", name="Longitude").fill("-73,6301")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/organisations/{organisation['id']}")
    typed = OrganisationRepository(graph).get(organisation["id"])
    assert (typed["latitude"], typed["longitude"], typed["location_source"]) == (45.6012, -73.6301, "manual")

    # A CSV written as people write it.
    page.goto(f"{live_server}/repertoire/import")
    upload = tmp_path / "cahier.csv"
    upload.write_bytes(PARTICIPANTS.format(width=width).encode("utf-8-sig"))
    page.get_by_label("Fichier CSV").set_input_files(upload)
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.locator("tr.row-create")).to_have_count(1)  # waits for the preview: count() did not (a busy run)
    assert page.locator("tr.row-reject").count() == 0
    assert page.get_by_text("role : « Coordinatrice » lu comme « Coordination »").is_visible()  # said, one line each
    steps.shot(page, f"apercu-import-{viewport}")
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url("**/repertoire/journal")
    person = graph.execute_query("MATCH (p:Person {email: $email}) RETURN p.id AS id, p.role AS role",
                                 email=f"rose.{width}@exemple.org").records[0]
    assert person["role"] == "coordination"

    # The journal of that person, filtered from their page, and exported.
    page.goto(f"{live_server}/repertoire/personnes/{person['id']}")
    page.get_by_role("link", name="Historique de la fiche").click()
    page.get_by_text("Historique de la fiche : Rose Alexis").wait_for()
    steps.shot(page, f"journal-{viewport}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows and all("Rose Alexis" in row["fiche"] for row in rows)
