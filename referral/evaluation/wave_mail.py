"""A survey wave's invitation and reminder e-mails: in each member's language, with the wave's title, its
dates and the link to their questionnaire on PUBLIC_URL — nothing about anyone else. Sent from a thread
of their own (referral/auth/mail.py), each retried then logged: the page never waits for SMTP."""

from __future__ import annotations

from flask import Flask, render_template, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from referral.auth.mail import in_background, send_with_retries
from referral.notify.compose import site_context


def compose(app: Flask, wave: dict, recipient: dict, reminder: bool) -> tuple[str, str]:
    """(subject, body) for one member."""
    with site_context(app), force_locale(recipient["locale"]):
        subject = (_("Rappel : le questionnaire « %(title)s » attend vos réponses", title=wave["title"]) if reminder
                   else _("Réseau EI : questionnaire « %(title)s »", title=wave["title"]))
        body = render_template("mail/wave.txt", wave=wave, name=recipient["name"], reminder=reminder,
                               opens=format_date(wave["opens"], "long"), closes=format_date(wave["closes"], "long"),
                               link=url_for("evaluation.answer", wave_id=wave["id"], _external=True))
        return subject, body


def send(app: Flask, wave: dict, recipients: list[dict], reminder: bool = False) -> None:
    """Every member's message, in the background."""

    def work():
        for recipient in recipients:
            subject, body = compose(app, wave, recipient, reminder)
            kind = "reminder" if reminder else "invitation"
            send_with_retries(subject, body, recipient["email"], f"wave {wave['id']} {kind} to {recipient['id']}")

    if recipients:
        in_background(app, work)
