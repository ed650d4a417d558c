from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from graph.repositories.users import UserRepository
from referral.auth import bp
from referral.auth.forms import LoginForm
from referral.auth.users import User
from referral.extensions import limiter
from referral.graphdb import repo


def _login_limit():
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        record = repo(UserRepository).by_email(form.email.data)
        if record and record.get("active") and check_password_hash(record["password_hash"], form.password.data):
            login_user(User(record), remember=form.remember.data)
            target = request.args.get("next", "")
            # Only local redirects: never send a user to another site after login.
            if not target or urlsplit(target).netloc or not target.startswith("/"):
                target = url_for("main.index")
            return redirect(target)
        flash(_("Courriel ou mot de passe incorrect."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("Vous êtes déconnecté.e."), "info")
    return redirect(url_for("main.index"))
