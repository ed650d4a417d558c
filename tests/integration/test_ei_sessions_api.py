"""The sessions through the API (issue 18): the shapes the issue names, answers that match the OpenAPI
document, the same rules as the pages, errors in the usual envelope."""

import jsonschema
import pytest

from tests.conftest import graph_fingerprint
from tests.integration.test_api_contract import json_schema, response_schema
from tests.integration.test_ei_sessions import present, workers_of


def test_attendance_and_ties_as_documented(demo, graph, client, auth, spec):
    auth.as_role("coordinator")
    listed = client.get("/api/v1/sessions")
    jsonschema.validate(listed.json, response_schema(spec, "/api/v1/sessions", "get", "200"))
    assert {s["territory"] for s in listed.json["sessions"]} == {"mn"}
    mn = workers_of(demo, "mn")[:8]
    put = client.put("/api/v1/sessions/mn-s1/attendance", json={"people": mn, "parents": 2})
    assert put.status_code == 200, put.json
    jsonschema.validate(put.json, response_schema(spec, "/api/v1/sessions/{id}", "get", "200"))
    assert put.json["present"] == 8 and put.json["parents"] == 2 and present(graph, "mn-s1") == sorted(mn)
    tied = {frozenset((t["a"], t["b"])) for t in demo.knows}
    pairs = [[a, b] for i, a in enumerate(mn) for b in mn[i + 1:] if frozenset((a, b)) not in tied][:6]
    made = client.post("/api/v1/sessions/mn-s1/ties", json={"pairs": pairs})
    assert made.status_code == 200 and made.json == {"created": 6}
    assert client.post("/api/v1/sessions/mn-s1/ties", json={"pairs": pairs}).json == {"created": 0}
    records, _, _ = graph.execute_query(
        "MATCH ()-[k:KNOWS {session: 'mn-s1', origin: 'ei_session'}]->() WHERE k.since = date('2022-11-16') "
        "RETURN count(k) AS n")
    assert records[0]["n"] >= 6


@pytest.mark.parametrize("method, path, body, status, field", [
    ("put", "/api/v1/sessions/mn-s2/attendance", {"people": "p-1", "parents": 0}, 400, "people"),
    ("put", "/api/v1/sessions/mn-s2/attendance", {"people": [], "parents": "2"}, 400, "parents"),
    ("put", "/api/v1/sessions/mn-s2/attendance", {"people": [], "parents": 201}, 422, "parents"),
    ("put", "/api/v1/sessions/mn-s2/attendance", {"people": [1], "parents": 0}, 400, "people"),
    ("put", "/api/v1/sessions/mn-s2/attendance", {"parents": 0}, 400, "people"),
    ("put", "/api/v1/sessions/mn-s2/attendance", {"people": ["nobody"], "parents": 0}, 422, "people"),
    ("post", "/api/v1/sessions/mn-s2/ties", {"pairs": [["a", "b", "c"]]}, 422, "pairs"),
    ("post", "/api/v1/sessions/mn-s2/ties", {"pairs": [["a", "b"]]}, 422, "pairs"),
    ("post", "/api/v1/sessions/mn-s2/ties", [1, 2], 400, "body"),
])
def test_bad_bodies_are_refused_in_the_envelope_changing_nothing(demo, graph, client, auth, spec, method, path, body,
                                                                 status, field):
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    response = getattr(client, method)(path, json=body)
    assert response.status_code == status and field in response.json["error"]["fields"], response.json
    # Found by the outside pass: the messages were marshmallow's English ("Must be greater than…").
    assert not any(word in str(response.json["error"]) for word in ("Must", "Not a valid", "Missing data"))
    jsonschema.validate(response.json, json_schema({"$ref": "#/components/schemas/Error",
                                                    "components": spec["components"]}))
    assert graph_fingerprint(graph) == before


def test_other_territories_and_other_roles_are_refused(demo, graph, client, auth):
    auth.as_role("coordinator")
    assert client.get("/api/v1/sessions/vsp-s1").status_code == 404
    assert client.put("/api/v1/sessions/vsp-s1/attendance", json={"people": [], "parents": 0}).status_code == 404
    auth.logout()
    auth.as_role("intervenant")
    assert client.get("/api/v1/sessions").status_code == 403
    assert client.put("/api/v1/sessions/mn-s1/attendance", json={"people": [], "parents": 0}).status_code == 403
    auth.logout()
    auth.as_role("admin")
    assert {s["territory"] for s in client.get("/api/v1/sessions").json["sessions"]} >= {"mn", "vsp", "cdn"}


def test_cohorts_through_the_api(demo, graph, client, auth, spec):
    """POST /api/v1/cohorts and /cohorts/{id}/sessions as the issue names them; the new cohort is an evaluation
    scope at once."""
    auth.as_role("coordinator")
    listed = client.get("/api/v1/cohorts")
    jsonschema.validate(listed.json, response_schema(spec, "/api/v1/cohorts", "get", "200"))
    assert [c["id"] for c in listed.json["cohorts"]] == ["cohort-1"]  # Montréal-Nord's only
    made = client.post("/api/v1/cohorts", json={"name": "Cohorte 3", "territories": ["mn"], "start": "2027-01-10",
                                                "end": "2027-08-31"})
    assert made.status_code == 201, made.json
    jsonschema.validate(made.json, response_schema(spec, "/api/v1/cohorts", "post", "201"))
    assert made.json["id"] == "cohort-3" and made.json["sessions"] == 0
    six = client.post("/api/v1/cohorts/cohort-3/sessions", json={"template": "ei"})
    assert six.status_code == 201 and len(six.json["sessions"]) == 6
    jsonschema.validate(six.json, response_schema(spec, "/api/v1/cohorts/{id}/sessions", "post", "201"))
    one = client.post("/api/v1/cohorts/cohort-3/sessions", json={"number": 7, "date": "2027-08-20",
                                                                  "theme": "Retrouvailles"})
    assert one.status_code == 201 and one.json["sessions"][0]["id"] == "mn-c3-s7"
    late = client.post("/api/v1/cohorts/cohort-3/sessions", json={"number": 8, "date": "2028-01-01", "theme": "Tard"})
    assert late.status_code == 422
    assert client.post("/api/v1/cohorts/cohort-3/sessions", json={"template": "autre"}).status_code == 422
    overlap = client.post("/api/v1/cohorts", json={"name": "Cohorte 4", "territories": ["mn"], "start": "2027-03-01",
                                                   "end": "2027-12-31"})
    assert overlap.status_code == 409 and "territories" in overlap.json["error"]["fields"]
    assert client.post("/api/v1/cohorts", json={"name": "X", "territories": "mn"}).status_code == 400
    auth.logout()
    auth.as_role("evaluator")
    scopes = {s["id"] for s in client.get("/api/v1/evaluation/scopes").get_json()["scopes"]}
    assert {"cohort-3", "cohort-3-mn"} <= scopes  # Montréal-Nord again, on cohort 3's dates
