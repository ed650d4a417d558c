"""Found by the second outside pass of issue 21 (pass21b): the journal could be forged by a value, an import
recorded consents nobody gave, an edit relabelled a point, a refused value was echoed with its controls."""

import base64
import html
import io

from graph.repositories.organisations import OrganisationRepository
from graph.repositories.staff import StaffRepository

HEADER = "nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis\n"


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def _edit(client, graph, person_id: str, **changes) -> None:
    found = StaffRepository(graph).get(person_id)
    data = {"name": found["name"], "languages": found["languages"], "email": found["email"] or "",
            "phone": found["phone"] or "", "title": found.get("title") or "",
            **({"listed": "y"} if found["listed"] else {}),
            **({"research_consent": "y"} if found["research_consent"] else {}), **changes}
    assert client.post(f"/repertoire/personnes/{person_id}/modifier", data=data).status_code == 302


def test_a_value_cannot_forge_a_journal_line(demo, graph, client, auth):
    auth.as_role("coordinator")
    person = next(w["person"] for w in demo.works_at if w["organisation"] == "o-mn-02" and w.get("until") is None)
    consent = StaffRepository(graph).get(person)["research_consent"]
    _edit(client, graph, person, title=f"Audit; research_consent: {consent} → {not consent}")
    _edit(client, graph, person, phone="514 555-0142", title="Éducatrice; a &amp; b")
    journal = _page(client, f"/repertoire/journal?fiche={person}")
    assert "Recherche (évaluation) :" not in journal  # nobody changed the consent
    assert f"Titre : (vide) → « Audit; research_consent: {consent} → {not consent} »" in journal
    assert "Téléphone :" in journal and "→ 514 555-0142" in journal and "phone:" not in journal
    assert StaffRepository(graph).get(person)["research_consent"] == consent


def test_an_import_records_no_consent_nobody_gave(demo, graph, client, auth):
    auth.as_role("coordinator")
    organisation = next(o["name"] for o in demo.organisations if o["id"] == "o-mn-02")
    text = HEADER + f"Sans Réponse;sans.reponse@exemple.org;;{organisation};mn;;fr;;2024-09-01\n"
    upload = {"kind": "participants", "file": (io.BytesIO(text.encode("utf-8-sig")), "cahier.csv")}
    preview = html.unescape(client.post("/repertoire/import", data=upload, content_type="multipart/form-data")
                            .get_data(as_text=True))
    assert "consentement pas encore demandé" in preview
    done = client.post("/repertoire/import/confirmer", data={
        "kind": "participants", "content": base64.b64encode(text.encode("utf-8-sig")).decode()})
    assert done.status_code == 302, done.get_data(as_text=True)[-500:]
    person = graph.execute_query("MATCH (p:Person {email: 'sans.reponse@exemple.org'}) "
                                 "RETURN p.id AS id, p.listed AS listed, p.research_consent AS research").records[0]
    assert person["listed"] is None and person["research"] is None
    page = _page(client, f"/repertoire/personnes/{person['id']}")
    assert page.count("pas encore demandé") == 2 and "noté par" not in page.split("Recherche (évaluation)")[1][:200]


def test_an_edit_keeps_the_points_label_and_says_when_the_address_moved_it(demo, graph, client, auth):
    auth.as_role("coordinator")
    organisation = OrganisationRepository(graph).get("o-mn-01")
    form = {"name": organisation["name"], "territory": "mn", "sector": organisation["sector"],
            "kind": organisation["kind"], "postal_code": organisation["postal_code"],
            "address": organisation.get("address") or "", "languages": organisation["languages"],
            "served": organisation["served"], "latitude": organisation["latitude"],
            "longitude": organisation["longitude"]}
    client.post("/repertoire/organisations/o-mn-01/modifier", data={**form, "phone": "514 555-0111"})
    assert "Placement du point" not in _page(client, "/repertoire/journal?fiche=o-mn-01")
    assert OrganisationRepository(graph).get("o-mn-01").get("location_source") == organisation.get("location_source")
    moved = client.post("/repertoire/organisations/o-mn-01/modifier", follow_redirects=True,
                        data={**form, "phone": "514 555-0111", "postal_code": "H1G 3K4"})
    assert "La nouvelle adresse a déplacé le point. Point placé au centre du secteur postal H1G." in html.unescape(
        moved.get_data(as_text=True))


