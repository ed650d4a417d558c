from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from graph.repositories.needs import NeedRepository
from graph.repositories.people import PersonRepository
from graph.repositories.users import UserRepository
from graph.schema import EmailTaken
from referral.auth.users import hash_token, new_token, role_required
from referral.graphdb import repo
from referral.labels import need_label
from referral.profile import bp
from referral.profile.forms import EMAIL_TAKEN, EraseForm, ProfileForm, TokenForm


def _own_person() -> dict:
    if not current_user.person_id:
        abort(404)
    person = repo(PersonRepository).get(current_user.person_id)
    if not person:
        abort(404)
    return person


@bp.route("/")
@role_required()
def show():
    if not current_user.person_id:
        return render_template("profile/account_only.html", token_form=TokenForm())
    return render_template("profile/show.html", person=_own_person(), token_form=TokenForm(),
                           needs={n["id"]: need_label(n) for n in repo(NeedRepository).list()})


@bp.route("/modifier", methods=["GET", "POST"])
@role_required()
def edit():
    person = _own_person()
    form = ProfileForm(data={
        "email": person.get("email"), "phone": person.get("phone"), "languages": person.get("languages") or [],
        "expertise": person["expertise"], "listed": person.get("listed"),
        "research_consent": person.get("research_consent"), "accepting_until": person.get("accepting_until"),
    })
    form.expertise.choices = [(n["id"], need_label(n)) for n in repo(NeedRepository).list()]
    if form.validate_on_submit():
        try:
            repo(PersonRepository).update_profile(
                person["id"],
                {
                    "email": form.email.data or None, "phone": form.phone.data or None,
                    "languages": form.languages.data, "listed": form.listed.data,
                    "research_consent": form.research_consent.data, "accepting_until": form.accepting_until.data,
                },
                expertise=form.expertise.data,
            )
        except EmailTaken:
            form.email.errors.append(EMAIL_TAKEN)
        else:
            flash(_("Profil enregistré."), "success")
            return redirect(url_for("profile.show"))
    return render_template("profile/edit.html", form=form, person=person)


@bp.route("/effacer", methods=["GET", "POST"])
@role_required()
def erase():
    person = _own_person()
    form = EraseForm()
    if form.validate_on_submit():
        repo(PersonRepository).erase(person["id"])
        logout_user()
        flash(_("Votre profil et votre compte ont été effacés."), "info")
        return redirect(url_for("main.index"))
    return render_template("profile/erase.html", form=form, person=person)


@bp.route("/jeton", methods=["POST"])
@role_required()
def api_token():
    """A new token for scripts (it replaces the previous one), shown once; or revoke the current one."""
    form = TokenForm()
    if not form.validate_on_submit():
        return redirect(url_for("profile.show"))
    if form.revoke.data:
        repo(UserRepository).update(current_user.id, api_token_hash=None)
        flash(_("Jeton d'API révoqué."), "info")
        return redirect(url_for("profile.show"))
    token = new_token()
    repo(UserRepository).update(current_user.id, api_token_hash=hash_token(token))
    response = make_response(render_template("profile/token.html", token=token))
    response.headers["Cache-Control"] = "no-store"  # shown once: never kept by a browser or a proxy
    return response
