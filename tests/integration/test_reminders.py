"""Reminders of a referral left open a week, and « Relancer »: both parties once a week, one reminder a day
at most for a person and a referral, the reminder offering the relance, and a colleague who takes no
e-mail to be called instead."""

from __future__ import annotations

from tests.integration.test_notifications import refer, subject, text


def aged(driver, referral_id: str) -> None:
    """The referral unchanged for eight days."""
    driver.execute_query("MATCH (r:Referral {id: $id}) SET r.updated_at = datetime() - duration('P8D')",
                         id=referral_id)


def test_reminders_after_a_week_go_to_both_once(pair, app, client, mailbox, runner):
    referral_id = refer(client)
    mailbox.wait_for(1)
    aged(pair, referral_id)
    assert "reminders written: 2" in runner.invoke(args=["notify", "due"]).output
    assert "reminders written: 0" in runner.invoke(args=["notify", "due"]).output
    messages = mailbox.wait_for(3)
    assert sorted(m["To"] for m in messages[1:]) == ["r@example.org", "s@example.org"]
    assert all("est sans suite depuis plus d'une semaine" in subject(m) for m in messages[1:])
    assert len(mailbox.wait_for(4, timeout=1)) == 3


def test_relancer_reminds_the_other_person_once_a_day(pair, app, client, mailbox):
    referral_id = refer(client)
    mailbox.wait_for(1)
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)
    assert "Relancer" not in page  # not before a week
    assert client.post(f"/references/{referral_id}/relancer").status_code == 403
    aged(pair, referral_id)
    assert "Relancer Rania Receiver par courriel" in client.get(f"/references/{referral_id}").get_data(as_text=True)
    first = client.post(f"/references/{referral_id}/relancer", follow_redirects=True).get_data(as_text=True)
    again = client.post(f"/references/{referral_id}/relancer", follow_redirects=True).get_data(as_text=True)
    assert "Relance envoyée par courriel." in first and "a déjà reçu un rappel de cette référence" in again
    assert "Relancer" not in again and "Rania Receiver a reçu un rappel de cette référence aujourd" in again
    messages = mailbox.wait_for(2)
    assert messages[1]["To"] == "r@example.org" and "Relance" in subject(messages[1])
    assert "Sandrine Sender vous relance" in text(messages[1])
    assert len(mailbox.wait_for(3, timeout=1)) == 2


def test_one_reminder_a_day_whether_weekly_or_relance_and_the_reminder_offers_the_relance(pair, app, client,
                                                                                          mailbox, runner):
    """Outside pass 15: a reminder and a « Relancer » reached the same person the same day, and the
    reminder had no way to relancer."""
    referral_id = refer(client)
    mailbox.wait_for(1)
    aged(pair, referral_id)
    assert "reminders written: 2" in runner.invoke(args=["notify", "due"]).output
    reminders = mailbox.wait_for(3)[1:]
    to_sender = next(m for m in reminders if m["To"] == "s@example.org")
    assert f"relancez Rania Receiver : {app.config['PUBLIC_URL']}/references/{referral_id}#relancer" in text(
        to_sender)
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)  # the sender, reminded today
    assert "Relancer Rania Receiver" not in page and "Rania Receiver a reçu un rappel" in page
    answer = client.post(f"/references/{referral_id}/relancer", follow_redirects=True).get_data(as_text=True)
    assert "a déjà reçu un rappel de cette référence aujourd" in answer
    assert len(mailbox.wait_for(4, timeout=1)) == 3


def test_relancer_someone_who_takes_no_email_says_to_call(pair, app, client, mailbox):
    referral_id = refer(client)
    mailbox.wait_for(1)
    pair.execute_query("MATCH (p:Person {id: 'r'}) SET p.notify = 'none'")
    aged(pair, referral_id)
    page = client.get(f"/references/{referral_id}").get_data(as_text=True)
    assert "Relancer" not in page and "Rania Receiver ne reçoit pas de courriels de Réseau EI" in page
    answer = client.post(f"/references/{referral_id}/relancer", follow_redirects=True).get_data(as_text=True)
    assert "téléphonez-lui plutôt" in answer and "a déjà reçu un rappel" not in answer
    assert len(mailbox.wait_for(2, timeout=1)) == 1
