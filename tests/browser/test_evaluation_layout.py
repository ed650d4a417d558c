"""The evaluation's tables read whole (issue 19): at 1280 px every sector matrix shows its four columns
without scrolling its box; on a phone each table scrolls inside its own box and the page never sideways; an
invalid period says so at the top, not thousands of pixels down; the growth curves are images that load, fit
the phone's width and download."""

from __future__ import annotations

from tests.browser.conftest import login
from tests.conftest import DEMO_ACCOUNTS, DEMO_PASSWORDS

# Per table: its class, whether its box scrolls, and how wide the page is.
TABLES = """() => [...document.querySelectorAll('main table')].map(t => {
    const box = t.closest('.table-wrap');
    return {cls: t.className, scrolls: box ? box.scrollWidth > box.clientWidth + 1 : false};
  })"""


def _evaluator(page, base_url):
    login(page, base_url, DEMO_ACCOUNTS["evaluator"], DEMO_PASSWORDS["evaluator"])


def test_sector_matrices_show_every_column_on_a_desktop(demo, live_server, page):
    _evaluator(page, live_server)
    page.goto(f"{live_server}/evaluation/mn")
    matrices = [t for t in page.evaluate(TABLES) if t["cls"] == "eval-matrix"]
    assert matrices and not [t for t in matrices if t["scrolls"]]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_tables_scroll_in_their_box_on_a_phone_and_errors_come_first(demo, live_server, phone):
    _evaluator(phone, live_server)
    phone.goto(f"{live_server}/evaluation/mn")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert any(t["scrolls"] for t in phone.evaluate(TABLES))  # wide tables keep their columns, in their box
    phone.goto(f"{live_server}/evaluation/mn?start=2024-01-01&end=2023-01-01")
    alert = phone.locator("main .flash-error").first
    assert alert.is_visible() and alert.bounding_box()["y"] < 844  # on the first screen
    assert "Corriger les options" in alert.inner_text()


# Every curve image on the page: loaded (its natural size is the SVG's), and how wide it is drawn.
IMAGES = """() => [...document.querySelectorAll('img.eval-chart')].map(i => ({
    loaded: i.complete && i.naturalWidth > 0, natural: i.naturalWidth, width: i.getBoundingClientRect().width,
    box: i.closest('figure').getBoundingClientRect().width, alt: i.alt}))"""


def test_the_curves_load_fit_a_phone_and_download(demo, live_server, phone):
    _evaluator(phone, live_server)
    blocked = []
    phone.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text
             else None)
    phone.goto(f"{live_server}/evaluation/?metric=density")
    for image in phone.locator("img.eval-chart").all():  # drawn when scrolled to (loading="lazy")
        image.scroll_into_view_if_needed()
    phone.wait_for_load_state("networkidle")
    images = phone.evaluate(IMAGES)
    assert len(images) == 7 and all(i["loaded"] and i["natural"] == 528 for i in images), images
    assert all(i["width"] <= i["box"] + 0.5 and i["width"] < 390 for i in images), images  # scaled to the phone
    assert all(i["alt"].startswith("Courbe : Densité — ") for i in images)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto(f"{live_server}/evaluation/mn")
    phone.locator("img.eval-chart").scroll_into_view_if_needed()
    phone.wait_for_load_state("networkidle")
    assert [i["loaded"] for i in phone.evaluate(IMAGES)] == [True]
    with phone.expect_download() as download:
        phone.locator("figure.eval-curve a", has_text="PNG").click()
    assert download.value.suggested_filename.startswith("reseau-ei-montreal-nord-liens-")
    assert open(download.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert not blocked, blocked
