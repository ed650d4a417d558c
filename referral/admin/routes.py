"""The accounts page: HTTP only, the rules in referral/admin/service.py."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from referral import policy
from referral.admin import bp
from referral.admin.forms import AccountForm, RoleForm
from referral.admin.service import Administration
from referral.auth.users import role_required
from referral.graphdb import repo
from referral.notify.mailer import last_files
from referral.service_errors import ApiError


def _administration() -> Administration:
    return Administration(policy.Principal.of(current_user), repo, current_user.id)


def _territory_choices(administration: Administration):
    return [("", _l("Tous les territoires"))] + [(t["id"], t["name"]) for t in administration.territories()]


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
        except ApiError as error:
            for name, text in error.fields.items():
                getattr(form, name).errors.append(text)
        else:
            flash(_("Compte créé."), "success")
            return redirect(url_for("admin.accounts"))
    role_form = RoleForm()
    role_form.territory.choices = form.territory.choices
    return render_template("admin/accounts.html", form=form, role_form=role_form, users=administration.accounts())


@bp.route("/comptes/<user_id>/actif", methods=["POST"])
@role_required(*policy.ADMINS)
def toggle_account(user_id: str):
    if _administration().toggle_active(user_id):
        flash(_("Compte mis à jour."), "success")
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
    except ApiError as error:
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
    configured (development), the messages themselves as written to var/mail/."""
    files = None
    if not current_app.config["MAIL_SERVER"]:
        files = last_files(current_app.config["MAIL_FILE_PATH"])
    return render_template("admin/mail.html", notifications=_administration().notifications(), files=files)
