"""One's own profile, password, API tokens and data download: HTTP only; the person's rules in
referral/profile/service.py, the account's in referral/auth/service.py."""

from flask import Response, current_app, flash, make_response, redirect, render_template, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from graph.schema import EmailTaken
from referral import clock
from referral.auth.service import Accounts
from referral.auth.sessions import start_session
from referral.auth.tokens import issue_token
from referral.auth.users import User, role_required
from referral.clock import utc_now
from referral.contact_rules import EMAIL_TAKEN
from referral.extensions import limiter
from referral.graphdb import repo
from referral.labels import need_label
from referral.notify.forms import NotifyForm
from referral.notify.service import Notices
from referral.policy import Principal
from referral.profile import bp
from referral.profile.forms import (
    SCOPE_LABELS,
    EraseForm,
    PasswordForm,
    ProfileForm,
    RevokeTokenForm,
    TokenForm,
)
from referral.profile.service import FILES, MyData, Profile


def _profile() -> Profile:
    return Profile(Principal.of(current_user), repo)


def _need_choices(profile: Profile) -> list[tuple[str, str]]:
    return [(n["id"], need_label(n)) for n in profile.needs()]


def _tokens() -> dict:
    """What the profile's token section needs: the account's tokens and the forms to make or revoke one."""
    return {"tokens": Accounts(repo).tokens(current_user.id), "now": utc_now(), "scopes": SCOPE_LABELS,
            "token_form": TokenForm(), "revoke_form": RevokeTokenForm()}


@bp.route("/")
@role_required()
def show():
    if not current_user.person_id:
        return render_template("profile/account_only.html", **_tokens())
    profile = _profile()
    mode = _notices().preferences(current_user.person_id)["mode"]
    return render_template("profile/show.html", person=profile.person(), **_tokens(),
                           needs=dict(_need_choices(profile)), notify_form=NotifyForm(data={"mode": mode}))


def _notices() -> Notices:
    return Notices(repo, utc_now(), clock.today())


@bp.route("/courriels", methods=["POST"])
@role_required()
def notifications():
    """Every message, a daily digest or none: what one receives by e-mail about one's referrals."""
    form = NotifyForm()
    if current_user.person_id and form.validate_on_submit():
        _notices().choose(current_user.person_id, form.mode.data)
        flash(_("Vos préférences de courriel sont enregistrées."), "success")
    else:
        flash(_("Choisissez une option."), "error")
    return redirect(url_for("profile.show") + "#courriels")


@bp.route("/modifier", methods=["GET", "POST"])
@role_required()
def edit():
    profile = _profile()
    person = profile.person()
    form = ProfileForm(data={
        "title": person.get("title"), "email": person.get("email"), "phone": person.get("phone"),
        "languages": person.get("languages") or [],
        "expertise": person["expertise"], "listed": person.get("listed"),
        "research_consent": person.get("research_consent"), "accepting_until": person.get("accepting_until"),
    })
    form.expertise.choices = _need_choices(profile)
    if form.validate_on_submit():
        try:
            profile.update({
                "title": (form.title.data or "").strip() or None,
                "email": form.email.data or None, "phone": form.phone.data or None,
                "languages": form.languages.data, "listed": form.listed.data,
                "research_consent": form.research_consent.data, "accepting_until": form.accepting_until.data,
            }, expertise=form.expertise.data)
        except EmailTaken:
            form.email.errors.append(EMAIL_TAKEN)
        else:
            flash(_("Profil enregistré."), "success")
            return redirect(url_for("profile.show"))
    return render_template("profile/edit.html", form=form, person=person)


@bp.route("/effacer", methods=["GET", "POST"])
@role_required()
def erase():
    profile = _profile()
    person = profile.person()
    form = EraseForm()
    if form.validate_on_submit():
        profile.erase()
        logout_user()
        flash(_("Votre profil et votre compte ont été effacés."), "info")
        return redirect(url_for("main.index"))
    return render_template("profile/erase.html", form=form, person=person)


def _my_data() -> MyData:
    """Only ever the logged-in account's own data: no route takes an id."""
    return MyData(Principal.of(current_user), current_user.id, repo, utc_now(), clock.today())


@bp.route("/mes-donnees")
@role_required()
def my_data():
    """What is held about oneself, and the two downloads (Law 25's right to portability)."""
    return render_template("profile/my_data.html", files=FILES, has_person=bool(current_user.person_id))


def _download(body: bytes, mimetype: str, name: str) -> Response:
    # Personal data: saved by the browser as a dated file, never kept by a cache on the way.
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                      "Cache-Control": "no-store"})


@bp.route("/mes-donnees.json")
@role_required()
def my_data_json():
    data = _my_data()
    return _download(data.as_json(), "application/json", data.file_name("json"))


@bp.route("/mes-donnees.zip")
@role_required()
def my_data_zip():
    data = _my_data()
    return _download(data.as_zip(), "application/zip", data.file_name("zip"))


@bp.route("/jeton", methods=["POST"])
@role_required()
def api_token():
    """A new token for scripts, beside the others, shown once."""
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("Jeton non créé : vérifiez son nom et ses droits."), "error")
        return redirect(url_for("profile.show"))
    name = (form.name.data or "").strip() or _("jeton du %(date)s", date=format_date(utc_now(), "long"))
    token = issue_token(current_user.id, name, form.scope.data)
    response = make_response(render_template("profile/token.html", token=token, name=name,
                                             days=current_app.config["API_TOKEN_DAYS"]))
    response.headers["Cache-Control"] = "no-store"  # shown once: never kept by a browser or a proxy
    return response


@bp.route("/jeton/revoquer", methods=["POST"])
@role_required()
def revoke_token():
    form = RevokeTokenForm()
    if form.validate_on_submit() and Accounts(repo).revoke_token(current_user.id, form.token_id.data):
        flash(_("Jeton révoqué : l'outil qui l'utilisait n'a plus accès."), "info")
    else:
        flash(_("Ce jeton n'existe pas ou a déjà été révoqué."), "error")
    return redirect(url_for("profile.show"))


def _password_account() -> str:
    # Flask-Limiter may ask before the role check: an anonymous request has no id (and is then sent to login).
    return f"password:{getattr(current_user, 'id', None)}"


def _password_failed(response) -> bool:
    return response.status_code != 302


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@role_required()
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_password_account, methods=["POST"],
               deduct_when=_password_failed)
def password():
    """The current password, then a new one twice; every other session of the account ends, this one stays."""
    form = PasswordForm([current_user.email, current_user.person_name or ""])
    if form.validate_on_submit():
        record = Accounts(repo).change_password(current_user.id, form.current.data, form.new.data)
        if record is None:
            form.current.errors.append(_("Mot de passe actuel incorrect."))
        else:
            start_session(User(record), remember=session.get("auth_remember", False))
            flash(_("Mot de passe changé. Vos autres sessions et vos jetons d'API sont fermés."), "success")
            return redirect(url_for("profile.show"))
    return render_template("profile/password.html", form=form)
