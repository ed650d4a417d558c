"""« Qui appeler ? » on the demo network: accents and typos, consent, every input error, pages."""

from datetime import date, timedelta

import pytest

from graph.repositories.needs import NeedRepository
from referral import clock
from seed.reference.taxonomy import NEED_IDS
from seed.reference.territories import TERRITORY_IDS


@pytest.fixture
def searcher(demo, client, auth):
    auth.as_role("intervenant")
    return client


def contacts(client, **params):
    return client.get("/api/v1/contacts", query_string=params)


@pytest.mark.parametrize("text,need", [
    ("santé mentale", "mental-health"),
    ("sante mentale", "mental-health"),
    ("SANTÉ MENTALE", "mental-health"),
    ("santé mentle", "mental-health"),
    ("avocat", "legal-immigration"),
    ("impots", "taxes"),
    ("impôts", "taxes"),
    ("francisation", "francisation"),
    ("fransisation", "francisation"),
    ("logment", "housing"),
    ("psychologue", "mental-health"),
])
def test_accents_and_typos_find_the_need(searcher, text, need):
    response = contacts(searcher, need=text, territory="all")
    assert response.status_code == 200
    assert response.json["total"] > 0
    page = searcher.get("/qui-appeler", query_string={"need": text, "territory": "all"}).get_data(as_text=True)
    assert "On cherche" in page
    matched = NeedRepository(searcher.application.extensions["neo4j"]).match(text)
    assert need in [n["id"] for n in matched["needs"]]


@pytest.mark.parametrize("text,needs", [
    ("avocat fransisation", {"legal-immigration", "francisation"}),
    ("logment avocat", {"housing", "legal-immigration"}),
])
def test_a_word_typed_right_does_not_hide_another_ones_typo(searcher, text, needs):
    # No need has both words: any word may match, and each brings its own need, typo or not.
    matched = NeedRepository(searcher.application.extensions["neo4j"]).match(text)
    assert needs <= {n["id"] for n in matched["needs"]}


def test_words_naming_a_service_but_no_need_find_the_people_where_it_is_offered(searcher, demo):
    # « Heure du conte multilingue » addresses a need whose words are not these.
    matched = NeedRepository(searcher.application.extensions["neo4j"]).match("heure du conte")
    assert matched["needs"] == [] and matched["services"]
    response = contacts(searcher, need="heure du conte", territory="all")
    assert response.status_code == 200 and response.json["total"] > 0
    offering = {s["organisation"] for s in demo.services if s["name"] == "Heure du conte multilingue"}
    for result in response.json["results"]:
        assert result["organisation"]["id"] in offering
        assert "Heure du conte multilingue" in [s["name"] for s in result["services"]]


def test_a_taxonomy_id_is_taken_as_is(searcher):
    response = contacts(searcher, need="mental-health", territory="mn")
    assert response.status_code == 200 and response.json["total"] > 0


def test_the_journey_query_names_an_arabic_speaking_person(searcher, demo_network):
    results = contacts(searcher, need="santé mentale", territory="mn", language="ar").json["results"]
    first = results[0]
    assert first["name"] and first["phone"] and first["email"] and first["organisation"]["name"]
    assert "Parle arabe" in first["reasons"] and "Expertise : santé mentale" in first["reasons"]
    assert {r["id"] for r in results} <= {p["id"] for p in demo_network.people if p["listed"]}


@pytest.mark.parametrize("territory", ["all", *TERRITORY_IDS])
def test_unlisted_people_never_appear(searcher, demo_network, territory):
    unlisted = {p["id"] for p in demo_network.people if not p["listed"]}
    unlisted_names = {p["name"] for p in demo_network.people if not p["listed"]}
    assert unlisted
    seen = set()
    for need in NEED_IDS:
        page = 1
        while True:
            body = contacts(searcher, need=need, territory=territory, page=page).json
            seen |= {r["id"] for r in body["results"]}
            for r in body["results"]:
                assert not ({p["id"] for p in r["path"]} & unlisted)  # nor as an introducer
                assert not any(name in reason for reason in r["reasons"] for name in unlisted_names)
            if page * 10 >= body["total"]:
                break
            page += 1
    assert seen and not (seen & unlisted)


