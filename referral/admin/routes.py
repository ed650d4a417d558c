from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from neo4j.exceptions import ConstraintError
from werkzeug.security import generate_password_hash

from graph.repositories.territories import TerritoryRepository
from graph.repositories.users import UserRepository
from referral import policy
from referral.admin import bp
from referral.admin.forms import AccountForm, RoleForm
from referral.auth.users import role_required
from referral.graphdb import repo


def territory_choices():
    return [("", _l("Tous les territoires"))] + [(t["id"], t["name"]) for t in repo(TerritoryRepository).list()]


@bp.route("/comptes", methods=["GET", "POST"])
@role_required(*policy.ADMINS)
def accounts():
    form = AccountForm()
    form.territory.choices = territory_choices()
    if form.validate_on_submit():
        try:
            repo(UserRepository).create(
                form.email.data, generate_password_hash(form.password.data), form.role.data,
                form.territory.data or None, form.person.data or None,
            )
        except ConstraintError:
            form.email.errors.append(_("Un compte existe déjà pour ce courriel."))
        except LookupError:
            form.person.errors.append(_("Aucune personne ne porte cet identifiant."))
        else:
            flash(_("Compte créé."), "success")
            return redirect(url_for("admin.accounts"))
    role_form = RoleForm()
    role_form.territory.choices = form.territory.choices
    return render_template("admin/accounts.html", form=form, role_form=role_form, users=repo(UserRepository).list())


@bp.route("/comptes/<user_id>/actif", methods=["POST"])
@role_required(*policy.ADMINS)
def toggle_account(user_id: str):
    record = repo(UserRepository).by_id(user_id)
    if not record:
        return redirect(url_for("admin.accounts"))
    repo(UserRepository).update(user_id, active=not record["active"])
    flash(_("Compte mis à jour."), "success")
    return redirect(url_for("admin.accounts"))


@bp.route("/comptes/<user_id>/role", methods=["POST"])
@role_required(*policy.ADMINS)
def change_role(user_id: str):
    """Role and territory scope; every session of the account ends (its API tokens act under the new role)."""
    form = RoleForm()
    form.territory.choices = territory_choices()
    record = repo(UserRepository).by_id(user_id)
    if user_id == current_user.id:
        flash(_("Vous ne pouvez pas changer votre propre rôle : demandez-le à une autre personne de "
                "l'administration."), "error")
    elif not record or not form.validate_on_submit():
        flash(_("Rôle non changé : choisissez un rôle et un territoire de la liste."), "error")
    else:
        repo(UserRepository).update(user_id, role=form.role.data, territory=form.territory.data or None)
        flash(_("Rôle changé ; les sessions de ce compte sont fermées."), "success")
    return redirect(url_for("admin.accounts"))
