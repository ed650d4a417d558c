"""Authorisation: every route × every role, and each role against another territory's or person's data.

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
    "token": "not-a-signed-link",
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
        "taxonomies", "taxonomy", "taxonomy_terms", "taxonomy_term")},
    **{f"api.evaluation_{name}": EVALUATORS for name in (
        "scopes", "comparison", "export", "tables", "waves", "wave")},
    "search.search": WORKERS, "search.card": WORKERS,
    "referrals.inbox": PEOPLE, "referrals.new": PEOPLE, "referrals.show": WORKERS,
    "network.mine": PEOPLE,
    "profile.show": EVERYONE, "profile.edit": EVERYONE, "profile.erase": EVERYONE, "profile.password": EVERYONE,
    "territories.overview": EVERYONE, "territories.overview_document": EVERYONE,
    "territories.territory_map": EVERYONE, "territories.territory_map_document": EVERYONE,
    **{f"evaluation.{name}": EVALUATORS for name in (
        "index", "scope", "difference", "export", "period", "tables", "waves", "wave")},
    # every signed-in person answers the survey waves
    "evaluation.questionnaires": EVERYONE, "evaluation.answer": EVERYONE,
    **{f"directory.{name}": MAINTAINERS for name in (
        "index", "import_csv", "import_template", "changes", "new_tie", "organisation", "edit_organisation",
        "new_service", "new_organisation", "people", "person", "edit_person", "new_person", "edit_service")},
    **{f"hsds.{name}": MAINTAINERS for name in ("upload", "mappings", "pending")},
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
    "hsds.confirm": MAINTAINERS, "hsds.delete_mapping": MAINTAINERS, "hsds.confirm_listing": MAINTAINERS,
}

# Allowed, but the sample record does not exist or the request needs more than a GET: the status the
# allowed roles get instead of 200.
ALLOWED_STATUS = {
    "evaluation.wave": 404, "evaluation.answer": 404, "api.evaluation_wave": 404,
    "main.set_language": 302, "evaluation.period": 302, "notify.preferences": 404, "api.contacts": 400,
    "referrals.new": 404,
    "auth.reset_password": 400, "auth.invitation": 400,
    # signed in, the login page sends you home
    "auth.login": {"anonymous": 200, **{role: 302 for role in EVERYONE}},
    # accounts without a person of the network (coordinators, evaluators, admin) have no profile to edit
    "profile.edit": {"intervenant": 200, **{role: 404 for role in EVERYONE - {"intervenant"}}},
    "profile.erase": {"intervenant": 200, **{role: 404 for role in EVERYONE - {"intervenant"}}},
    # the sample referral (p-031 → p-017) is not the demo intervenant's; coordinators see their territory's
    "referrals.show": {"intervenant": 404, "coordinator": 404, "coordinator_all": 404, "admin": 200},
    "api.hsds_organization": 404, "api.hsds_service": 404, "api.hsds_taxonomy": 404, "api.hsds_taxonomy_term": 404,
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


def _login(client, role: str) -> None:
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
        _login(client, role)
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
        _login(client, role)
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
    ("intervenant", "GET", "/admin/comptes", None, 403),
    ("intervenant", "POST", "/admin/comptes/u-demo-coord/actif", {}, 403),
    ("coordinator", "POST", "/admin/comptes/u-demo-coord/actif", {}, 403),
]


@pytest.mark.parametrize("role", sorted({case[0] for case in CROSS}))
def test_other_territories_and_other_peoples_data(demo, neo4j_driver, client, role):
    _login(client, role)
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


# --- The record's territory as a dimension -----------------------------------------------------------
# Every write of the directory and of both importers, by the Montréal-Nord coordinator, the coordinator of
# every territory and the admin, against a record of Montréal-Nord, one of Villeray (VSP), or a person who
# works in both. Expected: (role, record) → allowed (302, the graph changed) or refused (403, unchanged).
RECORD_ALLOWED = {
    ("coordinator", "mn"): True, ("coordinator", "vsp"): False, ("coordinator", "both"): True,
    **{(role, record): True for role in ("coordinator_all", "admin") for record in ("mn", "vsp", "both")},
}
POSTAL = {"mn": "H1H 1J5", "vsp": "H2R 1A1"}


def _records(demo, graph) -> dict:
    """Per record kind: its territory, organisation, a second organisation there, person, job and partner."""
    from datetime import date

    from graph.repositories.staff import StaffRepository

    def person(name, organisation, also=None):
        values = {"name": name, "email": f"{name.lower()}@exemple.org", "languages": ["fr"], "listed": True,
                  "research_consent": False}
        created = StaffRepository(graph).create(values, "intervenant", organisation, date(2024, 1, 1), "test")
        if also:
            StaffRepository(graph).add_job(created, also, date(2024, 1, 2), "test")
        return created

    vsp_person = next(w for w in demo.works_at if w["organisation"].startswith("o-vsp-") and w["until"] is None)
    return {
        "mn": {"territory": "mn", "organisation": "o-mn-01", "other": "o-mn-02", "person": "p-001",
               "job": "o-mn-01", "partner": person("Partenairemn", "o-mn-04")},
        "vsp": {"territory": "vsp", "organisation": "o-vsp-01", "other": "o-vsp-02", "person": vsp_person["person"],
                "job": vsp_person["organisation"], "partner": person("Partenairevsp", "o-vsp-04")},
        "both": {"territory": "mn", "organisation": "o-mn-01", "other": "o-mn-02",
                 "person": person("Deuxterritoires", "o-vsp-03", also="o-mn-03"), "job": "o-mn-03",
                 "partner": person("Partenaireboth", "o-mn-04")},
    }


def _hsds_json(app, graph, organisation_name: str) -> bytes:
    """An HSDS package holding one of our organisations (as a form may have renamed it), renamed."""
    import json

    from interop.hsds import writing
    from tests.hsds_helpers import export

    document = writing.json_document(export(app, graph))
    document["contents"] = [o for o in document["contents"] if o["name"] in (organisation_name,
                                                                             organisation_name + " ✓")]
    document["contents"][0]["name"] += " (importée)"
    return json.dumps(document).encode()


def _territory_writes(app, demo, graph, role, rec) -> list[tuple[str, str, dict]]:
    """(name, url, form data) of every write, in an order where each still applies after the previous ones."""
    import base64

    t, org = rec["territory"], rec["organisation"]
    org_name = next(o["name"] for o in demo.organisations if o["id"] == org)
    service = next(s["id"] for s in demo.services if s["organisation"] == org)
    email = graph.execute_query("MATCH (p:Person {id: $id}) RETURN p.email AS e", id=rec["person"]).records[0]["e"]
    organisation = {"name": f"Nouvelle {role}", "sector": "family", "kind": "community", "territory": t,
                    "served": [t], "postal_code": POSTAL[t], "languages": ["fr"]}

    def csv(kind, text):
        return {"kind": kind, "content": base64.b64encode(text.encode()).decode()}

    return [
        ("new organisation", "/repertoire/organisations/nouvelle", organisation),
        ("edit organisation", f"/repertoire/organisations/{org}/modifier", {**organisation, "name": org_name + " ✓"}),
        ("new service", f"/repertoire/organisations/{org}/services/nouveau", {"name": "Service ajouté"}),
        ("edit service", f"/repertoire/services/{service}/modifier", {"name": "Service modifié"}),
        ("new person", "/repertoire/personnes/nouvelle", {"name": "Nouvelle", "kind": "intervenant",
                                                          "organisation": rec["other"], "since": "2024-01-01",
                                                          "email": f"nouvelle.{role}@exemple.org"}),
        ("edit person", f"/repertoire/personnes/{rec['person']}/modifier", {"name": "Nom modifié", "email": email}),
        ("add job", f"/repertoire/personnes/{rec['person']}/emplois", {"organisation": rec["other"],
                                                                       "since": "2025-01-01"}),
        ("new tie", "/repertoire/liens/nouveau", {"person_a": rec["person"], "person_b": rec["partner"],
                                                  "since": "2025-01-01", "origin": "declared", "level": "networking"}),
        ("CSV participants", "/repertoire/import/confirmer",
         csv("participants", f"nom;courriel;telephone;organisation;territoire\nPar CSV;{email};;{rec['job']};{t}\n")),
        ("CSV organisations", "/repertoire/import/confirmer",
         csv("organisations", f"nom;territoire;secteur;code_postal;telephone\n{org_name} ✓;{t};family;"
                              f"{POSTAL[t]};514 555-0199\n")),
        ("HSDS JSON", "hsds", {"package": _hsds_json(app, graph, org_name),
                               "territory": "mn" if role == "coordinator" else ""}),
        ("end job", f"/repertoire/personnes/{rec['person']}/emplois/fin", {"organisation": rec["job"],
                                                                           "until": "2025-06-30"}),
    ]


def _write(client, url: str, data: dict):
    import io

    if url != "hsds":
        return client.post(url, data=data)
    client.post("/hsds/import", data={**data, "package": (io.BytesIO(data["package"]), "paquet.json"),
                                      "sector": "community_other", "kind": "community"},
                content_type="multipart/form-data")
    with client.session_transaction() as session:
        token = session.get("hsds_upload", {}).get("token", "none")
    return client.post("/hsds/import/confirmer", data={"token": token})


@pytest.mark.parametrize("role, record", sorted(RECORD_ALLOWED))
def test_every_write_by_the_records_current_territory(app, demo, neo4j_driver, client, role, record):
    rec = _records(demo, neo4j_driver)[record]
    _login(client, role)
    allowed = RECORD_ALLOWED[role, record]
    wrong = []
    for name, url, data in _territory_writes(app, demo, neo4j_driver, role, rec):
        before = graph_fingerprint(neo4j_driver)
        status = _write(client, url, data).status_code
        changed = graph_fingerprint(neo4j_driver) != before
        if (status, changed) != ((302, True) if allowed else (403, False)):
            wrong.append(f"{role} → {record} record, {name}: {status}, graph {'changed' if changed else 'same'}")
    assert not wrong, "\n".join(wrong)
