"""« Fiche pour la famille » on a phone (390 px): from a search that lands on its results, a sheet in French
and Arabic (right to left), which Chromium prints on exactly one Letter page and one A4 page."""

import re

from tests.browser.conftest import login

PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")  # a page, not the /Pages tree


def pages(pdf: bytes) -> int:
    return len(PAGE_OBJECT.findall(pdf))


def test_a_sheet_in_french_and_arabic_prints_on_one_page(demo, live_server, phone, steps):
    login(phone, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    phone.goto(f"{live_server}/qui-appeler")
    phone.get_by_label("Besoin de la famille").fill("santé mentale")
    phone.get_by_role("button", name="Chercher").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("#resultats")  # the page lands on its results
    assert phone.locator("#resultats").get_attribute("tabindex") == "-1"
    steps.shot(phone, "resultats")

    phone.get_by_role("link", name=re.compile("^Fiche pour la famille")).first.click()
    phone.wait_for_load_state()
    phone.get_by_label("Langue de la famille").select_option("ar")
    phone.get_by_role("button", name="Afficher").click()
    phone.wait_for_load_state()
    assert "langue=ar" in phone.url

    sheet = phone.locator("article.family-sheet")
    arabic = sheet.locator('[lang="ar"]')
    assert arabic.count() > 3 and sheet.locator('[lang="fr"]').count() > 3
    assert all(arabic.nth(i).get_attribute("dir") == "rtl" for i in range(arabic.count()))
    week = sheet.locator('ul.week[lang="ar"]')
    assert week.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert "من" in week.inner_text()
    assert phone.get_by_role("button", name="Copier le texte").is_visible()
    assert phone.get_by_role("button", name="Imprimer ou enregistrer en PDF").is_visible()  # shown by copy.js
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "the sheet must fit a phone"
    steps.shot(phone, "fiche-arabe")

    for paper in ("Letter", "A4"):
        pdf = phone.pdf(format=paper, print_background=True)
        assert pdf.startswith(b"%PDF") and pages(pdf) == 1, f"the sheet must print on one {paper} page"
        (steps.folder / f"fiche-{paper}.pdf").write_bytes(pdf)
