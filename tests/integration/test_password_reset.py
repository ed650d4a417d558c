"""« Mot de passe oublié ? » through the test session's real SMTP server (aiosmtpd) and Neo4j: a link that
works once within the hour, the same answer for an unknown address (and no e-mail, nothing written), a rate
limit per IP and per address, and every other session ended."""

from __future__ import annotations

import html
import re
import time
from unittest import mock

from referral.auth.links import INVITE, RESET, make_link_token
from referral.auth.mail import wait_sent
from seed.demo.network import DEMO_PASSWORDS
from tests.conftest import DEMO_ACCOUNTS, AuthActions, graph_fingerprint, make_config

EMAIL = DEMO_ACCOUNTS["intervenant"]
NEW = "cèdre-marée-vélo-tambour"


def text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_path(app, message) -> str:
    """The link's path on the site (the test client opens paths)."""
    found = re.search(re.escape(app.config["PUBLIC_URL"]) + r"(/\S+)", text(message))
    assert found, text(message)
    return found.group(1)


def ask(client, email: str, **kwargs):
    return client.post("/mot-de-passe-oublie", data={"email": email}, **kwargs)


def choose(client, path: str, password: str = NEW):
    return client.post(path, data={"new": password, "confirm": password})


def logs_in(app, email: str, password: str) -> bool:
    return AuthActions(app.test_client()).login(email, password).status_code == 302


def flashed(client) -> str:
    """The page after the redirect, as the person sees it."""
    return client.get("/connexion").get_data(as_text=True)


def test_the_login_page_offers_a_reset(demo, client):
    page = client.get("/connexion").get_data(as_text=True)
    assert 'href="/mot-de-passe-oublie"' in page and "Mot de passe oublié ?" in page
    assert client.get("/mot-de-passe-oublie").status_code == 200


def test_a_reset_link_works_once_then_is_refused(demo, app, client, mailbox):
    answer = ask(client, EMAIL)
    assert answer.status_code == 302 and answer.headers["Location"] == "/connexion"
    assert "Si un compte existe pour cette adresse" in flashed(client)
    [message] = mailbox.wait_for(1)
    assert message["To"] == EMAIL
    assert str(message["Subject"]).strip() == "Réseau EI : choisir un nouveau mot de passe"
    body = text(message)
    assert "Bonjour Annie Côté," in body and "valide une heure" in body
    assert "Si vous n'avez rien demandé, ignorez ce message" in body
    path = link_path(app, message)
    assert path.startswith("/mot-de-passe/nouveau/")

    page = client.get(path)
    assert page.status_code == 200 and EMAIL in page.get_data(as_text=True)
    assert "<h1>Choisir un nouveau mot de passe</h1>" in page.get_data(as_text=True)
    weak = choose(client, path, "motdepasse1")
    assert weak.status_code == 200 and "trop facile à deviner" in weak.get_data(as_text=True)
    done = choose(client, path)
    assert done.status_code == 302 and done.headers["Location"] == "/connexion"
    assert logs_in(app, EMAIL, NEW) and not logs_in(app, EMAIL, DEMO_PASSWORDS["intervenant"])

    again = client.get(path)
    assert again.status_code == 410 and "déjà servi" in again.get_data(as_text=True)
    assert 'href="/mot-de-passe-oublie"' in again.get_data(as_text=True)
    assert choose(client, path, "un-autre-mot-de-passe-bien-long-47").status_code == 410
    assert logs_in(app, EMAIL, NEW)


def test_a_reset_ends_every_other_session(demo, app, client, mailbox):
    other = app.test_client()
    assert AuthActions(other).login(EMAIL).status_code == 302
    assert other.get("/api/v1/me").status_code == 200
    ask(client, EMAIL)
    [message] = mailbox.wait_for(1)
    assert choose(client, link_path(app, message)).status_code == 302
    assert other.get("/api/v1/me").status_code == 401
    assert other.get("/profil/").status_code == 302  # back to the login page


def test_a_reset_also_ends_the_api_tokens(demo, app, client, mailbox, neo4j_driver):
    """Outside pass 15: a token made by whoever had the password still opened the API after a reset."""
    from tests.api_helpers import bearer

    token = bearer(neo4j_driver, "u-demo-intervenant")
    assert client.get("/api/v1/me", headers=token).status_code == 200
    ask(client, EMAIL)
    [message] = mailbox.wait_for(1)
    assert choose(client, link_path(app, message)).status_code == 302
    assert app.test_client().get("/api/v1/me", headers=token).status_code == 401


