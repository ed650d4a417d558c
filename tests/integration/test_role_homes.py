"""Each role lands on its own page (issue 21: the evaluator's home was headed « Qui appeler pour cette
famille ? », a coordinator's did not show their territory, and the territory cards were not links)."""

import html
import re

import pytest

from tests.conftest import DEMO_ACCOUNTS


def home(client, auth, role) -> tuple[int, str, str]:
    auth.login(DEMO_ACCOUNTS[role])
    response = client.get("/")
    return response.status_code, response.headers.get("Location", ""), html.unescape(response.get_data(as_text=True))


def test_an_intervenant_lands_on_who_to_call_and_their_referrals(demo, client, auth):
    status, _, page = home(client, auth, "intervenant")
    assert status == 200 and "Qui appeler pour cette famille ?" in page and 'role="search"' in page


def test_an_evaluator_lands_on_the_comparisons(demo, client, auth):
    status, location, _ = home(client, auth, "evaluator")
    assert status == 302 and location.endswith("/evaluation/")


def test_a_coordinator_lands_on_their_territory_and_this_weeks_changes(demo, client, auth):
    auth.as_role("coordinator")
    client.post("/repertoire/organisations/o-mn-01/services/nouveau",
                data={"name": "Halte du samedi", "languages": ["fr"]})
    auth.logout()
    status, _, page = home(client, auth, "coordinator")
    assert status == 200 and "<h1>Montréal-Nord</h1>" in page and "Qui appeler pour cette famille" not in page
    assert 'href="/territoires/mn/carte"' in page and "Villeray" not in page
    week = page[page.index("Cette semaine dans le répertoire"):]
    assert "Halte du samedi" in week and 'href="/repertoire/journal?du=' in week


@pytest.mark.parametrize("role", ["coordinator_all", "admin"])
def test_a_coordinator_of_all_and_an_admin_see_every_territory(demo, client, auth, role):
    status, _, page = home(client, auth, role)
    assert status == 200 and len(re.findall(r'<h2 class="h3"><a href="/territoires/\w+/carte">', page)) == 6
    assert ('href="/admin/comptes"' in page) == (role == "admin")


def test_a_visitors_territory_cards_are_links(demo, client):
    page = client.get("/").get_data(as_text=True)
    assert len(re.findall(r'<h3><a href="/territoires/\w+/carte">', page)) == 6
