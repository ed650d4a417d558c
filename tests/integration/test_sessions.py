"""Sessions end server-side: logout, password and role changes, idle and absolute limits, login hygiene."""

import time
from datetime import UTC, datetime, timedelta

from app import create_app
from config import Config
from seed.demo.network import DEMO_PASSWORDS
from tests.conftest import DEMO_ACCOUNTS, AuthActions, make_config

INTERVENANT = DEMO_ACCOUNTS["intervenant"]
NEW_PASSWORD = "cèdre-marée-vélo-tambour"


def _replay(app, **cookies):
    """A fresh browser holding only these cookies."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def _login(app, remember=False, email=INTERVENANT, password=DEMO_PASSWORDS["intervenant"]):
    client = app.test_client()
    data = {"email": email, "password": password, **({"remember": "y"} if remember else {})}
    assert client.post("/connexion", data=data).status_code == 302
    return client


def test_the_old_session_cookie_is_dead_after_logout(demo, app):
    client = _login(app)
    old = client.get_cookie("session").value
    assert _replay(app, session=old).get("/api/v1/me").status_code == 200  # the replay works before logout
    client.post("/deconnexion")
    replayed = _replay(app, session=old)
    assert replayed.get("/api/v1/me").status_code == 401
    page = replayed.get("/references/")
    assert page.status_code == 302 and "/connexion" in page.headers["Location"]


def test_the_remember_cookie_alone_is_dead_after_logout(demo, app):
    client = _login(app, remember=True)
    remember = client.get_cookie("remember_token").value
    assert _replay(app, remember_token=remember).get("/api/v1/me").status_code == 200
    client.post("/deconnexion")
    assert _replay(app, remember_token=remember).get("/api/v1/me").status_code == 401


def test_logout_ends_the_sessions_on_every_device(demo, app):
    phone, desk = _login(app), _login(app, remember=True)
    phone.post("/deconnexion")
    assert desk.get("/api/v1/me").status_code == 401


def test_remember_cookie_holds_and_says_so(demo, app):
    response = app.test_client().post("/connexion", data={
        "email": INTERVENANT, "password": DEMO_PASSWORDS["intervenant"], "remember": "y"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    expires = datetime.strptime(cookie.split("Expires=")[1].split(";")[0], "%a, %d %b %Y %H:%M:%S GMT")
    assert abs((expires.replace(tzinfo=UTC) - datetime.now(UTC)) - timedelta(days=14)) < timedelta(minutes=5)


def test_cookies_are_secure_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "production-secret")

    class Production(Config):
        ENV = "production"

    config = Production()
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    assert config.REMEMBER_COOKIE_SAMESITE == "Lax" and config.REMEMBER_COOKIE_HTTPONLY


def _age(client, **seconds_ago):
    now = int(time.time())
    with client.session_transaction() as session:
        for key, ago in seconds_ago.items():
            session[key] = now - ago


def test_idle_limit(demo, app):
    client = _login(app)
    _age(client, auth_seen=29 * 60)
    assert client.get("/api/v1/me").status_code == 200  # 29 minutes idle: still there, and seen again now
    _age(client, auth_seen=31 * 60)
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/references/", follow_redirects=True)
    assert "Connexion" in page.get_data(as_text=True)


def test_absolute_limit_even_when_busy(demo, app):
    client = _login(app)
    _age(client, auth_started=11 * 3600, auth_seen=10)
    assert client.get("/api/v1/me").status_code == 200
    _age(client, auth_started=12 * 3600 + 60, auth_seen=10)
    assert client.get("/api/v1/me").status_code == 401


def test_idle_session_comes_back_through_the_remember_cookie_as_a_new_session(demo, app):
    client = _login(app, remember=True)
    _age(client, auth_started=20 * 3600, auth_seen=40 * 60)
    assert client.get("/api/v1/me").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["auth_started"] < 60


def test_the_remember_cookie_ends_after_14_days(demo, app, monkeypatch):
    client = _login(app, remember=True)
    remember = client.get_cookie("remember_token").value
    later = datetime.now(UTC) + timedelta(days=14, hours=1)
    monkeypatch.setattr("referral.auth.users.utc_now", lambda: later)
    assert _replay(app, remember_token=remember).get("/api/v1/me").status_code == 401


def test_limits_come_from_the_config(demo, neo4j_settings):
    app = create_app(make_config(neo4j_settings, SESSION_IDLE_MINUTES=5))
    client = _login(app)
    _age(client, auth_seen=6 * 60)
    assert client.get("/api/v1/me").status_code == 401


def test_login_starts_a_clean_session_with_a_new_csrf_token(demo, neo4j_settings):
    app = create_app(make_config(neo4j_settings, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    signed = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        before = dict(session)
    cookie_before = client.get_cookie("session").value
    response = client.post("/connexion", data={"csrf_token": signed, "email": INTERVENANT,
                                               "password": DEMO_PASSWORDS["intervenant"]})
    assert response.status_code == 302
    client.get("/profil/")  # a page with forms: a CSRF token is made
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["csrf_token"] != before["csrf_token"]
    assert client.get_cookie("session").value != cookie_before
    # the token of the login page no longer passes
    assert client.post("/deconnexion", data={"csrf_token": signed}).status_code == 400


def test_language_choice_survives_the_login(demo, app):
    client = app.test_client()
    client.get("/langue/en")
    AuthActions(client).login()
    with client.session_transaction() as session:
        assert session.get("lang") == "en"


def test_password_change_ends_the_other_sessions_and_keeps_this_one(demo, app):
    here, elsewhere = _login(app, remember=True), _login(app, remember=True)
    old_remember = here.get_cookie("remember_token").value
    response = here.post("/profil/mot-de-passe", data={
        "current": DEMO_PASSWORDS["intervenant"], "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert here.get("/api/v1/me").status_code == 200
    assert elsewhere.get("/api/v1/me").status_code == 401
    assert _replay(app, remember_token=old_remember).get("/api/v1/me").status_code == 401
    new_remember = here.get_cookie("remember_token").value
    assert new_remember != old_remember
    assert _replay(app, remember_token=new_remember).get("/api/v1/me").status_code == 200
    assert AuthActions(app.test_client()).login(INTERVENANT).status_code == 200  # old password: the form again
    _login(app, password=NEW_PASSWORD)


def test_role_change_on_the_admin_page_ends_the_sessions(demo, app, client, auth):
    worker = _login(app)
    auth.as_role("admin")
    response = client.post("/admin/comptes/u-demo-intervenant/role", data={"role": "evaluator", "territory": ""})
    assert response.status_code == 302
    assert worker.get("/api/v1/me").status_code == 401
    assert _login(app).get("/api/v1/me").json["role"] == "evaluator"


def test_admin_cannot_change_their_own_role(demo, app, client, auth):
    auth.as_role("admin")
    page = client.post("/admin/comptes/u-demo-admin/role", data={"role": "intervenant", "territory": ""},
                       follow_redirects=True)
    assert "propre rôle" in page.get_data(as_text=True)
    assert client.get("/api/v1/me").json["role"] == "admin"


def test_bad_role_change_changes_nothing(demo, app, client, auth):
    worker = _login(app)
    auth.as_role("admin")
    page = client.post("/admin/comptes/u-demo-intervenant/role", data={"role": "root", "territory": "nowhere"},
                       follow_redirects=True)
    assert page.status_code == 200 and "Rôle non changé" in page.get_data(as_text=True)
    assert worker.get("/api/v1/me").json["role"] == "intervenant"


def test_disabling_and_enabling_again_does_not_revive_old_sessions(demo, app, client, auth):
    worker = _login(app)
    auth.as_role("admin")
    client.post("/admin/comptes/u-demo-intervenant/actif")
    client.post("/admin/comptes/u-demo-intervenant/actif")
    assert worker.get("/api/v1/me").status_code == 401
    assert _login(app).get("/api/v1/me").status_code == 200


def test_a_session_of_the_old_format_is_refused(demo, app):
    client = app.test_client()
    with client.session_transaction() as session:
        now = int(time.time())
        session.update({"_user_id": "u-demo-admin", "_fresh": True, "auth_started": now, "auth_seen": now})
    assert client.get("/api/v1/me").status_code == 401


def test_files_a_page_loads_leave_the_session_cookie_alone(demo, client, auth):
    """Found by a browser test: a chart image still being drawn wrote back the session it started with, over
    the language chosen meanwhile. A stylesheet or a chart image writes no session cookie."""
    auth.as_role("evaluator")
    for url in ("/static/style.css", "/evaluation/mn/courbe.svg?metric=ties"):
        response = client.get(url)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, url
    assert "Set-Cookie" in client.get("/langue/en").headers
