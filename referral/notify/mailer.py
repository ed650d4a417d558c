"""E-mail as a real part: Flask-Mailman over SMTP, or — with no MAIL_SERVER, the `make run` default — one
standard .eml file per message in var/mail/ (MAIL_FILE_PATH, referral/notify/eml_backend.py), so every
journey works on a fresh machine and an admin can read what went out (/admin/courriels)."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from email.utils import make_msgid, parseaddr
from pathlib import Path

from flask import current_app
from flask_mailman import EmailMessage, Mail

from referral.plain_text import one_line

mail = Mail()


def send(subject: str, body: str, to: str, headers: dict | None = None) -> None:
    """One plain-text message to one address; raises when the server refuses it or cannot be reached.
    Its Message-ID names the sender's domain, not this machine's (« @localhost » reads as spam)."""
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or None
    headers = {"Message-ID": make_msgid(domain=domain), **(headers or {})}
    # A subject is one line: a name saved with a line break must not stop the message (BadHeaderError).
    EmailMessage(one_line(subject), body, to=[to], headers=headers).send(fail_silently=False)


def last_files(folder: str, limit: int = 20) -> list[dict]:
    """The latest .eml files of the folder, parsed: for the admins' page (development only)."""
    paths = sorted(Path(folder).glob("*.eml"), reverse=True)[:limit]
    found = []
    for path in paths:
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes()[:200_000])
        body = message.get_body(preferencelist=("plain",))
        found.append({"file": path.name, "to": message["To"], "subject": message["Subject"],
                      "date": message["Date"], "body": body.get_content() if body else ""})
    return found
