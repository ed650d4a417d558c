"""Sessions that end: a clean session at each login, idle and absolute limits, all of an account's at once.

The session (a signed cookie) holds when it started and when it was last used; a before-request hook ends
it past SESSION_IDLE_MINUTES or SESSION_ABSOLUTE_HOURS. A remember-me cookie then starts a new session,
until it is itself too old (User.get_id). Ending every session of an account is server-side: its
`session_epoch` moves on (graph/repositories/users.py) and the user loader refuses older ones.
"""

from __future__ import annotations

from flask import current_app, flash, g, request, session
from flask_babel import gettext as _
from flask_login import login_user, user_loaded_from_cookie

from referral import clock
from referral.auth import bp
from referral.auth.users import User
from referral.clock import utc_now
from referral.graphdb import repo
from referral.notify.service import Notices

# Flask-Login's keys and ours: what a login puts in the session.
LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember_seconds", "auth_started", "auth_seen", "auth_remember")


def _now() -> int:
    return int(utc_now().timestamp())


def start_session(user: User, remember: bool) -> None:
    """Log in on a cleared session (no fixation); only the language choice is kept — or, when this browser
    made none, the one the person chose before (their e-mails speak it too). The CSRF token goes with the
    rest, so forms get a new one."""
    language = session.get("lang")
    if not language and user.person_id:
        language = Notices(repo, utc_now(), clock.today()).chosen_language(user.person_id)
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    if language:
        session["lang"] = language
    user.logged_in_at = _now()
    login_user(user, remember=remember)
    session["auth_started"] = session["auth_seen"] = user.logged_in_at
    session["auth_remember"] = remember


@user_loaded_from_cookie.connect
def _session_from_remember_cookie(app, user) -> None:
    session["auth_started"] = session["auth_seen"] = _now()
    session["auth_remember"] = True


# Files a page loads (stylesheets, scripts, its chart images) do not count as activity and leave the session
# cookie alone: written by a response still on its way, it overwrote a change made meanwhile (found by a
# browser test: « English » clicked while a chart was drawn came back in French).
ASSETS = frozenset({"static", "evaluation.curve"})


@bp.before_app_request
def end_expired_session():
    if "_user_id" not in session:
        return
    now, config = _now(), current_app.config
    idle = now - session.get("auth_seen", 0) > config["SESSION_IDLE_MINUTES"] * 60
    too_old = now - session.get("auth_started", 0) > config["SESSION_ABSOLUTE_HOURS"] * 3600
    if not (idle or too_old):
        if request.endpoint not in ASSETS:
            session["auth_seen"] = now
        return
    for key in LOGIN_KEYS:
        session.pop(key, None)
    g.pop("_login_user", None)
    remembered = config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    if not remembered and not request.path.startswith("/api/"):
        flash(_("Votre session a expiré : veuillez vous reconnecter."), "info")