def test_changing_ones_password_also_ends_the_api_tokens_and_the_other_sessions(demo, app, client, neo4j_driver):
    """Outside pass 15 (second): a reset ended the API tokens, a change of password did not."""
    from tests.api_helpers import bearer

    token = bearer(neo4j_driver, "u-demo-intervenant")
    other = app.test_client()
    AuthActions(other).login(EMAIL)
    AuthActions(client).login(EMAIL)
    changed = client.post("/profil/mot-de-passe", data={"current": DEMO_PASSWORDS["intervenant"], "new": NEW,
                                                        "confirm": NEW}, follow_redirects=True)
    assert "Vos autres sessions et vos jetons d&#39;API sont fermés." in changed.get_data(as_text=True)
    assert app.test_client().get("/api/v1/me", headers=token).status_code == 401
    assert other.get("/profil/").status_code == 302 and client.get("/profil/").status_code == 200


def test_a_pasted_address_with_spaces_gets_its_link(demo, app, client, mailbox):
    """Outside pass 15 (second): « adresse@exemple.org␠ » was refused as invalid."""
    assert ask(client, f" {EMAIL} ").status_code == 302
    assert [m["To"] for m in mailbox.wait_for(1)] == [EMAIL]


def test_an_unknown_or_disabled_address_gets_the_same_answer_and_no_email(demo, app, client, runner, mailbox,
                                                                          neo4j_driver):
    assert runner.invoke(args=["user", "disable", DEMO_ACCOUNTS["evaluator"]]).exit_code == 0
    before = graph_fingerprint(neo4j_driver, bookkeeping=True)
    answers = []
    for email in ("personne@exemple.org", DEMO_ACCOUNTS["evaluator"], EMAIL):
        response = ask(client, email)
        answers.append((response.status_code, response.headers.get("Location"), flashed(client)))
    assert answers[0] == answers[1] == answers[2]
    wait_sent(app)
    assert [m["To"] for m in mailbox.wait_for(1)] == [EMAIL]  # only the active account's
    assert graph_fingerprint(neo4j_driver, bookkeeping=True) == before


def test_an_expired_or_tampered_link_is_refused_with_a_way_forward(demo, app, client, neo4j_driver):
    account = neo4j_driver.execute_query("MATCH (u:User {email: $e}) RETURN u {.id, .password_hash} AS u",
                                         e=EMAIL).records[0]["u"]
    secret = app.config["SECRET_KEY"]
    with mock.patch("time.time", return_value=time.time() - 3601):
        expired = make_link_token(secret, RESET, account)
    page = client.get(f"/mot-de-passe/nouveau/{expired}")
    assert page.status_code == 410 and "Ce lien a expiré." in page.get_data(as_text=True)
    assert choose(client, f"/mot-de-passe/nouveau/{expired}").status_code == 410

    fresh = make_link_token(secret, RESET, account)
    tampered = fresh[:-2] + ("AA" if not fresh.endswith("AA") else "BB")
    invitation = make_link_token(secret, INVITE, account)  # another purpose's link is not a reset link
    for token in (tampered, invitation, "pas-un-lien"):
        refused = client.get(f"/mot-de-passe/nouveau/{token}")
        assert refused.status_code == 400
        assert "Ce lien n'est pas valide" in html.unescape(refused.get_data(as_text=True))
    assert logs_in(app, EMAIL, DEMO_PASSWORDS["intervenant"])
    assert client.get(f"/mot-de-passe/nouveau/{fresh}").status_code == 200


def _limited_client(neo4j_settings, **limits):
    from app import create_app

    app = create_app(make_config(neo4j_settings, RATELIMIT_ENABLED=True, **limits))
    return app, app.test_client()


def test_the_reset_page_is_rate_limited_per_ip(demo, neo4j_settings):
    app, client = _limited_client(neo4j_settings, RESET_RATE_LIMIT="3 per hour")
    codes = [ask(client, f"personne{i}@exemple.org").status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
    limited = ask(client, "encore@exemple.org")
    assert int(limited.headers["Retry-After"]) > 0
    # Outside pass 15: it said « dans une minute » for a limit of the hour.
    assert "réessayez dans 60 minutes" in limited.get_data(as_text=True)
    assert client.get("/mot-de-passe-oublie").status_code == 200  # the form itself is not counted
    wait_sent(app)


def test_the_reset_page_is_rate_limited_per_address_whatever_the_ip(demo, neo4j_settings):
    app, client = _limited_client(neo4j_settings, RESET_ADDRESS_RATE_LIMIT="2 per hour")

    def attempt(email, ip):
        return ask(client, email, environ_base={"REMOTE_ADDR": ip}).status_code

    assert [attempt("personne@exemple.org", f"203.0.113.{i}") for i in range(3)] == [302, 302, 429]
    assert attempt(" PERSONNE@exemple.org", "203.0.113.9") == 429  # the same address written otherwise
    assert attempt("quelquun@exemple.org", "203.0.113.1") == 302
    # An address with an account is limited exactly alike: the 429 tells nothing of who has one.
    assert [attempt(EMAIL, f"198.51.100.{i}") for i in range(3)] == [302, 302, 429]
    wait_sent(app)
