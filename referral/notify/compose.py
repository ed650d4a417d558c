"""What a notification says, in its reader's language, with links to the site (PUBLIC_URL) and to change
what they receive (a signed link that needs no login). Rendered outside any request: a request context of
its own gives url_for its host and Flask-Babel its language."""

from __future__ import annotations

from flask import Flask, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.test import EnvironBuilder

from referral.labels import elide

# A « change what I receive » link works for six months (e-mails are read late).
PREFERENCES_MAX_AGE = 183 * 24 * 3600


def _signer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="notify-preferences")


def preferences_token(app: Flask, person_id: str) -> str:
    return _signer(app).dumps(person_id)


def person_of_token(app: Flask, token: str) -> str | None:
    try:
        return _signer(app).loads(token, max_age=PREFERENCES_MAX_AGE)
    except BadSignature:
        return None


def site_context(app: Flask):
    """A request context on PUBLIC_URL: links in messages point at the site as people open it."""
    return app.request_context(EnvironBuilder(base_url=app.config["PUBLIC_URL"] + "/").get_environ())


SUBJECTS = {
    # No need in a subject: phones show subjects on a locked screen; the body has it.
    "received": lambda r, item: elide(_("Nouvelle référence reçue de %(sender)s (n° %(number)s)",
                                        sender=r["sender"]["name"], number=r["number"]), r["sender"]["name"]),
    "status": lambda r, item: _("La référence %(number)s a été %(status)s", number=r["number"],
                                status=r["status_text"]),
    "reminder": lambda r, item: _("Rappel : la référence %(number)s est sans suite depuis plus d'une semaine",
                                  number=r["number"]),
    "nudge": lambda r, item: _("Relance : la référence %(number)s attend votre réponse", number=r["number"]),
    "message": lambda r, item: _("Nouveau message sur la référence %(number)s", number=r["number"]),
}


def compose(app: Flask, items: list[dict], recipient: dict, referrals: dict[str, dict]) -> tuple[str, str, dict]:
    """(subject, body, headers) of one message: one item, or the day's digest when there are several."""
    from referral.labels import STATUS_LABELS, need_label, referral_number

    with site_context(app), force_locale(recipient["locale"]):
        shown = []
        for item in items:
            referral = referrals.get(item["referral"])
            if not referral:
                continue
            shown.append({"item": item, "referral": referral | {
                "number": referral_number(referral["id"]),
                "need_text": need_label(referral["need"]),
                "status_text": str(STATUS_LABELS.get(item.get("status") or referral["status"], "")),
                "link": url_for("referrals.show", referral_id=referral["id"], _external=True)}})
        preferences = url_for("notify.preferences", token=preferences_token(app, items[0]["person"]),
                              _external=True)
        if len(shown) == 1 and len(items) == 1:
            entry = shown[0]
            subject = SUBJECTS[entry["item"]["kind"]](entry["referral"], entry["item"])
        else:
            subject = _("Réseau EI : votre résumé du jour (%(count)d)", count=len(shown))
        body = render_template("mail/notification.txt", entries=shown, recipient=recipient,
                               preferences=preferences, inbox=url_for("referrals.inbox", _external=True))
        headers = {"List-Unsubscribe": f"<{preferences}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                   "Auto-Submitted": "auto-generated"}
        return str(subject), body, headers
