"""The inbox on a phone: the home page of an intervenant.e, the count in the menu, received and sent told
apart, the thread between the two workers, and status forms that choose nothing for the user."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from graph.repositories.referrals import ReferralRepository
from tests.conftest import graph_fingerprint
from tests.integration.test_notifications import refer, subject, text
from tests.integration.test_referrals import login


def settled(app, driver):
    """The graph once the e-mails of what came before are sent (their outbox nodes change as they go)."""
    app.extensions["notify"].wait_idle()
    return graph_fingerprint(driver)


def as_receiver(client):
    client.post("/deconnexion")
    login(client, "r")


def test_the_receivers_home_lists_what_waits_and_the_menu_counts_it(pair, client):
    referral_id = refer(client)
    home = client.get("/").get_data(as_text=True)  # the sender's home: their referral under way
    assert "Mes références envoyées en cours" in home and f"/references/{referral_id}" in home
    assert "à traiter</span>" not in home
    as_receiver(client)
    home = client.get("/").get_data(as_text=True)
    assert 'role="search"' in home and 'name="need"' in home
    assert '<span class="badge count">1 à traiter</span>' in home
    # Elsewhere the count comes with the session's account (one read less on every page).
    assert '<span class="badge count">1 à traiter</span>' in client.get("/profil/").get_data(as_text=True)
    to_handle = home.split('id="to-handle"')[1].split("</section>")[0]
    assert f"/references/{referral_id}" in to_handle and ">reçue</span>" in to_handle
    assert "De Sandrine Sender · Organisme o1" in to_handle and "arabe · urgence élevée" in to_handle
    assert f"n° {referral_id[2:8].upper()}" in to_handle


def test_the_inbox_opens_where_the_activity_is(pair, client):
    refer(client)
    assert 'href="/references/?boite=sent" aria-current="page"' in client.get("/references/").get_data(as_text=True)
    as_receiver(client)
    assert 'href="/references/?boite=received" aria-current="page"' in \
        client.get("/references/").get_data(as_text=True)


def test_the_two_workers_write_to_each_other_and_the_other_is_told(pair, app, client, mailbox):
    referral_id = refer(client)
    page = client.post(f"/references/{referral_id}/messages", data={"text": "Je l'appelle demain matin."},
                       follow_redirects=True).get_data(as_text=True)
    assert "Message envoyé." in page and "Je l&#39;appelle demain matin." in page
    messages = mailbox.wait_for(2)
    assert subject(messages[1]).startswith("Nouveau message sur la référence")
    assert messages[1]["To"] == "r@example.org" and "demain matin" not in text(messages[1])
    as_receiver(client)
    client.post(f"/references/{referral_id}/messages", data={"text": "Merci, je suis disponible."})
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)
    assert page.index("demain matin") < page.index("je suis disponible")
    assert mailbox.wait_for(3)[2]["To"] == "s@example.org"


@pytest.mark.parametrize("message,found", [
    ("Appeler la mère au 514 555-0199", "numéro de téléphone"),
    ("Mme Benali attend votre appel", "un nom"),
    ("", "1 à 1000"),
    ("x" * 1001, "1 à 1000"),
])
def test_a_message_that_identifies_the_family_or_is_empty_is_refused(pair, app, client, message, found):
    """Outside pass 15 (second): the refused text came back empty, its reason only at the top of the page."""
    referral_id = refer(client)
    before = settled(app, pair)
    refused = client.post(f"/references/{referral_id}/messages", data={"text": message})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and graph_fingerprint(pair) == before
    assert re.search(rf'<p class="error" id="message-error">[^<]*{found}', page)
    assert 'aria-invalid="true"' in page and f">{message[:1000]}</textarea>" in page.replace("&#39;", "'")


def test_a_third_person_neither_reads_nor_writes_the_thread(pair, app, client):
    referral_id = refer(client)
    client.post(f"/references/{referral_id}/messages", data={"text": "Je l'appelle demain."})
    client.post("/deconnexion")
    login(client, "x")
    before = settled(app, pair)
    assert client.get(f"/references/{referral_id}").status_code == 404
    assert client.post(f"/references/{referral_id}/messages", data={"text": "Moi aussi"}).status_code == 404
    assert graph_fingerprint(pair) == before


def test_admins_follow_a_referral_without_its_note_or_thread(pair, app, client):
    """Outside pass 15 (second): admins read every note and message; they are the two workers' only."""
    referral_id = refer(client)
    client.post(f"/references/{referral_id}/messages", data={"text": "Je l'appelle demain matin."})
    client.post("/deconnexion")
    login(client, "admin")
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)
    assert "Sandrine Sender" in page and "Visible par les deux intervenant.es seulement." in page
    assert "arrivée en juin" not in page and "demain matin" not in page and "Messages entre vous deux" not in page
    assert client.post(f"/references/{referral_id}/messages", data={"text": "Bonjour"}).status_code == 403


