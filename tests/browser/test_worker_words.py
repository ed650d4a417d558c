"""On a phone, a worker's own words reach the same person, in view, with the hours in words (issue 17)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import login


def first_result(phone, live_server, words: str):
    phone.goto(f"{live_server}/qui-appeler")
    phone.get_by_label("Besoin de la famille").fill(words)
    phone.get_by_label("Territoire").select_option("all")
    phone.get_by_role("button", name="Chercher").click()
    phone.wait_for_load_state()
    return phone.locator("li.contact").first


def test_avocat_and_lawyer_find_the_same_person_in_view_with_hours_in_words(demo, live_server, phone, steps):
    login(phone, live_server, "intervenant@demo.reseau-ei.ca", "demo-intervenant")
    french = first_result(phone, live_server, "avocat")
    expect(french).to_be_in_viewport()  # the page lands on its results, not at its top
    name = french.locator(".contact-name").inner_text().strip()
    assert re.search(r"(Ouvert|Fermé|Ouvre)\b.*\d+ h", french.locator(".hours-state").inner_text())
    steps.shot(phone, "avocat")
    english = first_result(phone, live_server, "lawyer")
    expect(english).to_be_in_viewport()
    assert english.locator(".contact-name").inner_text().strip() == name
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    steps.shot(phone, "lawyer")
