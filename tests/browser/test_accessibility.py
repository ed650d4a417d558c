"""axe-core (node_modules/axe-core, pinned by package-lock.json; `make test` installs it) in Chromium on the main
pages of each role, at a desktop's and a phone's width: no serious or critical violation.

A page is a path, or a path and the CSS selectors of the links to follow from it (the first match each time):
the demo's ids are not written here, the pages lead to them as a user goes."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from seed.demo.network import DEMO_PASSWORDS
from tests.browser.conftest import login
from tests.conftest import DEMO_ACCOUNTS
from tests.integration.test_waves import TODAY, open_wave

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SEARCH = "/qui-appeler?need=sant%C3%A9+mentale"
PAGES = {
    "anonymous": {
        "accueil": "/",
        "connexion": "/connexion",
    },
    "intervenant": {
        "accueil": "/",
        "recherche": SEARCH,
        "fiche-contact": (SEARCH, "li.contact .contact-name a"),
        "reference-nouvelle": (SEARCH, "li.contact a[href*='/references/nouvelle']"),
        "references": "/references/",
        "une-reference": ("/", ".referral-item a[href*='/references/']"),
        "profil": "/profil/",
        "profil-modifier": "/profil/modifier",
        "mon-reseau": "/reseau/",
        "territoires": "/territoires/",
    },
    "coordinator": {
        "accueil-coordination": "/",
        "repertoire": "/repertoire/",
        "personne": ("/repertoire/personnes", "td a[href*='/personnes/']"),
        "personne-formulaire": "/repertoire/personnes/nouvelle",
        "organisation": ("/repertoire/", "td a[href*='/organisations/']"),
        "import": "/repertoire/import",
        "journal": "/repertoire/journal",
        "archiver-organisation": "/repertoire/organisations/o-mn-01/archiver",
        "archiver-personne": "/repertoire/personnes/p-002/archiver",
        "fusion-recherche": "/repertoire/personnes/p-002/fusionner?q=a",
        "fusion": "/repertoire/personnes/p-002/fusionner/p-003",
        "carte-territoire": ("/territoires/", ".territories a[href$='/carte']"),
        "seances": "/seances/",
        "presences": "/seances/mn-s1",
        "liens-seance": "/seances/mn-s1/liens",
        "cohorte": "/seances/cohortes/nouvelle",
        "seance": "/seances/mn-s1/modifier",
        "vague": ("/evaluation/vagues", "tbody th a[href*='/vagues/']"),  # its roster, names and forms
    },
    "evaluator": {
        "evaluation": "/evaluation/",
        "tableaux": "/evaluation/tableaux",
        "definitions": "/evaluation/definitions",
        "groupe": ("/evaluation/", "tbody th a[href*='/evaluation/']"),  # before, after, today
        "comparaison": ("/evaluation/", "tbody th a[href*='/evaluation/']", "a[href*='/difference']"),
        "vagues": "/evaluation/vagues",
        "vague": ("/evaluation/vagues", "tbody th a[href*='/vagues/']"),  # pseudonyms, follow-up, forms
    },
    "admin": {
        "comptes": "/admin/comptes",
        "nouveau-territoire": "/territoires/nouveau",
        "cohorte-modifier": "/seances/cohortes/cohort-1/modifier",
    },
}
WIDTHS = (1280, 390)


def log_in_as(page, base_url: str, role: str) -> None:
    if role != "anonymous":
        login(page, base_url, DEMO_ACCOUNTS[role], DEMO_PASSWORDS[role])


def open_page(page, base_url: str, role: str, name: str) -> None:
    """Goes to the page, following its links from where it starts; fails unless it answers 200."""
    target = PAGES[role][name]
    path, *links = (target,) if isinstance(target, str) else target
    response = page.goto(base_url + path)
    for selector in links:
        href = page.locator(selector).first.get_attribute("href")
        assert href, f"{page.url}: no link {selector}"
        response = page.goto(base_url + href if href.startswith("/") else href)
    assert response.status == 200, f"{page.url} answered {response.status}"
    page.wait_for_load_state("load")


def serious_violations(page) -> list[str]:
    """axe's serious and critical violations, one line per element: rule, help, target."""
    for frame in page.frames:  # the maps are iframes of the same origin: axe checks them from the page
        frame.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {' > '.join(map(str, node['target']))}"
            for v in results["violations"] if v["impact"] in ("serious", "critical") for node in v["nodes"]]


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        message = "axe-core is not installed (make test runs npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", list(PAGES))
def test_no_serious_accessibility_violation(axe_script, demo, graph, live_server, browser, role, width):
    """Every page of the role, in one browser context logged in once (a login per page cost more than axe)."""
    open_wave(graph, opens=TODAY + timedelta(days=3))  # a survey wave whose roster may still change
    # bypass_csp: the pages' policy refuses scripts without its nonce, axe's included.
    context = browser.new_context(locale="fr-CA", viewport={"width": width, "height": 900}, bypass_csp=True,
                                  is_mobile=width < 600, has_touch=width < 600)
    page = context.new_page()
    page.set_default_timeout(30000)
    found = []
    try:
        log_in_as(page, live_server, role)
        for name in PAGES[role]:
            try:  # one page that fails to open does not hide the others' violations
                open_page(page, live_server, role, name)
            except AssertionError as error:
                found.append(f"{name}: {error}")
                continue
            found += [f"{name} ({page.url}): {violation}" for violation in serious_violations(page)]
    finally:
        context.close()
    assert not found, f"{role} at {width} px:\n" + "\n".join(found)
