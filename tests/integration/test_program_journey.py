"""Running the program, not only replaying it (issue 18's « done when »): an admin makes a seventh territory
from two boroughs; its people are added to the directory; a coordinator opens cohort 3 there with the
program's six sessions, takes attendance at session 1 (8 workers, 2 parents) and records 6 first meetings;
the evaluation shows cohort 3 — no tie among them before, 6 after session 1 — with no code change."""

from datetime import timedelta

from referral import clock
from tests.integration.test_directory import organisation_form

BOROUGHS = ["Rosemont-La Petite-Patrie", "Le Plateau-Mont-Royal"]


def test_a_seventh_territory_runs_cohort_3_and_the_evaluation_follows(demo, graph, client, auth):
    auth.as_role("admin")
    assert client.post("/territoires/nouveau", data={"territory_id": "rpp", "name": "Rosemont–Plateau",
                                                     "boroughs": BOROUGHS}).status_code == 302
    response = client.post("/repertoire/organisations/nouvelle", data=organisation_form(
        name="Carrefour familial de Rosemont", territory="rpp", served=["rpp"], address="5350, rue Lafond",
        postal_code="H1X 2X2"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    organisation = response.headers["Location"].rsplit("/", 1)[-1]
    people = []
    for n in range(8):
        made = client.post("/repertoire/personnes/nouvelle", data={"languages": ["fr"],
            "name": f"Personne Rosemont {n}", "kind": "intervenant", "organisation": organisation,
            "since": "2024-01-01", "email": f"rosemont{n}@exemple.org", "listed": "y", "research_consent": "y"})
        assert made.status_code == 302
        people.append(made.headers["Location"].rsplit("/", 1)[-1])

    start = clock.today() - timedelta(days=10)
    opened = client.post("/seances/cohortes/nouvelle", data={
        "name": "Cohorte 3", "territories": ["rpp"], "start": start.isoformat(),
        "end": (start + timedelta(days=200)).isoformat(), "template": "y"})
    assert opened.status_code == 302
    page = client.get("/seances/").get_data(as_text=True)
    assert "Cohorte 3" in page and "6 séances" in page
    assert client.post("/seances/rpp-c3-s1", data={"people": people, "parents": "2"}).status_code == 302
    pairs = ["|".join(sorted((people[i], people[i + 1]))) for i in range(6)]
    assert client.post("/seances/rpp-c3-s1/liens", data={"pairs": pairs, "level": "networking"}).status_code == 302
    auth.logout()

    auth.as_role("evaluator")
    scopes = {s["id"] for s in client.get("/api/v1/evaluation/scopes").get_json()["scopes"]}
    assert {"cohort-3", "rpp"} <= scopes
    found = client.get("/api/v1/evaluation/scopes/cohort-3").get_json()
    before = next(s for s in found["snapshots"] if s["name"] == "before")
    assert before["figures"]["ties"] == 0
    curve = {stage["name"]: stage["figures"]["ties"] for stage in found["curve"]}
    assert curve["s1"] == 6
    assert "Cohorte 3" in client.get("/evaluation/").get_data(as_text=True)


def test_a_territory_takes_one_cohort_at_a_time_and_a_coordinator_opens_only_theirs(demo, graph, client, auth):
    auth.as_role("coordinator")  # Montréal-Nord's
    page = client.get("/seances/cohortes/nouvelle").get_data(as_text=True)
    assert 'value="mn"' in page and 'value="vsp"' not in page
    overlap = client.post("/seances/cohortes/nouvelle", data={
        "name": "Cohorte bis", "territories": ["mn"], "start": "2023-01-01", "end": "2023-09-01"})
    assert overlap.status_code == 200 and "Déjà dans une cohorte à ces dates" in overlap.get_data(as_text=True)
    elsewhere = client.post("/seances/cohortes/nouvelle", data={
        "name": "Cohorte bis", "territories": ["vsp"], "start": "2027-01-01", "end": "2027-09-01"})
    assert elsewhere.status_code == 200 and "pas pour : vsp" in elsewhere.get_data(as_text=True)
    short = client.post("/seances/cohortes/nouvelle", data={
        "name": "Cohorte 3", "territories": ["mn"], "start": "2027-01-01", "end": "2027-03-01", "template": "y"})
    assert "ne tiennent pas" in short.get_data(as_text=True)
    again = client.post("/seances/cohortes/nouvelle", data={
        "name": "Cohorte 3", "territories": ["mn"], "start": "2027-01-10", "end": "2027-09-01", "template": "y"})
    assert again.status_code == 302
    records, _, _ = graph.execute_query(
        "MATCH (s:Session)-[:OF]->(:Cohort {number: 3}) RETURN s.date AS day ORDER BY day")
    assert [str(r["day"]) for r in records] == ["2027-01-10", "2027-02-10", "2027-03-10", "2027-04-10",
                                                "2027-05-10", "2027-06-10"]


def test_the_report_tables_count_each_cohort_on_its_own_dates(demo, graph, client, auth):
    """Tables 2 and 3 for any cohort: Montréal-Nord taking part again is a row of cohort 3, counted at cohort 3's
    dates; cohorts 1 and 2 stay the report's (42 organisations, 56 workers); table 3 counts an organisation once."""
    auth.as_role("evaluator")
    before = client.get("/api/v1/evaluation/tables").get_json()
    auth.logout()
    auth.as_role("coordinator")
    assert client.post("/api/v1/cohorts", json={"name": "Cohorte 3", "territories": ["mn"], "start": "2026-01-05",
                                                "end": "2026-06-30"}).status_code == 201
    auth.logout()
    auth.as_role("evaluator")
    after = client.get("/api/v1/evaluation/tables").get_json()
    old = [r for r in after["table_2"] if r["cohort"] in (1, 2)]
    assert old == before["table_2"]
    again = next(r for r in after["table_2"] if r["cohort"] == 3)
    assert again["id"] == "mn" and again["organisations"] > 0
    assert after["table_3"] == before["table_3"]  # the same organisations, once each