def test_a_refused_value_is_echoed_with_its_controls_shown(demo, client, auth):
    auth.as_role("coordinator")
    text = HEADER + "Nul\x00Octet;nul@exemple.org;;x;mn;;fr;oui;\n" + "\u202eRenversé;rtl@exemple.org;;x;mn;;fr;oui;\n"
    upload = {"kind": "participants", "file": (io.BytesIO(text.encode("utf-8-sig")), "cahier.csv")}
    page = client.post("/repertoire/import", data=upload, content_type="multipart/form-data").get_data(as_text=True)
    assert "\x00" not in page and "\u202e" not in page
    assert "Nul\\u0000Octet" in page and "\\u202eRenversé" in page
    # a zero-width space hides a name's twin: refused as the other invisible characters
    refused = client.post("/repertoire/personnes/nouvelle", data={
        "name": "A\u200bna", "kind": "intervenant", "organisation": "o-mn-02", "since": "2024-09-01",
        "languages": ["fr"]})
    assert "Une seule ligne, sans caractère de contrôle." in html.unescape(refused.get_data(as_text=True))


def test_the_name_filter_offers_only_the_records_of_ones_journal(demo, client, auth):
    """A Montréal-Nord coordinator was offered Villeray's records, whose journal was always empty to them."""
    villeray = next(o["name"] for o in demo.organisations if o["id"] == "o-vsp-01")
    auth.as_role("coordinator_all")
    assert f"Historique de la fiche : {villeray}" in html.unescape(
        client.get("/repertoire/journal", query_string={"nom": villeray}).get_data(as_text=True))
    auth.logout()
    auth.as_role("coordinator")
    page = html.unescape(client.get("/repertoire/journal", query_string={"nom": villeray}).get_data(as_text=True))
    assert "Historique de la fiche" not in page and "Aucune fiche que vous pouvez consulter ne porte ce nom." in page



def test_found_by_the_third_outside_pass(demo, graph, client, auth):
    """pass21c: an edit of a person whose consents were not asked signed two refusals; a value could read as
    another line where the journal's lines are joined (home page, CSV); an import's updates were not in words;
    direction marks passed in names; a seed point opened as « centre du secteur postal »."""
    auth.as_role("coordinator")
    organisation = next(o["name"] for o in demo.organisations if o["id"] == "o-mn-02")
    text = HEADER + f"Pas Demandé;pas.demande@exemple.org;;{organisation};mn;;fr;;2024-09-01\n"
    client.post("/repertoire/import/confirmer", data={
        "kind": "participants", "content": base64.b64encode(text.encode("utf-8-sig")).decode()})
    person = graph.execute_query("MATCH (p:Person {email: 'pas.demande@exemple.org'}) RETURN p.id AS id"
                                 ).records[0]["id"]
    form = _page(client, f"/repertoire/personnes/{person}/modifier")
    assert "Pas encore demandé : cochez si la personne a consenti" in form
    _edit(client, graph, person, phone="514 555-0161")
    found = StaffRepository(graph).get(person)
    assert found.get("listed") is None and found.get("research_consent") is None

    forged = "Vrai ; Recherche (évaluation) : oui → non"
    _edit(client, graph, person, title=forged)
    assert f"Titre : (vide) → « {forged} »" in _page(client, f"/repertoire/journal?fiche={person}")
    assert f"« {forged} »" in client.get(f"/repertoire/journal.csv?fiche={person}").get_data(as_text=True)
    assert f"« {forged} »" in _page(client, "/")

    again = HEADER + f"Pas Demandé;pas.demande@exemple.org;514 555-0199;{organisation};mn;;fr, ar;;2024-09-01\n"
    upload = {"kind": "participants", "file": (io.BytesIO(again.encode("utf-8-sig")), "cahier.csv")}
    preview = html.unescape(client.post("/repertoire/import", data=upload, content_type="multipart/form-data")
                            .get_data(as_text=True))
    assert "Téléphone : 514 555-0161 → 514 555-0199" in preview and "Langues : français → français, arabe" in preview
    assert "phone:" not in preview and "['fr']" not in preview
    client.post("/repertoire/import/confirmer", data={
        "kind": "participants", "content": base64.b64encode(again.encode("utf-8-sig")).decode()})
    journal = _page(client, f"/repertoire/journal?fiche={person}")
    assert "Téléphone : 514 555-0161 → 514 555-0199" in journal and "(CSV, ligne 2)" in journal

    refused = client.post("/repertoire/personnes/nouvelle", data={
        "name": "Ana\u200f", "kind": "intervenant", "organisation": "o-mn-02", "since": "2024-09-01",
        "languages": ["fr"]})
    assert "Une seule ligne, sans caractère de contrôle." in html.unescape(refused.get_data(as_text=True))
    # a point the seed placed, with no source kept (a test that could be skipped made sure it is one)
    graph.execute_query("MATCH (o:Organisation {id: 'o-mn-03'}) REMOVE o.location_source")
    assert "Point tel qu'enregistré." in _page(client, "/repertoire/organisations/o-mn-03/modifier")


