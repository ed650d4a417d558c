"""Issue 21, « imports that teach », as an outside tester found it: through the app against the real graph,
every refusal names what is accepted (the territories as the graph holds them), the preview says every
value the import read or chose, the page puts the accepted values beside each model, and the forms and
the import refuse the same web addresses in the same words."""

import html
import re

from graph.repositories.organisations import OrganisationRepository
from graph.repositories.staff import StaffRepository
from graph.repositories.territories import TerritoryRepository
from tests.conftest import graph_fingerprint, person_with_email
from tests.integration.test_directory_import import HEADER, confirm, participants, preview
from tests.integration.test_links import organisation_form

ORG_HEADER = "nom;territoire;secteur;type;adresse;code_postal;telephone;site_web;langues"


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def row_cells(body: str) -> list[str]:
    """Each preview row's last cell, its tags removed."""
    return [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r'<tr class="row-\w+">.*?</tr>', body, re.S)]


def test_an_unknown_territory_lists_the_graphs_territories_and_so_do_the_page_and_the_values_file(
        demo, graph, client, auth):
    auth.as_role("coordinator")
    territories = TerritoryRepository(graph).names()
    assert len(territories) > 1
    before = graph_fingerprint(graph)
    body = text_of(preview(client, HEADER + "\nA;a@exemple.org;;Une maison;Mars;;;;\n"))
    assert "Territoire inconnu : « Mars ». Territoires acceptés (nom ou code) : " + ", ".join(
        f"{t['name']} ({t['id']})" for t in territories) + "." in body
    assert graph_fingerprint(graph) == before

    page = text_of(client.get("/repertoire/import"))
    table = re.search(r"<caption>Colonne « territoire »</caption>.*?</table>", page, re.S).group(0)
    for territory in territories:
        assert f"<code>{territory['id']}</code></th><td>{territory['name']}</td>" in table
    values = client.get("/repertoire/import/valeurs-acceptees.csv").get_data(as_text=True)
    for territory in territories:
        assert f"territoire;{territory['id']};{territory['name']};" in values


def test_refusals_name_the_yes_no_words_the_organisations_and_a_missing_postal_code(demo, client, auth):
    auth.as_role("coordinator")
    body = text_of(preview(client, participants(
        demo, "X Y;x.y@exemple.org;;{org};mn;;;peut-être;",
        "Z W;z.w@exemple.org;;Maison des familles de Montréal-Nord inventée;mn;;;;")))
    assert "écrivez oui ou non (aussi lus comme oui : o, yes, y, vrai, true, 1, x ; comme non : n, no, faux, " \
           "false, 0)." in body
    assert "Organisation inconnue dans ce territoire : « Maison des familles de Montréal-Nord inventée »" in body
    link = re.search(r'<a href="([^"]+)" target="_blank" rel="noopener">Organisations de Montréal-Nord', body)
    listing = text_of(client.get(link.group(1)))  # the territory's organisations, where the exact names are
    assert all(o["name"] in listing for o in demo.organisations if o["territory"] == "mn" and not o.get("archived"))

    organisations = ORG_HEADER + "\nMaison sans code;mn;family;;;;;;fr\n"
    body = text_of(preview(client, organisations, kind="organisations"))
    assert "Code postal manquant (ex. H1G 3K4)." in body and "Code postal invalide" not in body


def test_the_preview_says_every_value_it_read_or_chose_and_the_import_stores_it(demo, graph, client, auth):
    auth.as_role("coordinator")
    text = participants(demo, "Rose Alexis;rose.alexis@exemple.org;;{org};mn;coordinatrice;fr;oui;01/09/2024",
                        "Line Roy;line.roy@exemple.org;;{org};mn;;fr;x;")
    page = preview(client, text)
    rose, line = row_cells(text_of(page))
    assert "role : « coordinatrice » lu comme « Coordination »" in rose
    assert "depuis : « 01/09/2024 » lu comme le 1er septembre 2024" in rose
    assert "depuis : aujourd'hui (date du jour)" in line
    assert "repertoire : « x » lu comme « dans le répertoire »" in line
    assert confirm(client, page).status_code == 302
    stored = StaffRepository(graph).get(person_with_email(graph, "rose.alexis@exemple.org"))
    assert stored["role"] == "coordination" and str(stored["jobs"][0]["since"]) == "2024-09-01"

    text = ORG_HEADER + "\nOrgImp;mn;Familles;CLSC;;H1H 1J5;;www.orgimp.example;\n"
    page = preview(client, text, kind="organisations")
    (cell,) = row_cells(text_of(page))
    for note in ("Adresse du site complétée : https://www.orgimp.example",
                 "secteur : « Familles » lu comme « Famille, enfance, jeunesse »",
                 "type : « CLSC » lu comme « CIUSSS »",
                 "langues : français (colonne vide)"):
        assert note in cell, note
    assert confirm(client, page).status_code == 302
    created = OrganisationRepository(graph).get(next(
        o["id"] for o in OrganisationRepository(graph).list("mn") if o["name"] == "OrgImp"))
    assert (created["website"], created["sector"], created["kind"]) == ("https://www.orgimp.example", "family",
                                                                       "ciusss")


def test_each_model_has_the_accepted_values_beside_it(demo, client, auth):
    auth.as_role("coordinator")
    page = client.get("/repertoire/import").get_data(as_text=True)
    for kind in ("participants", "organisations"):
        item = re.search(rf'<li><a href="/repertoire/import/modele-{kind}.csv" download>.*?</li>', page, re.S).group(0)
        assert 'href="/repertoire/import/valeurs-acceptees.csv"' in item
    assert "acceptent les valeurs de cette liste" in html.unescape(page)


def test_the_form_and_the_import_refuse_the_same_websites_in_the_same_words(demo, graph, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    for typed, why in (("exemple", "il manque le nom de domaine, avec son point (ex. exemple.org)"),
                       ("localhost", "il manque le nom de domaine, avec son point (ex. exemple.org)"),
                       ("ex ample.org", "une adresse web ne contient pas d'espace")):
        form = text_of(client.post("/repertoire/organisations/nouvelle", data=organisation_form(website=typed)))
        assert f"Adresse web refusée : {why} (ex. https://exemple.org)." in form, typed
        imported = text_of(preview(client, ORG_HEADER + f"\nMaison;mn;family;;;H1H 1J5;;{typed};fr\n",
                                   kind="organisations"))
        assert f"Site web invalide : « {typed} » ({why})." in imported, typed
        assert "seules les adresses" not in form + imported
    assert graph_fingerprint(graph) == before
