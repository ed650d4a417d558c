"""The sessions' pages: HTTP only, the rules in referral/sessions/service.py."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from referral import clock, policy
from referral.auth.users import role_required
from referral.graphdb import repo
from referral.labels import LEVEL_LABELS
from referral.service_errors import ServiceError
from referral.sessions import bp
from referral.sessions.forms import AttendanceForm, FindGuestForm, SessionTiesForm
from referral.sessions.service import Sessions


def _service() -> Sessions:
    return Sessions(policy.Principal.of(current_user), repo, today=clock.today(), user=current_user.id)


def _errors_on(form, error: ServiceError) -> None:
    for name, text in error.fields.items():
        getattr(form, name).errors.append(text)
    flash(error.message, "error")


@bp.route("/")
@role_required(*policy.MAINTAINERS)
def index():
    return render_template("sessions/index.html", sessions=_service().list(), today=clock.today())


@bp.route("/<session_id>", methods=["GET", "POST"])
@role_required(*policy.MAINTAINERS)
def attendance(session_id: str):
    service = _service()
    session = service.session(session_id)
    find = FindGuestForm(request.args)
    words = (find.invite.data or "").strip() if find.validate() else ""
    home, guests = service.workers(session, words)
    form = AttendanceForm(data={"people": [a["id"] for a in session["attendees"]], "parents": session["parents"]})
    form.people.choices = [(w["id"], w["name"]) for w in home + guests]
    if form.validate_on_submit():
        try:
            service.take_attendance(session_id, form.people.data, form.parents.data)
        except ServiceError as error:
            _errors_on(form, error)
        else:
            flash(ngettext("Présences enregistrées : %(num)d personne.", "Présences enregistrées : %(num)d personnes.",
                           len(set(form.people.data))), "success")
            return redirect(url_for("sessions.ties", session_id=session_id))
    return render_template("sessions/attendance.html", session=session, form=form, find=find, words=words,
                           home=home, guests=guests)


@bp.route("/<session_id>/liens", methods=["GET", "POST"])
@role_required(*policy.MAINTAINERS)
def ties(session_id: str):
    service = _service()
    session = service.session(session_id)
    form = SessionTiesForm()
    if form.validate_on_submit():
        try:
            made = service.record_ties(session_id, [p.split("|") for p in form.pairs.data], form.level.data)
        except ServiceError as error:
            _errors_on(form, error)
        else:
            flash(ngettext("%(num)d lien né en séance enregistré.", "%(num)d liens nés en séance enregistrés.", made)
                  if made else _("Aucun nouveau lien : ces personnes se connaissaient déjà."), "success")
            return redirect(url_for("sessions.ties", session_id=session_id))
    return render_template("sessions/ties.html", session=session, form=form, choices=service.tie_choices(session),
                           levels=LEVEL_LABELS)
