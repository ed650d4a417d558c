"""« Mon réseau »: ties by how people met, declared ties the other person confirms or removes."""

from datetime import date

import pytest

from graph.loader import load_network
from graph.repositories.ties import TieError, TieRepository
from tests.conftest import graph_fingerprint
from tests.integration.test_referrals import knows, login, pair_network


@pytest.fixture
def pair(graph):
    load_network(graph, pair_network())
    return graph


def declare(client, person, since="2024-03-01", level="cooperation"):
    return client.post("/reseau/liens", data={"person": person, "since": since, "level": level},
                       follow_redirects=True)


def test_my_network_groups_people_by_how_we_met(pair, client):
    login(client, "s")
    html = client.get("/reseau/").get_data(as_text=True)
    assert "Avant EI (1)" in html and "Xavier Tiers" in html
    assert "depuis mai 2021" in html
    # People I am not tied to can be declared; those I know, the unlisted and I cannot.
    form = html[html.index('name="person"'):html.index("</select>", html.index('name="person"'))]
    assert "Rania Receiver" in form and "Xavier Tiers" not in form and "Ursule" not in form and "Sandrine" not in form


def people_listed(html: str) -> str:
    return html[html.index('name="person"'):html.index("</select>", html.index('name="person"'))]


def test_the_people_to_declare_are_found_by_name_without_javascript(demo, client, auth):
    auth.as_role("intervenant")
    everyone = client.get("/reseau/").get_data(as_text=True)
    assert "cherchez un nom pour trouver les autres" in everyone and people_listed(everyone).count("<option") == 31
    found = client.get("/reseau/", query_string={"qui": "souad amrani"}).get_data(as_text=True)
    assert people_listed(found).count("<option") == 2 and "Souad Amrani" in people_listed(found)
    assert "1 personne correspond" in found
    accents = client.get("/reseau/", query_string={"qui": "MONTREAL NORD"}).get_data(as_text=True)
    assert people_listed(accents).count("<option") > 2 and "Montréal-Nord" in people_listed(accents)
    for words in ("zzz", "'", "_", "(", " - "):
        nobody = client.get("/reseau/", query_string={"qui": words}).get_data(as_text=True)
        assert "Personne ne correspond" in nobody and people_listed(nobody).count("<option") == 1, words
    too_long = client.get("/reseau/", query_string={"qui": "x" * 200})
    assert too_long.status_code == 200 and "80 caractères au plus" in too_long.get_data(as_text=True)


def test_a_declared_tie_is_seen_and_confirmed_by_the_other_person(pair, client):
    login(client, "s")
    page = declare(client, "r").get_data(as_text=True)
    assert "Lien déclaré" in page and "en attente de confirmation" in page
    [tie] = knows(pair, "s", "r")
    assert tie["origin"] == "declared" and tie["declared_by"] == "s" and tie["confirmed"] is False
    assert tie["since"].to_native() == date(2024, 3, 1) and tie["level"] == "cooperation"
    client.post("/deconnexion")
    login(client, "r")
    html = client.get("/reseau/").get_data(as_text=True)
    assert "Liens à confirmer" in html and "Sandrine Sender" in html
    assert "Lien confirmé" in client.post("/reseau/liens/s/confirmer", follow_redirects=True).get_data(as_text=True)
    [tie] = knows(pair, "s", "r")
    assert tie["confirmed"] is True and tie["since"].to_native() == date(2024, 3, 1)
    # A confirmed tie stays: neither person can remove it any more.
    assert "pas en attente" in client.post("/reseau/liens/s/retirer", follow_redirects=True).get_data(as_text=True)
    assert len(knows(pair, "s", "r")) == 1


def test_the_other_person_can_remove_a_declared_tie(pair, client):
    login(client, "s")
    declare(client, "r")
    client.post("/deconnexion")
    login(client, "r")
    assert "Lien retiré" in client.post("/reseau/liens/s/retirer", follow_redirects=True).get_data(as_text=True)
    assert knows(pair, "s", "r") == []


def test_the_declarer_cannot_confirm_their_own_declaration(pair, client):
    login(client, "s")
    declare(client, "r")
    page = client.post("/reseau/liens/r/confirmer", follow_redirects=True).get_data(as_text=True)
    assert "pas en attente" in page and knows(pair, "s", "r")[0]["confirmed"] is False


def test_an_existing_tie_is_never_overwritten(pair):
    before = graph_fingerprint(pair)
    with pytest.raises(TieError) as error:
        TieRepository(pair).declare("s", "x", date(2024, 1, 1), "collaboration", now=None)
    assert error.value.code == "exists" and graph_fingerprint(pair) == before


@pytest.mark.parametrize("data,message", [
    ({"person": "u", "since": "2024-01-01", "level": "networking"}, "pas dans le répertoire"),
    ({"person": "s", "since": "2024-01-01", "level": "networking"}, "pas dans le répertoire"),
    ({"person": "r", "since": "2999-01-01", "level": "networking"}, "dans le futur"),
    ({"person": "r", "since": "hier", "level": "networking"}, "date valide"),
    ({"person": "r", "since": "2024-01-01", "level": "friends"}, "Niveau inconnu"),
])
def test_declaration_errors_change_nothing(pair, client, data, message):
    login(client, "s")
    before = graph_fingerprint(pair)
    page = client.post("/reseau/liens", data=data, follow_redirects=True).get_data(as_text=True)
    assert message in page and graph_fingerprint(pair) == before


def test_two_declarations_of_the_same_pair_make_one_tie(pair):
    import threading

    ties = TieRepository(pair)
    errors = []

    def declare_one(me, other):
        try:
            ties.declare(me, other, date(2024, 1, 1), "networking", now=None)
        except TieError as error:
            errors.append(error.code)

    threads = [threading.Thread(target=declare_one, args=pair_) for pair_ in (("s", "r"), ("r", "s"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(knows(pair, "s", "r")) == 1 and errors == ["exists"]


def test_my_referrals_are_counted(pair, client):
    login(client, "s")
    client.post("/api/v1/referrals", json={"to": "r", "need": "mental-health"})
    html = client.get("/reseau/").get_data(as_text=True)
    assert "1 référence envoyée" in html and "Aucune référence reçue" in html


def test_tie_origins_read_the_same_in_the_directory_the_network_and_the_evaluation(demo, client, auth):
    auth.as_role("intervenant")
    pages = [client.get("/reseau/").get_data(as_text=True)]
    auth.logout()
    auth.as_role("coordinator")
    pages += [client.get(path).get_data(as_text=True)
              for path in ("/repertoire/liens/nouveau", "/evaluation/mn?origin=ei_session")]
    for page in pages:
        assert "Lors d'une séance EI" in page.replace("&#39;", "'")
