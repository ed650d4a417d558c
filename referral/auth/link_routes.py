"""« Mot de passe oublié ? » and the pages a signed link opens (reset, invitation): HTTP only; the rules in
referral/auth/invitations.py, the links in links.py, the e-mails in mail.py."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from referral.auth import bp
from referral.auth.forms import ForgotPasswordForm, NewPasswordForm
from referral.auth.invitations import PasswordLinks
from referral.auth.links import INVITE, RESET, LinkRefused
from referral.auth.mail import send_in_background
from referral.auth.sessions import start_session
from referral.auth.users import User
from referral.extensions import limiter
from referral.graphdb import repo


def _links() -> PasswordLinks:
    return PasswordLinks(repo, current_app.config["SECRET_KEY"])


def _address_key() -> str:
    """Per address, whichever IP asks: nobody floods one person's mailbox."""
    return "reset-address:" + request.form.get("email", "").strip().lower()[:254]


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RESET_ADDRESS_RATE_LIMIT"], key_func=_address_key, methods=["POST"])
def forgot_password():
    """The same answer whether the address has an account or not: the look-up and the e-mail happen in a
    thread of their own, after the answer (referral/auth/mail.py)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email, secret = form.email.data, current_app.config["SECRET_KEY"]
        send_in_background(current_app._get_current_object(),
                           lambda: PasswordLinks(repo, secret).reset_letter(email))
        flash(_("Si un compte existe pour cette adresse, un courriel vient de lui être envoyé avec un lien pour "
                "choisir un nouveau mot de passe (valide une heure). Pensez à regarder dans les courriels "
                "indésirables."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


def _refused(purpose: str, reason: str):
    """400 for a link that is not ours, 410 for one that was ours but no longer works; never a 500."""
    if reason == "invalid":
        message = _("Ce lien n'est pas valide. Vérifiez qu'il est complet, ou demandez-en un nouveau.")
    elif reason == "expired":
        message = _("Ce lien a expiré.") + " " + (
            _("Une invitation est valide 7 jours.") if purpose == INVITE else _("Un lien de mot de passe est "
                                                                                 "valide une heure."))
    elif reason == "replaced":
        message = _("Cette invitation a été remplacée par une plus récente : ouvrez le lien du dernier courriel "
                    "reçu.")
    else:
        message = _("Ce lien a déjà servi : le mot de passe a été choisi depuis.")
    status = 400 if reason == "invalid" else 410
    return render_template("auth/link_refused.html", message=message, purpose=purpose, reason=reason), status


def _choose_password(purpose: str, token: str):
    links = _links()
    try:
        account = links.account_for(purpose, token)
    except LinkRefused as refused:
        return _refused(purpose, refused.reason)
    form = NewPasswordForm([account["email"], account.get("person_name") or ""])
    if form.validate_on_submit():
        try:
            account = links.choose_password(purpose, token, form.new.data)
        except LinkRefused as refused:
            return _refused(purpose, refused.reason)
        if purpose == INVITE:
            start_session(User(account), remember=False)
            flash(_("Bienvenue ! Votre mot de passe est choisi et vous êtes connecté.e."), "success")
            return redirect(url_for("main.index"))
        # Every session of the account has ended; logging in again (rather than here) proves the new
        # password is known and lets the browser offer to save it.
        logout_user()
        flash(_("Mot de passe changé : toutes les sessions de ce compte sont fermées. Connectez-vous avec "
                "votre nouveau mot de passe."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/choose_password.html", form=form, purpose=purpose, email=account["email"])


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _choose_password(RESET, token)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    return _choose_password(INVITE, token)
