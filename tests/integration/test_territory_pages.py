"""The territory pages through the test client: overview, map page and map document, as-of date,
what each role sees, escaping of user-typed text, and no CDN."""

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest

from analysis.pseudonyms import Pseudonyms
from graph.loader import load_network
from referral import clock
from tests.map_helpers import drawn_lines, map_data, map_tooltips
from tests.territory_fixtures import small_network

XSS = "<script>alert(1)</script>"
CDN_HOSTS = ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "netdna.bootstrapcdn.com")


def with_demo_accounts(network, demo_network):
    """The small network plus the demo's role accounts (coordinator of mn, evaluator…)."""
    network.users = [u for u in demo_network.users if u["id"].startswith("u-demo-")]
    return network


@pytest.fixture
def small_app(graph, app, demo_network):
    load_network(graph, with_demo_accounts(small_network(), demo_network))
    return app


def test_overview_lists_and_maps_the_six_territories(demo, client, auth):
    auth.as_role("coordinator")
    page = client.get("/territoires/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for territory in demo.territories:
        assert territory["name"] in html
    assert 'src="/territoires/carte"' in html
    document = client.get("/territoires/carte").get_data(as_text=True)
    assert document.count('"url": "/territoires/') == 6
    labels = [json.loads('"' + s + '"') for s in re.findall(r'"label": "((?:[^"\\]|\\.)*)"', document)]
    assert any("Montréal-Nord" in label and "Cohorte 1" in label for label in labels)
    assert "window.top.location.href = feature.properties.url" in document


@pytest.mark.parametrize("url", ["/territoires/carte", "/territoires/mn/carte/plan"])
def test_map_documents_load_leaflet_locally_and_nothing_from_a_cdn(demo, client, auth, url):
    auth.as_role("coordinator")
    document = client.get(url).get_data(as_text=True)
    assert re.search(r'<script( nonce="[^"]*")? src="/static/vendor/leaflet/leaflet.js"></script>', document)
    assert 'href="/static/vendor/leaflet/leaflet.css"' in document
    assert not any(host in document for host in CDN_HOSTS)
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', document)
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200


def test_map_document_without_tiles_still_draws_everything(small_app, client, auth):
    small_app.config["MAP_TILES"] = ""
    auth.as_role("coordinator")
    document = client.get("/territoires/mn/carte/plan?date=2023-06-30").get_data(as_text=True)
    assert "L.tileLayer" not in document
    data = map_data(document)
    assert sorted(o["name"] for o in data["organisations"]) == [
        "Bibliothèque D", "Organisme A", "Organisme B", "Organisme C"]
    # edges A–B, B–C, A–C (session 2), A–C (referral); 3 flows
    assert sum(len(layer["ties"]) for layer in data["layers"]) == 4 and len(data["flows"]) == 3
    assert "L.geoJson(" in document
    assert '<script src="/static/territory_map.js"></script>' in re.sub(r' nonce="[^"]*"', "", document)


def test_map_page_shows_layers_and_figures(small_app, client, auth):
    auth.as_role("coordinator")
    page = client.get("/territoires/mn/carte?date=2023-06-30")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Avant EI : 1 lien entre organisations" in html
    assert "Pendant EI — séance 1" in html and "Pendant EI — séance 2" in html
    assert re.search(r"<dt>Liens</dt><dd>6</dd>", html)
    assert re.search(r"<dt>(?:<a [^>]*>)?Densité(?:</a>)?</dt><dd>0,600</dd>", html)
    assert "Bibliothèque D" in html  # the isolated organisation
    assert 'src="/territoires/mn/carte/plan?date=2023-06-30"' in html
    document = client.get("/territoires/mn/carte/plan?date=2023-06-30").get_data(as_text=True)
    assert '"EI, s\\u00e9ance 2"' in document and '"Avant EI"' in document  # the layer control's names


def test_as_of_date_redraws_the_network(small_app, client, auth):
    auth.as_role("coordinator")
    before = client.get("/territoires/mn/carte?date=2022-10-01").get_data(as_text=True)
    assert re.search(r"<dt>Liens</dt><dd>2</dd>", before)
    assert re.search(r"<dt>Intervenant.es</dt><dd>4</dd>", before)
    document = client.get("/territoires/mn/carte/plan?date=2022-10-01").get_data(as_text=True)
    assert drawn_lines(document) == 1  # only A–B, from before EI


@pytest.mark.parametrize("value", ["hier", "2031-01-01", "1999-12-31"])
def test_bad_date_is_refused_with_a_message(small_app, client, auth, value):
    auth.as_role("coordinator")
    page = client.get(f"/territoires/mn/carte?date={value}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'class="error"' in html
    assert client.get(f"/territoires/mn/carte/plan?date={value}").status_code == 400


def test_unknown_territory_is_404(small_app, client, auth):
    auth.as_role("coordinator")
    assert client.get("/territoires/nowhere/carte").status_code == 404
    assert client.get("/territoires/nowhere/carte/plan").status_code == 404


def test_anonymous_visitors_are_sent_to_login(small_app, client):
    assert client.get("/territoires/").status_code == 302
    assert client.get("/territoires/mn/carte/plan").status_code == 302


def test_contacts_in_popups_by_role(small_app, client, auth):
    auth.as_role("coordinator")
    document = client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    popups = json.dumps(map_data(document)["organisations"], ensure_ascii=False)
    assert "Alice Un" in popups and "Amir Deux" in popups
    assert "Chloé Un" not in popups and "Chlo\\u00e9 Un" not in document  # not listed: never shown
    assert "Halte-garderie" in popups
    auth.logout()
    auth.as_role("evaluator")
    document = client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    organisations = map_data(document)["organisations"]
    assert "Organisme B" in json.dumps(organisations, ensure_ascii=False)
    assert not [o for o in organisations if "contacts" in o]  # no contact, nor « no contact listed »
    assert "Alice Un" not in document and "Amir Deux" not in document


def test_people_picture_names_by_role(small_app, client, auth):
    auth.as_role("coordinator")
    html = client.get("/territoires/mn/carte").get_data(as_text=True)
    assert "<svg" in html and "Alice Un" in html and "Chloé Un" in html
    auth.logout()
    auth.as_role("intervenant")
    html = client.get("/territoires/mn/carte").get_data(as_text=True)
    assert "Alice Un" in html and "Chloé Un" not in html  # Chloé is not listed
    auth.logout()
    auth.as_role("evaluator")
    html = client.get("/territoires/mn/carte").get_data(as_text=True)
    key = Pseudonyms(small_app.config["SECRET_KEY"])
    assert "<svg" in html and "P01" not in html
    assert all(key.person(p) in html for p in ("a1", "a2", "b1", "c1", "c2"))
    for name in ("Alice Un", "Amir Deux", "Béa Un", "Chloé Un", "Cyril Deux", "Organisme A", "Organisme B"):
        assert name not in html.split('id="people-title"')[1]
    assert "<td>Communautaire – petite-enfance / jeunesse / famille</td>" in html  # the sector, not A


def test_user_typed_text_is_escaped_everywhere(graph, app, client, auth, demo_network):
    load_network(graph, with_demo_accounts(small_network(org_a_name=XSS, person_a1_name=XSS), demo_network))
    graph.execute_query("MATCH (s:Service {id: 's-a'}) SET s.name = $name", name=XSS)
    auth.as_role("coordinator")
    document = client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    assert XSS not in document and "<script>alert" not in document
    # In the data block as JSON escapes only (no </script> can end it), and handed to the browser as text.
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in document
    organisation_a = next(o for o in map_data(document)["organisations"] if o["name"] == XSS)
    assert organisation_a["services"].count(XSS) == 1 and organisation_a["contacts"][0].startswith(XSS)
    assert any(t.startswith(XSS + " — ") for t in map_tooltips(document))
    # static/territory_map.js sets every name and label as text, never as HTML.
    script = (Path(__file__).resolve().parents[2] / "static" / "territory_map.js").read_text(encoding="utf-8")
    assert "textContent" in script and "createTextNode" in script
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)
    page = client.get("/territoires/mn/carte").get_data(as_text=True)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert XSS not in page and escaped in page


def test_demo_territory_before_the_cohort_is_sparser(demo, client, auth):
    auth.as_role("coordinator")

    def ties(day):
        html = client.get(f"/territoires/mn/carte?date={day}").get_data(as_text=True)
        return int(re.search(r"<dt>Liens</dt><dd>(\d+)</dd>", html).group(1))

    mn_people = {p["id"] for p in demo.people if p.get("territory") == "mn" and p["kind"] == "intervenant"}
    expected_before = sum(1 for t in demo.knows if t["a"] in mn_people and t["b"] in mn_people
                          and t["since"] <= date(2022, 10, 1))
    assert ties("2022-10-01") == expected_before
    assert ties(clock.today().isoformat()) > expected_before


def test_the_maps_figures_are_written_for_the_reader(demo, client, auth):
    """Issue 19: the map wrote « 0.418 » where the evaluation writes « 0,418 »."""
    auth.as_role("coordinator")
    page = client.get("/territoires/mn/carte").get_data(as_text=True)
    density = re.search(r"Densité(?:</a>)?</dt><dd>([^<]+)</dd>", page).group(1)
    assert re.fullmatch(r"0,\d{3}", density), density
    assert re.search(r"Liens entre organisations</dt><dd>\d+\s%</dd>", page)
    client.get("/langue/en")
    english = client.get("/territoires/mn/carte").get_data(as_text=True)
    assert re.fullmatch(r"0\.\d{3}", re.search(r"Density(?:</a>)?</dt><dd>([^<]+)</dd>", english).group(1))


def test_each_page_names_the_population_its_figures_count(demo, client, auth):
    """Issue 19: the map and the evaluation disagreed with no word why (everyone vs the research sample)."""
    auth.as_role("coordinator")
    assert "Population : toutes les intervenant.es" in client.get("/territoires/mn/carte").get_data(as_text=True)
    auth.logout()
    auth.as_role("evaluator")
    page = client.get("/territoires/mn/carte").get_data(as_text=True)
    assert "Population : l'échantillon de recherche" in html.unescape(page)


def test_each_session_has_its_own_colour(demo, client, auth):
    """Issue 19: the six session layers shared one blue."""
    auth.as_role("coordinator")
    document = client.get("/territoires/mn/carte/plan?date=2023-06-30").get_data(as_text=True)
    data = json.loads(re.search(r'<script[^>]*id="territory-network">(.*?)</script>', document, re.S).group(1))
    page = client.get("/territoires/mn/carte?date=2023-06-30").get_data(as_text=True)
    legend = re.findall(r'swatch line" style="background: (#[0-9a-fA-F]{6})"></span>[^<]*[Ss]éance (\d)', page)
    assert len(legend) >= 3 and len({colour for colour, _ in legend}) == len(legend)
    assert {colour for colour, _ in legend} <= {layer["colour"] for layer in data["layers"]}


@pytest.mark.parametrize("territory", ["mn", "asl", "vsp", "abc", "prsl", "cdn"])
def test_every_arrow_stays_in_the_view_the_map_frames(demo, client, auth, territory):
    """Issue 19: referral arrows ran off the map. The map frames a box (fitBounds); every flow's line and head
    lie inside it, those to an organisation off the map cut at its edge and said so."""
    auth.as_role("admin")
    document = client.get(f"/territoires/{territory}/carte/plan").get_data(as_text=True)
    south, west, north, east = map(float, re.search(
        r"fitBounds\(\s*\[\[([-\d.]+),\s*([-\d.]+)\],\s*\[([-\d.]+),\s*([-\d.]+)\]\]", document).groups())
    data = map_data(document)
    points = [p for flow in data["flows"] for p in flow["line"] + flow["head"][:1]]
    points += [o["at"] for o in data["organisations"]]
    slack = 1e-5
    assert all(south - slack <= lat <= north + slack and west - slack <= lon <= east + slack for lat, lon in points)
    assert len({tuple(o["at"]) for o in data["organisations"]}) == len(data["organisations"])


def test_brokers_and_isolated_organisations_are_marked_only_where_names_are_seen(demo, client, auth):
    """Issue 19: brokers and isolated organisations marked on the map itself; not on the research sample's map,
    where a mark would tell who the pseudonymous broker is."""
    auth.as_role("coordinator")
    marked = map_data(client.get("/territoires/mn/carte/plan").get_data(as_text=True))["organisations"]
    assert any("broker" in o.get("marks", []) for o in marked)
    auth.logout()
    auth.as_role("evaluator")
    sample = map_data(client.get("/territoires/mn/carte/plan").get_data(as_text=True))["organisations"]
    assert sample and not any("marks" in o for o in sample)


def test_the_map_document_is_rendered_once_per_language_each_answer_with_its_own_nonce(demo, client, auth):
    """Kept as the figures are (folium's rendering was 11 ms of CPU a request): the same document twice,
    each time with the nonce of its own answer's CSP; another language, another document."""
    auth.as_role("coordinator")

    def document():
        answer = client.get("/territoires/mn/carte/plan")
        assert answer.status_code == 200
        nonce = re.search(r"'nonce-([^']+)'", answer.headers["Content-Security-Policy"]).group(1)
        text = answer.get_data(as_text=True)
        assert text.count(f'<script nonce="{nonce}"') == text.count("<script") > 0
        return nonce, text.replace(nonce, "")

    first_nonce, first = document()
    second_nonce, second = document()
    assert first_nonce != second_nonce and first == second  # folium's random ids too: rendered once
    assert "Avant EI" in first and "Before EI" not in first  # the layers' names
    client.post("/langue/en")
    english = document()[1]
    assert "Before EI" in english and "Avant EI" not in english
