"""Invitations through the test session's real SMTP server (aiosmtpd) and Neo4j: an admin, a coordinator of
the person's territory and `flask user invite` create the account and send a link that works once; a
coordinator of another territory is refused and nothing is written."""

from __future__ import annotations

import html
from datetime import date

import pytest

from graph.repositories.staff import StaffRepository
from referral.auth.mail import wait_sent
from tests.conftest import AuthActions, graph_fingerprint
from tests.integration.test_password_reset import NEW, choose, link_path, logs_in, text

RECRUIT = "nouvelle.recrue@exemple.org"


@pytest.fixture
def recruit(demo, neo4j_driver) -> str:
    """A person of Montréal-Nord's directory with an e-mail and no account."""
    values = {"name": "Nouvelle Recrue", "email": RECRUIT, "languages": ["fr"], "listed": True,
              "research_consent": False}
    return StaffRepository(neo4j_driver).create(values, "intervenant", "o-mn-01", date(2024, 1, 1), "test")


def account(driver, email: str) -> dict | None:
    records = driver.execute_query(
        "MATCH (u:User {email: $email}) OPTIONAL MATCH (u)-[:IS]->(p:Person) "
        "RETURN u {.role, .territory, .active, .invited, person: p.id} AS u", email=email).records
    return records[0]["u"] if records else None


def invite_as_admin(client, email: str, role: str = "intervenant", territory: str = "mn"):
    return client.post("/admin/comptes/inviter", data={"invite-email": email, "invite-role": role,
                                                       "invite-territory": territory})


def accept_once(app, message, email: str) -> None:
    """The link opens the form, sets the password and logs in; opened again, it is refused."""
    path = link_path(app, message)
    assert path.startswith("/invitation/")
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200
    assert "<h1>Bienvenue : choisissez votre mot de passe</h1>" in page.get_data(as_text=True)
    done = choose(client, path)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/api/v1/me").json["email"] == email
    refused = app.test_client().get(path)
    assert refused.status_code == 410 and "déjà servi" in refused.get_data(as_text=True)
    assert "Votre mot de passe est déjà choisi : connectez-vous" in html.unescape(refused.get_data(as_text=True))
    assert choose(app.test_client(), path, "un-autre-mot-de-passe-bien-long-47").status_code == 410
    assert logs_in(app, email, NEW)


def test_an_admin_invites_a_person_of_the_directory(app, client, auth, recruit, mailbox, neo4j_driver):
    auth.as_role("admin")
    assert "Inviter une personne du répertoire" in client.get("/admin/comptes").get_data(as_text=True)
    answer = invite_as_admin(client, RECRUIT)
    assert answer.status_code == 302
    assert account(neo4j_driver, RECRUIT) == {"role": "intervenant", "territory": "mn", "active": True,
                                              "invited": True, "person": recruit}
    assert "invitation en attente" in client.get("/admin/comptes").get_data(as_text=True)
    [message] = mailbox.wait_for(1)
    assert message["To"] == RECRUIT
    assert str(message["Subject"]).strip() == "Réseau EI : choisissez votre mot de passe"
    body = text(message)
    assert "Bonjour Nouvelle Recrue," in body and "valide 7 jours" in body
    assert "Si vous n'avez rien demandé, ignorez ce message" in body
    assert not logs_in(app, RECRUIT, "")  # no password of its own yet
    accept_once(app, message, RECRUIT)
    assert account(neo4j_driver, RECRUIT)["invited"] is None


def test_inviting_again_sends_a_fresh_link_until_the_password_is_chosen(app, client, auth, recruit, mailbox):
    auth.as_role("admin")
    invite_as_admin(client, RECRUIT)
    mailbox.wait_for(1)
    invite_as_admin(client, RECRUIT)
    first, second = mailbox.wait_for(2)
    older = app.test_client().get(link_path(app, first))  # the older link stops working, and says why
    assert older.status_code == 410 and "remplacée par une plus récente" in older.get_data(as_text=True)
    accept_once(app, second, RECRUIT)
    again = invite_as_admin(client, RECRUIT)
    assert again.status_code == 200 and "déjà un compte" in again.get_data(as_text=True)
    wait_sent(app)
    assert len(mailbox.messages) == 2


