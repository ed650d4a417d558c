"""The maps in a real browser with every request off the loopback refused (as offline): the overview's
six polygons open their territory on a click, and a territory's polygon, markers, edges and arrows are
drawn, with popups and layer toggles working — all with Leaflet from our static files."""

import re
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import login


def offline(page) -> list[str]:
    """Refuse every request that does not go to the app; returns the refused URLs."""
    refused = []

    def route(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return refused


# A point of some path matching the selector that is visible and on top there (not under a marker, a
# fading popup, the layer menu or off the map), in the page's coordinates: Playwright's click or hover
# aims at a box's centre, which is not always the path.
VISIBLE_POINT = """selector => {
  for (const path of document.querySelectorAll(selector)) {
    // Leaflet's <svg> maps its viewBox onto its box (getScreenCTM misses the panes' CSS transforms).
    const svg = path.ownerSVGElement, box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
    const length = path.getTotalLength(), bbox = path.getBBox();
    const points = [{x: bbox.x + bbox.width / 2, y: bbox.y + bbox.height / 2}];  // a marker's centre
    for (let step = 1; step < 20; step++) points.push(path.getPointAtLength(length * step / 20));
    for (const p of points) {
      const x = box.left + (p.x - view.x) * box.width / view.width;
      const y = box.top + (p.y - view.y) * box.height / view.height;
      if (document.elementFromPoint(x, y) === path) return [x, y];
    }
  }
  return null;
}"""
MARKERS = ".leaflet-organisations-pane path.leaflet-interactive"
TIES = '.leaflet-overlay-pane path.leaflet-interactive[fill="none"]:not([stroke-dasharray])'  # arrows are dashed


def point_on_map(page, selector) -> tuple[float, float]:
    point = page.frames[1].evaluate(VISIBLE_POINT, selector)
    assert point, f"nothing matching {selector} is visible on the map"
    page.locator("iframe").evaluate("map => map.scrollIntoView({block: 'center'})")  # a mouse stays on screen
    box = page.locator("iframe").bounding_box()
    return box["x"] + point[0], box["y"] + point[1]


def test_overview_map_offline_opens_a_territory(demo, live_server, page, steps):
    refused = offline(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, "coordination.mn@demo.reseau-ei.ca", "demo-coordination")
    page.goto(f"{live_server}/territoires/")
    frame = page.frame_locator("iframe")
    polygons = frame.locator("path.leaflet-interactive")
    polygons.first.wait_for()
    assert polygons.count() == 6
    assert frame.locator(".territory-label").count() == 6
    steps.shot(page, "apercu-hors-ligne")
    frame.locator(".territory-label", has_text="Montréal-Nord").click()
    page.wait_for_url("**/territoires/mn/carte")
    assert page.get_by_role("heading", level=1).inner_text() == "Montréal-Nord"
    assert not errors, errors
    assert all("tile" in url for url in refused), refused  # only map tiles were wanted from the network


def test_territory_map_offline_draws_markers_edges_and_popups(demo, live_server, page, steps):
    refused = offline(page)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, "coordination.mn@demo.reseau-ei.ca", "demo-coordination")
    page.goto(f"{live_server}/territoires/mn/carte")
    frame = page.frame_locator("iframe")
    markers = frame.locator(MARKERS)
    markers.first.wait_for()
    organisations = [o for o in demo.organisations if o["territory"] == "mn"]
    assert markers.count() == len(organisations)
    edges = frame.locator(".leaflet-overlay-pane path.leaflet-interactive")
    assert edges.count() > 5
    steps.shot(page, "carte-hors-ligne")

    # The layer control is folded (issue 19: open, it hid a third of the map); a hover opens it.
    assert frame.locator(".leaflet-control-layers-expanded").count() == 0
    frame.locator(".leaflet-control-layers").hover()
    frame.locator(".leaflet-control-layers-expanded").wait_for()
    layers = frame.locator(".leaflet-control-layers-overlays label")
    names = layers.all_inner_texts()
    assert any("Avant EI" in n for n in names) and any("séance 1" in n for n in names)
    before = edges.count()
    frame.locator(".leaflet-control-layers-overlays label", has_text="Avant EI").locator("input").uncheck()
    assert edges.count() < before
    page.mouse.move(0, 0)  # the control folds again, away from the markers
    frame.locator(".leaflet-control-layers-expanded").wait_for(state="detached")

    page.mouse.click(*point_on_map(page, MARKERS))
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert any(o["name"] in popup.inner_text() for o in organisations)
    steps.shot(page, "popup")
    # Tooltips, like popups, are made in the browser from the document's data, names set as text.
    frame.locator(".leaflet-popup-close-button").click()
    popup.wait_for(state="detached")  # it fades out for 200 ms, still over the ties
    page.mouse.move(*point_on_map(page, TIES))
    tooltip = frame.locator(".leaflet-tooltip:not(.organisation-label)").first
    tooltip.wait_for()
    assert re.fullmatch(r".+ — .+ : \d+ lien\(s\) entre leurs personnes", tooltip.inner_text()), tooltip.inner_text()

    page.get_by_label("Le réseau au").fill("2022-10-01")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**date=2022-10-01")
    frame.locator(".leaflet-organisations-pane path.leaflet-interactive").first.wait_for()
    assert frame.locator(".leaflet-overlay-pane path.leaflet-interactive").count() < before
    steps.shot(page, "avant-la-cohorte")
    assert not errors, errors
    assert all("tile" in url for url in refused), refused


