"""What a coordinator sees of an organisation's point is what is saved (issue 21, second outside pass): the
form's pin goes where the address puts it, said in words and with the territory it falls in; coordinates are
read with a decimal comma and typed ones are kept; defaults are said only where they were chosen."""

import html

from graph.repositories.organisations import OrganisationRepository

ORGANISATION = {"territory": "mn", "sector": "family", "kind": "community", "languages": ["fr"]}


def _organisation(graph, name: str) -> dict:
    found = graph.execute_query("MATCH (o:Organisation {name: $name}) RETURN o.id AS id", name=name).records[0]
    return OrganisationRepository(graph).get(found["id"])


def test_the_pin_shows_where_saving_puts_the_address(demo, graph, client, auth):
    auth.as_role("coordinator")
    point = client.get("/repertoire/organisations/point?code_postal=h1h1j5&territoire=mn&adresse=4000+Henri-Bourassa")
    assert point.status_code == 200 and point.is_json
    found = point.get_json()
    assert "H1H" in found["said"] and "Glissez l'épingle" in found["said"] and found["warning"] is None
    client.post("/repertoire/organisations/nouvelle", data={
        **ORGANISATION, "name": "Ce que je vois", "address": "4000 Henri-Bourassa", "postal_code": "H1H 1J5"})
    saved = _organisation(graph, "Ce que je vois")
    assert (saved["latitude"], saved["longitude"], saved["location_source"]) == (
        found["latitude"], found["longitude"], found["source"])

    # A Villeray postal code for an organisation said to be in Montréal-Nord is pointed out before saving.
    elsewhere = client.get("/repertoire/organisations/point?code_postal=H2R+6V6&territoire=mn").get_json()
    assert "Villeray" in elsewhere["warning"]
    for query, said in (("code_postal=", "Code postal invalide"), ("code_postal=K1A+0B1", "placez le point")):
        refused = client.get(f"/repertoire/organisations/point?{query}")
        assert refused.status_code == 422 and said in refused.get_json()["error"]
    auth.logout()
    auth.as_role("intervenant")
    assert client.get("/repertoire/organisations/point?code_postal=H1H+1J5").status_code == 403


def test_typed_coordinates_are_kept_with_a_decimal_comma(demo, graph, client, auth):
    auth.as_role("coordinator")
    response = client.post("/repertoire/organisations/nouvelle", data={
        **ORGANISATION, "name": "Virgule décimale", "postal_code": "H1H 1J5", "latitude": "45,5901",
        "longitude": "-73,6290"})
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[-800:]
    saved = _organisation(graph, "Virgule décimale")
    # typed without ticking « Je place le point moi-même »: theirs all the same, not the postal area's centre
    assert (saved["latitude"], saved["longitude"], saved["location_source"]) == (45.5901, -73.629, "manual")
    refused = client.post("/repertoire/organisations/nouvelle", data={
        **ORGANISATION, "name": "Pas un nombre", "postal_code": "H1H 1J5", "manual_position": "y",
        "latitude": "45°35'", "longitude": "-73,6"})
    assert "Écrivez un nombre, ex. 45,59412 ou 45.59412." in html.unescape(refused.get_data(as_text=True))

    # The box unticked on an organisation placed by hand: the address places it again.
    form = {**ORGANISATION, "name": "Virgule décimale", "postal_code": "H1H 1J5", "latitude": "45.5901",
            "longitude": "-73.629"}
    client.post(f"/repertoire/organisations/{saved['id']}/modifier", data={**form, "latitude": "", "longitude": ""})
    again = OrganisationRepository(graph).get(saved["id"])
    assert again["location_source"] == "postal_area" and again["latitude"] != 45.5901


def test_defaults_are_said_where_they_were_chosen(demo, client, auth):
    auth.as_role("coordinator")
    french_first = "Français coché d'avance"
    today = "Aujourd'hui par défaut — modifiez au besoin."
    new = html.unescape(client.get("/repertoire/personnes/nouvelle").get_data(as_text=True))
    assert french_first in new and today in new
    assert french_first in html.unescape(client.get("/repertoire/organisations/nouvelle").get_data(as_text=True))
    for edited in ("/repertoire/organisations/o-mn-01/modifier", "/repertoire/personnes/p-001/modifier"):
        assert french_first not in html.unescape(client.get(edited).get_data(as_text=True)), edited
    assert today in html.unescape(client.get("/repertoire/liens/nouveau").get_data(as_text=True))
    assert today in html.unescape(client.get("/repertoire/personnes/p-001").get_data(as_text=True))

    # No organisation sent at all: one error under the list, not « invalid » and « tick a box » both.
    refused = html.unescape(client.post("/repertoire/personnes/nouvelle", data={
        "name": "Sans organisation", "kind": "intervenant", "since": "2024-09-01", "languages": ["fr"]}
    ).get_data(as_text=True))
    assert refused.count('id="organisation-error"') == 1 and "Cochez au moins une case." not in refused


def test_the_admins_home_says_the_service_answers(demo, client, auth):
    auth.as_role("admin")
    home = html.unescape(client.get("/").get_data(as_text=True))
    assert "la base de données répond" in home and 'href="/sante"' not in home
    assert home.index("Administration") < home.index('class="territories"')
