"""A coordinator runs a session on a phone (issue 18): opens cohort 3 with the program's six sessions, ticks
who came at the first one — a guest from another territory found without losing the ticks — counts the
partner parents, records the first meetings, and the evaluation shows cohort 3. Screenshots per step."""

from __future__ import annotations

from datetime import timedelta

from referral import clock
from tests.browser.conftest import login
from tests.browser.test_journeys import logout, no_sideways_scroll


def test_a_session_run_on_a_phone_reaches_the_evaluation(demo, live_server, phone, steps):
    page = phone
    login(page, live_server, "coordination.mn@demo.reseau-ei.ca", "demo-coordination")
    page.goto(f"{live_server}/seances/cohortes/nouvelle")
    start = clock.today() - timedelta(days=3)
    page.get_by_label("Nom de la cohorte").fill("Cohorte 3")
    page.get_by_label("Montréal-Nord").check()
    page.get_by_label("Début", exact=True).fill(start.isoformat())
    page.get_by_label("Fin", exact=True).fill((start + timedelta(days=200)).isoformat())
    no_sideways_scroll(page)
    steps.shot(page, "ouvrir-une-cohorte")
    page.get_by_role("button", name="Ouvrir la cohorte").click()
    page.wait_for_load_state()
    assert "6 séances planifiées" in page.locator(".flash-success").inner_text()

    page.goto(f"{live_server}/seances/mn-c3-s1")
    boxes = page.locator("#people input[type=checkbox]")
    for n in range(8):
        boxes.nth(n).check()
    page.get_by_label("Parents partenaires présents (un nombre, sans nom)").fill("2")
    guest = next(p for p in demo.people if p.get("territory") == "vsp" and p["kind"] == "intervenant"
                 and p["listed"])
    page.get_by_label("Ajouter une personne d'un autre territoire").fill(guest["name"])
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    assert page.locator("#people input:checked").count() == 8  # the ticks stayed
    assert page.get_by_label("Parents partenaires présents (un nombre, sans nom)").input_value() == "2"
    page.get_by_label(guest["name"], exact=False).check()
    no_sideways_scroll(page)
    steps.shot(page, "presences")
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.wait_for_load_state()
    assert "9 personnes" in page.locator(".flash-success").inner_text()

    # The first person met the next six for the first time.
    first = page.locator("main form details").first  # the menu is a <details> too
    pairs = first.locator("input[type=checkbox]")
    for n in range(min(6, pairs.count())):
        pairs.nth(n).check()
    ticked = first.locator("input:checked").count()
    no_sideways_scroll(page)
    steps.shot(page, "liens-nes-en-seance")
    page.get_by_role("button", name="Enregistrer ces liens").click()
    page.wait_for_load_state()
    assert f"{ticked} liens nés en séance enregistrés" in page.locator(".flash-success").inner_text()
    logout(page)

    login(page, live_server, "evaluation@demo.reseau-ei.ca", "demo-evaluation")
    page.goto(f"{live_server}/evaluation/")
    assert page.get_by_text("Cohorte 3").count() >= 1
    no_sideways_scroll(page)
    steps.shot(page, "evaluation")
