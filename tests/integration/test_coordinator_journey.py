"""Issue 4's « done when », as a coordinator of Montréal-Nord would do it through the site: open the
map, see the organisations and the before / during EI layers, move the date back before the cohort and
see the sparse network, add an organisation by form, import a CSV of three new participants with one
wrong row (the preview says which and why, nothing is imported), fix it and import."""

import io
import re

from graph.repositories.organisations import OrganisationRepository
from graph.repositories.staff import StaffRepository
from tests.conftest import graph_fingerprint, person_with_email
from tests.map_helpers import drawn_lines, map_data

# Three new participants of the new organisation; Karim's e-mail has no domain suffix (row 3 of the file).
PARTICIPANTS = (
    "nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis",
    "Rose-Marie Joseph;rose-marie.joseph@exemple.org;514 555-0171;Espace parents Montréal-Nord;"
    "Montréal-Nord;intervenant_communautaire;fr ht;oui;2024-09-01",
    "Karim Haddad;karim.haddad@exemple;514 555-0172;Espace parents Montréal-Nord;Montréal-Nord;"
    "agent_efc;fr ar;oui;2024-09-01",
    "Lucía Pérez;lucia.perez@exemple.org;;Espace parents Montréal-Nord;Montréal-Nord;;fr es;oui;2024-09-01",
)


def figure(html: str, name: str) -> int:
    return int(re.search(rf"<dt>{name}</dt><dd>(\d+)", html).group(1))


def upload(client, lines):
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
    return client.post("/repertoire/import", content_type="multipart/form-data",
                       data={"kind": "participants", "file": (io.BytesIO(data), "cahier-mn.csv")})


def the_map_now_and_before_the_cohort(demo, client):
    """The overview, then Montréal-Nord's map with its organisations and layers; then back to before the
    cohort: a sparse network."""
    overview = client.get("/territoires/").get_data(as_text=True)
    assert 'href="/territoires/mn/carte"' in overview
    page = client.get("/territoires/mn/carte")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Avant EI :" in html and "Pendant EI — séance 1" in html
    document = client.get(re.search(r'<iframe src="([^"]+)"', html).group(1).replace("&amp;", "&"))
    mn_organisations = [o for o in demo.organisations if o["territory"] == "mn"]
    assert len(map_data(document.get_data(as_text=True))["organisations"]) == len(mn_organisations)
    assert '"Avant EI"' in document.get_data(as_text=True)
    ties_now = figure(html, "Liens")

    before = client.get("/territoires/mn/carte?date=2022-10-01").get_data(as_text=True)
    assert "Le réseau au 1 octobre 2022" in before
    assert figure(before, "Liens") < ties_now
    assert "Avant EI :" in before and "Pendant EI — séance 1" not in before  # no session held yet
    sparse = client.get("/territoires/mn/carte/plan?date=2022-10-01").get_data(as_text=True)
    assert drawn_lines(sparse) < drawn_lines(document.get_data(as_text=True))


def a_new_organisation_by_form(graph, client) -> str:
    """Its id, once the directory has it."""
    response = client.post("/repertoire/organisations/nouvelle", data={
        "name": "Espace parents Montréal-Nord", "sector": "family", "kind": "community", "territory": "mn",
        "served": ["mn"], "address": "11121, avenue Salk", "postal_code": "H1G 4Y3", "languages": ["fr", "ht"]})
    assert response.status_code == 302
    organisation_id = response.headers["Location"].rsplit("/", 1)[-1]
    assert OrganisationRepository(graph).get(organisation_id)["name"] == "Espace parents Montréal-Nord"
    return organisation_id


def a_wrong_row_imports_nothing(graph, client, rows):
    """The preview says which row is wrong and why; nothing is imported."""
    before_import = graph_fingerprint(graph)
    preview = upload(client, rows)
    assert preview.status_code == 422
    html = preview.get_data(as_text=True)
    rejected = re.findall(r'<tr class="row-reject">\s*<td data-label="Ligne">(\d+)</td>.*?<li>(.*?)</li>', html, re.S)
    assert rejected == [("3", "Courriel invalide : « karim.haddad@exemple ».")]
    assert html.count('class="row-create"') == 2
    assert "/repertoire/import/confirmer" not in html
    assert graph_fingerprint(graph) == before_import


def the_fixed_file_imports_three(graph, client, rows, organisation_id):
    """The preview shows three to create; importing writes them, at the new organisation."""
    preview = upload(client, rows)
    assert preview.status_code == 200 and preview.get_data(as_text=True).count('class="row-create"') == 3
    form = re.search(r'action="/repertoire/import/confirmer".*?</form>', preview.get_data(as_text=True), re.S)
    fields = dict(re.findall(r'name="(kind|content)" type="hidden" value="([^"]*)"', form.group(0)))
    assert client.post("/repertoire/import/confirmer", data=fields).status_code == 302
    staff = StaffRepository(graph)
    for email in ("rose-marie.joseph@exemple.org", "karim.haddad@exemple.org", "lucia.perez@exemple.org"):
        person = staff.get(person_with_email(graph, email))
        assert [j["organisation"] for j in person["jobs"]] == [organisation_id]


def test_coordinator_of_montreal_nord(demo, graph, client, auth):
    assert auth.as_role("coordinator").status_code == 302
    the_map_now_and_before_the_cohort(demo, client)
    organisation_id = a_new_organisation_by_form(graph, client)

    rows = list(PARTICIPANTS)
    a_wrong_row_imports_nothing(graph, client, rows)
    rows[2] = rows[2].replace("karim.haddad@exemple;", "karim.haddad@exemple.org;")
    the_fixed_file_imports_three(graph, client, rows, organisation_id)

    # They are on the map now, as contacts of the new organisation.
    document = client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    assert "Rose-Marie Joseph" in document and "Luc\\u00eda P\\u00e9rez" in document
