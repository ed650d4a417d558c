"""A cohort opened by mistake is renamed, moved or deleted until one of its sessions is held; a held cohort keeps
its dates; the evaluation marks what is still to come instead of showing today's figures as « après »."""

from datetime import timedelta

from referral import clock
from tests.conftest import graph_fingerprint
from tests.integration.test_program_upkeep import COHORT_3, cohort_3  # noqa: F401 (a fixture)


def count(graph, query, **params):
    return graph.execute_query(query, **params).records[0][0]


def test_a_cohort_is_renamed_and_moved_with_its_sessions_inside(cohort_3, graph):  # noqa: F811
    cohort = count(graph, "MATCH (c:Cohort {name: 'Cohorte 3'}) RETURN c.id")
    page = cohort_3.get(f"/seances/cohortes/{cohort}/modifier").get_data(as_text=True)
    assert "Supprimer la cohorte" in page
    # the sessions (monthly from 2027-01-10) would fall outside: refused, nothing written
    before = graph_fingerprint(graph)
    refused = cohort_3.post(f"/seances/cohortes/{cohort}/modifier",
                            data={"name": "Cohorte 3", "start": "2027-02-01", "end": "2027-08-31"})
    assert refused.status_code == 200 and "hors de ces dates" in refused.get_data(as_text=True)
    assert graph_fingerprint(graph) == before
    assert cohort_3.post(f"/seances/cohortes/{cohort}/modifier", data={
        "name": "Cohorte Nord 2027", "start": "2027-01-01", "end": "2027-09-30"}).status_code == 302
    assert count(graph, "MATCH (c:Cohort {id: $id}) RETURN c.name + ' ' + toString(c.start)",
                 id=cohort) == "Cohorte Nord 2027 2027-01-01"
    names = cohort_3.post(f"/seances/cohortes/{cohort}/modifier",
                          data={"name": "cohorte 1", "start": "2027-01-01", "end": "2027-09-30"})
    assert "porte déjà ce nom" in names.get_data(as_text=True)


def test_a_held_cohort_keeps_its_dates_and_stays(demo, client, auth, graph):
    auth.as_role("admin")
    before = graph_fingerprint(graph)
    moved = client.post("/seances/cohortes/cohort-1/modifier",
                        data={"name": "Cohorte 1", "start": "2022-10-01", "end": "2023-04-30"})
    assert moved.status_code == 200 and "Des séances de cette cohorte ont eu lieu" in moved.get_data(as_text=True)
    deleted = client.post("/seances/cohortes/cohort-1/supprimer", follow_redirects=True)
    assert "Des séances de cette cohorte ont eu lieu" in deleted.get_data(as_text=True)
    assert graph_fingerprint(graph) == before
    assert client.post("/seances/cohortes/cohort-1/modifier", data={
        "name": "Cohorte 1 (2022-2023)", "start": "2022-11-01", "end": "2023-04-30"}).status_code == 302


def test_a_cohort_opened_by_mistake_is_deleted_with_its_sessions(cohort_3, graph):  # noqa: F811
    cohort = count(graph, "MATCH (c:Cohort {name: 'Cohorte 3'}) RETURN c.id")
    response = cohort_3.post(f"/seances/cohortes/{cohort}/supprimer", follow_redirects=True)
    assert "Cohorte supprimée" in response.get_data(as_text=True)
    assert count(graph, "MATCH (c:Cohort {id: $id}) RETURN count(c)", id=cohort) == 0
    assert count(graph, "MATCH (s:Session) WHERE s.id STARTS WITH 'mn-c' RETURN count(s)") == 0
    assert count(graph, "MATCH (t:Territory {id: 'mn'}) RETURN t.cohort") == 1  # its first cohort, as before


def test_another_territorys_coordinator_may_not_change_a_cohort(demo, client, auth, graph):
    auth.as_role("coordinator")  # Montréal-Nord's; cohort 2 is Anjou, Pierrefonds, Côte-des-Neiges
    before = graph_fingerprint(graph)
    assert client.get("/seances/cohortes/cohort-2/modifier").status_code == 404
    assert client.post("/seances/cohortes/cohort-2/supprimer").status_code == 404
    assert client.get("/seances/cohortes/cohort-1/modifier").status_code == 403  # also Villeray, Ahuntsic
    assert client.post("/seances/cohortes/cohort-1/supprimer").status_code == 403
    assert graph_fingerprint(graph) == before


def test_an_ongoing_cohort_says_after_is_to_come(demo, client, auth):
    auth.as_role("coordinator")
    start = clock.today() - timedelta(days=40)
    assert client.post("/api/v1/cohorts", json={"name": "Cohorte en cours", "territories": ["mn"],
                                                "start": start.isoformat(),
                                                "end": (start + timedelta(days=200)).isoformat()}).status_code == 201
    client.post("/api/v1/cohorts/cohort-3/sessions", json={"template": "ei"})
    auth.logout()
    auth.as_role("evaluator")
    body = client.get("/api/v1/evaluation/scopes/cohort-3").json
    snapshots = {s["name"]: s["reached"] for s in body["snapshots"]}
    assert snapshots == {"before": True, "after": False, "now": True}
    assert [s["name"] for s in body["curve"]] == ["before", "s1", "s2"]  # held so far, monthly from the start
    assert [c["reached"] for c in body["changes"]] == [False, True]  # before → after (to come), after → now
    page = client.get("/evaluation/cohort-3").get_data(as_text=True)
    assert page.count("à venir : chiffres d") >= 3  # the column, its change, the ties row
    assert "après : à venir" in client.get("/evaluation/").get_data(as_text=True)