# Each marker's box and the folded layer control's, in the map document's coordinates.
BOXES = """() => {
  const box = element => { const r = element.getBoundingClientRect();
                           return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  return {markers: [...document.querySelectorAll('.leaflet-organisations-pane path.leaflet-interactive')].map(box),
          control: box(document.querySelector('.leaflet-control-layers')),
          map: box(document.querySelector('.leaflet-container'))};
}"""
FADED = ".leaflet-organisations-pane path[fill-opacity='0.2']"


@pytest.mark.parametrize("territory", ["mn", "asl"])
@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_the_map_reads_at_a_glance(demo, live_server, request, viewport, territory, steps):
    """Issue 19: the map fills the page's width, its folded layer control covers no marker, markers that shared
    a postal centre are set apart and named, a tap on an organisation brings its partners forward, and a
    button puts the map on the whole screen."""
    page = request.getfixturevalue(viewport)
    login(page, live_server, "coordination.mn@demo.reseau-ei.ca", "demo-coordination")
    page.goto(f"{live_server}/territoires/{territory}/carte")
    frame = page.frame_locator("iframe")
    frame.locator("body[data-labelled]").wait_for(state="attached")
    page.wait_for_timeout(800)  # the view is framed after the first names are placed: they are placed again
    frame.locator("body[data-labelled]").wait_for(state="attached")
    main = page.locator("main").bounding_box()
    assert page.locator("iframe").bounding_box()["width"] >= main["width"] - 40
    boxes = page.frames[1].evaluate(BOXES)
    control = boxes["control"]
    for marker in boxes["markers"]:
        overlaps = not (marker["right"] < control["left"] or marker["left"] > control["right"]
                        or marker["bottom"] < control["top"] or marker["top"] > control["bottom"])
        assert not overlaps, (marker, control)
    centres = {(round((m["left"] + m["right"]) / 2), round((m["top"] + m["bottom"]) / 2)) for m in boxes["markers"]}
    assert len(centres) == len(boxes["markers"]), "two markers sit on one point"
    labels = frame.locator(".organisation-label")
    # On a phone, the names that fit (brokers' first); the others on a tap, in the marker's popup.
    assert labels.count() >= (len(boxes["markers"]) // 2 if viewport == "page" else 1)
    assert viewport == "phone" or any("personne-pont" in t for t in labels.all_inner_texts())
    # No name covers another or runs off the map (found by the outside pass): those are said on a hover.
    named = page.frames[1].evaluate("""() => [...document.querySelectorAll('.organisation-label')].map(e => {
        const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })""")
    for i, a in enumerate(named):
        assert a["right"] <= boxes["map"]["right"] + 1
        for b in named[i + 1:]:
            assert a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] \
                or b["bottom"] <= a["top"], (a, b)
    assert frame.get_by_role("button", name="Plein écran").count() == 1
    steps.shot(page, f"carte-{territory}-{viewport}")

    assert frame.locator(FADED).count() == 0
    if viewport == "phone":
        page.locator("iframe").evaluate("map => map.scrollIntoView({block: 'center'})")
    page.mouse.click(*point_on_map(page, MARKERS))
    frame.locator(".leaflet-popup-content").wait_for()
    assert 0 < frame.locator(FADED).count() < len(boxes["markers"])
    steps.shot(page, f"partenaires-{territory}-{viewport}")
    frame.locator(".leaflet-popup-close-button").click()
    frame.locator(".leaflet-popup-content").wait_for(state="detached")
    assert frame.locator(FADED).count() == 0


PLACES = """() => Object.fromEntries([...document.querySelectorAll('.people-network g.nodes g')].map(g => {
  const circle = g.querySelector('circle');
  return [g.querySelector('text').textContent, [circle.getAttribute('cx'), circle.getAttribute('cy')]];
}))"""


def test_people_keep_their_places_from_before_to_the_end_of_the_cohort(demo, live_server, phone):
    """Issue 19: the people diagram's layout changed between dates, so before and after could not be compared."""
    login(phone, live_server, "coordination.mn@demo.reseau-ei.ca", "demo-coordination")
    phone.goto(f"{live_server}/territoires/mn/carte")
    phone.get_by_role("link", name="Avant la cohorte").click()
    phone.wait_for_load_state()
    before, lines = phone.evaluate(PLACES), phone.locator(".people-network line").count()
    phone.get_by_role("link", name="Fin de la cohorte").click()
    phone.wait_for_load_state()
    after = phone.evaluate(PLACES)
    common = set(before) & set(after)
    assert len(common) >= 5 and phone.locator(".people-network line").count() > lines  # the cohort made ties
    assert all(before[name] == after[name] for name in common)
