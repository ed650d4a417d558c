"""The referral loop reaches people by e-mail, through the test session's real SMTP server (aiosmtpd):
who is told what, in which language, never with the note; preferences; a failed send retried while the
referral stands. Reminders and « Relancer »: test_reminders.py."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from email import policy as email_policy
from email.parser import BytesParser

from graph.repositories.notifications import NotificationRepository
from referral.notify.dispatch import deliver_due
from tests.conftest import make_config
from tests.integration.test_referrals import login

NOTE = "Deux enfants d'âge scolaire, arrivée en juin."


def refer(client, note=NOTE) -> str:
    login(client, "s")
    sent = client.post("/references/nouvelle", data={"to": "r", "need": "mental-health", "language": "ar",
                                                     "urgency": "high", "note": note})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    return sent.headers["Location"].rsplit("/", 1)[1]


def header(message, name: str) -> str:
    """Unfolded: a long value starts on the next line of its header."""
    return str(message[name]).strip()


def subject(message) -> str:
    return header(message, "Subject")


def text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def outbox(driver) -> list[dict]:
    return [r["n"] for r in driver.execute_query("MATCH (n:Notification) RETURN n {.*} AS n ORDER BY n.key").records]


def test_the_receiver_is_told_in_french_with_a_link_and_never_the_note(pair, app, client, mailbox):
    referral_id = refer(client)
    [message] = mailbox.wait_for(1)
    assert message["To"] == "r@example.org"
    # No need in the subject: a locked phone shows it (the body has it).
    assert re.fullmatch(r"Nouvelle référence reçue de Sandrine Sender \(n° [\w-]+\)", subject(message))
    body = text(message)
    assert "Sandrine Sender (Organisme o1) vous a envoyé une référence." in body and "Besoin : Santé mentale" in body
    assert f"{app.config['PUBLIC_URL']}/references/{referral_id}" in body
    assert "Langue de la famille : arabe" in body and "Urgence : élevée" in body
    assert "enfants" not in body and "juin" not in body  # the note never leaves the site
    assert header(message, "List-Unsubscribe").startswith(f"<{app.config['PUBLIC_URL']}/courriels/preferences/")
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    sender_domain = app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[1].rstrip(">")
    assert header(message, "Message-ID").endswith(f"@{sender_domain}>")  # not this machine's name
    app.extensions["notify"].wait_idle()
    assert [n["state"] for n in outbox(pair)] == ["sent"]


def test_a_receiver_who_chose_english_reads_english(pair, client, mailbox):
    login(client, "r")
    client.get("/langue/en")  # their choice on the site is their e-mails' language too
    client.post("/deconnexion")
    refer(client)
    [message] = mailbox.wait_for(1)
    assert subject(message).startswith("New referral from Sandrine Sender (no. ")
    assert "Family's language: Arabic" in text(message)
    client.post("/deconnexion")
    another_browser = client.application.test_client()  # outside pass 15: the screens went back to French
    login(another_browser, "r")
    assert '<html lang="en">' in another_browser.get("/").get_data(as_text=True)


def test_the_sender_is_told_of_acceptance_and_a_decline_with_its_reason(pair, client, mailbox):
    first, second = refer(client), None
    client.post("/deconnexion")
    login(client, "r")
    assert client.post(f"/references/{first}/statut", data={"status": "accepted"}).status_code == 302
    client.post("/deconnexion")
    second = refer(client, note="Une autre famille.")
    client.post("/deconnexion")
    login(client, "r")
    client.post(f"/references/{second}/statut", data={"status": "declined", "reason": "no_capacity"})
    messages = mailbox.wait_for(4)
    to_sender = [m for m in messages if m["To"] == "s@example.org"]
    assert [subject(m) for m in to_sender] == [
        f"La référence {first[2:8].upper()} a été acceptée", f"La référence {second[2:8].upper()} a été refusée"]
    assert "Raison : pas de place pour l'instant" in text(to_sender[1])
    assert len(messages) == 4  # two to the receiver (received), two to the sender


def test_an_other_reason_goes_with_its_words_and_a_name_with_a_line_break_stops_no_email(pair, client, mailbox):
    """Outside pass 15 (second): the decline said only « autre raison »; a sender's name saved with a line
    break made every e-mail about them fail (BadHeaderError)."""
    pair.execute_query("MATCH (p:Person {id: 's'}) SET p.name = 'Sandrine\nSender'")
    referral_id = refer(client)
    client.post("/deconnexion")
    login(client, "r")
    client.post(f"/references/{referral_id}/statut", data={"status": "declined", "reason": "other",
                                                           "detail": "Liste d'attente fermée"})
    received, declined = mailbox.wait_for(2)
    assert subject(received).startswith("Nouvelle référence reçue de Sandrine Sender (n° ")
    assert "Raison : autre raison — Liste d'attente fermée" in text(declined)


def test_cancelling_tells_the_receiver(pair, client, mailbox):
    referral_id = refer(client)
    client.post(f"/references/{referral_id}/statut", data={"status": "cancelled"})
    messages = mailbox.wait_for(2)
    assert [m["To"] for m in messages] == ["r@example.org", "r@example.org"]
    assert "a été annulée" in subject(messages[1])


def test_a_person_who_wants_no_email_gets_none_and_nothing_waits(pair, app, client, mailbox):
    login(client, "r")
    assert client.post("/profil/courriels", data={"mode": "none"}).status_code == 302
    client.post("/deconnexion")
    refer(client)
    app.extensions["notify"].wait_idle()
    assert mailbox.wait_for(1, timeout=1) == [] and outbox(pair) == []


def test_the_digest_gathers_the_day_once(pair, app, client, mailbox, runner):
    app.config["NOTIFY_DIGEST_HOUR"] = 0
    login(client, "r")
    client.post("/profil/courriels", data={"mode": "digest"})
    client.post("/deconnexion")
    refer(client)
    refer(client, note="Une autre famille.")
    app.extensions["notify"].wait_idle()
    assert mailbox.messages == []
    result = runner.invoke(args=["notify", "due"])
    assert "digests: 2" in result.output, result.output
    [digest] = mailbox.wait_for(1)
    assert subject(digest) == "Réseau EI : votre résumé du jour (2)"
    assert text(digest).count("vous a envoyé une référence") == 2
    refer(client, note="Une troisième famille.")
    assert "digests: 0" in runner.invoke(args=["notify", "due"]).output  # one digest a day
    assert len(mailbox.wait_for(2, timeout=1)) == 1


def test_the_link_in_each_message_changes_what_one_receives_without_logging_in(pair, app, client, mailbox):
    refer(client)
    [message] = mailbox.wait_for(1)
    link = re.search(r"http://\S+/courriels/preferences/\S+", text(message)).group(0)
    path = link.removeprefix(app.config["PUBLIC_URL"])
    anonymous = app.test_client()
    page = anonymous.get(path).get_data(as_text=True)
    assert "Rania Receiver, choisissez" in page
    assert '<input checked id="mode-0" name="mode" required type="radio" value="each">' in page
    assert anonymous.post(path, data={"mode": "digest"}).status_code == 302
    assert NotificationRepository(pair).recipients(["r"])["r"]["mode"] == "digest"
    assert anonymous.get(path[:-3] + "xyz").status_code == 404
    assert anonymous.post(path, data={"mode": "everything"}).status_code == 200  # refused, unchanged
    assert NotificationRepository(pair).recipients(["r"])["r"]["mode"] == "digest"
    # A mail client's one-click unsubscribe (RFC 8058): a POST with no cookie and no CSRF token.
    one_click = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 204
    assert NotificationRepository(pair).recipients(["r"])["r"]["mode"] == "none"


def test_a_failed_send_keeps_the_referral_and_is_retried(pair, neo4j_settings, smtp_server, mailbox):
    from app import create_app

    down = create_app(make_config(neo4j_settings, smtp_server))
    down.config["MAIL_PORT"] = 1  # nothing listens there
    down.extensions["mailman"].port = 1
    client = down.test_client()
    referral_id = refer(client)
    down.extensions["notify"].wait_idle()
    down.extensions["notify"].stop()
    [waiting] = outbox(pair)
    assert (waiting["state"], waiting["attempts"], waiting["referral"]) == ("pending", 1, referral_id)
    assert "ConnectionRefusedError" in waiting["error"] or "Errno" in waiting["error"]
    pair.execute_query("MATCH (n:Notification) SET n.due = datetime()")
    up = create_app(make_config(neo4j_settings, smtp_server))
    assert deliver_due(up) == (1, 0)
    assert mailbox.wait_for(1)[0]["To"] == "r@example.org"
    up.extensions["notify"].stop()
    down.extensions["neo4j"].close()
    up.extensions["neo4j"].close()


def test_two_workers_never_send_the_same_notification(pair):
    from datetime import UTC, datetime

    outbox_repository = NotificationRepository(pair)
    rows = [{"key": f"received:k{i}", "kind": "received", "person": "r", "referral": "r-x", "status": None,
             "reason": None, "outcome": None, "day": None} for i in range(30)]
    now = datetime.now(UTC)
    assert outbox_repository.enqueue(rows, now, lambda recipient: "pending") == 30
    assert outbox_repository.enqueue(rows, now, lambda recipient: "pending") == 0  # one per key, however often told
    with ThreadPoolExecutor(4) as pool:
        claims = list(pool.map(lambda _: [n["key"] for n in outbox_repository.claim(now, limit=30)], range(4)))
    claimed = [key for claim in claims for key in claim]
    assert sorted(claimed) == sorted(row["key"] for row in rows)


def test_admins_read_what_went_out_and_the_files_of_a_machine_without_smtp(pair, neo4j_settings, tmp_path):
    from app import create_app

    config = make_config(neo4j_settings, MAIL_BACKEND="referral.notify.eml_backend",
                         MAIL_FILE_PATH=str(tmp_path))
    local = create_app(config)
    client = local.test_client()
    refer(client)
    local.extensions["notify"].wait_idle()
    [eml] = list(tmp_path.glob("*.eml"))
    written = BytesParser(policy=email_policy.default).parsebytes(eml.read_bytes())
    assert subject(written).startswith("Nouvelle référence reçue de Sandrine") and written["To"] == "r@example.org"
    assert b"\r\n" in eml.read_bytes()  # a standard .eml, as mail clients open it
    client.post("/deconnexion")
    client.post("/connexion", data={"email": "admin@example.org", "password": "pair-network-pw"})
    page = client.get("/admin/courriels").get_data(as_text=True)
    assert "Nouvelle référence reçue de Sandrine Sender" in page and "r@example.org" in page and ">envoyé<" in page
    # whom each notification was for
    assert '<td data-label="Pour">Rania Receiver</td>' in page and "Essais en échec" in page
    local.extensions["notify"].stop()
    local.extensions["neo4j"].close()


def test_production_never_shows_message_bodies_to_admins(pair, neo4j_settings, tmp_path):
    """Outside pass 15: /admin/courriels showed live password links in production."""
    from app import create_app

    config = make_config(neo4j_settings, MAIL_BACKEND="referral.notify.eml_backend", MAIL_FILE_PATH=str(tmp_path),
                         ENV="production")
    served = create_app(config)
    client = served.test_client()
    refer(client)
    served.extensions["notify"].wait_idle()
    assert list(tmp_path.glob("*.eml"))
    client.post("/deconnexion")
    client.post("/connexion", data={"email": "admin@example.org", "password": "pair-network-pw"})
    page = client.get("/admin/courriels").get_data(as_text=True)
    assert ">envoyé<" in page and "/courriels/preferences/" not in page and "var/mail" not in page
    served.extensions["notify"].stop()
    served.extensions["neo4j"].close()


def test_mail_goes_to_the_account_address_which_only_its_owner_changes(pair, client, mailbox):
    """Outside pass 15: a coordinator changing someone's directory e-mail redirected their notifications."""
    pair.execute_query("MATCH (p:Person {id: 'r'}) SET p.email = 'ailleurs@example.org'")
    refer(client)
    assert mailbox.wait_for(1)[0]["To"] == "r@example.org"


def test_messages_in_a_row_make_one_email_and_short_ids_keep_their_number(pair, app, client, mailbox):
    referral_id = refer(client)
    for words in ("Je l'appelle demain.", "Plutôt jeudi.", "Merci !"):
        client.post(f"/references/{referral_id}/messages", data={"text": words})
    app.extensions["notify"].wait_idle()
    assert len(mailbox.wait_for(3, timeout=2)) == 2  # the referral, then one « nouveau message »
    from referral.labels import referral_number

    assert referral_number("r-demo-01") == "DEMO-01" and referral_number("r-4f2a9c0d1e2b") == "4F2A9C"
