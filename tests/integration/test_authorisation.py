"""Authorisation: every route × every role, and each role against another territory's or person's data
(every write against a record of each territory: test_authorisation_writes.py).

The route list comes from `app.url_map`, so a new route without a line in ALLOWED fails the test until
someone decides who may use it."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_ACCOUNTS, graph_fingerprint

ROLES = ("anonymous", "intervenant", "coordinator", "coordinator_all", "evaluator", "admin")
EVERYONE = frozenset(ROLES[1:])
WORKERS = frozenset({"intervenant", "coordinator", "coordinator_all", "admin"})
MAINTAINERS = frozenset({"coordinator", "coordinator_all", "admin"})
EVALUATORS = frozenset({"evaluator", "coordinator", "coordinator_all", "admin"})
# referrals and "Mon réseau" belong to a person of the network: accounts without one are refused
PEOPLE = frozenset({"intervenant"})
PUBLIC = "public"

# Values for the URL arguments: data of the demo intervenant's own territory (Montréal-Nord) or the demo
# network's first records; cross-territory cases are listed in CROSS below.
SAMPLE_ARGS = {
    "organisation_id": "o-mn-01", "service_id": "s-001", "person_id": "p-002", "referral_id": "r-demo-01",
    "territory_id": "mn", "scope_id": "mn", "fmt": "nodes.csv", "kind": "organisations", "code": "fr",
    "record_id": "o-mn-01", "wave_id": "w-none", "user_id": "u-demo-intervenant", "other_id": "p-002",
    "token": "not-a-signed-link", "session_id": "mn-s1", "cohort_id": "cohort-1", "image": "png",
}

# endpoint → who gets a page (GET). Anonymous visitors are sent to the login page (401 under /api/).
ALLOWED = {
    "main.index": PUBLIC, "main.health": PUBLIC, "main.set_language": PUBLIC, "auth.login": PUBLIC,
    "api.openapi": PUBLIC,
    # the page an e-mail links to: its signed link is the key (a bad one is a 404 for everyone)
    "notify.preferences": PUBLIC,
    # « Mot de passe oublié ? » and the pages of a signed link (a bad one is a 400 for everyone)
    "auth.forgot_password": PUBLIC, "auth.reset_password": PUBLIC, "auth.invitation": PUBLIC,
    "admin.accounts": {"admin"}, "admin.mail": {"admin"},
    "api.me": EVERYONE, "api.territories": EVERYONE,
    "api.contacts": WORKERS, "api.list_referrals": PEOPLE,
    **{f"api.hsds_{name}": WORKERS for name in (
        "root", "export_json", "export_zip", "organizations", "organization", "services", "service",
        "service_at_locations", "service_at_location", "taxonomies", "taxonomy", "taxonomy_terms", "taxonomy_term")},
    **{f"api.evaluation_{name}": EVALUATORS for name in (
        "scopes", "comparison", "export", "tables", "waves", "wave")},
    "search.search": WORKERS, "search.card": WORKERS,
    "referrals.inbox": PEOPLE, "referrals.new": PEOPLE, "referrals.show": WORKERS,
    "network.mine": PEOPLE, "family.sheet": WORKERS,
    "profile.my_data": EVERYONE, "profile.my_data_json": EVERYONE, "profile.my_data_zip": EVERYONE,
    "profile.show": EVERYONE, "profile.edit": EVERYONE, "profile.erase": EVERYONE, "profile.password": EVERYONE,
    "territories.overview": EVERYONE, "territories.overview_document": EVERYONE,
    "territories.territory_map": EVERYONE, "territories.territory_map_document": EVERYONE,
    **{f"evaluation.{name}": EVALUATORS for name in (
        "index", "scope", "difference", "export", "curve", "period", "tables", "waves", "wave", "wave_answers")},
    # every signed-in person answers the survey waves
    "evaluation.questionnaires": EVERYONE, "evaluation.answer": EVERYONE, "evaluation.definitions": EVERYONE,
    **{f"directory.{name}": MAINTAINERS for name in (
        "index", "import_csv", "import_template", "import_values", "changes", "changes_csv", "new_tie",
        "organisation", "organisation_point",
        "edit_organisation",
        "new_service", "new_organisation", "people", "person", "edit_person", "new_person", "edit_service",
        "archive_organisation", "archive_person", "merge_search", "merge")},
    **{f"hsds.{name}": MAINTAINERS for name in ("upload", "mappings", "pending")},
    **{f"sessions.{name}": MAINTAINERS for name in ("index", "attendance", "ties", "new_cohort", "edit",
                                                    "edit_cohort")},
    "api.list_sessions": MAINTAINERS, "api.get_session": MAINTAINERS, "api.list_cohorts": MAINTAINERS,
    "territories.new_territory": {"admin"}, "territories.territory_limits": {"admin"},
}

# endpoint → who may POST, for the routes that only take a POST (the others follow ALLOWED).
POST_ALLOWED = {
    "auth.logout": EVERYONE, "profile.api_token": EVERYONE, "admin.toggle_account": {"admin"},
    "profile.revoke_token": EVERYONE, "admin.change_role": {"admin"}, "profile.notifications": EVERYONE,
    "admin.invite": {"admin"}, "directory.invite_person": MAINTAINERS,
    "referrals.nudge": WORKERS, "referrals.post_message": WORKERS,
    "api.create_referral": PEOPLE, "api.change_referral_status": PEOPLE, "referrals.change_status": WORKERS,
    "network.declare": PEOPLE, "network.confirm": PEOPLE, "network.remove": PEOPLE,
    "directory.add_job": MAINTAINERS, "directory.end_job": MAINTAINERS, "directory.confirm_import": MAINTAINERS,
    # running a survey wave: the roles that open waves (the wave's territories: test_wave_admin.py)
    **{f"evaluation.{name}": EVALUATORS for name in (
        "edit_wave", "close_wave", "add_wave_member", "remove_wave_member", "invite_wave", "remind_wave")},
    "hsds.confirm": MAINTAINERS, "hsds.delete_mapping": MAINTAINERS, "hsds.confirm_listing": MAINTAINERS,
    "api.post_ties": MAINTAINERS, "sessions.cancel": MAINTAINERS, "network.met_at_session": PEOPLE,
    "api.create_cohort": MAINTAINERS, "api.schedule_sessions": MAINTAINERS, "sessions.delete_cohort": MAINTAINERS,
    **{f"directory.{name}": MAINTAINERS for name in (
        "restore_organisation", "archive_service", "restore_service", "restore_person")},
}

# Allowed, but the sample record does not exist or the request needs more than a GET: the status the
# allowed roles get instead of 200.
ALLOWED_STATUS = {
    "evaluation.wave": 404, "evaluation.answer": 404, "api.evaluation_wave": 404, "evaluation.wave_answers": 404,
    "main.set_language": 302, "evaluation.period": 302, "notify.preferences": 404, "api.contacts": 400,
    "referrals.new": 404,
    # an evaluator's home is the comparisons
    "main.index": {"evaluator": 302},
    "auth.reset_password": 400, "auth.invitation": 400,
    # signed in, the login page sends you home
    "auth.login": {"anonymous": 200, **{role: 302 for role in EVERYONE}},
    # accounts without a person of the network (coordinators, evaluators, admin) have no profile to edit
    "profile.edit": {"intervenant": 200, **{role: 404 for role in EVERYONE - {"intervenant"}}},
    "profile.erase": {"intervenant": 200, **{role: 404 for role in EVERYONE - {"intervenant"}}},
    # the sample referral (p-031 → p-017) is not the demo intervenant's; coordinators see their territory's
    "referrals.show": {"intervenant": 404, "coordinator": 404, "coordinator_all": 404, "admin": 200},
    # the sample merges p-002 with itself: sent back to the merge search
    "directory.merge": 302,
    # where an address puts the pin: asked with no postal code, it says so
    "directory.organisation_point": 422,
    # cohort 1 holds three territories: Montréal-Nord's coordinator may not rename or move it
    "sessions.edit_cohort": {"coordinator": 403},
    "api.hsds_organization": 404, "api.hsds_service": 404, "api.hsds_taxonomy": 404, "api.hsds_taxonomy_term": 404,
    "api.hsds_service_at_location": 404,
}


def _url(app, rule) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: SAMPLE_ARGS[name] for name in rule.arguments})


def _get_rules(app):
    return [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]


def _expected(endpoint: str, role: str, path: str) -> int:
    allowed = ALLOWED[endpoint]
    if allowed == PUBLIC:
        return _allowed_status(endpoint, role)
    if role == "anonymous":
        return 401 if path.startswith("/api/") else 302
    if role not in allowed:
        return 403
    return _allowed_status(endpoint, role)


def _allowed_status(endpoint: str, role: str) -> int:
    status = ALLOWED_STATUS.get(endpoint, 200)
    return status.get(role, 200) if isinstance(status, dict) else status


def login_as(client, role: str) -> None:
    client.post("/deconnexion")
    if role != "anonymous":
        from tests.conftest import AuthActions

        response = AuthActions(client).as_role(role)
        assert response.status_code == 302, role


def test_every_get_route_has_an_entry(app):
    missing = sorted({r.endpoint for r in _get_rules(app)} - set(ALLOWED))
    assert not missing, f"routes without an authorisation line in ALLOWED: {missing}"


def test_every_get_route_for_every_role(demo, neo4j_driver, app, client):
    rules = _get_rules(app)
    before = graph_fingerprint(neo4j_driver)
    wrong = []
    for role in ROLES:
        login_as(client, role)
        for rule in rules:
            url = _url(app, rule)
            response = client.get(url)
            expected = _expected(rule.endpoint, role, url)
            if response.status_code != expected:
                wrong.append(f"{role} GET {url}: {response.status_code}, expected {expected}")
            elif expected == 302 and role == "anonymous" and ALLOWED[rule.endpoint] != PUBLIC:
                assert "/connexion" in response.headers["Location"], url
            if url.startswith("/api/") and response.status_code >= 400:
                assert response.is_json, f"{role} GET {url}: error is not JSON"
    assert not wrong, "\n".join(wrong)
    assert graph_fingerprint(neo4j_driver) == before


def test_every_post_route_refuses_anonymous_and_changes_nothing(demo, neo4j_driver, app, client):
    before = graph_fingerprint(neo4j_driver)
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or ALLOWED.get(rule.endpoint) == PUBLIC or rule.endpoint == "auth.login":
            continue
        url = _url(app, rule)
        response = client.post(url, data={"name": "x"}, json=None)
        expected = 401 if url.startswith("/api/") else 302
        assert response.status_code == expected, url
    assert graph_fingerprint(neo4j_driver) == before


def test_every_post_route_refuses_the_wrong_roles_and_changes_nothing(demo, neo4j_driver, app, client):
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods and ALLOWED.get(r.endpoint) != PUBLIC]
    missing = sorted({r.endpoint for r in rules} - set(ALLOWED) - set(POST_ALLOWED))
    assert not missing, f"POST routes without an authorisation line: {missing}"
    before = graph_fingerprint(neo4j_driver)
    wrong = []
    for role in ROLES[1:]:
        login_as(client, role)
        for rule in rules:
            allowed = POST_ALLOWED.get(rule.endpoint) or ALLOWED[rule.endpoint]
            if role in allowed:
                continue
            url = _url(app, rule)
            response = client.post(url, json={}) if url.startswith("/api/") else client.post(url, data={"name": "x"})
            if response.status_code != 403:
                wrong.append(f"{role} POST {url}: {response.status_code}, expected 403")
    assert not wrong, "\n".join(wrong)
    assert graph_fingerprint(neo4j_driver) == before


# Cross-territory and other people's data: (role, method, url, data, expected status).
CROSS = [
    # a Montréal-Nord coordinator cannot edit Anjou–Saint-Léonard's records
    ("coordinator", "GET", "/repertoire/organisations/o-asl-01/modifier", None, 403),
    ("coordinator", "POST", "/repertoire/organisations/o-asl-01/modifier",
     {"name": "Pris", "sector": "community", "kind": "community_org", "territory": "asl"}, 403),
    ("coordinator", "GET", "/repertoire/organisations/o-asl-01/services/nouveau", None, 403),
    ("coordinator", "POST", "/repertoire/organisations/o-asl-01/services/nouveau", {"name": "Pris"}, 403),
    ("coordinator", "GET", "/repertoire/personnes/p-029/modifier", None, 403),
    ("coordinator", "POST", "/repertoire/personnes/p-029/modifier", {"name": "Pris"}, 403),
    ("coordinator", "POST", "/repertoire/personnes/p-029/emplois/fin", {"organisation": "o-asl-01"}, 403),
    ("coordinator", "POST", "/repertoire/personnes/p-029/inviter", {}, 403),
    ("coordinator", "GET", "/repertoire/personnes/p-029/archiver", None, 403),
    ("coordinator", "POST", "/repertoire/personnes/p-029/archiver", {}, 403),
    ("coordinator", "POST", "/repertoire/personnes/p-002/fusionner/p-029", {}, 403),
    ("coordinator", "POST", "/repertoire/organisations/o-asl-01/archiver", {}, 403),
    # the coordinator of every territory can
    ("coordinator_all", "GET", "/repertoire/organisations/o-asl-01/modifier", None, 200),
    # an intervenant reads and changes only their own referrals
    ("intervenant", "GET", "/references/r-demo-01", None, 404),
    ("intervenant", "POST", "/references/r-demo-01/statut", {"status": "accepted"}, 404),
    ("intervenant", "POST", "/api/v1/referrals/r-demo-01/status", {"status": "accepted"}, 404),
    # a Montréal-Nord coordinator does not read another territory's referral notes
    ("coordinator", "GET", "/references/r-demo-01", None, 404),
    # evaluators never reach names: search, cards, directory, referrals, networks, contacts API
    ("evaluator", "GET", "/qui-appeler?need=mental-health&territory=mn", None, 403),
    ("evaluator", "GET", "/contacts/p-002", None, 403),
    ("evaluator", "GET", "/repertoire/personnes", None, 403),
    ("evaluator", "GET", "/references/r-demo-01", None, 403),
    ("evaluator", "GET", "/reseau/", None, 403),
    ("evaluator", "GET", "/api/v1/contacts?need=mental-health", None, 403),
    ("evaluator", "GET", "/api/v1/referrals", None, 403),
    ("evaluator", "GET", "/api/v1/hsds/export.json", None, 403),
    ("evaluator", "GET", "/api/v1/hsds/service_at_locations?full=true", None, 403),
    # the growth curve as SVG too (the route table above asks for its PNG): evaluators' figures only
    ("evaluator", "GET", "/evaluation/cohort-2/courbe.svg?metric=isolates", None, 200),
    ("intervenant", "GET", "/evaluation/mn/courbe.svg", None, 403),
    ("coordinator", "GET", "/evaluation/asl/courbe.svg", None, 200),
    ("intervenant", "GET", "/admin/comptes", None, 403),
    ("intervenant", "POST", "/admin/comptes/u-demo-coord/actif", {}, 403),
    ("coordinator", "POST", "/admin/comptes/u-demo-coord/actif", {}, 403),
]


@pytest.mark.parametrize("role", sorted({case[0] for case in CROSS}))
def test_other_territories_and_other_peoples_data(demo, neo4j_driver, client, role):
    login_as(client, role)
    before = graph_fingerprint(neo4j_driver)
    wrong = []
    for who, method, url, data, expected in CROSS:
        if who != role:
            continue
        if method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.post(url, json=data)
        else:
            response = client.post(url, data=data)
        if response.status_code != expected:
            wrong.append(f"{role} {method} {url}: {response.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)
    assert graph_fingerprint(neo4j_driver) == before


def test_demo_accounts_cover_every_role():
    assert set(DEMO_ACCOUNTS) == set(ROLES[1:])
