"""« Recevoir chaque message, un résumé par jour ou rien »: the page each message links to, opened with
its signed link, no login needed (the link is the person's own, valid six months). HTTP only.

The same address takes a mail client's one-click unsubscribe (RFC 8058: a POST of
`List-Unsubscribe=One-Click`, no cookie, no page): the signed link is the proof, as it is for the page."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from referral import clock
from referral.clock import utc_now
from referral.extensions import csrf
from referral.graphdb import repo
from referral.notify import bp
from referral.notify.compose import person_of_token
from referral.notify.forms import NotifyForm
from referral.notify.service import Notices


@bp.route("/preferences/<token>", methods=["GET", "POST"])
@csrf.exempt  # the page's own form still checks its CSRF token (FlaskForm); the one-click POST has none
def preferences(token: str):
    person = person_of_token(current_app, token)
    notices = Notices(repo, utc_now(), clock.today())
    current = notices.preferences(person) if person else None
    if not current:
        abort(404)
    if request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click":
        notices.choose(person, "none")
        return "", 204
    form = NotifyForm(data={"mode": current["mode"]})
    if form.validate_on_submit():
        notices.choose(person, form.mode.data)
        flash(_("C'est noté : vos préférences de courriel sont enregistrées."), "success")
        return redirect(url_for("notify.preferences", token=token))
    return render_template("notify/preferences.html", form=form, name=current["name"])