def _same_organisation(client, graph, *twins: str) -> None:
    """Each look-alike of o-mn-02's name previews as that organisation, never as a new one."""
    header = "nom;territoire;secteur;type;adresse;code postal;telephone;site web;langues\n"
    found = OrganisationRepository(graph).get("o-mn-02")
    for twin in twins:
        row = f"{twin};mn;{found['sector']};{found['kind']};;{found['postal_code']};;;fr\n"
        upload = {"kind": "organisations", "file": (io.BytesIO((header + row).encode("utf-8-sig")), "o.csv")}
        preview = client.post("/repertoire/import", data=upload, content_type="multipart/form-data")
        assert 'class="row-create"' not in preview.get_data(as_text=True), twin


def _person(client, graph, name: str, **form) -> str:
    response = client.post("/repertoire/personnes/nouvelle", data={
        "name": name, "kind": "intervenant", "organisation": "o-mn-02", "since": "2024-09-01", "languages": ["fr"],
        **form})
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_found_by_the_fourth_outside_pass(demo, graph, client, auth):
    """pass21d: a merge invented a research refusal and lost a consent; a value holding « » or a line break
    still read as a line of its own where lines are joined; the name filter did not pick the exact name; other
    invisible characters passed; an import of a new postal code moved a point placed by hand."""
    auth.as_role("coordinator")
    # a record never asked merged with one that consented: the consent, with who recorded it, is kept
    asked = _person(client, graph, "Audit Fusion Oui", research_consent="y")
    never = _person(client, graph, "Audit Fusion Jamais")
    graph.execute_query("MATCH (p:Person {id: $id}) REMOVE p.research_consent, p.research_consent_recorded_at, "
                        "p.research_consent_recorded_by, p.listed, p.listed_recorded_at, p.listed_recorded_by",
                        id=never)
    assert client.post(f"/repertoire/personnes/{never}/fusionner/{asked}").status_code == 302
    kept = graph.execute_query("MATCH (p:Person {id: $id}) RETURN p.research_consent AS research, "
                               "p.research_consent_recorded_by AS by, p.listed AS listed", id=never).records[0]
    assert (kept["research"], kept["by"], kept["listed"]) == (True, "coordination.mn@demo.reseau-ei.ca", None)

    # quotes and line breaks of a value cannot close its quotes
    forged = "x » ; Recherche (évaluation) : oui → non « y"
    _edit(client, graph, never, title=forged)
    journal = _page(client, f"/repertoire/journal?fiche={never}")
    assert "Titre : (vide) → « x › ; Recherche (évaluation) : oui → non ‹ y »" in journal
    home = _page(client, "/")
    assert '<ul class="change-lines">' in home and "→ « x › ; Recherche" in home
    cells = client.get(f"/repertoire/journal.csv?fiche={never}").get_data(as_text=True)
    assert "→ « x › ; Recherche (évaluation) : oui → non ‹ y »" in cells

    # the exact name is the one meant
    _person(client, graph, "Audit Org")
    _person(client, graph, "Audit Org Forge")
    assert "Historique de la fiche : Audit Org" in _page(client, "/repertoire/journal?nom=audit+org")

    for invisible in ("\u2063", "\U000e0041", "\u2061"):
        refused = client.post("/repertoire/personnes/nouvelle", data={
            "name": f"Ana{invisible}", "kind": "intervenant", "organisation": "o-mn-02", "since": "2024-09-01",
            "languages": ["fr"]})
        assert "Une seule ligne, sans caractère de contrôle." in html.unescape(refused.get_data(as_text=True))

    # an organisation's point placed by hand stays when an import changes its postal code
    graph.execute_query("MATCH (o:Organisation {id: 'o-mn-02'}) SET o.location_source = 'manual', "
                        "o.location = point({latitude: 45.6012, longitude: -73.6301})")
    organisation = OrganisationRepository(graph).get("o-mn-02")
    header = "nom;territoire;secteur;type;adresse;code postal;telephone;site web;langues\n"
    row = f"{organisation['name']};mn;{organisation['sector']};{organisation['kind']};;H1G 3K4;;;fr\n"
    content = base64.b64encode((header + row).encode("utf-8-sig")).decode()
    upload = {"kind": "organisations", "file": (io.BytesIO((header + row).encode("utf-8-sig")), "orgs.csv")}
    preview = html.unescape(client.post("/repertoire/import", data=upload, content_type="multipart/form-data")
                            .get_data(as_text=True))
    assert "le point, placé à la main, reste où il est" in preview
    client.post("/repertoire/import/confirmer", data={"kind": "organisations", "content": content})
    after = OrganisationRepository(graph).get("o-mn-02")
    assert after["postal_code"] == "H1G 3K4" and (after["latitude"], after["longitude"]) == (45.6012, -73.6301)


