"""The sessions' pages: HTTP only, the rules in referral/sessions/service.py."""

from collections import Counter
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from referral import clock, policy
from referral.auth.users import role_required
from referral.errors import show_on_form
from referral.labels import LEVEL_LABELS
from referral.service_errors import Refused, ServiceError
from referral.sessions import bp
from referral.sessions.forms import (
    AttendanceForm,
    CohortEditForm,
    CohortForm,
    FindGuestForm,
    SessionForm,
    SessionTiesForm,
)
from referral.sessions.web import cohorts, sessions

SEARCH = "chercher"  # the attendance form's second button: find guests, save nothing


@bp.route("/")
@role_required(*policy.MAINTAINERS)
def index():
    today, service = clock.today(), cohorts()
    listed = [{**c, "changeable": service.may_change(c)} for c in service.list()]
    return render_template("sessions/index.html", sessions=sessions().list(), cohorts=listed,
                           today=today, recent=today - timedelta(days=42))


@bp.route("/cohortes/nouvelle", methods=["GET", "POST"])
@role_required(*policy.MAINTAINERS)
def new_cohort():
    service = cohorts()
    form = CohortForm()
    form.territories.choices = [(t["id"], t["name"]) for t in service.territories()]
    if form.validate_on_submit():
        try:
            cohort = service.open(form.name.data, form.territories.data, form.start.data, form.end.data,
                                  form.template.data)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            flash(ngettext("Cohorte ouverte, avec %(num)d séance planifiée.",
                           "Cohorte ouverte, avec %(num)d séances planifiées.", cohort["sessions"]), "success")
            return redirect(url_for("sessions.index"))
    return render_template("sessions/cohort_form.html", form=form)


@bp.route("/cohortes/<cohort_id>/modifier", methods=["GET", "POST"])
@role_required(*policy.MAINTAINERS)
def edit_cohort(cohort_id: str):
    service = cohorts()
    cohort = service.cohort(cohort_id)
    if not service.may_change(cohort):
        raise Refused
    form = CohortEditForm(data=cohort)
    if form.validate_on_submit():
        try:
            service.change(cohort_id, form.name.data, form.start.data, form.end.data)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            flash(_("Cohorte enregistrée."), "success")
            return redirect(url_for("sessions.index"))
    return render_template("sessions/cohort_edit.html", cohort=cohort, form=form)


@bp.route("/cohortes/<cohort_id>/supprimer", methods=["POST"])
@role_required(*policy.MAINTAINERS)
def delete_cohort(cohort_id: str):
    try:
        cohorts().delete(cohort_id)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("sessions.edit_cohort", cohort_id=cohort_id))
    flash(_("Cohorte supprimée, avec ses séances."), "success")
    return redirect(url_for("sessions.index"))


@bp.route("/<session_id>", methods=["GET", "POST"])
@role_required(*policy.MAINTAINERS)
def attendance(session_id: str):
    service = sessions()
    session = service.session(session_id)
    searching = request.method == "POST" and SEARCH in request.form  # nothing saved: the ticks stay ticked
    find = FindGuestForm(request.form if searching else request.args)
    words = (find.invite.data or "").strip() if find.validate() else ""
    ticked = [a["id"] for a in session["attendees"]]
    form = AttendanceForm() if request.method == "POST" else AttendanceForm(
        data={"people": ticked, "parents": session["parents"], "shown": " ".join(ticked)})
    home, guests, more = service.workers(session, words, set(form.people.data or []))
    # Namesakes of the territory are told apart by their organisation.
    names = Counter(w["name"] for w in home)
    form.people.choices = [(w["id"], w["name"] if names[w["name"]] == 1 else f"{w['name']} — {w['organisation']}")
                           for w in home] + [
        (w["id"], _("%(name)s — %(organisation)s, %(territory)s", name=w["name"], organisation=w["organisation"],
                    territory=w["territory_name"])) for w in guests]
    # Who came then and works in the network no more (left, archived) is not offered to tick: named, and kept.
    offered = {person for person, label in form.people.choices}
    kept = [a for a in session["attendees"] if a["id"] not in offered]
    if not searching and form.validate_on_submit():
        shown = None if form.shown.data is None else form.shown.data.split()
        try:
            saved = service.take_attendance(session_id, form.people.data, form.parents.data, shown)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            flash(ngettext("Présences enregistrées : %(num)d personne.", "Présences enregistrées : %(num)d personnes.",
                           saved["present"]), "success")
            return redirect(url_for("sessions.ties", session_id=session_id))
    return render_template("sessions/attendance.html", session=session, form=form, find=find, words=words,
                           home=home, guests=guests, more=more, search=SEARCH, kept=kept)


@bp.route("/<session_id>/liens", methods=["GET", "POST"])
@role_required(*policy.MAINTAINERS)
def ties(session_id: str):
    service = sessions()
    session = service.session(session_id)
    form = SessionTiesForm()
    if form.validate_on_submit():
        try:
            made = service.record_ties(session_id, [p.split("|") for p in form.pairs.data], form.level.data)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            flash(ngettext("%(num)d lien né en séance enregistré.", "%(num)d liens nés en séance enregistrés.", made)
                  if made else _("Aucun nouveau lien : ces personnes se connaissaient déjà."), "success")
            return redirect(url_for("sessions.ties", session_id=session_id))
    return render_template("sessions/ties.html", session=session, form=form, choices=service.tie_choices(session),
                           levels=LEVEL_LABELS)


@bp.route("/<session_id>/modifier", methods=["GET", "POST"])
@role_required(*policy.MAINTAINERS)
def edit(session_id: str):
    service = sessions()
    session = service.session(session_id)
    form = SessionForm(data=session)
    if form.validate_on_submit():
        try:
            service.edit(session_id, form.date.data, form.theme.data, form.place.data, form.facilitators.data)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            flash(_("Séance enregistrée."), "success")
            return redirect(url_for("sessions.index"))
    return render_template("sessions/edit.html", session=session, form=form)


@bp.route("/<session_id>/annuler", methods=["POST"])
@role_required(*policy.MAINTAINERS)
def cancel(session_id: str):
    service = sessions()
    try:
        service.cancel(session_id)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("sessions.edit", session_id=session_id))
    flash(_("Séance annulée."), "success")
    return redirect(url_for("sessions.index"))
