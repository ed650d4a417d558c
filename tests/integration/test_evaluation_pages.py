"""The evaluation as a new evaluator meets it, through the test client."""

import re
from html import unescape

import pytest

from tests.hsds_helpers import EXAMPLE_CSV, run_import
from tests.integration.test_demo_counts import TABLE_2, TABLE_3
from tests.integration.test_evaluation_exports import personal_strings

TERRITORIES = ("mn", "vsp", "abc", "asl", "prsl", "cdn")


def cells(html: str, row_label: str) -> list[str]:
    """The cells of the figures table's row headed `row_label`."""
    match = re.search(r"<th scope=\"row\">(?:<a [^>]*>)?" + re.escape(row_label) + r"(?:</a>)?</th>(.*?)</tr>", html,
                      re.S)
    assert match, row_label
    return [unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def test_done_when_an_evaluator_measures_growth_downloads_and_finds_the_tables(demo, client, auth):
    auth.as_role("evaluator")
    home = client.get("/").data.decode()
    assert 'href="/evaluation/"' in home  # the navigation offers the evaluation

    index = client.get("/evaluation/")
    assert index.status_code == 200
    page = index.data.decode()
    for territory in demo.territories:
        assert territory["name"] in unescape(page)
        assert f'href="/evaluation/{territory["id"]}"' in page

    forbidden = personal_strings(demo)
    for territory in TERRITORIES:
        html = client.get(f"/evaluation/{territory}").data.decode()
        before, after, now, *changes = cells(html, "Liens")
        assert int(after) > int(before), territory  # visible growth
        assert changes[0].startswith("+")
        # the session-by-session curve, drawn on the server as an image
        assert f'<img class="eval-chart" src="/evaluation/{territory}/courbe.svg?metric=ties"' in html
        assert not [s for s in forbidden if s in html], territory

        links = re.findall(r'href="(/evaluation/' + territory + r'/export/[^"]+)"', html)
        gexf = next(unescape(link) for link in links if "/export/gexf" in link)
        csv = next(unescape(link) for link in links if "/export/edges.csv" in link)
        for link in (gexf, csv):
            response = client.get(link)
            assert response.status_code == 200
            text = response.data.decode()
            assert re.search(r"P-[0-9a-f]{12}", text)
            assert not [s for s in forbidden if s in text], link

    tables = client.get("/evaluation/tableaux").data.decode()
    for territory, (community, institutions, people) in TABLE_2.items():
        row = re.search(r'<tr data-territory="' + territory + r'">(.*?)</tr>', tables, re.S).group(1)
        values = [unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert values[1] == str(community) and values[3] == str(community + sum(institutions.values()))
        assert values[4] == str(people)
    assert re.search(r'id="total-organisations">42<', tables) and re.search(r'id="total-intervenants">56<', tables)
    for sector, count in TABLE_3.items():
        assert re.search(r'<tr data-sector="' + sector + r'">.*?<td>' + str(count) + "</td>", tables, re.S)


def test_tables_api_matches_the_report(demo, client, auth):
    auth.as_role("evaluator")
    found = client.get("/api/v1/evaluation/tables").get_json()
    table_2 = {r["id"]: (r["community"], r["institutions"], r["intervenants"]) for r in found["table_2"]}
    assert table_2 == TABLE_2
    assert found["table_2_totals"] == {"organisations": 42, "intervenants": 56}
    assert {r["sector"]: r["organisations"] for r in found["table_3"]} == TABLE_3


def test_the_tables_stay_the_cohorts_when_the_directory_grows(app, demo, graph, client, auth):
    """Found by the outside pass: an HSDS import today added its organisations to the report's Table 2."""
    run_import(app, graph, EXAMPLE_CSV, territory="mn")
    test_tables_api_matches_the_report(demo, client, auth)


def test_difference_view_works_without_javascript(demo, client, auth):
    auth.as_role("evaluator")
    html = client.get("/evaluation/mn/difference?stage=s3").data.decode()
    assert 'type="range"' in html and 'name="stage"' in html
    frames = re.findall(r'<figure class="diff-frame" data-stage="(\d)"[^>]*?( hidden)?>', html)
    assert len(frames) == 8 and [f for f in frames if not f[1]] == [("3", "")]
    assert 'class="diff-new"' in html and "<circle" in html
    # The slider's position and a stage name both select the frame.
    by_position = client.get("/evaluation/mn/difference?stage=7").data.decode()
    assert re.search(r'data-stage="7"[^>]*>', by_position).group(0).find("hidden") == -1
    links = re.findall(r'href="(/evaluation/mn/difference\?stage=[a-z0-9]+)"', html)
    assert len(links) == 8
    assert not [s for s in personal_strings(demo) if s in html]


@pytest.mark.parametrize("role", ["evaluator", "coordinator", "admin"])
def test_who_may_open_the_evaluation(demo, client, auth, role):
    auth.as_role(role)
    assert client.get("/evaluation/all").status_code == 200
    assert client.get("/api/v1/evaluation/scopes/all").status_code == 200


def test_intervenants_and_anonymous_visitors_may_not(demo, client, auth):
    assert client.get("/evaluation/").status_code == 302
    response = client.get("/api/v1/evaluation/scopes/all")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    auth.as_role("intervenant")
    assert client.get("/evaluation/").status_code == 403
    assert client.get("/evaluation/mn/export/gexf").status_code == 403
    assert client.get("/api/v1/evaluation/tables").status_code == 403


def test_bad_options_are_explained_and_unknown_things_are_404(demo, client, auth):
    auth.as_role("evaluator")
    page = client.get("/evaluation/mn?start=2023-05-01&end=2022-01-01")
    assert page.status_code == 422 and "La fin de la période doit suivre son début." in page.data.decode()
    api = client.get("/api/v1/evaluation/scopes/mn?start=2023-05-01")
    assert api.status_code == 422 and "end" in api.get_json()["error"]["fields"]
    assert client.get("/api/v1/evaluation/scopes/mn?start=hier&end=demain").status_code == 422
    assert client.get("/evaluation/nowhere").status_code == 404
    assert client.get("/api/v1/evaluation/scopes/nowhere").get_json()["error"]["code"] == "unknown_scope"
    assert client.get("/api/v1/evaluation/scopes/mn/export/docx").status_code == 404


def test_a_chosen_period_and_origins(demo, client, auth):
    auth.as_role("evaluator")
    found = client.get("/api/v1/evaluation/scopes/mn?start=2022-12-01&end=2023-02-01&origin=ei_session").get_json()
    assert [s["name"] for s in found["snapshots"]] == ["start", "end"]
    assert found["origins"] == ["ei_session"]
    assert all(s["ties_by_origin"]["before_ei"] == 0 for s in found["snapshots"])
    assert found["changes"][0]["new"] == found["changes"][0]["new_by_origin"]["ei_session"] > 0
    assert [c["name"] for c in found["curve"]] == ["before", "s1", "s2", "s3", "s4", "s5", "s6", "after"]
    # The index page's form leads to the same comparison.
    response = client.get("/evaluation/periode?scope=mn&start=2022-12-01&end=2023-02-01")
    assert response.status_code == 302 and "/evaluation/mn?" in response.headers["Location"]


def test_evaluation_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/evaluation/scopes", "/api/v1/evaluation/scopes/{scope}",
                 "/api/v1/evaluation/scopes/{scope}/export/{format}", "/api/v1/evaluation/tables",
                 "/api/v1/evaluation/waves", "/api/v1/evaluation/waves/{wave}"):
        assert "get" in paths[path], path


def test_every_figure_links_to_its_definition(demo, client, auth):
    """Issue 19: measures had a few words in brackets, « circuits fermés » was « composantes faiblement
    connexes du graphe orienté ». One page says each in plain words, with its formula and a reference."""
    auth.as_role("evaluator")
    page = client.get("/evaluation/mn").get_data(as_text=True)
    anchors = set(re.findall(r'href="/evaluation/definitions#([a-z_]+)"', page))
    definitions = client.get("/evaluation/definitions").get_data(as_text=True)
    assert anchors and all(f'id="{anchor}"' in definitions for anchor in anchors)
    assert "Krackhardt" in definitions and "Freeman" in definitions and "Brandes" in definitions
    auth.logout()
    auth.as_role("coordinator")
    card = client.get("/territoires/mn/carte").get_data(as_text=True)
    assert "/evaluation/definitions#density" in card and "faiblement connexes" not in card
    assert client.get("/evaluation/definitions").status_code == 200
