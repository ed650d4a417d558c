"""Each role's main journey in headless Chromium, checking what is on the screen, with a screenshot per step
(tests/artifacts/<test>/), in English once and at a phone's width."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways on a phone ({width} px)"


def logout(page) -> None:
    menu = page.locator("summary.menu-button")
    if menu.is_visible():  # a phone: the menu is folded under its button
        menu.click()
    page.get_by_role("button", name="Déconnexion").click()
    page.wait_for_load_state()


def test_intervenant_searches_refers_and_the_colleague_accepts(demo, live_server, page, steps):
    login(page, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    page.goto(f"{live_server}/qui-appeler")
    page.get_by_label("Besoin de la famille").fill("santé mentale")
    page.get_by_label("Territoire").select_option("mn")
    page.get_by_label("Langue de la famille").select_option("ar")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    first = page.locator("li.contact").first
    name = first.locator(".contact-name").inner_text()
    assert name.strip()
    assert first.locator(".reasons li").count() >= 1
    assert "arabe" in first.inner_text().lower()
    email = first.locator(".contact-links a[href^='mailto:']").inner_text()
    steps.shot(page, "resultats")

    first.get_by_role("link", name=re.compile("Référer")).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"Référer une famille à {name}"
    assert "Ne nommez pas la famille." in page.locator(".privacy-warning").inner_text()
    page.get_by_label("Note pour votre collègue (facultatif)").fill("Deux enfants, disponibles le matin.")
    steps.shot(page, "formulaire")
    page.get_by_role("button", name="Envoyer la référence").click()
    page.wait_for_load_state()
    assert page.locator(".flash-success").inner_text() == f"Référence envoyée à {name}."
    message = page.locator("#intro-message").input_value()
    assert name.split()[0] in message and "Deux enfants" not in message  # the note stays on the site
    steps.shot(page, "message")
    logout(page)

    login(page, live_server, email, "demo-intervenant")
    page.goto(f"{live_server}/reseau/")
    assert not page.locator("ul.ties", has_text="Annie Côté").count(), "the tie must be new"
    page.goto(f"{live_server}/references/?boite=received")
    page.get_by_role("link", name=re.compile("Santé mentale", re.I)).first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Accepter").click()
    page.wait_for_load_state()
    assert "acceptée" in page.get_by_role("heading", level=1).inner_text()
    steps.shot(page, "acceptee")

    page.goto(f"{live_server}/reseau/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon réseau"
    assert page.locator("ul.ties", has_text="Annie Côté").count() == 1
    steps.shot(page, "mon-reseau")


ORGANISATIONS_CSV = """nom;territoire;secteur;type;adresse;code postal;telephone;site web;langues
Maison des petits pas;mn;family;community;12, rue Lapierre;H1H 1J5;;;fr ar
Mauvais code;mn;family;;;12345;;;
"""


def test_coordinator_map_layers_new_organisation_and_csv_preview(demo, live_server, page, phone, steps, tmp_path):
    login(page, live_server, "coordination.mn@demo.reseau-ei.ca", "demo-coordination")
    page.goto(f"{live_server}/territoires/mn/carte")
    frame = page.frame_locator("iframe")
    edges = frame.locator(".leaflet-overlay-pane path.leaflet-interactive")
    edges.first.wait_for()
    before = edges.count()
    frame.locator(".leaflet-control-layers").hover()  # the folded layer control opens on a hover
    frame.locator(".leaflet-control-layers-overlays label", has_text="Avant EI").locator("input").uncheck()
    assert edges.count() < before
    steps.shot(page, "carte-calques")

    page.goto(f"{live_server}/repertoire/organisations/nouvelle")
    page.get_by_label("Nom", exact=True).fill("Café-rencontre بيت العائلة")
    page.get_by_label("Secteur").select_option("family")
    page.get_by_label("Type").select_option("community")
    page.get_by_label("Territoire où elle se trouve").select_option("mn")
    page.get_by_label("Code postal").fill("H1G 1A1")
    steps.shot(page, "nouvelle-organisation")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Café-rencontre بيت العائلة"
    steps.shot(page, "organisation-creee")

    csv = tmp_path / "organisations.csv"
    csv.write_text(ORGANISATIONS_CSV, encoding="utf-8")
    page.goto(f"{live_server}/repertoire/import")
    page.get_by_label("Organisations").check()
    page.get_by_label("Fichier CSV").set_input_files(str(csv))
    page.get_by_role("button", name="Prévisualiser").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Aperçu de l'import")
    assert page.locator(".row-create").count() == 1
    assert page.locator("tr", has_text="Mauvais code").locator("text=code postal").count() >= 1
    steps.shot(page, "apercu-import")

    login(phone, live_server, "coordination.mn@demo.reseau-ei.ca", "demo-coordination")
    for path in ("/territoires/", "/territoires/mn/carte", "/repertoire/", "/repertoire/import"):
        phone.goto(f"{live_server}{path}")
        no_sideways_scroll(phone)
    steps.shot(phone, "telephone-import")


def test_evaluator_before_after_export_in_english(demo, live_server, page, phone, steps):
    login(page, live_server, "evaluation@demo.reseau-ei.ca", "demo-evaluation")
    page.goto(f"{live_server}/evaluation/")
    assert page.get_by_role("heading", level=1).inner_text() == "Évaluation : la croissance du réseau"
    page.get_by_role("link", name="Montréal-Nord").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Montréal-Nord"
    steps.shot(page, "avant-apres")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV : personnes").click()
    content = open(download.value.path(), encoding="utf-8").read()
    assert content.count("\n") > 5
    names = [p["name"] for p in demo.people] + [p["email"] for p in demo.people if p.get("email")]
    leaked = [n for n in names if n in content]
    assert not leaked, leaked[:5]

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/evaluation/")
    assert page.get_by_role("heading", level=1).inner_text() == "Evaluation: how the network grows"
    steps.shot(page, "english")

    login(phone, live_server, "evaluation@demo.reseau-ei.ca", "demo-evaluation")
    for path in ("/evaluation/", "/evaluation/mn", "/profil/"):
        phone.goto(f"{live_server}{path}")
        no_sideways_scroll(phone)
    steps.shot(phone, "telephone")


def test_a_person_erases_their_profile(demo, live_server, page, phone, steps):
    login(phone, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    for path in ("/qui-appeler?need=sant%C3%A9+mentale&territory=mn&language=ar", "/reseau/", "/references/",
                 "/profil/"):
        phone.goto(f"{live_server}{path}")
        no_sideways_scroll(phone)
    steps.shot(phone, "telephone-recherche")

    login(page, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    page.goto(f"{live_server}/profil/effacer")
    assert page.get_by_role("heading", level=1).inner_text() == "Effacer mon profil"
    page.get_by_label("Tapez EFFACER pour confirmer").fill("EFFACER")
    steps.shot(page, "effacer")
    page.get_by_role("button", name="Effacer mon profil").click()
    page.wait_for_load_state()
    assert "Votre profil et votre compte ont été effacés." in page.locator(".flash").inner_text()
    steps.shot(page, "efface")
    login(page, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    assert page.get_by_role("alert").inner_text() == "Courriel ou mot de passe incorrect."


# Issue 21: each demo role lands on its own page (the evaluator's home asked « Qui appeler pour cette famille ? »).
HOMES = [("intervenant@demo.reseau-ei.ca", "demo-intervenant", r"/$", "Qui appeler pour cette famille ?"),
         ("coordination.mn@demo.reseau-ei.ca", "demo-coordination", r"/$", "Montréal-Nord"),
         ("evaluation@demo.reseau-ei.ca", "demo-evaluation", r"/evaluation/$", "Évaluation"),
         ("admin@demo.reseau-ei.ca", "demo-admin", r"/$", "Vos territoires")]


@pytest.mark.parametrize("viewport", ["page", "phone"])
def test_each_role_logs_in_and_lands_on_its_own_page(demo, live_server, request, viewport):
    page = request.getfixturevalue(viewport)
    for email, password, url, heading in HOMES:
        login(page, live_server, email, password)
        assert re.search(url, page.url), (email, page.url)
        assert heading in page.locator("h1").first.inner_text(), email
        no_sideways_scroll(page)
        page.context.clear_cookies()  # the next role logs in afresh
