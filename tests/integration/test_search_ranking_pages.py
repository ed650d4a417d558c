"""Search results through the API and the page, on the small network of test_search_ranking.py (its
docstring gives the order and the scores): the reasons given, the people not taking referrals, « open now »;
and how much of the projection a search reads (the same order either way)."""

from datetime import datetime

from graph.search_criteria import Reading
from tests.integration.test_search_ranking import (
    PASSWORD,
    fixture_small,  # noqa: F401 — the `small` fixture, for pytest
    search,
)


def test_results_through_the_api_say_why(small, client):
    client.post("/connexion", data={"email": "me@example.org", "password": PASSWORD})
    response = client.get("/api/v1/contacts", query_string={"need": "santé mentale", "territory": "mn"})
    assert response.status_code == 200
    results = {r["id"]: r for r in response.json["results"]}
    assert [r["id"] for r in response.json["results"]] == ["b", "a", "c", "i", "h", "f"]
    assert response.json["total"] == 6 and response.json["total_exact"] is True and response.json["page"] == 1
    assert "Vous vous connaissez depuis janvier 2023" in results["a"]["reasons"]
    assert results["a"]["path"] == [{"id": "me", "name": "Personne ME"}, {"id": "a", "name": "Personne A"}]
    assert results["c"]["path"][1] == {"id": "a", "name": "Personne A"}
    assert "Personne A, que vous connaissez, travaille avec cette personne" in results["c"]["reasons"]
    assert "Expertise : santé mentale" in results["b"]["reasons"]
    assert "Service : Écoute" in results["h"]["reasons"]
    assert "2 références réussies" in results["i"]["reasons"]
    assert "1,0 km de votre organisme" in results["b"]["reasons"]
    assert results["h"]["path"] == []  # the tie dated next month does not count yet
    assert results["f"]["not_accepting_until"] and not any("références jusqu" in r for r in results["f"]["reasons"])
    language = client.get("/api/v1/contacts", query_string={"need": "mental-health", "language": "ar"}).json
    assert "Parle arabe" in {r["id"]: r for r in language["results"]}["b"]["reasons"]
    assert "Service offert en arabe" in {r["id"]: r for r in language["results"]}["h"]["reasons"]


def test_the_page_marks_people_not_taking_referrals(small, client):
    client.post("/connexion", data={"email": "me@example.org", "password": PASSWORD})
    html = client.get("/qui-appeler", query_string={"need": "santé mentale"}).get_data(as_text=True)
    assert "Personne F" in html and "Ne prend pas de références jusqu" in html
    assert html.index("Personne B") < html.index("Personne A") < html.index("Personne F")
    assert "Personne D" not in html and "Personne E" not in html and "Personne G" not in html


def test_open_now_keeps_people_whose_service_is_open(small, client, monkeypatch):
    from referral.search import web

    client.post("/connexion", data={"email": "me@example.org", "password": PASSWORD})
    tuesday_noon = datetime(2025, 3, 4, 12, 0)
    sunday_noon = datetime(2025, 3, 9, 12, 0)
    monkeypatch.setattr(web, "local_now", lambda: tuesday_noon)
    open_ids = [r["id"] for r in client.get("/api/v1/contacts", query_string={
        "need": "mental-health", "open_now": "1"}).json["results"]]
    # a and c match by expertise only: their organisation's only service (o3, weekdays) is open too.
    assert open_ids == ["b", "a", "c", "i", "h", "f"]
    monkeypatch.setattr(web, "local_now", lambda: sunday_noon)
    assert client.get("/api/v1/contacts", query_string={"need": "mental-health", "open_now": "1"}).json["total"] == 0
    assert client.get("/api/v1/contacts", query_string={"need": "mental-health", "open_now": "0"}).json["total"] == 6


def test_an_expert_without_a_service_for_the_need_shows_her_organisations_hours(small, client):
    # A works at o3, whose only service (legal aid, weekdays) is not for mental health: its hours still say
    # when the organisation is open, as « ouvert maintenant » reads them.
    client.post("/connexion", data={"email": "me@example.org", "password": PASSWORD})
    html = client.get("/qui-appeler", query_string={"need": "santé mentale"}).get_data(as_text=True)
    card_a = html[html.index("Personne A"):html.index("</li>", html.index("Personne A"))]
    assert 'class="hours-state"' in card_a


def test_a_small_projection_is_read_whole_a_large_one_by_tiers(small):
    """The search reads every tier at once when the need has at most `whole_up_to` entries: the same order,
    and an exact total where the tiers give a lower bound (test_search_ranking.py's third row settles the
    page: nobody below the top tier is read)."""
    with small.session() as session:
        entries = session.run("MATCH ()-[c:CAN_HELP {need: 'mental-health'}]->() RETURN count(c) AS n").single()["n"]
    by_tiers = search(small, limit=3, reading=Reading.BY_TIERS, whole_up_to=entries - 1)
    whole = search(small, limit=3, reading=Reading.BY_TIERS, whole_up_to=entries)
    assert [r["id"] for r in by_tiers["rows"]] == [r["id"] for r in whole["rows"]] == ["b", "a", "c"]
    assert (by_tiers["total"], by_tiers["exact"]) == (4, False) and (whole["total"], whole["exact"]) == (6, True)


def test_open_now_is_yes_or_no_never_a_guess(small, client):
    """Outside pass 16e: « open_now=maybe » answered 200, taken for yes; the words of links and scripts are read,
    anything else is refused (the API with its JSON error on the field, as for every other bad value)."""
    client.post("/connexion", data={"email": "me@example.org", "password": PASSWORD})
    for word in ("maybe", "2", "vrai"):
        refused = client.get("/api/v1/contacts", query_string={"need": "mental-health", "open_now": word})
        assert refused.status_code in (400, 422) and "open_now" in refused.json["error"]["fields"], word
        page = client.get("/qui-appeler", query_string={"need": "mental-health", "open_now": word})
        assert page.status_code == 200 and "Cette case se coche ou se laisse vide." in page.get_data(as_text=True)
    for word in ("true", "1", "oui", "y", "false", "0", "non", ""):
        assert client.get("/api/v1/contacts", query_string={"need": "mental-health", "open_now": word}
                          ).status_code == 200, word