def test_the_sender_is_told_whether_the_receiver_was_told(pair, app, client):
    """Outside pass 15 (second): « a été prévenu.e par courriel » when nothing was sent."""
    told = refer(client)
    app.extensions["notify"].wait_idle()
    assert "Rania Receiver a reçu un courriel" in client.get(f"/references/{told}").get_data(as_text=True)
    pair.execute_query("MATCH (p:Person {id: 'r'}) SET p.notify = 'none'")
    untold = refer(client, note="Une autre famille.")
    page = client.get(f"/references/{untold}").get_data(as_text=True)
    assert "Rania Receiver n'a pas reçu de courriel" in html.unescape(page) and "a reçu un courriel" not in page


def test_only_the_sender_relances_and_the_receiver_is_asked_where_it_stands(pair, app, client):
    """Outside pass 15 (second): the receiver could « relancer » the sender, who had nothing to answer."""
    referral_id = refer(client)
    pair.execute_query("MATCH (r:Referral {id: $id}) SET r.updated_at = datetime() - duration('P8D')",
                       id=referral_id)
    as_receiver(client)
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)
    assert "Indiquez où vous en êtes." in page and "Relancer" not in page
    assert client.post(f"/references/{referral_id}/relancer").status_code == 403


def test_status_forms_choose_nothing_cancel_asks_and_other_reason_says_which(pair, app, client):
    referral_id = refer(client)
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)
    assert '<details class="card confirm">' in page and "Oui, annuler la référence" in page
    as_receiver(client)
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)
    assert page.count('<option value="" selected>— choisir —</option>') == 1  # the decline form's reason
    before = settled(app, pair)
    refused = client.post(f"/references/{referral_id}/statut", data={"status": "declined", "reason": "other"})
    page = refused.get_data(as_text=True)  # the choice kept, the error beside the field it is about
    assert refused.status_code == 422 and graph_fingerprint(pair) == before
    assert '<option value="other" selected>' in page and 'aria-invalid="true"' in page
    assert re.search(r'<p class="error" id="detail-\d-error">« Autre raison » : dites laquelle', page)
    named = client.post(f"/references/{referral_id}/statut", data={
        "status": "declined", "reason": "other", "detail": "Mme Benali déménage"})
    page = named.get_data(as_text=True)
    assert named.status_code == 422 and graph_fingerprint(pair) == before
    assert 'value="Mme Benali déménage"' in page and re.search(r'id="detail-\d-error">[^<]*un nom', page)
    client.post(f"/references/{referral_id}/statut", data={"status": "declined", "reason": "other",
                                                           "detail": "Liste d'attente\x00 fermée\x07"})
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)
    # Control characters are no part of it (outside pass 15, second: NUL and BEL were kept).
    assert "autre raison : Liste d&#39;attente fermée" in page and "\x00" not in page and "\x07" not in page


def test_could_not_reach_closes_an_accepted_referral_without_starting(pair, client):
    referral_id = refer(client)
    as_receiver(client)
    client.post(f"/references/{referral_id}/statut", data={"status": "accepted"})
    closed = client.post(f"/references/{referral_id}/statut",
                         data={"status": "completed", "outcome": "could_not_reach"}, follow_redirects=True)
    assert "Référence mise à jour : terminée." in closed.get_data(as_text=True)


def test_the_referral_form_has_the_note_checker_loaded_before_it_comes_back(pair, client, monkeypatch):
    """Outside pass 15: the first referral after a restart waited 14 s for spaCy's model; the form page now
    starts that load in the background."""
    import threading

    from referral.referrals import note_detector

    built = threading.Event()
    monkeypatch.setattr(note_detector, "_analyzer", None)
    monkeypatch.setattr(note_detector, "_build", lambda: built.set() or "analyzer")
    login(client, "s")
    assert client.get("/references/nouvelle?to=r").status_code == 200
    assert built.wait(5)  # loaded in the background, without any note sent


def test_a_referrals_instants_come_back_to_the_microsecond(demo, graph):
    """Boxes read a referral's instants as integers (graph.driver.instant): the same aware UTC datetimes as
    were written, to the microsecond."""
    sender, receiver = (graph.execute_query("MATCH (p:Person {listed: true})-[:WORKS_AT]->() RETURN p.id AS id "
                                            "ORDER BY id LIMIT 2").records)
    now = datetime(2026, 3, 4, 15, 16, 17, 123456, tzinfo=UTC)
    referrals = ReferralRepository(graph)
    referral, created, refused = referrals.create(sender=sender["id"], receiver=receiver["id"], need="housing",
                                                  language=None, urgency="normal", note=None, now=now,
                                                  today=now.date(), request_key=None, despite_pause=False)
    assert created and refused is None
    (boxed,) = [r for r in referrals.box_page(sender["id"], "sent", 0, 25)["referrals"] if r["id"] == referral["id"]]
    assert boxed["created_at"] == boxed["updated_at"] == now and boxed["created_at"].utcoffset() == timedelta(0)
    assert boxed["created_at"].isoformat() == "2026-03-04T15:16:17.123456+00:00"
