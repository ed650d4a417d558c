"""The accounts page: HTTP only, the rules in referral/admin/service.py."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from referral import policy
from referral.admin import bp
from referral.admin.forms import AccountForm, InviteForm, RoleForm
from referral.admin.service import Administration
from referral.auth.invitations import PasswordLinks
from referral.auth.mail import send_in_background
from referral.auth.users import role_required
from referral.errors import show_on_form
from referral.graphdb import repo
from referral.notify.mailer import last_files
from referral.service_errors import ServiceError


def _administration() -> Administration:
    return Administration(policy.Principal.of(current_user), repo, current_user.id)


# The invitation form shares the page with the creation form: its own field names and ids.
INVITE_PREFIX = "invite"


def _territory_choices(administration: Administration):
    return [("", _l("Tous les territoires"))] + [(t["id"], t["name"]) for t in administration.territories()]


def _accounts_page(administration: Administration, form: AccountForm | None = None,
                   invite_form: InviteForm | None = None):
    """The page, with whichever of its two forms came back with errors; the other one empty."""
    choices = _territory_choices(administration)
    forms = {"form": AccountForm(formdata=None) if form is None else form,
             "invite_form": InviteForm(formdata=None, prefix=INVITE_PREFIX) if invite_form is None else invite_form,
             "role_form": RoleForm(formdata=None)}
    for each in forms.values():
        each.territory.choices = choices
    return render_template("admin/accounts.html", users=administration.accounts(), **forms)


@bp.route("/comptes", methods=["GET", "POST"])
@role_required(*policy.ADMINS)
def accounts():
    administration = _administration()
    form = AccountForm()
    form.territory.choices = _territory_choices(administration)
    if form.validate_on_submit():
        try:
            administration.create(form.email.data, form.password.data, form.role.data, form.territory.data or None,
                                  form.person.data or None)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            flash(_("Compte créé."), "success")
            return redirect(url_for("admin.accounts"))
    return _accounts_page(administration, form=form if form.is_submitted() else None)


@bp.route("/comptes/inviter", methods=["POST"])
@role_required(*policy.ADMINS)
def invite():
    """Creates the account of a person of the directory (or renews a pending invitation) and e-mails them a
    link, valid 7 days, to choose their password."""
    administration = _administration()
    form = InviteForm(prefix=INVITE_PREFIX)
    form.territory.choices = _territory_choices(administration)
    if form.validate_on_submit():
        try:
            letter = PasswordLinks(repo, current_app.config["SECRET_KEY"]).invite(
                policy.Principal.of(current_user), form.email.data, form.role.data, form.territory.data or None)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            send_in_background(current_app._get_current_object(), lambda: letter)
            flash(_("Invitation envoyée à %(email)s : le lien est valide 7 jours.", email=letter.to), "success")
            return redirect(url_for("admin.accounts"))
    return _accounts_page(administration, invite_form=form)


@bp.route("/comptes/<user_id>/actif", methods=["POST"])
@role_required(*policy.ADMINS)
def toggle_account(user_id: str):
    try:
        if _administration().toggle_active(user_id):
            flash(_("Compte mis à jour."), "success")
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(url_for("admin.accounts"))


@bp.route("/comptes/<user_id>/role", methods=["POST"])
@role_required(*policy.ADMINS)
def change_role(user_id: str):
    """Role and territory scope; every session of the account ends (its API tokens act under the new role)."""
    administration = _administration()
    form = RoleForm()
    form.territory.choices = _territory_choices(administration)
    try:
        administration.check_role_change(user_id)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.accounts"))
    if form.validate_on_submit() and administration.change_role(user_id, form.role.data,
                                                                form.territory.data or None):
        flash(_("Rôle changé ; les sessions de ce compte sont fermées."), "success")
    else:
        flash(_("Rôle non changé : choisissez un rôle et un territoire de la liste."), "error")
    return redirect(url_for("admin.accounts"))


@bp.route("/courriels")
@role_required(*policy.ADMINS)
def mail():
    """What went out: the outbox's latest notifications (sent, waiting, failed) and, when no SMTP server is
    configured outside production (development), the messages themselves as written to var/mail/."""
    files = None
    # Bodies hold live password and invitation links: never shown in production, whatever the backend.
    if not current_app.config["MAIL_SERVER"] and current_app.config["ENV"] != "production":
        files = last_files(current_app.config["MAIL_FILE_PATH"])
    return render_template("admin/mail.html", notifications=_administration().notifications(), files=files)
