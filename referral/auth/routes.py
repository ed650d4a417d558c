"""Logging in and out: HTTP only (rate limits, sessions); the accounts' rules in referral/auth/service.py."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from referral.auth import bp
from referral.auth.forms import LoginForm
from referral.auth.service import Accounts
from referral.auth.sessions import start_session
from referral.auth.users import User
from referral.extensions import limiter
from referral.graphdb import repo
from referral.security import local_target


def _account_key() -> str:
    """Per account: the e-mail as the repository looks it up, whichever IP the attempts come from."""
    return "login-account:" + request.form.get("email", "").strip().lower()[:254]


def _failed(response) -> bool:
    """Only failed logins count (a login redirects): a user's own successes never lock them out."""
    return response.status_code != 302


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_account_key, methods=["POST"],
               deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        record = Accounts(repo).authenticate(form.email.data, form.password.data)
        if record:
            start_session(User(record), remember=form.remember.data)
            # Only paths of this site: never send a user to another site after login.
            return redirect(local_target(request.args.get("next")) or url_for("main.index"))
        flash(_("Courriel ou mot de passe incorrect."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
@login_required
def logout():
    """Ends every session and remember cookie of the account, on every device."""
    Accounts(repo).end_sessions(current_user.id)
    logout_user()
    flash(_("Vous êtes déconnecté.e."), "info")
    return redirect(url_for("main.index"))
