"""Keeping the directory current through the test client: who may change what (server-side scope),
organisations with their position, services, people and their jobs, ties, and the change log."""

import html
import re

import pytest

from graph.repositories.changes import ChangeRepository
from graph.repositories.organisations import OrganisationRepository
from graph.repositories.places import PlacesRepository
from graph.repositories.staff import StaffRepository
from referral import clock
from seed.reference.territories import fsa_table
from tests.conftest import graph_fingerprint

MN_ORG, VSP_ORG = "o-mn-01", "o-vsp-01"


def organisation_form(**overrides):
    data = {"name": "Carrefour des parents du Nord", "sector": "family", "kind": "community", "territory": "mn",
            "served": ["mn"], "address": "4000, boulevard Henri-Bourassa Est", "postal_code": "h1h 1j5",
            "phone": "514 555-0142", "website": "https://carrefour.example.org", "languages": ["fr", "ar"]}
    data.update(overrides)
    return data


def people_of(demo, organisation_id):
    return [w["person"] for w in demo.works_at if w["organisation"] == organisation_id]


@pytest.mark.parametrize("role", ["intervenant", "evaluator"])
def test_only_coordinators_and_admins_keep_the_directory(demo, client, auth, role):
    auth.as_role(role)
    assert client.get("/repertoire/").status_code == 403
    assert client.get("/repertoire/import").status_code == 403


def test_directory_lists_the_coordinators_territory(demo, client, auth):
    auth.as_role("coordinator")
    html = client.get("/repertoire/").get_data(as_text=True)
    mn = [o["name"] for o in demo.organisations if o["territory"] == "mn"]
    assert all(name.replace("'", "&#39;") in html for name in mn)
    assert f"/repertoire/organisations/{VSP_ORG}/modifier" not in html


