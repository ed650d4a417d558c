"""The evaluation's tables read whole (issue 19): at 1280 px every sector matrix shows its four columns
without scrolling its box; on a phone each table scrolls inside its own box and the page never sideways; an
invalid period says so at the top, not thousands of pixels down."""

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