def test_an_address_outside_the_directory_is_not_invited(app, client, auth, demo, mailbox, neo4j_driver):
    auth.as_role("admin")
    before = graph_fingerprint(neo4j_driver)
    answer = invite_as_admin(client, "inconnue@exemple.org")
    assert answer.status_code == 200 and "Aucune personne du répertoire" in answer.get_data(as_text=True)
    wait_sent(app)
    assert mailbox.messages == [] and graph_fingerprint(neo4j_driver) == before


def test_a_coordinator_invites_a_person_of_their_territory(app, client, auth, recruit, mailbox, neo4j_driver):
    auth.as_role("coordinator")
    page = client.get(f"/repertoire/personnes/{recruit}").get_data(as_text=True)
    assert "Inviter à créer son compte" in page
    answer = client.post(f"/repertoire/personnes/{recruit}/inviter")
    assert answer.status_code == 302 and answer.headers["Location"] == f"/repertoire/personnes/{recruit}"
    assert account(neo4j_driver, RECRUIT) == {"role": "intervenant", "territory": "mn", "active": True,
                                              "invited": True, "person": recruit}
    [message] = mailbox.wait_for(1)
    accept_once(app, message, RECRUIT)


def test_a_coordinator_of_another_territory_is_refused(app, client, auth, demo, mailbox, neo4j_driver):
    values = {"name": "Autre Territoire", "email": "autre.territoire@exemple.org", "languages": ["fr"],
              "listed": True, "research_consent": False}
    elsewhere = StaffRepository(neo4j_driver).create(values, "intervenant", "o-asl-01", date(2024, 1, 1), "test")
    auth.as_role("coordinator")
    before = graph_fingerprint(neo4j_driver)
    assert client.post(f"/repertoire/personnes/{elsewhere}/inviter").status_code == 403
    assert invite_as_admin(client, "autre.territoire@exemple.org", territory="asl").status_code == 403
    wait_sent(app)
    assert mailbox.messages == [] and graph_fingerprint(neo4j_driver) == before


def test_a_coordinator_never_renews_an_invitation_to_another_role(app, client, auth, recruit, mailbox,
                                                                  neo4j_driver):
    """Outside pass 15: a Montréal-Nord coordinator could re-invite a pending admin-role account (cancelling
    the admin's link) from the person's page."""
    auth.as_role("admin")
    invite_as_admin(client, RECRUIT, role="admin", territory="")
    mailbox.wait_for(1)
    wait_sent(app)
    client.post("/deconnexion")
    auth.as_role("coordinator")
    before = graph_fingerprint(neo4j_driver)
    assert client.post(f"/repertoire/personnes/{recruit}/inviter").status_code == 403
    wait_sent(app)
    assert len(mailbox.messages) == 1 and graph_fingerprint(neo4j_driver) == before


def test_the_command_line_invites_and_prints_the_link(app, runner, recruit, mailbox, neo4j_driver):
    result = runner.invoke(args=["user", "invite", RECRUIT, "--territory", "mn"])
    assert result.exit_code == 0, result.output
    assert f"{app.config['PUBLIC_URL']}/invitation/" in result.output and "E-mail sent." in result.output
    [message] = mailbox.wait_for(1)
    assert link_path(app, message) in result.output
    accept_once(app, message, RECRUIT)
    again = runner.invoke(args=["user", "invite", RECRUIT])
    assert again.exit_code == 1 and "déjà un compte" in again.output


def test_the_command_line_invites_an_account_without_a_person(app, runner, demo, mailbox, neo4j_driver):
    result = runner.invoke(args=["user", "invite", "evaluation2@exemple.org", "--role", "evaluator"])
    assert result.exit_code == 0, result.output
    assert account(neo4j_driver, "evaluation2@exemple.org")["person"] is None
    [message] = mailbox.wait_for(1)
    assert text(message).startswith("Bonjour,")
    client = app.test_client()
    assert choose(client, link_path(app, message)).status_code == 302
    assert AuthActions(client).logout().status_code == 302