def test_found_by_the_fifth_outside_pass(demo, graph, client, auth):
    """pass21e: a person's own profile changes never reached the journal; a merge changed consents without the
    journal saying so, kept « listé.e » over a refusal and showed « pas encore demandé » as « non »; an import
    creation's name was not quoted; look-alike names (a joiner, a Hangul filler) were new organisations."""
    me = graph.execute_query("MATCH (:User {email: 'intervenant@demo.reseau-ei.ca'})-[:IS]->(p:Person) "
                             "RETURN p.id AS id").records[0]["id"]
    auth.as_role("intervenant")
    before = StaffRepository(graph).get(me)
    assert client.post("/profil/modifier", data={
        "email": before["email"], "phone": "514 555-0188", "languages": before["languages"], "listed": "y",
        "research_consent": "y"}).status_code == 302
    auth.logout()
    auth.as_role("coordinator")
    journal = _page(client, f"/repertoire/journal?fiche={me}")
    assert "Téléphone :" in journal and "→ 514 555-0188" in journal and before["email"] in journal

    listed = _person(client, graph, "Audit Fusion Listé", listed="y", research_consent="y")
    refused = _person(client, graph, "Audit Fusion Refus")
    graph.execute_query("MATCH (p:Person {id: $id}) SET p.listed = false, p.research_consent = false, "
                        "p.listed_recorded_by = 'x', p.research_consent_recorded_by = 'x'", id=refused)  # refused
    merge_page = _page(client, f"/repertoire/personnes/{listed}/fusionner/{refused}")
    assert "un refus sur l'une des deux fiches l'emporte" in merge_page
    assert client.post(f"/repertoire/personnes/{listed}/fusionner/{refused}").status_code == 302
    kept = StaffRepository(graph).get(listed)
    assert (kept["listed"], kept["research_consent"]) == (False, False)  # a refusal is never lost
    journal = _page(client, f"/repertoire/journal?fiche={listed}")
    assert "Répertoire : oui → non" in journal and "Recherche (évaluation) : oui → non" in journal

    organisation = next(o["name"] for o in demo.organisations if o["id"] == "o-mn-02")
    text = HEADER + "Audit Créé;audit.cree@exemple.org;;" + organisation + ";mn;;fr;oui;2024-09-01\n"
    client.post("/repertoire/import/confirmer", data={
        "kind": "participants", "content": base64.b64encode(text.encode("utf-8-sig")).decode()})
    assert "« Audit Créé » (CSV, ligne 2)" in _page(client, "/repertoire/journal")

    _same_organisation(client, graph, organisation.replace("-", "\u200d-", 1), organisation.replace(" ", "\u3164", 1))



def test_found_by_the_sixth_outside_pass(demo, graph, client, auth):
    """pass21f: a new person's unticked boxes were two refusals nobody gave (then won a merge); a person's name
    was unquoted in its creation line; look-alike names with a grapheme joiner or a selector were new
    organisations; a Villeray organisation's changes never reached the journal of a territory it serves."""
    auth.as_role("coordinator_all")
    assert "Pas encore demandé : cochez si la personne a consenti" in _page(client, "/repertoire/personnes/nouvelle")
    forged = "Audit Nouvelle, à X depuis le 1 janvier 2020 ; Recherche (évaluation) : (vide) → oui"
    new = _person(client, graph, forged)
    found = StaffRepository(graph).get(new)
    assert found.get("listed") is None and found.get("research_consent") is None
    assert f"« {forged} »" in _page(client, f"/repertoire/journal?fiche={new}")

    villeray = OrganisationRepository(graph).get("o-vsp-01")
    client.post("/repertoire/organisations/o-vsp-01/modifier", data={
        "name": villeray["name"], "territory": "vsp", "sector": villeray["sector"], "kind": villeray["kind"],
        "postal_code": villeray["postal_code"], "address": villeray.get("address") or "",
        "languages": villeray["languages"], "served": ["vsp", "mn"], "phone": "514 555-0177",
        "latitude": villeray["latitude"], "longitude": villeray["longitude"]})
    auth.logout()
    auth.as_role("coordinator")  # Montréal-Nord's: the organisation now serves them
    assert "514 555-0177" in _page(client, "/repertoire/journal")

    organisation = next(o["name"] for o in demo.organisations if o["id"] == "o-mn-02")
    _same_organisation(client, graph, organisation.replace("-", "\u034f-", 1), organisation.replace(" ", " \ufe0f", 1))
