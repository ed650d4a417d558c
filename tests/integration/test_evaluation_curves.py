"""The growth curves as images (issue 19): drawn by matplotlib from the demo network, shown on the evaluation
pages with their downloads and their values, on one scale per measure, refused in words when asked wrongly."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

from referral import clock
from tests.integration.test_evaluation_exports import personal_strings

SVG = "{http://www.w3.org/2000/svg}"
TERRITORIES = ("mn", "vsp", "abc", "asl", "prsl", "cdn")


def texts(svg: bytes) -> list[str]:
    """The words drawn in an SVG (matplotlib writes each text, drawn as glyphs, in a comment before it)."""
    return [t.strip() for t in re.findall(r"<!-- (.*?) -->", svg.decode())]


def ticks(svg: bytes, axis: str) -> list[str]:
    """The tick labels of the `x` or `y` axis."""
    return re.findall(rf'<g id="{axis}tick_\d+">.*?<!-- (.*?) -->', svg.decode(), re.S)


def test_an_evaluator_gets_the_curve_as_svg_and_as_png_named_for_what_it_is(demo, client, auth):
    auth.as_role("evaluator")
    today = clock.today().isoformat()
    response = client.get("/evaluation/mn/courbe.svg?metric=density")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="reseau-ei-montreal-nord-densite-{today}.svg"')
    root = ET.fromstring(response.data)
    assert root.find(f"{SVG}title").text == "Densité — Montréal-Nord"
    words = texts(response.data)
    assert "Densité — Montréal-Nord" in words and "Date" in words and "Densité" in words
    assert ["Avant", "S1", "S2", "S3", "S4", "S5", "S6", "Après"] == [w for w in words if w in (
        "Avant", "Après") or re.fullmatch(r"S\d", w)]
    y_ticks = ticks(response.data, "y")
    assert len(y_ticks) >= 3 and all("," in w for w in y_ticks)  # « 0,150 »: the decimal comma
    assert re.search(r"\d{4}", " ".join(ticks(response.data, "x")))  # dates on the x axis
    assert client.get("/evaluation/mn/courbe.svg?metric=density").data == response.data  # the same file each time
    assert not [s for s in personal_strings(demo) if s in response.data.decode()]

    png = client.get("/evaluation/cohort-1/courbe.png?metric=cross_organisation_share&origin=ei_session")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert png.headers["Content-Disposition"] == (
        f'attachment; filename="reseau-ei-cohorte-1-part-des-liens-entre-organisations-{today}.png"')


def test_in_english_the_numbers_and_dates_are_englishs(demo, client, auth):
    auth.as_role("evaluator")
    client.get("/langue/en", headers={"Referer": "/"})
    svg = client.get("/evaluation/mn/courbe.svg?metric=density").data
    y_ticks = ticks(svg, "y")
    assert len(y_ticks) >= 3 and all("." in w and "," not in w for w in y_ticks)
    client.get("/langue/fr", headers={"Referer": "/"})


def test_every_territory_and_the_whole_network_share_one_scale_per_measure(demo, client, auth):
    auth.as_role("evaluator")
    shared = {}
    for metric in ("ties", "density"):
        scales = {scope: ticks(client.get(f"/evaluation/{scope}/courbe.svg?metric={metric}").data, "y")
                  for scope in ("all", *TERRITORIES)}
        assert len({tuple(found) for found in scales.values()}) == 1 and scales["mn"], (metric, scales)
        shared[metric] = scales["mn"]
    # A share never reaches past 100 % on its scale, however round the ticks.
    shares = ticks(client.get("/evaluation/mn/courbe.svg?metric=cross_organisation_share").data, "y")
    assert shares and max(int(re.sub(r"\D", "", t)) for t in shares) <= 100 and shares[-1].endswith("%")
    # Cohorts are compared together, on their own scale (a cohort is three territories).
    cohorts = {scope: ticks(client.get(f"/evaluation/{scope}/courbe.svg").data, "y")
               for scope in ("cohort-1", "cohort-2")}
    assert cohorts["cohort-1"] == cohorts["cohort-2"] != shared["ties"]


def test_bad_options_are_a_400_in_words_and_unknown_things_404(demo, client, auth):
    auth.as_role("evaluator")
    for query, words in (("metric=nope", "Cette mesure n'existe pas."),
                         ("start=2023-05-01&end=2022-01-01", "La fin de la période doit suivre son début."),
                         ("start=hier&end=demain", "Certaines options de la comparaison sont invalides."),
                         ("origin=gossip", "Certaines options de la comparaison sont invalides.")):
        response = client.get(f"/evaluation/mn/courbe.svg?{query}")
        assert response.status_code == 400 and words in unescape(response.data.decode()), query
    api_style = client.get("/evaluation/mn/courbe.png?metric=nope", headers={"Accept": "application/json"})
    assert api_style.status_code == 400 and api_style.get_json()["error"]["code"] == "unknown_metric"
    assert client.get("/evaluation/nowhere/courbe.svg").status_code == 404
    assert client.get("/evaluation/mn/courbe.gif").status_code == 404


def test_the_pages_show_the_image_its_downloads_and_its_values(demo, client, auth):
    auth.as_role("evaluator")
    index = client.get("/evaluation/?metric=density").data.decode()
    for scope in ("all", *TERRITORIES):
        assert f'src="/evaluation/{scope}/courbe.svg?metric=density"' in index
        assert f'href="/evaluation/{scope}/courbe.png?metric=density" download' in index
    assert "<svg" not in index.split('id="courbes"')[1]  # no hand-drawn curve left
    assert 'alt="Courbe : Densité — Montréal-Nord. Les valeurs sont dans le tableau qui suit."' in unescape(index)

    page = client.get("/evaluation/mn?metric=ties&origin=ei_session").data.decode()
    image = re.search(r'<img class="eval-chart" src="([^"]+)" width="528" height="360" loading="lazy" alt=', page)
    assert unescape(image.group(1)) == "/evaluation/mn/courbe.svg?metric=ties&origin=ei_session"
    assert client.get(unescape(image.group(1))).status_code == 200
    figure = page[page.index('<figure class="eval-curve">'):page.index("</figure>")]
    assert "<figcaption>" in figure and "Télécharger :" in figure
    downloads = [unescape(h) for h in re.findall(r'<a href="([^"]+)" download>', figure)]
    assert downloads == ["/evaluation/mn/courbe.svg?metric=ties&origin=ei_session",
                         "/evaluation/mn/courbe.png?metric=ties&origin=ei_session"]
    # The values beside the image: each stage, its date, the figure the image draws.
    values = page[page.index('<details class="eval-values">'):]
    values = values[:values.index("</details>")]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td></tr>', values)
    assert [r[0] for r in rows] == ["Avant", "S1", "S2", "S3", "S4", "S5", "S6", "Après"]
    assert all(re.fullmatch(r"\d{1,2} \w+ \d{4}", unescape(r[1])) for r in rows)  # « 12 mars 2026 »
    api = client.get("/api/v1/evaluation/scopes/mn?origin=ei_session").get_json()
    assert [r[2] for r in rows] == [str(c["figures"]["ties"]) for c in api["curve"]]
    assert [max(c["dates"].values()) for c in api["curve"]] == sorted(max(c["dates"].values()) for c in api["curve"])


def test_cohorts_pooled_stage_by_stage_are_drawn_by_stage_not_under_one_cohorts_dates(demo, client, auth):
    """Found by the outside pass of issue 19: « Tous les territoires » adds each cohort at the same stage, but
    plotted and dated the sums at cohort 2's dates (« Avant, 30 avril 2023 : 17 liens »)."""
    auth.as_role("evaluator")
    pooled = client.get("/evaluation/all/courbe.svg?metric=ties").data
    assert "Étape du programme (dates selon la cohorte)" in texts(pooled)
    assert ticks(pooled, "x")[:2] == ["Avant", "S1"]
    page = unescape(client.get("/evaluation/all?metric=ties").get_data(as_text=True))
    assert "selon la cohorte" in page and "30 avril 2023" not in page.split("Les valeurs du graphique")[-1][:2000]
    one = client.get("/evaluation/cohort-1/courbe.svg?metric=ties").data
    assert "Date" in texts(one) and "Étape du programme (dates selon la cohorte)" not in texts(one)


def test_a_period_ending_after_today_shows_todays_figures_as_it_says(demo, client, auth):
    """Found by the outside pass of issue 19: an end date to come said « chiffres d'aujourd'hui » but drew the
    network on that future day (16 ties, today 17)."""
    auth.as_role("evaluator")
    today = clock.today().isoformat()
    now = client.get(f"/api/v1/evaluation/scopes/mn?start=2022-10-31&end={today}").get_json()
    later = client.get("/api/v1/evaluation/scopes/mn?start=2022-10-31&end=2999-12-31").get_json()
    assert later["snapshots"][-1]["reached"] is False
    assert later["snapshots"][-1]["figures"] == now["snapshots"][-1]["figures"]
