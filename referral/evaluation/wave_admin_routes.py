"""Running a survey wave from its page: roster, title and dates, invitations and reminders, answers export.
HTTP only: WaveAdmin (wave_admin.py) holds the rules and asks the policy; a refusal is shown on the wave's
page with its message, a done change goes back to the page (post, redirect, get: a reload sends nothing)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, flash, redirect, url_for
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _

from referral import clock, policy
from referral.auth.users import role_required
from referral.clock import utc_now
from referral.errors import STATUS
from referral.evaluation import bp, wave_mail, web
from referral.evaluation.forms import MemberForm, WaveActionForm, WaveEditForm
from referral.evaluation.wave_admin import WaveAdmin
from referral.evaluation.wave_routes import wave_page
from referral.service_errors import MISSING, ServiceError


def _back(wave_id: str):
    return redirect(url_for("evaluation.wave", wave_id=wave_id, _anchor="gestion"))


def _act(wave_id: str, action: Callable[[WaveAdmin], str], form=None, **page_forms):
    """Run one change from a posted form: its message flashed and back to the page, or its refusal shown there."""
    form = form or WaveActionForm()
    admin = WaveAdmin(web.evaluation())
    if not form.validate_on_submit():
        admin.managed(wave_id)  # who may not manage the wave learns nothing more about the form
        return wave_page(wave_id, 422, **page_forms)
    try:
        said = action(admin)
    except ServiceError as error:
        if error.kind == MISSING:
            raise
        flash(error.message, "error")
        return wave_page(wave_id, STATUS[error.kind], **page_forms)
    flash(said, "success")
    return _back(wave_id)


@bp.route("/vagues/<wave_id>/modifier", methods=["POST"])
@role_required(*policy.EVALUATION)
def edit_wave(wave_id: str):
    form = WaveEditForm()

    def change(admin: WaveAdmin) -> str:
        wave = admin.change(wave_id, form.title.data, form.closes.data)
        return _("Vague enregistrée : réponses reçues jusqu'au %(d)s inclusivement.",
                 d=format_date(wave["closes"], "long"))

    return _act(wave_id, change, form, edit_form=form)


@bp.route("/vagues/<wave_id>/fermer", methods=["POST"])
@role_required(*policy.EVALUATION)
def close_wave(wave_id: str):
    def close(admin: WaveAdmin) -> str:
        wave = admin.close_now(wave_id)
        if wave["closes"] >= clock.today():  # opened today: it takes today's answers and closes tonight
            return _("La vague a ouvert aujourd'hui : elle prend les réponses d'aujourd'hui et se ferme ce soir ; "
                     "ses chiffres seront définitifs demain.")
        return _("Vague fermée : elle a pris ses dernières réponses le %(d)s ; ses chiffres sont définitifs.",
                 d=format_date(wave["closes"], "long"))

    return _act(wave_id, close)


@bp.route("/vagues/<wave_id>/membres", methods=["POST"])
@role_required(*policy.EVALUATION)
def add_wave_member(wave_id: str):
    form = MemberForm()

    def add(admin: WaveAdmin) -> str:
        admin.add_member(wave_id, form.person.data)
        return _("Personne ajoutée à la liste des membres.")

    return _act(wave_id, add, form, member_form=form)


@bp.route("/vagues/<wave_id>/membres/<person_id>/retirer", methods=["POST"])
@role_required(*policy.EVALUATION)
def remove_wave_member(wave_id: str, person_id: str):
    def remove(admin: WaveAdmin) -> str:
        admin.remove_member(wave_id, person_id)
        return _("Personne retirée de la liste des membres.")

    return _act(wave_id, remove)


def _mail(wave_id: str, reminder: bool):
    def send(admin: WaveAdmin) -> str:
        wave, recipients = (admin.remind if reminder else admin.invite)(wave_id, utc_now())
        wave_mail.send(current_app._get_current_object(), wave, recipients, reminder)
        if not recipients:
            if reminder:
                return _("Aucune relance à envoyer : chaque membre qui a un compte a fini, ou a déjà été relancé "
                         "aujourd'hui.")
            return _("Aucune invitation à envoyer : chaque membre qui a un compte l'a déjà reçue.")
        if reminder:
            return ngettext("%(num)s relance envoyée.", "%(num)s relances envoyées.", len(recipients))
        return ngettext("%(num)s invitation envoyée.", "%(num)s invitations envoyées.", len(recipients))

    return _act(wave_id, send)


@bp.route("/vagues/<wave_id>/invitations", methods=["POST"])
@role_required(*policy.EVALUATION)
def invite_wave(wave_id: str):
    return _mail(wave_id, reminder=False)


@bp.route("/vagues/<wave_id>/relances", methods=["POST"])
@role_required(*policy.EVALUATION)
def remind_wave(wave_id: str):
    return _mail(wave_id, reminder=True)


@bp.route("/vagues/<wave_id>/reponses.<fmt>")
@role_required(*policy.EVALUATION)
def wave_answers(wave_id: str, fmt: str) -> Response:
    return web.attachment(*WaveAdmin(web.evaluation()).export(wave_id, fmt, str(get_locale() or "fr")))
