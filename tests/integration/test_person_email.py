"""One person per e-mail: the person_email constraint, and every place people are created or changed
refusing a taken address cleanly — even one taken by a transaction that commits in the meantime."""

from __future__ import annotations

import base64
import csv
import threading
import time
from contextlib import contextmanager
from datetime import date

import pytest
from neo4j.exceptions import ConstraintError

from graph.repositories.people import PersonRepository
from graph.repositories.staff import StaffRepository
from tests.conftest import graph_fingerprint
from tests.hsds_helpers import new_installation, run_import, write_export
from tests.integration.test_directory_import import participants

TAKEN = "Ce courriel ne peut pas être utilisé ; vérifiez-le ou écrivez à votre coordination."


def people_with(graph, email: str) -> list[str]:
    records, _, _ = graph.execute_query("MATCH (p:Person {email: $email}) RETURN p.id AS id ORDER BY id", email=email)
    return [r["id"] for r in records]


@contextmanager
def taken_meanwhile(graph, email: str):
    """Another transaction creates a person with `email` and commits only once a request, started in the
    block with `run`, waits on the constraint's lock: the request's own checks cannot have seen it."""
    with graph.session() as session:
        tx = session.begin_transaction()
        tx.run("CREATE (:Person {id: 'p-meanwhile', name: 'Entre-temps', email: $email})", email=email).consume()
        outcome = {}

        def run(request):
            thread = threading.Thread(target=lambda: outcome.setdefault("response", request()))
            thread.start()
            deadline = time.monotonic() + 10
            while not blocked(graph) and time.monotonic() < deadline:
                time.sleep(0.05)
            outcome["blocked"] = blocked(graph)
            tx.commit()
            thread.join(10)
            return outcome

        yield run


def blocked(graph) -> bool:
    records, _, _ = graph.execute_query(
        "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n")
    return records[0]["n"] > 0


def without_meanwhile(graph):
    graph.execute_query("MATCH (p:Person {id: 'p-meanwhile'}) DETACH DELETE p")
    return graph_fingerprint(graph)


def test_the_graph_refuses_a_second_person_with_an_email_but_not_people_without_one(demo, graph):
    taken = next(p["email"] for p in demo.people if p.get("email"))
    with pytest.raises(ConstraintError):
        graph.execute_query("CREATE (:Person {id: 'p-twin', email: $email})", email=taken)
    graph.execute_query("CREATE (:Person {id: 'p-none-1'}), (:Person {id: 'p-none-2'})")
    assert people_with(graph, taken) == [next(p["id"] for p in demo.people if p.get("email") == taken)]


def test_the_directory_form_refuses_an_email_taken_in_any_case(demo, graph, client, auth):
    auth.as_role("coordinator")
    taken = next(p for p in demo.people if p.get("email"))
    before = graph_fingerprint(graph)
    response = client.post("/repertoire/personnes/nouvelle", data={"languages": ["fr"],
        "name": "Homonyme", "kind": "intervenant", "organisation": "o-mn-02", "since": "2024-09-01",
        "email": taken["email"].upper()})
    assert response.status_code == 200 and TAKEN in response.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


def test_the_directory_form_refuses_an_email_taken_while_it_saves(demo, graph, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    with taken_meanwhile(graph, "nouvelle.venue@exemple.org") as run:
        outcome = run(lambda: client.post("/repertoire/personnes/nouvelle", data={"languages": ["fr"],
            "name": "Nouvelle Venue", "kind": "intervenant", "organisation": "o-mn-02", "since": "2024-09-01",
            "email": "Nouvelle.Venue@exemple.org"}))
    assert outcome["blocked"], "the form's write should have waited on the constraint"
    response = outcome["response"]
    assert response.status_code == 200 and TAKEN in response.get_data(as_text=True)
    assert people_with(graph, "nouvelle.venue@exemple.org") == ["p-meanwhile"]
    assert without_meanwhile(graph) == before


def test_a_csv_import_refuses_an_email_taken_while_it_writes(demo, graph, client, auth):
    auth.as_role("coordinator")
    text = participants(demo, "Awa Diallo;awa.diallo@exemple.org;514 555-0161;{org};Montréal-Nord;"
                              "intervenant_communautaire;fr;oui;2024-09-01",
                        "Élodie Bérubé;elodie.berube@exemple.org;;{org};Montréal-Nord;agent_efc;fr;oui;2024-09-01")
    content = base64.b64encode(text.encode("utf-8-sig")).decode()
    before = graph_fingerprint(graph)
    with taken_meanwhile(graph, "elodie.berube@exemple.org") as run:
        outcome = run(lambda: client.post("/repertoire/import/confirmer",
                                          data={"kind": "participants", "content": content}))
    assert outcome["blocked"], "the import's write should have waited on the constraint"
    response = outcome["response"]
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Rien n&#39;a été importé" in page
    # the preview now sees her: a person working nowhere, not this coordinator's (the neutral message says so)
    assert 'class="row-reject"' in page and TAKEN in page
    assert people_with(graph, "elodie.berube@exemple.org") == ["p-meanwhile"]
    assert people_with(graph, "awa.diallo@exemple.org") == []  # all or nothing
    assert without_meanwhile(graph) == before


def test_the_profile_refuses_someone_elses_email(demo, graph, client, auth):
    auth.login()
    someone_else = next(p for p in demo.people[1:] if p.get("email"))
    before = graph_fingerprint(graph)
    response = client.post("/profil/modifier", data={"email": someone_else["email"].title(), "languages": ["fr"]})
    assert response.status_code == 200 and TAKEN in response.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


def test_an_erased_persons_email_can_be_given_again(demo, graph):
    erased = next(p for p in demo.people if p.get("email"))
    assert PersonRepository(graph).erase(erased["id"])
    newcomer = StaffRepository(graph).create({"name": "Nouvelle", "email": erased["email"]}, "intervenant",
                                             "o-mn-02", date(2024, 9, 1), "test")
    assert people_with(graph, erased["email"]) == [newcomer]


def test_an_hsds_package_gives_an_email_to_one_contact_only(app, demo, tmp_path):
    driver = app.extensions["neo4j"]
    folder = write_export(app, driver, tmp_path / "pkg")
    with open(folder / "contacts.csv", encoding="utf-8", newline="") as handle:
        contacts = list(csv.DictReader(handle))
    contacts[1]["email"] = contacts[0]["email"].upper()
    with open(folder / "contacts.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(contacts[0]))
        writer.writeheader()
        writer.writerows(contacts)
    new_installation(driver)

    result = run_import(app, driver, folder)

    skipped = [i for i in result.plan.items if i["entity"] == "contact" and i["action"] == "skip"]
    assert [i["reason"] for i in skipped] == ["same_email_in_package"]
    assert len(people_with(driver, contacts[0]["email"].lower())) == 1
