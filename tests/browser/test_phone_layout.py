"""The main pages of each role on a 360 and a 390 px phone: nothing scrolls sideways, every box or round button
has its label beside it, the profile's columns are not squeezed and its form is short; the search's need field
is three Tabs after the skip link; the menu opens without JavaScript; fields bring up the right keyboard."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_accessibility import PAGES, log_in_as, open_page
from tests.integration.test_hsds_web import _example_zip
from tests.integration.test_waves import TODAY, open_wave

WIDTHS = (360, 390)

# Every visible box or round button whose label's text does not start on its line, to its right.
LABELS_AWAY = """() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
  .filter(box => box.getClientRects().length && box.offsetParent)
  .map(box => {
    const label = box.labels && box.labels[0];
    if (!label) return `${box.name}: no label`;
    const range = document.createRange();
    range.selectNodeContents(label);
    if (label.contains(box)) range.setStartAfter(box);
    const text = [...range.getClientRects()].find(r => r.width > 0);
    const b = box.getBoundingClientRect();
    const beside = text && text.left >= b.right - 1 && text.top < b.bottom && text.bottom > b.top;
    return beside ? null : `${box.name} « ${label.textContent.trim()} »`;
  }).filter(Boolean)"""

# Blocks of running text narrower than 120 px (visually hidden text, 1 px wide on purpose, left out).
SQUEEZED = """() => [...document.querySelectorAll('main *')].filter(e => {
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 12)) return false;
    const display = getComputedStyle(e).display;
    if (display.startsWith('inline') || display === 'none' || display === 'contents') return false;
    const width = e.getBoundingClientRect().width;
    return width > 2 && width < 120;
  }).map(e => `${e.tagName} « ${e.textContent.trim().slice(0, 40)} » ${e.getBoundingClientRect().width} px`)"""

# Tables wider than their box: cut, or scrolled with no sign that they scroll.
TABLES_CUT = """() => [...document.querySelectorAll('main table')]
  .filter(table => table.getBoundingClientRect().width > table.parentElement.clientWidth + 1)
  .map(table => `${table.caption ? table.caption.textContent.trim() : table.className}: `
                + `${table.getBoundingClientRect().width} px in ${table.parentElement.clientWidth}`)"""


def _phone(browser, width: int, **options):
    context = browser.new_context(locale="fr-CA", viewport={"width": width, "height": 800}, is_mobile=True,
                                  has_touch=True, **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def _open_folded_sections(page) -> None:
    page.evaluate("document.querySelectorAll('main details').forEach(details => { details.open = true; })")


@pytest.mark.parametrize("role", list(PAGES))
def test_pages_fit_a_phone(demo, graph, live_server, browser, role):
    open_wave(graph, opens=TODAY + timedelta(days=3))  # the survey wave page, its roster still open
    faults = []
    for width in WIDTHS:
        context, page = _phone(browser, width)
        try:
            log_in_as(page, live_server, role)
            for name in PAGES[role]:
                open_page(page, live_server, role, name)
                _open_folded_sections(page)  # the boxes folded in <details> count too
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    faults.append(f"{name} at {width} px: {scroll_width} px wide")
                faults += [f"{name} at {width} px: label away from its box: {f}" for f in page.evaluate(LABELS_AWAY)]
                if name == "profil":
                    faults += [f"{name} at {width} px: squeezed: {f}" for f in page.evaluate(SQUEEZED)]
        finally:
            context.close()
    assert not faults, "\n".join(faults)


def test_profile_form_is_short_with_the_right_keyboards(demo, live_server, browser):
    """Reported: 3,180 px tall at 390 px; fields carried aria-describedby="None"."""
    context, page = _phone(browser, 390)
    try:
        log_in_as(page, live_server, "intervenant")
        open_page(page, live_server, "intervenant", "profil-modifier")
        assert page.evaluate("document.documentElement.scrollHeight") < 1600
        assert page.locator("#phone").get_attribute("type") == "tel"
        assert page.locator("#phone").get_attribute("autocomplete") == "tel"
        assert page.locator("#email").get_attribute("type") == "email"
        assert page.locator("#email").get_attribute("autocomplete") == "email"
        assert page.locator("[aria-describedby='None'], [aria-invalid='None']").count() == 0
        # What is chosen shows on the folded section; opening it shows the boxes, two columns of them.
        languages = page.locator("details", has=page.locator("#languages"))
        assert "français" in languages.locator("summary").inner_text()
        languages.locator("summary").click()
        french, english = (page.get_by_label(name, exact=True) for name in ("français", "anglais"))
        assert french.is_checked() and french.bounding_box()["y"] == english.bounding_box()["y"]
        page.get_by_label("Téléphone professionnel").fill("abc")
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_load_state()
        assert page.locator("#phone").get_attribute("aria-invalid") == "true"
        assert page.locator("#phone").get_attribute("aria-describedby") == "phone-error"
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_need_field_is_three_tabs_after_the_skip_link(demo, live_server, browser, width):
    context, page = _phone(browser, width)
    try:
        log_in_as(page, live_server, "intervenant")
        page.goto(f"{live_server}/qui-appeler")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
        for _ in range(3):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "need":
                break
        assert page.evaluate("document.activeElement.id") == "need"
        assert page.locator("#max_km").get_attribute("inputmode") == "decimal"
    finally:
        context.close()


def test_on_a_wide_screen_the_skip_link_leads_to_the_need_field(demo, live_server, page):
    log_in_as(page, live_server, "intervenant")
    page.goto(f"{live_server}/qui-appeler")
    assert page.get_by_role("link", name="Mon réseau").is_visible()  # the menu is open, in one line
    assert len({round(box["y"]) for box in (link.bounding_box() for link in page.locator(".menu a").all())}) == 1
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "need"


def test_the_menu_opens_without_javascript(demo, live_server, browser):
    context, page = _phone(browser, 360, java_script_enabled=False)
    try:
        log_in_as(page, live_server, "intervenant")
        assert not page.get_by_role("link", name="Mon réseau").is_visible()
        page.locator("summary.menu-button").click()
        page.get_by_role("link", name="Mon réseau").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Mon réseau"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_hsds_preview_fits_a_phone(demo, live_server, browser, tmp_path, width):
    """Found by the outside pass of issue 20: at 390 px the summary was cut at « ignoré », with no sign that it
    scrolled, and the detail at « Détails »."""
    upload = tmp_path / "example.zip"
    upload.write_bytes(_example_zip())
    context, page = _phone(browser, width)
    try:
        log_in_as(page, live_server, "coordinator")
        page.goto(f"{live_server}/hsds/import")
        page.set_input_files("#package", str(upload))
        page.get_by_role("button", name="Prévisualiser l'import").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Aperçu de l'import"
        assert page.evaluate(TABLES_CUT) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # stacked: each figure after its column's name
        assert page.locator(".hsds-counts td[data-label='ignoré']").first.is_visible()
    finally:
        context.close()
