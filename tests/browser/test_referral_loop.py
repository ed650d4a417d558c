"""The referral loop on a 390 px phone: the receiver is told by e-mail and sees « à traiter » in the menu and
the referral on their home page, opens it, writes to the sender and accepts; the sender sees both."""

from __future__ import annotations

import re

from tests.browser.conftest import login
from tests.browser.test_journeys import logout, no_sideways_scroll


def test_a_referral_reaches_the_receiver_on_a_phone_and_the_sender_sees_the_answer(demo, live_server, phone,
                                                                                  steps, mailbox):
    page = phone
    login(page, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    page.get_by_label("Qui appeler pour cette famille ?").fill("santé mentale")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    first = page.locator("li.contact").first
    name = first.locator(".contact-name").inner_text().strip()
    email = first.locator(".contact-links a[href^='mailto:']").inner_text().strip()
    first.get_by_role("link", name=re.compile("Référer")).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Envoyer la référence").click()
    page.wait_for_load_state()
    number = page.locator("h1 + p .muted").inner_text().strip()  # « n° 1A2B3C »
    steps.shot(page, "envoyee")
    logout(page)

    [told] = [m for m in mailbox.wait_for(1) if m["To"] == email]
    assert str(told["Subject"]).strip().startswith("Nouvelle référence reçue")

    login(page, live_server, email, "demo-intervenant")
    to_handle = page.locator("#to-handle + ul li")
    count = page.locator("summary.menu-button .badge").inner_text()  # on a phone, on the folded menu's button
    assert count == f"{to_handle.count()} à traiter" and to_handle.count() >= 1
    mine = to_handle.filter(has_text=number)
    assert "reçue" in mine.inner_text() and "Santé mentale" in mine.inner_text()
    no_sideways_scroll(page)
    steps.shot(page, "accueil-a-traiter")

    mine.get_by_role("link").first.click()
    page.wait_for_load_state()
    page.get_by_label(re.compile("Écrire à")).fill("Bien reçu, j'appelle la famille demain matin.")
    page.get_by_role("button", name="Envoyer le message").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Accepter").click()
    page.wait_for_load_state()
    assert "acceptée" in page.get_by_role("heading", level=1).inner_text()
    no_sideways_scroll(page)
    steps.shot(page, "acceptee-avec-message")
    logout(page)

    login(page, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    sent = page.locator("#under-way + ul li").filter(has_text=number)
    assert "acceptée" in sent.inner_text() and f"À {name}" in sent.inner_text()
    sent.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert "j'appelle la famille demain matin" in page.locator(".thread").inner_text()
    no_sideways_scroll(page)
    steps.shot(page, "expediteur-voit-la-reponse")
