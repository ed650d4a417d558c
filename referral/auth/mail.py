"""Sending an invitation or a reset link: written in its reader's language, with a link on PUBLIC_URL.

From a page, the message goes out from a thread of its own (send_in_background): the answer never waits
for SMTP, and for « Mot de passe oublié ? » even the account's look-up happens there, so the answer takes
as long whether the account exists or not. A failed send is tried again, then logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from referral.auth.invitations import Letter
from referral.auth.links import INVITE
from referral.notify import mailer
from referral.notify.compose import site_context

log = logging.getLogger(__name__)

ATTEMPTS = 3
PAUSE_SECONDS = 2.0  # then 4 s: an SMTP server restarting or greylisting gets a little time
_tracking = threading.Lock()


def compose(app: Flask, letter: Letter) -> tuple[str, str, str]:
    """(subject, body, link)."""
    with site_context(app), force_locale(letter.locale):
        if letter.purpose == INVITE:
            endpoint, template = "auth.invitation", "mail/invite.txt"
            subject = _("Réseau EI : choisissez votre mot de passe")
        else:
            endpoint, template = "auth.reset_password", "mail/reset.txt"
            subject = _("Réseau EI : choisir un nouveau mot de passe")
        link = url_for(endpoint, token=letter.token, _external=True)
        body = render_template(template, letter=letter, link=link, site=app.config["PUBLIC_URL"])
        return str(subject), body, link


def send_letter(app: Flask, letter: Letter, attempts: int = ATTEMPTS) -> bool:
    """In the app's context; False (and logged) when every attempt failed."""
    subject, body, _link = compose(app, letter)
    return send_with_retries(subject, body, letter.to, f"{letter.purpose} link for account {letter.account}",
                             attempts)


def send_with_retries(subject: str, body: str, to: str, what: str, attempts: int = ATTEMPTS) -> bool:
    """One automatic message (`what` names it in the log, never its address); False when every attempt failed."""
    for attempt in range(1, attempts + 1):
        try:
            mailer.send(subject, body, to, {"Auto-Submitted": "auto-generated"})
            return True
        except Exception as error:  # noqa: BLE001 — any failure of the server is tried again, then logged
            log.warning("%s not sent (attempt %d of %d): %s", what, attempt, attempts, error)
            if attempt < attempts:
                time.sleep(PAUSE_SECONDS * attempt)
    log.error("%s not sent: gave up after %d attempts", what, attempts)
    return False


def _threads(app: Flask) -> list[threading.Thread]:
    return app.extensions.setdefault("account_mail", [])


def in_background(app: Flask, work: Callable[[], None]) -> None:
    """work() in the app's context, in a thread of its own that wait_sent waits for."""

    def run():
        with app.app_context():
            try:
                work()
            except Exception:  # noqa: BLE001 — Neo4j away: nothing to send, and the page already answered
                log.exception("e-mail not prepared")

    thread = threading.Thread(target=run, name="account-mail", daemon=True)
    with _tracking:
        threads = _threads(app)
        threads[:] = [t for t in threads if t.is_alive()]
        threads.append(thread)
    thread.start()


def send_in_background(app: Flask, prepare: Callable[[], Letter | None]) -> None:
    """prepare() in the app's context, in a thread of its own, then its letter sent (nothing when None)."""

    def work():
        letter = prepare()
        if letter:
            send_letter(app, letter)

    in_background(app, work)


def wait_sent(app: Flask, timeout: float = 30.0) -> None:
    """For tests and shutdown: once every message started so far is sent or given up."""
    deadline = time.monotonic() + timeout
    with _tracking:
        threads = list(_threads(app))
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
