"""The password policy (zxcvbn score 4 with the city's and the program's words, length ≥ 10, not built on
the e-mail or name) wherever a password is set: the admin's account form, the CLI and « Changer mon mot de passe »."""

import pytest

from referral.auth.passwords import password_problem
from seed.demo.network import DEMO_PASSWORDS
from tests.conftest import DEMO_ACCOUNTS

STRONG = "cèdre-marée-vélo-tambour"
# (password, what the message must say): common, guessable, or built on the person's own e-mail or name
WEAK = [
    ("aaaaaaaaaa", "répète des caractères"),
    ("qwertyuiop", "mot de passe très courant"),
    ("P@ssw0rd1234", "chiffres ou des symboles"),
    ("abcdefghijklmn", "suite"),
    ("Tremblay2024!", "votre courriel ou votre nom"),
    ("court", "au moins 10 caractères"),
    ("x" * 129, "au plus 128 caractères"),
    # found by the outside pass: a city, a year and a symbol scored « safely unguessable »
    ("Montreal2024!", "mot ou un nom courant"),
    ("Hiver2024!!", "mot ou un nom courant"),
    ("Intervenant1!", "mot ou un nom courant"),
    # found by the second outside pass: neighbourhoods, swearing, the program's words, put together
    *[(p, "mot ou un nom courant") for p in ("Neige2024!!", "Tabarnak123!", "SaintLeonard2023!", "Villeray2024$",
                                             "Cote-des-Neiges1!", "Nord-Montreal-2024!", "reseau-ei-2024!",
                                             "Cohorte2023!", "ParentPartenaire1")],
]


@pytest.mark.parametrize("password,reason", WEAK)
def test_weak_passwords_are_refused_saying_why(app, password, reason):
    with app.test_request_context():
        problem = password_problem(password, ["marie.tremblay@example.org", "Marie Tremblay"])
    assert problem and reason in problem


def test_the_local_part_of_the_email_is_refused_even_with_digits_in_its_words(app):
    """Found by the outside pass: « audit-pwdbg2-1796272217-29b32e » for audit-pwdbg2-1796272217-29b32e@…"""
    with app.test_request_context():
        problem = password_problem("audit-pwdbg2-1796272217-29b32e", ["audit-pwdbg2-1796272217-29b32e@example.org"])
    assert problem and "votre courriel ou votre nom" in problem


def test_a_password_without_letters_is_not_said_to_reuse_the_name(app):
    with app.test_request_context():
        problem = password_problem("1234567890", ["marie.tremblay@example.org", "Marie Tremblay"])
    assert problem and "courriel ou votre nom" not in problem


@pytest.mark.parametrize("password", [STRONG, "Le chat de Rosalie dort au soleil", "7Kq!vR2#pLx9wZ"])
def test_strong_passwords_pass(app, password):
    with app.test_request_context():
        assert password_problem(password, ["marie.tremblay@example.org", "Marie Tremblay"]) is None


def test_the_admin_form_applies_the_policy(demo, client, auth, graph):
    auth.as_role("admin")
    page = client.post("/admin/comptes", data={"email": "x@example.org", "role": "evaluator", "territory": "",
                                               "person": "", "password": "aaaaaaaaaa"})
    assert page.status_code == 200 and "trop facile à deviner" in page.get_data(as_text=True)
    assert not graph.execute_query("MATCH (u:User {email: 'x@example.org'}) RETURN u").records
    ok = client.post("/admin/comptes", data={"email": "x@example.org", "role": "evaluator", "territory": "",
                                             "person": "", "password": STRONG})
    assert ok.status_code == 302


def _hash(graph, email):
    return graph.execute_query("MATCH (u:User {email: $e}) RETURN u.password_hash AS h", e=email).records[0]["h"]


@pytest.mark.parametrize("data,message", [
    ({"current": "pas-le-bon-mot", "new": STRONG, "confirm": STRONG}, "Mot de passe actuel incorrect"),
    ({"current": DEMO_PASSWORDS["intervenant"], "new": "motdepasse123", "confirm": "motdepasse123"},
     "trop facile à deviner"),
    ({"current": DEMO_PASSWORDS["intervenant"], "new": "intervenant@demo.reseau", "confirm": "intervenant@demo.reseau"},
     "votre courriel ou votre nom"),
    ({"current": DEMO_PASSWORDS["intervenant"], "new": STRONG, "confirm": STRONG + "x"}, "diffèrent"),
])
def test_change_password_refuses_bad_input_and_changes_nothing(demo, client, auth, graph, data, message):
    auth.login()
    before = _hash(graph, DEMO_ACCOUNTS["intervenant"])
    page = client.post("/profil/mot-de-passe", data=data)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert _hash(graph, DEMO_ACCOUNTS["intervenant"]) == before
    assert client.get("/api/v1/me").status_code == 200


def test_the_profile_links_to_the_password_page(demo, client, auth):
    auth.as_role("evaluator")  # an account without a person of the network too
    assert "/profil/mot-de-passe" in client.get("/profil/").get_data(as_text=True)
    assert "Nouveau mot de passe" in client.get("/profil/mot-de-passe").get_data(as_text=True)


def test_cli_password_and_role_commands(demo, app, runner, graph):
    email = DEMO_ACCOUNTS["coordinator"]
    weak = runner.invoke(args=["user", "password", email, "--password-stdin"], input="coordination2024\n")
    assert weak.exit_code == 1 and "trop facile à deviner" in weak.output
    worker = app.test_client()
    worker.post("/connexion", data={"email": email, "password": DEMO_PASSWORDS["coordinator"]})
    assert worker.get("/api/v1/me").status_code == 200
    done = runner.invoke(args=["user", "password", email, "--password-stdin"], input=STRONG + "\n")
    assert done.exit_code == 0, done.output
    assert worker.get("/api/v1/me").status_code == 401
    assert app.test_client().post("/connexion", data={"email": email, "password": STRONG}).status_code == 302

    worker.post("/connexion", data={"email": email, "password": STRONG})
    role = runner.invoke(args=["user", "role", email, "--role", "intervenant", "--territory", "asl"])
    assert role.exit_code == 0, role.output
    assert worker.get("/api/v1/me").status_code == 401
    record = graph.execute_query("MATCH (u:User {email: $e}) RETURN u.role AS r, u.territory AS t", e=email).records[0]
    assert (record["r"], record["t"]) == ("intervenant", "asl")
    for args in (["user", "role", email, "--role", "intervenant", "--territory", "nowhere"],
                 ["user", "role", "nobody@example.org", "--role", "admin"],
                 ["user", "password", "nobody@example.org", "--password-stdin"]):
        assert runner.invoke(args=args, input=STRONG + "\n").exit_code == 1, args


@pytest.mark.parametrize("password", ["Marie.Tremblay2025", "intervenant@demo.reseau"])
def test_passwords_made_of_the_email_or_name_are_refused(app, password):
    """zxcvbn alone scores these 3 or more: the e-mail's and name's words taken out, too little is left."""
    with app.test_request_context():
        problem = password_problem(password, ["marie.tremblay@example.org", "Marie Tremblay",
                                              "intervenant@demo.reseau-ei.ca"])
    assert problem and "votre courriel ou votre nom" in problem