def test_unlisted_contact_card_is_not_found(searcher, demo_network):
    unlisted = next(p for p in demo_network.people if not p["listed"] and p["kind"] == "intervenant")
    listed = next(p for p in demo_network.people if p["listed"] and p["kind"] == "intervenant" and p["id"] != "p-001")
    assert searcher.get(f"/contacts/{unlisted['id']}").status_code == 404
    page = searcher.get(f"/contacts/{listed['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert listed["name"] in html and "mailto:?subject=" in html
    assert f"http%3A//localhost/contacts/{listed['id']}" in html  # the shareable link to the card


def test_the_searcher_never_sees_themself(searcher):
    for need in NEED_IDS:
        assert "p-001" not in {r["id"] for r in contacts(searcher, need=need, territory="all").json["results"]}


def test_a_person_who_left_is_not_shown(searcher, graph):
    from graph.repositories.staff import StaffRepository

    assert StaffRepository(graph).end_job("p-008", "o-mn-06", date(2024, 6, 30), "coordination")
    results = contacts(searcher, need="santé mentale", territory="mn", language="ar").json["results"]
    assert "p-008" not in {r["id"] for r in results}
    assert searcher.get("/contacts/p-008").status_code == 404


def test_not_taking_referrals_is_shown_lower_and_marked(searcher, graph):
    before = [r["id"] for r in contacts(searcher, need="santé mentale", territory="mn", language="ar").json["results"]]
    assert before[0] == "p-008"
    from graph.repositories.people import PersonRepository

    PersonRepository(graph).update_profile("p-008", {"accepting_until": clock.today() + timedelta(days=30)})
    after = contacts(searcher, need="santé mentale", territory="mn", language="ar").json["results"]
    assert [r["id"] for r in after][-1] == "p-008"
    assert after[-1]["not_accepting_until"] == (clock.today() + timedelta(days=30)).isoformat()


def test_pagination(searcher):
    first = contacts(searcher, need="parenting", territory="all").json
    # A full page, and word that more may follow: a larger total, or one that is only a lower bound.
    assert len(first["results"]) == 10 and (first["total"] > 10 or not first["total_exact"])
    second = contacts(searcher, need="parenting", territory="all", page=2).json
    # Page 1 may stop at the best tier (« au moins 11 »); a later page reads on, so its total is larger.
    assert second["page"] == 2 and second["total"] >= first["total"]
    assert second["total"] == first["total"] or not first["total_exact"]
    assert not ({r["id"] for r in first["results"]} & {r["id"] for r in second["results"]})
    html = searcher.get("/qui-appeler", query_string={"need": "parenting", "territory": "all"}).get_data(as_text=True)
    assert 'rel="next"' in html and "page=2" in html
    beyond = contacts(searcher, need="parenting", territory="all", page=99).json
    assert beyond["results"] == [] and beyond["total"] == second["total"] and beyond["total_exact"]


def test_postal_code_and_distance(searcher):
    near = contacts(searcher, need="mental-health", territory="all", near="H1G 3T4", max_km=3).json
    assert near["total"] > 0
    assert all(r["distance_km"] <= 3 for r in near["results"])
    assert all(any(reason.endswith(" km") for reason in r["reasons"]) for r in near["results"])
    wide = contacts(searcher, need="mental-health", territory="all", near="H1G").json
    assert wide["total"] > near["total"]


def test_no_result_offers_one_click_widenings(searcher):
    html = searcher.get("/qui-appeler", query_string={
        "need": "francisation", "territory": "mn", "language": "vi", "near": "H1G 3T4", "max_km": "1",
        "open_now": "1"}).get_data(as_text=True)
    assert "Personne ne correspond" in html
    for text, link in [("Chercher dans tous les territoires", "territory=all"),
                       ("Sans filtre de langue", None), ("Jusqu&#39;à 2 km", "max_km=2"),
                       ("Sans limite de distance", None), ("Même si c&#39;est fermé en ce moment", None)]:
        assert text in html
        if link:
            assert link in html


def test_unknown_need_lists_the_known_needs(searcher):
    html = searcher.get("/qui-appeler", query_string={"need": "zzzqqq"}).get_data(as_text=True)
    assert "Aucun besoin ni service ne correspond" in html and "Les besoins connus" in html
    assert "need=mental-health" in html


@pytest.mark.parametrize("params,status,field", [
    ({}, 400, "need"),
    ({"need": ""}, 400, "need"),
    ({"need": "zzzqqq"}, 422, "need"),
    ({"need": "a" * 121}, 422, "need"),
    ({"need": "avocat", "territory": "nowhere"}, 422, "territory"),
    ({"need": "avocat", "language": "klingon"}, 422, "language"),
    ({"need": "avocat", "near": "ZZZ"}, 422, "near"),
    ({"need": "avocat", "near": "A1A 1A1"}, 422, "near"),
    ({"need": "avocat", "near": "1234 rue Fleury"}, 422, "near"),
    ({"need": "avocat", "max_km": "far"}, 400, "max_km"),
    ({"need": "avocat", "max_km": "0"}, 422, "max_km"),
    ({"need": "avocat", "max_km": "51"}, 422, "max_km"),
    ({"need": "avocat", "page": "x"}, 400, "page"),
    ({"need": "avocat", "page": "0"}, 422, "page"),
])
def test_every_error_names_its_field(searcher, params, status, field):
    response = contacts(searcher, **params)
    assert response.status_code == status
    error = response.json["error"]
    assert set(error) == {"code", "message", "fields"} and field in error["fields"]
    assert error["fields"][field]  # a sentence, not a code


def test_an_unknown_need_is_told_with_the_other_errors(searcher):
    # The need's words are matched by the search itself; when another field is wrong, by the form.
    response = contacts(searcher, need="zzzqqq", near="ZZZ", language="klingon")
    assert response.status_code == 422
    assert {"need", "near", "language"} <= set(response.json["error"]["fields"])
    assert "zzzqqq" in response.json["error"]["fields"]["need"]
    english = searcher.get("/api/v1/contacts", query_string={"need": "zzzqqq"}, headers={"Accept-Language": "en"})
    assert english.status_code == 422 and "zzzqqq" in english.json["error"]["fields"]["need"]
    assert not english.json["error"]["fields"]["need"].startswith("Aucun")


def test_distance_limit_needs_a_position(demo, client, auth):
    auth.as_role("coordinator")  # an account that is no person: no organisation to measure from
    response = contacts(client, need="avocat", max_km="5")
    assert response.status_code == 422 and "max_km" in response.json["error"]["fields"]
    assert contacts(client, need="avocat", max_km="5", near="H1G 3T4").status_code == 200


def test_errors_follow_accept_language(searcher):
    response = searcher.get("/api/v1/contacts", headers={"Accept-Language": "en"})
    assert response.status_code == 400 and response.json["error"]["fields"]["need"]
    french = searcher.get("/api/v1/contacts", headers={"Accept-Language": "fr"})
    assert french.json["error"]["fields"]["need"].startswith("Indiquez un besoin")


def test_page_errors_are_shown_on_the_form(searcher):
    html = searcher.get("/qui-appeler", query_string={"need": "avocat", "near": "ZZZ"}).get_data(as_text=True)
    assert "Code postal invalide" in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize("hostile", ['santé) AND (x:y~', '"', '*', 'OR', 'AND NOT', '\\', 'a:b', '[1 TO 5]', '~~~',
                                     '+-&&||!(){}[]^"~*?:\\/', "mental-health' OR 1=1"])
def test_lucene_syntax_in_input_is_only_words(searcher, hostile):
    response = contacts(searcher, need=hostile, territory="all")
    assert response.status_code in (200, 422)


@pytest.mark.parametrize("role,status", [("intervenant", 200), ("coordinator", 200), ("admin", 200),
                                         ("evaluator", 403)])
def test_who_may_search(demo, client, auth, role, status):
    auth.as_role(role)
    assert client.get("/qui-appeler").status_code == status
    assert contacts(client, need="avocat").status_code == status


def test_anonymous_is_sent_to_login(demo, client):
    assert client.get("/qui-appeler").status_code == 302
    assert contacts(client, need="avocat").status_code == 401


def test_the_territories_are_read_again_after_a_minute(demo, graph, app):
    from graph import driver as graph_driver
    from graph.repositories.territories import TerritoryRepository
    from referral.graphdb import repo

    def territory_names():
        return {t["id"] for t in repo(TerritoryRepository).names()}

    with app.app_context():
        before = territory_names()
        graph.execute_query("CREATE (:Territory {id: 'test', name: 'Test', cohort: 9})")
        assert territory_names() == before  # kept
        kept = graph_driver._kept[app.extensions["neo4j"]]
        for key, (when, value) in kept.items():  # a minute later
            kept[key] = (when - graph_driver.KEPT_SECONDS - 1, value)
        assert territory_names() == before | {"test"}


@pytest.mark.parametrize("params,shown", [
    ({"need": "   "}, "Indiquez un besoin"),
    ({"need": "logement", "page": "-1"}, "La page doit être comprise entre 1 et 1000."),
    ({"need": "logement", "page": "abc"}, "Numéro de page invalide."),
])
def test_odd_inputs_say_what_is_wrong_once(searcher, params, shown):
    # Found by the outside pass: spaces passed as a need, a bad page showed an empty area.
    html = searcher.get("/qui-appeler", query_string={"territory": "mn", **params}).get_data(as_text=True)
    assert html.count(shown) == 1


def test_an_unreadable_distance_is_one_error(searcher):
    response = contacts(searcher, need="logement", territory="mn", max_km="abc")
    assert response.status_code == 400 and list(response.json["error"]["fields"]) == ["max_km"]
    html = searcher.get("/qui-appeler", query_string={"need": "logement", "max_km": "abc"}).get_data(as_text=True)
    assert "Distance invalide" in html and "entre 0,5 et 50 km" not in html


def test_a_page_past_the_results_says_so(searcher):
    html = searcher.get("/qui-appeler", query_string={"need": "logement", "territory": "mn", "page": "999"})
    assert "Cette page est au-delà des résultats" in html.get_data(as_text=True)
