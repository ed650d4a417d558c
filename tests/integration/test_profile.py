"""A person sees, corrects and erases what is held about them."""

from tests.conftest import DEMO_ACCOUNTS, graph_fingerprint


def _person(graph, person_id):
    records, _, _ = graph.execute_query("MATCH (p {id: $id}) RETURN p, labels(p) AS labels", id=person_id)
    return records[0] if records else None


def test_profile_shows_what_is_held(demo, client, auth):
    auth.login()
    page = client.get("/profil/").get_data(as_text=True)
    person = demo.people[0]
    assert person["name"] in page and person["email"] in page


def test_profile_correction_is_saved(demo, client, auth, graph):
    auth.login()
    response = client.post("/profil/modifier", data={
        "email": "nouvelle.adresse@example.org", "phone": "514 555-0199",
        "languages": ["fr", "ar"], "expertise": ["housing", "taxes"], "listed": "y", "research_consent": "y",
    })
    assert response.status_code == 302
    person = _person(graph, demo.people[0]["id"])["p"]
    assert person["email"] == "nouvelle.adresse@example.org" and person["languages"] == ["fr", "ar"]
    records, _, _ = graph.execute_query("MATCH (:Person {id: $id})-[:HAS_EXPERTISE]->(n) RETURN n.id AS n ORDER BY n",
                                        id=demo.people[0]["id"])
    assert [r["n"] for r in records] == ["housing", "taxes"]


def test_bad_profile_input_changes_nothing(demo, client, auth, graph):
    auth.login()
    before = graph_fingerprint(graph)
    response = client.post("/profil/modifier", data={"email": "pas-un-courriel", "phone": "abc", "languages": ["ar"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Numéro de téléphone invalide" in page and "Le français fait partie" in page
    assert graph_fingerprint(graph) == before


def test_erasure_removes_details_and_account_but_keeps_anonymous_counts(demo, client, auth, graph):
    counts_query = """
        MATCH (p:Intervenant)-[:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t:Territory)
        RETURN t.id AS t, count(p) AS people, COUNT { (:Intervenant)-[:KNOWS]-() } AS ends ORDER BY t
    """
    counts_before = graph.execute_query(counts_query)[0]
    person = demo.people[0]
    auth.login()
    assert client.post("/profil/effacer", data={"confirm": "non"}).status_code == 200
    assert _person(graph, person["id"])["p"]["name"] == person["name"]
    assert client.post("/profil/effacer", data={"confirm": "EFFACER"}).status_code == 302
    erased = _person(graph, person["id"])
    assert "Person" not in erased["labels"] and "Erased" in erased["labels"]
    assert set(erased["p"].keys()) == {"id", "erased", "research_consent"}
    assert graph.execute_query(counts_query)[0] == counts_before
    assert auth.login(DEMO_ACCOUNTS["intervenant"]).status_code == 200  # account gone: the form again
    records, _, _ = graph.execute_query("MATCH (u:User)-[:IS]->({id: $id}) RETURN u", id=person["id"])
    assert records == []


def test_accounts_without_a_person_see_their_account(demo, client, auth):
    auth.as_role("evaluator")
    assert "aucune personne" in client.get("/profil/").get_data(as_text=True)
    assert client.get("/profil/modifier").status_code == 404


def test_a_person_writes_their_own_title_and_colleagues_read_it(demo, client, auth, graph):
    auth.login()
    me = demo.people[0]
    response = client.post("/profil/modifier", data={"title": "Éducateur à la petite enfance", "languages": ["fr"],
                                                     "listed": "y"})
    assert response.status_code == 302 and _person(graph, me["id"])["p"]["title"] == "Éducateur à la petite enfance"
    assert "Éducateur à la petite enfance" in client.get("/profil/").get_data(as_text=True)
    refused = client.post("/profil/modifier", data={"title": "=HYPERLINK(1)", "languages": ["fr"]})
    assert refused.status_code == 200 and _person(graph, me["id"])["p"]["title"] == "Éducateur à la petite enfance"
    auth.logout()
    auth.as_role("coordinator")
    card = client.get(f"/contacts/{me['id']}").get_data(as_text=True)
    assert "Éducateur à la petite enfance" in card and "Éducation à la petite enfance" not in card