def test_mn_coordinator_cannot_touch_another_territory(demo, graph, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    vsp_person = people_of(demo, VSP_ORG)[0]
    assert client.get(f"/repertoire/organisations/{VSP_ORG}/modifier").status_code == 403
    attempts = [
        (f"/repertoire/organisations/{VSP_ORG}/modifier", organisation_form(territory="vsp", served=["vsp"])),
        ("/repertoire/organisations/nouvelle", organisation_form(territory="vsp", served=["vsp"])),
        (f"/repertoire/organisations/{MN_ORG}/modifier", organisation_form(territory="vsp")),  # moving it away
        (f"/repertoire/organisations/{VSP_ORG}/services/nouveau", {"name": "Service pirate"}),
        (f"/repertoire/personnes/{vsp_person}/modifier", {"name": "Renommée", "kind": "intervenant"}),
        (f"/repertoire/personnes/{vsp_person}/emplois/fin", {"organisation": VSP_ORG, "until": "2025-01-01"}),
        ("/repertoire/personnes/nouvelle", {"name": "X", "kind": "intervenant", "organisation": VSP_ORG,
                                             "since": "2024-01-01"}),
    ]
    vsp_people = people_of(demo, VSP_ORG) + people_of(demo, "o-vsp-02")
    attempts.append(("/repertoire/liens/nouveau", {"person_a": vsp_people[0], "person_b": vsp_people[1],
                                                   "since": "2025-01-01", "origin": "declared", "level": "networking"}))
    for url, data in attempts:
        assert client.post(url, data=data).status_code == 403, url
    assert graph_fingerprint(graph) == before


def test_coordinator_of_all_territories_and_admin_may_edit_anywhere(demo, graph, client, auth):
    auth.as_role("coordinator_all")
    assert client.get(f"/repertoire/organisations/{VSP_ORG}/modifier").status_code == 200
    auth.logout()
    auth.as_role("admin")
    response = client.post(f"/repertoire/organisations/{VSP_ORG}/modifier",
                           data=organisation_form(territory="vsp", served=["vsp"], postal_code="H2R 1A1"))
    assert response.status_code == 302
    assert OrganisationRepository(graph).get(VSP_ORG)["name"] == "Carrefour des parents du Nord"


def test_add_an_organisation_placed_offline_at_its_postal_area(demo, graph, client, auth):
    auth.as_role("coordinator")
    response = client.post("/repertoire/organisations/nouvelle", data=organisation_form())
    assert response.status_code == 302
    organisation_id = response.headers["Location"].rsplit("/", 1)[-1]
    saved = OrganisationRepository(graph).get(organisation_id)
    lat, lon, _ = fsa_table()["H1H"]
    assert saved["postal_code"] == "H1H 1J5" and saved["territory"] == "mn" and saved["served"] == ["mn"]
    assert (saved["latitude"], saved["longitude"], saved["location_source"]) == (lat, lon, "postal_area")
    assert PlacesRepository(graph).territory_at(saved["latitude"], saved["longitude"]) == "mn"
    change = ChangeRepository(graph).list()[0]
    assert change["user"] == "coordination.mn@demo.reseau-ei.ca" and change["action"] == "create"
    assert change["entity_id"] == organisation_id and change["territories"] == ["mn"]
    # It shows on the territory's map, and the log shows who added it.
    assert "Carrefour des parents du Nord" in client.get("/territoires/mn/carte").get_data(as_text=True)
    assert "Carrefour des parents du Nord" not in client.get("/territoires/mn/carte/plan?date=2022-10-01").get_data(
        as_text=True)  # it did not exist yet
    assert "coordination.mn@demo.reseau-ei.ca" in client.get("/repertoire/journal").get_data(as_text=True)


def test_position_adjusted_by_hand_is_kept(demo, graph, client, auth):
    auth.as_role("coordinator")
    data = organisation_form(manual_position="y", latitude="45.6012", longitude="-73.6301")
    organisation_id = client.post("/repertoire/organisations/nouvelle", data=data).headers["Location"].rsplit("/")[-1]
    saved = OrganisationRepository(graph).get(organisation_id)
    assert (saved["latitude"], saved["longitude"], saved["location_source"]) == (45.6012, -73.6301, "manual")
    # Editing something else keeps the hand-placed point.
    client.post(f"/repertoire/organisations/{organisation_id}/modifier", data={**data, "manual_position": "",
                                                                               "phone": "514 555-0199"})
    again = OrganisationRepository(graph).get(organisation_id)
    assert (again["latitude"], again["longitude"], again["phone"]) == (45.6012, -73.6301, "514 555-0199")


@pytest.mark.parametrize("overrides, message", [
    ({"postal_code": "12345"}, "Code postal invalide"),
    ({"postal_code": "K1A 0B1"}, "placez le point vous-même"),  # Ottawa: not in the Montréal table
    ({"manual_position": "y", "latitude": "48.1", "longitude": "-70.2"}, "pas sur l'île de Montréal"),
    ({"phone": "appelez-moi"}, "téléphone invalide"),
    ({"name": None}, "porte déjà ce nom"),  # the name of an organisation already in the territory
])
def test_bad_organisation_input_changes_nothing(demo, graph, client, auth, overrides, message):
    if "name" in overrides:
        overrides = {"name": next(o["name"] for o in demo.organisations if o["territory"] == "mn").upper()}
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    response = client.post("/repertoire/organisations/nouvelle", data=organisation_form(**overrides))
    assert response.status_code == 200
    assert message.lower() in html.unescape(response.get_data(as_text=True)).lower()
    assert graph_fingerprint(graph) == before


def test_edit_records_what_changed(demo, graph, client, auth):
    auth.as_role("coordinator")
    current = OrganisationRepository(graph).get(MN_ORG)
    data = organisation_form(name=current["name"], sector=current["sector"], kind=current["kind"],
                             address=current["address"], postal_code=current["postal_code"],
                             phone="514 555-0177", website=current["website"], languages=current["languages"],
                             served=["mn", "vsp"])
    assert client.post(f"/repertoire/organisations/{MN_ORG}/modifier", data=data).status_code == 302
    saved = OrganisationRepository(graph).get(MN_ORG)
    assert saved["phone"] == "514 555-0177" and saved["served"] == ["mn", "vsp"]
    assert (saved["latitude"], saved["longitude"]) == (current["latitude"], current["longitude"])
    summary = ChangeRepository(graph).list()[0]["summary"]
    assert f"phone: {current['phone']} → 514 555-0177" in summary and "served: mn → mn, vsp" in summary
    before = graph_fingerprint(graph)
    client.post(f"/repertoire/organisations/{MN_ORG}/modifier", data=data)  # the same again: nothing to record
    assert graph_fingerprint(graph) == before


def test_services_with_needs(demo, graph, client, auth):
    auth.as_role("coordinator")
    response = client.post(f"/repertoire/organisations/{MN_ORG}/services/nouveau",
                           data={"name": "Clinique d'impôts du printemps", "needs": ["taxes"], "languages": ["fr"]})
    assert response.status_code == 302
    services = OrganisationRepository(graph).get(MN_ORG)["services"]
    added = next(s for s in services if s["name"] == "Clinique d'impôts du printemps")
    assert added["needs"] == ["taxes"]
    client.post(f"/repertoire/services/{added['id']}/modifier",
                data={"name": "Clinique d'impôts", "needs": ["taxes", "employment"], "languages": ["fr"]})
    edited = next(s for s in OrganisationRepository(graph).get(MN_ORG)["services"] if s["id"] == added["id"])
    assert edited["name"] == "Clinique d'impôts" and sorted(edited["needs"]) == ["employment", "taxes"]
    vsp_service = next(s["id"] for s in demo.services if s["organisation"] == VSP_ORG)
    assert client.post(f"/repertoire/services/{vsp_service}/modifier", data={"name": "x"}).status_code == 403


def test_people_jobs_and_leaving(demo, graph, client, auth):
    auth.as_role("coordinator")
    response = client.post("/repertoire/personnes/nouvelle", data={
        "name": "Nadia Benali", "kind": "intervenant", "organisation": MN_ORG, "since": "2024-09-01",
        "email": "Nadia.Benali@exemple.org", "languages": ["fr", "ar"], "listed": "y", "role": "agent_efc"})
    assert response.status_code == 302
    person_id = response.headers["Location"].rsplit("/", 1)[-1]
    person = StaffRepository(graph).get(person_id)
    assert person["email"] == "nadia.benali@exemple.org" and person["kind"] == "intervenant"
    assert [(j["organisation"], str(j["since"]), j["until"]) for j in person["jobs"]] == [(MN_ORG, "2024-09-01", None)]
    assert "Nadia Benali" in client.get("/territoires/mn/carte/plan").get_data(as_text=True)

    # Same e-mail for someone else: refused.
    before = graph_fingerprint(graph)
    again = client.post("/repertoire/personnes/nouvelle", data={
        "name": "Autre", "kind": "intervenant", "organisation": MN_ORG, "since": "2024-09-01",
        "email": "nadia.benali@exemple.org"})
    assert again.status_code == 200 and graph_fingerprint(graph) == before

    # She leaves: history kept, no longer a current contact.
    assert client.post(f"/repertoire/personnes/{person_id}/emplois/fin",
                       data={"organisation": MN_ORG, "until": "2025-06-30"}).status_code == 302
    person = StaffRepository(graph).get(person_id)
    assert [(j["organisation"], str(j["until"])) for j in person["jobs"]] == [(MN_ORG, "2025-06-30")]
    assert "Nadia Benali" not in client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    assert "Nadia Benali" in client.get("/territoires/mn/carte/plan?date=2025-01-01").get_data(as_text=True)
    page = client.get(f"/repertoire/organisations/{MN_ORG}").get_data(as_text=True)
    assert "Nadia Benali" in page and "2025-06-30" in page

    # Working nowhere now, she stays her last territory's: its coordinator hires her again (audit 18c: a
    # coordinator could neither archive nor re-hire someone who had just left an organisation of theirs).
    assert client.post(f"/repertoire/personnes/{person_id}/emplois",
                       data={"organisation": "o-mn-02", "since": "2025-09-01"}).status_code == 302
    # Leaving before arriving is refused.
    before = graph_fingerprint(graph)
    client.post(f"/repertoire/personnes/{person_id}/emplois/fin", data={"organisation": "o-mn-02",
                                                                        "until": "2025-01-01"})
    assert graph_fingerprint(graph) == before
    actions = [c["action"] for c in ChangeRepository(graph).list()]
    assert actions[:3] == ["start_job", "end_job", "create"]


def test_ties_are_recorded_once(demo, graph, client, auth):
    auth.as_role("coordinator")
    linked = {(t["a"], t["b"]) for t in demo.knows}
    mn = [p["id"] for p in demo.people if p.get("territory") == "mn" and p["kind"] == "intervenant"]
    a, b = next((x, y) for x in mn for y in mn if x < y and (x, y) not in linked)
    data = {"person_a": a, "person_b": b, "since": "2025-03-01", "origin": "declared", "level": "cooperation"}
    assert client.post("/repertoire/liens/nouveau", data=data).status_code == 302
    records, _, _ = graph.execute_query("MATCH (:Person {id: $a})-[k:KNOWS]-(:Person {id: $b}) RETURN k", a=a, b=b)
    assert len(records) == 1 and str(records[0]["k"]["since"]) == "2025-03-01"
    before = graph_fingerprint(graph)
    response = client.post("/repertoire/liens/nouveau", data={**data, "since": "2020-01-01"})
    assert response.status_code == 200 and "déjà liées depuis le 2025-03-01" in response.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


def test_change_log_is_scoped(demo, client, auth):
    auth.as_role("coordinator_all")
    client.post(f"/repertoire/organisations/{VSP_ORG}/services/nouveau",
                data={"name": "Service de Villeray", "languages": ["fr"]})
    auth.logout()
    auth.as_role("coordinator")
    client.post(f"/repertoire/organisations/{MN_ORG}/services/nouveau",
                data={"name": "Service du Nord", "languages": ["fr"]})
    html = client.get("/repertoire/journal").get_data(as_text=True)
    assert "Service du Nord" in html and "Service de Villeray" not in html
    auth.logout()
    auth.as_role("admin")
    html = client.get("/repertoire/journal").get_data(as_text=True)
    assert "Service du Nord" in html and "Service de Villeray" in html


def test_nothing_is_chosen_for_the_user_unseen(demo, graph, client, auth):
    """Issue 21: « français » was added silently when no language was ticked, and the new-person form
    preselected the first organisation of the list. French is ticked in sight and said; the organisation is
    the user's choice; neither empty is saved."""
    auth.as_role("admin")
    page = client.get("/repertoire/personnes/nouvelle").get_data(as_text=True)
    assert re.search(r'<select id="organisation" name="organisation"><option value="">— Choisissez —</option>', page)
    assert re.search(r'<input checked id="languages-\d+" name="languages" type="checkbox" value="fr">', page)
    assert "Français coché d'avance — modifiez au besoin." in html.unescape(page)
    before = graph.execute_query("MATCH (p:Person) RETURN count(p) AS n").records[0]["n"]
    response = client.post("/repertoire/personnes/nouvelle", data={
        "name": "Sans choix", "kind": "intervenant", "organisation": "", "since": "2024-09-01"})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code in (200, 422)
    assert "Choisissez dans la liste." in text and "Cochez au moins une case." in text
    assert graph.execute_query("MATCH (p:Person) RETURN count(p) AS n").records[0]["n"] == before


def test_each_consent_says_who_recorded_it_and_when(demo, graph, client, auth):
    """Issue 21: a person's page did not show whether they consented to research. Both consents are shown with
    who recorded them and when: a coordinator's change by their account, one's own profile « by the person »."""
    person = demo.people[0]  # the demo intervenant.e, in Montréal-Nord, with an account
    auth.as_role("coordinator")
    page = html.unescape(client.get(f"/repertoire/personnes/{person['id']}").get_data(as_text=True))
    assert "Recherche (évaluation)" in page and "noté avant le suivi des consentements" in page
    found = StaffRepository(graph).get(person["id"])
    consents = {"listed": "y"} if found["listed"] else {}
    if not found["research_consent"]:  # the coordinator records the opposite of what is held
        consents["research_consent"] = "y"
    client.post(f"/repertoire/personnes/{person['id']}/modifier", data={
        "name": found["name"], "languages": found["languages"], "email": found["email"] or "", **consents})
    page = html.unescape(client.get(f"/repertoire/personnes/{person['id']}").get_data(as_text=True))
    research = page[page.index("Recherche (évaluation)"):][:400]
    assert "noté par coordination" in research and str(clock.today().year) in research
    auth.logout()
    auth.login()  # the person, on their own profile, withdraws
    client.post("/profil/modifier", data={"email": person["email"], "languages": ["fr"]})
    auth.logout()
    auth.as_role("coordinator")
    page = html.unescape(client.get(f"/repertoire/personnes/{person['id']}").get_data(as_text=True))
    assert "n'a pas consenti" in page and "noté par la personne elle-même" in page
