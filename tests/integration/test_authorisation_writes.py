"""Authorisation with the record's territory as a dimension: every write of the directory and of both
importers, by the Montréal-Nord coordinator, the coordinator of every territory and the admin, against a
record of Montréal-Nord, one of Villeray (VSP), or a person who works in both. Expected: (role, record) →
allowed (302, the graph changed) or refused (403, unchanged). Logging in is test_authorisation.py's."""

from __future__ import annotations

import pytest

from tests.conftest import graph_fingerprint
from tests.integration.test_authorisation import login_as

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
        ("new service", f"/repertoire/organisations/{org}/services/nouveau",
         {"name": "Service ajouté", "languages": ["fr"]}),
        ("edit service", f"/repertoire/services/{service}/modifier", {"name": "Service modifié", "languages": ["fr"]}),
        ("new person", "/repertoire/personnes/nouvelle", {"name": "Nouvelle", "kind": "intervenant",
                                                          "organisation": rec["other"], "since": "2024-01-01",
                                                          "email": f"nouvelle.{role}@exemple.org",
                                                          "languages": ["fr"]}),
        ("edit person", f"/repertoire/personnes/{rec['person']}/modifier", {"name": "Nom modifié", "email": email,
                                                                              "languages": ["fr"]}),
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
        ("archive service", f"/repertoire/services/{service}/archiver", {}),
        ("restore service", f"/repertoire/services/{service}/restaurer", {}),
        ("archive organisation", f"/repertoire/organisations/{rec['other']}/archiver", {}),
        ("restore organisation", f"/repertoire/organisations/{rec['other']}/restaurer", {}),
        ("archive person", f"/repertoire/personnes/{rec['partner']}/archiver", {}),
        ("restore person", f"/repertoire/personnes/{rec['partner']}/restaurer", {}),
        ("merge", f"/repertoire/personnes/{rec['person']}/fusionner/{rec['partner']}", {}),
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
    login_as(client, role)
    allowed = RECORD_ALLOWED[role, record]
    wrong = []
    for name, url, data in _territory_writes(app, demo, neo4j_driver, role, rec):
        before = graph_fingerprint(neo4j_driver)
        status = _write(client, url, data).status_code
        changed = graph_fingerprint(neo4j_driver) != before
        if (status, changed) != ((302, True) if allowed else (403, False)):
            wrong.append(f"{role} → {record} record, {name}: {status}, graph {'changed' if changed else 'same'}")
    assert not wrong, "\n".join(wrong)


# Running a survey wave, by the wave's territory: those who may open a wave for its group (policy.may_survey).
WAVE_ALLOWED = {("coordinator", "mn"): True, ("coordinator", "vsp"): False, ("coordinator_all", "vsp"): True,
                ("evaluator", "vsp"): True, ("admin", "vsp"): True}


@pytest.mark.parametrize("role, territory", sorted(WAVE_ALLOWED))
def test_every_wave_write_by_the_waves_territory(app, demo, neo4j_driver, client, role, territory):
    from datetime import timedelta

    from referral.auth.mail import wait_sent
    from tests.integration.test_waves import TODAY, members, open_wave

    upcoming = open_wave(neo4j_driver, territory, opens=TODAY + timedelta(days=2))["id"]
    running = open_wave(neo4j_driver, territory, opens=TODAY - timedelta(days=1))["id"]
    member = members(demo, territory)[0]["id"]
    if role == "evaluator":  # who sees pseudonyms names people by them, in forms and links too
        from analysis.pseudonyms import Pseudonyms
        member = Pseudonyms(app.config["SECRET_KEY"]).person(member)
    writes = [("remove member", f"/evaluation/vagues/{upcoming}/membres/{member}/retirer", {}),
              ("add member", f"/evaluation/vagues/{upcoming}/membres", {"person": member}),
              ("edit", f"/evaluation/vagues/{running}/modifier", {"title": "Renommée",
                                                                  "closes": (TODAY + timedelta(days=40)).isoformat()}),
              ("invite", f"/evaluation/vagues/{running}/invitations", {}),
              ("remind", f"/evaluation/vagues/{running}/relances", {}),
              ("close", f"/evaluation/vagues/{running}/fermer", {})]
    login_as(client, role)
    allowed = WAVE_ALLOWED[role, territory]
    wrong = []
    for name, url, data in writes:
        before = graph_fingerprint(neo4j_driver)
        status = client.post(url, data=data).status_code
        changed = graph_fingerprint(neo4j_driver) != before
        if (status, changed) != ((302, True) if allowed else (403, False)):
            wrong.append(f"{role} → {territory} wave, {name}: {status}, graph {'changed' if changed else 'same'}")
    wait_sent(app)
    assert not wrong, "\n".join(wrong)
