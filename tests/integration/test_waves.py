"""Network survey waves: opened by evaluators and coordinators, answered by the roster only,
figures per wave by hand, and a closed wave ending a declared tie."""

from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest

from analysis.pseudonyms import Pseudonyms
from analysis.survey_wave import wave_figures
from analysis.timeline import tie_changes
from graph.repositories.waves import WaveError, WaveRepository
from graph.timeline_reader import read_timeline
from referral import clock
from tests.conftest import graph_fingerprint
from tests.integration.test_evaluation_exports import personal_strings

TODAY = clock.today()
NOW = datetime.now(UTC)


def members(demo, territory="mn"):
    attended = {a["person"] for a in demo.attended if a["session"].startswith(f"{territory}-")}
    return sorted((p for p in demo.people if p["territory"] == territory and p["kind"] == "intervenant"
                   and p["research_consent"] and p["id"] in attended), key=lambda p: p["id"])


def open_wave(graph, territory="mn", opens=TODAY, closes=TODAY + timedelta(days=14)):
    return WaveRepository(graph).create(title="Printemps", scope=territory, territories=[territory], opens=opens,
                                        closes=closes, roster_rule="attended", created_by="u-demo-evaluator")


def knows_ties(graph):
    records, _, _ = graph.execute_query("MATCH ()-[k:KNOWS]->() RETURN k ORDER BY elementId(k)")
    return [dict(r["k"]) for r in records]


def test_an_evaluator_opens_a_wave_for_a_group(demo, graph, client, auth):
    auth.as_role("evaluator")
    response = client.post("/evaluation/vagues", data={
        "title": "Vague 1", "scope": "mn", "opens": TODAY.isoformat(),
        "closes": (TODAY + timedelta(days=10)).isoformat(), "roster_rule": "attended"})
    assert response.status_code == 302
    wave_id = response.headers["Location"].rsplit("/", 1)[1]
    wave = WaveRepository(graph).get(wave_id)
    assert wave["roster"] == len(members(demo)) and wave["territories"] == ["mn"]
    page = client.get(f"/evaluation/vagues/{wave_id}").data.decode()
    assert "0 (0 %)" in page.replace("\xa0", " ")
    assert not [s for s in personal_strings(demo) if s in page]


def test_a_coordinator_opens_waves_for_their_territory_only(demo, graph, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(graph)
    data = {"title": "Vague", "scope": "vsp", "opens": TODAY.isoformat(),
            "closes": (TODAY + timedelta(days=10)).isoformat(), "roster_rule": "working"}
    assert client.post("/evaluation/vagues", data=data).status_code == 200
    assert graph_fingerprint(graph) == before
    assert client.post("/evaluation/vagues", data=data | {"scope": "mn"}).status_code == 302


def test_bad_wave_input_changes_nothing(demo, graph, client, auth):
    auth.as_role("evaluator")
    before = graph_fingerprint(graph)
    response = client.post("/evaluation/vagues", data={"title": "", "scope": "mn", "opens": "2025-05-10",
                                                        "closes": "2025-05-01", "roster_rule": "attended"})
    assert response.status_code == 200 and "La fermeture doit suivre l'ouverture." in unescape(response.data.decode())
    with pytest.raises(WaveError):
        WaveRepository(graph).create(title="x", scope="x", territories=["nowhere"], opens=TODAY, closes=TODAY,
                                     roster_rule="attended", created_by=None)
    assert graph_fingerprint(graph) == before


def test_members_answer_save_and_come_back_without_touching_declared_ties(demo, graph, client, auth):
    wave = open_wave(graph)
    me, *others = members(demo)
    ties_before = knows_ties(graph)
    auth.login(me["email"], "demo-intervenant")
    listing = client.get("/evaluation/questionnaires").data.decode()
    assert wave["title"] in listing
    page = client.get(f"/evaluation/questionnaires/{wave['id']}").data.decode()
    assert all(other["name"] in page for other in others) and me["name"] not in page.split("<main")[1]
    rows = {}
    for i, other in enumerate(others):
        rows |= {f"rows-{i}-person": other["id"], f"rows-{i}-knows": "", f"rows-{i}-level": "", f"rows-{i}-trust": "",
                 f"rows-{i}-value": "", f"rows-{i}-knew_before": ""}
    rows |= {"rows-0-knows": "yes", "rows-0-level": "coordination", "rows-0-trust": "4", "rows-0-value": "3",
             "rows-0-knew_before": "no", "rows-1-knows": "no", "rows-1-knew_before": "yes"}
    response = client.post(f"/evaluation/questionnaires/{wave['id']}", data=rows)
    assert response.status_code == 302
    saved = {(a["b"], a["knows"], a["level"], a["trust"], a["value"], a["knew_before"])
             for a in WaveRepository(graph).responses(wave["id"])["answers"]}
    assert saved == {(others[0]["id"], True, "coordination", 4, 3, False),
                     (others[1]["id"], False, None, None, None, True)}
    # Coming back: the answers are there; clearing one removes it.
    page = client.get(f"/evaluation/questionnaires/{wave['id']}").data.decode()
    assert '<option selected value="coordination">' in page
    cleared = rows | {"rows-1-knows": "", "rows-1-knew_before": ""}
    response = client.post(f"/evaluation/questionnaires/{wave['id']}", data=cleared)
    assert response.status_code == 302
    assert len(WaveRepository(graph).responses(wave["id"])["answers"]) == 1
    assert knows_ties(graph) == ties_before


def test_someone_off_the_roster_cannot_answer(demo, graph, client, auth):
    wave = open_wave(graph)
    stranger = members(demo, "vsp")[0]
    before = graph_fingerprint(graph)
    auth.login(stranger["email"], "demo-intervenant")
    assert client.get(f"/evaluation/questionnaires/{wave['id']}").status_code == 403
    target = members(demo)[0]["id"]
    response = client.post(f"/evaluation/questionnaires/{wave['id']}",
                           data={"rows-0-person": target, "rows-0-knows": "yes", "rows-0-level": "none"})
    assert response.status_code == 403
    with pytest.raises(WaveError) as error:
        WaveRepository(graph).save_answers(wave["id"], stranger["id"], {target: {"knows": False}}, TODAY, NOW)
    assert error.value.code == "not_member"
    assert graph_fingerprint(graph) == before
    auth.logout()
    auth.as_role("evaluator")  # an account that is no one
    assert client.get(f"/evaluation/questionnaires/{wave['id']}").status_code == 403


def test_a_partial_answer_is_saved_and_taken_up_again(demo, graph, client, auth):
    """Issue 19: a « Oui » without its level blocked the whole save, though the page says « Enregistrez quand
    vous voulez »; details given after « Non » were refused instead of left aside."""
    wave = open_wave(graph)
    me, other, third, *_ = members(demo)
    auth.login(me["email"], "demo-intervenant")
    url = f"/evaluation/questionnaires/{wave['id']}"
    blank = {f"rows-{i}-{f}": "" for i in (0, 1) for f in ("knows", "level", "trust", "value", "knew_before")}
    assert client.post(url, data={**blank, "rows-0-person": other["id"], "rows-0-knows": "yes",
                                  "rows-1-person": third["id"], "rows-1-knows": "no", "rows-1-level": "coalition",
                                  "rows-1-trust": "3"}).status_code == 302
    answers = {r["b"]: r for r in graph.execute_query(
        "MATCH (a:Person {id: $me})-[r:RATED {wave: $wave}]->(b) RETURN b.id AS b, r.knows AS knows, "
        "r.level AS level, r.trust AS trust", me=me["id"], wave=wave["id"]).records}
    assert (answers[other["id"]]["knows"], answers[other["id"]]["level"]) == (True, None)
    assert (answers[third["id"]]["knows"], answers[third["id"]]["level"], answers[third["id"]]["trust"]) == (
        False, None, None)
    page = unescape(client.get(url).data.decode())
    assert "1 réponse à compléter" in page and "À compléter : le niveau de collaboration" in page
    assert "4 — beaucoup" in page  # each point of the scale said in words
    assert client.post(url, data={**blank, "rows-0-person": other["id"], "rows-0-knows": "yes",
                                  "rows-0-level": "coordination", "rows-1-person": third["id"],
                                  "rows-1-knows": "no"}).status_code == 302
    assert "à compléter" not in unescape(client.get(url).data.decode()).split("évaluées")[1][:40]


def test_an_incomplete_or_contradictory_answer_changes_nothing(demo, graph, client, auth):
    wave = open_wave(graph)
    me, other, *_ = members(demo)
    auth.login(me["email"], "demo-intervenant")
    before = graph_fingerprint(graph)
    for row in ({"rows-0-knows": "", "rows-0-trust": "2"},):  # details without the first answer
        response = client.post(f"/evaluation/questionnaires/{wave['id']}", data={"rows-0-person": other["id"], **row})
        assert response.status_code == 422
        assert "rien n'a été enregistré" in unescape(response.data.decode())
    response = client.post(f"/evaluation/questionnaires/{wave['id']}",
                           data={"rows-0-person": "p-999", "rows-0-knows": "no"})
    assert response.status_code == 422
    assert graph_fingerprint(graph) == before


def test_a_closed_wave_takes_no_answers(demo, graph, client, auth):
    wave = open_wave(graph, opens=date(2024, 1, 1), closes=date(2024, 2, 1))
    me, other, *_ = members(demo)
    auth.login(me["email"], "demo-intervenant")
    before = graph_fingerprint(graph)
    assert wave["title"] not in client.get("/evaluation/questionnaires").data.decode()
    page = client.get(f"/evaluation/questionnaires/{wave['id']}")
    assert page.status_code == 200 and "pas ouvert" in page.data.decode()
    response = client.post(f"/evaluation/questionnaires/{wave['id']}",
                           data={"rows-0-person": other["id"], "rows-0-knows": "no"})
    assert response.status_code == 409
    assert graph_fingerprint(graph) == before


def roster_of(graph, wave_id):
    return WaveRepository(graph).responses(wave_id)["roster"]


def test_wave_figures_by_hand(demo, graph):
    wave = open_wave(graph)
    repo = WaveRepository(graph)
    m = [p["id"] for p in members(demo)]
    yes = lambda level, trust=None, value=None, before=None: {  # noqa: E731
        "knows": True, "level": level, "trust": trust, "value": value, "knew_before": before}
    repo.save_answers(wave["id"], m[0], {m[1]: yes("coordination", 4, 3, True),
                                         m[2]: yes("cooperation", 2, None, False)}, TODAY, NOW)
    repo.save_answers(wave["id"], m[1], {m[0]: yes("networking", 3, 3, False), m[2]: {"knows": False}}, TODAY, NOW)
    repo.save_answers(wave["id"], m[2], {m[0]: {"knows": False, "knew_before": False}}, TODAY, NOW)
    repo.save_answers(wave["id"], m[3], {m[0]: yes("collaboration", 4, 4, False)}, TODAY, NOW)
    found = repo.responses(wave["id"])
    key = Pseudonyms("k")
    either = wave_figures(found["roster"], found["answers"], "either", key)
    both = wave_figures(found["roster"], found["answers"], "both", key)
    n = len(m)
    assert either["response"] == {"roster": n, "respondents": 4, "complete": 0, "rate": 4 / n, "complete_rate": 0.0}
    # either: m0–m1, m0–m2, m0–m3; both: m0–m1 only.
    assert either["figures"]["ties"] == 3 and both["figures"]["ties"] == 1
    assert either["figures"]["degree_centralisation"] == pytest.approx(sum(3 - d for d in [3, 1, 1, 1] + [0] * (n - 4))
                                                                        / ((n - 1) * (n - 2)))
    # Both answered about each other: m0–m1 (mutual) and m0–m2 (one-sided).
    assert either["reciprocity"] == {"mutual": 1, "asymmetric": 1, "rate": 0.5}
    # The level of a tie: the higher report under "either", the lower under "both".
    assert either["levels"]["coordination"] == 1 and both["levels"] == {**{k: 0 for k in both["levels"]},
                                                                        "networking": 1}
    # Before the program (retrospective), only m0 said they knew m1.
    assert either["baseline"]["ties"] == 1 and either["changes"] == {"new": 2, "kept": 1, "lost": 0}
    # Four ratings of trust from three people: under five raters, no mean is shown.
    assert either["trust"]["overall"] == {"mean": None, "raters": 3}
    assert all(v["mean"] is None for v in either["trust"]["by_organisation"].values())


def test_means_show_from_five_raters(demo, graph):
    wave = open_wave(graph)
    repo = WaveRepository(graph)
    target, *raters = [p["id"] for p in members(demo)]
    for rater, trust in zip(raters[:5], (4, 4, 3, 3, 2), strict=True):
        repo.save_answers(wave["id"], rater, {target: {"knows": True, "level": "none", "trust": trust}}, TODAY, NOW)
    found = repo.responses(wave["id"])
    key = Pseudonyms("k")
    figures = wave_figures(found["roster"], found["answers"], "either", key)
    assert figures["trust"]["overall"] == {"mean": pytest.approx(3.2), "raters": 5}
    assert figures["trust"]["by_territory"]["mn"] == {"mean": pytest.approx(3.2), "raters": 5}
    org = next(r["organisation"] for r in found["roster"] if r["id"] == target)
    assert figures["trust"]["by_organisation"][key.organisation(org)]["mean"] == pytest.approx(3.2)
    assert figures["value"]["overall"] == {"mean": None, "raters": 0}


def test_a_closed_wave_in_which_two_people_no_longer_know_each_other_ends_their_tie(demo, graph):
    wave = open_wave(graph, closes=TODAY + timedelta(days=3))
    m = {p["id"] for p in members(demo)}
    a, b = next((t["a"], t["b"]) for t in demo.knows if t["a"] in m and t["b"] in m)
    repo = WaveRepository(graph)
    repo.save_answers(wave["id"], a, {b: {"knows": False}}, TODAY, NOW)
    repo.save_answers(wave["id"], b, {a: {"knows": False}}, TODAY, NOW)
    timeline = read_timeline(graph)
    during, after = timeline.snapshot(TODAY), timeline.snapshot(TODAY + timedelta(days=4))
    change = tie_changes(during, after, ["before_ei", "ei_session", "declared", "referral"])
    assert change["lost"] == 1 and change["lost_by_reason"] == {"left": 0, "ended": 1}
    # The declared tie itself is untouched: its date stays what it was.
    records, _, _ = graph.execute_query("MATCH (x {id: $a})-[k:KNOWS]-(y {id: $b}) RETURN k.since AS since", a=a, b=b)
    assert records[0]["since"].to_native() == next(t["since"] for t in demo.knows if (t["a"], t["b"]) == (a, b))


def test_wave_api(demo, graph, client, auth):
    wave = open_wave(graph)
    auth.as_role("evaluator")
    listed = client.get("/api/v1/evaluation/waves").get_json()["waves"]
    assert [w["id"] for w in listed] == [wave["id"]] and listed[0]["respondents"] == 0
    found = client.get(f"/api/v1/evaluation/waves/{wave['id']}?rule=both").get_json()
    assert found["rule"] == "both" and found["response"]["roster"] == wave["roster"]
    assert client.get(f"/api/v1/evaluation/waves/{wave['id']}?rule=maybe").status_code == 422
    assert client.get("/api/v1/evaluation/waves/w-nope").status_code == 404


def test_a_no_row_saves_as_a_browser_sends_it(demo, graph, client, auth):
    """Found by the outside pass of issue 19: after « Non » the page disables level, trust and value, so the
    browser does not send them; the server read them as invalid (« Not a valid choice. », in English) and saved
    nothing. Absent is « sans réponse »; a forged value is refused in French."""
    wave = open_wave(graph)
    me, other, third, *_ = members(demo)
    auth.login(me["email"], "demo-intervenant")
    url = f"/evaluation/questionnaires/{wave['id']}"
    sent = {"rows-0-person": other["id"], "rows-0-knows": "yes", "rows-0-level": "coordination",
            "rows-0-trust": "3", "rows-0-value": "", "rows-0-knew_before": "",
            "rows-1-person": third["id"], "rows-1-knows": "no", "rows-1-knew_before": ""}
    assert client.post(url, data=sent).status_code == 302
    known = graph.execute_query("MATCH (:Person {id: $me})-[r:RATED {wave: $wave}]->(b) RETURN b.id AS b, "
                                "r.knows AS knows", me=me["id"], wave=wave["id"]).records
    assert {r["b"]: r["knows"] for r in known} == {other["id"]: True, third["id"]: False}
    forged = client.post(url, data={**sent, "rows-0-trust": "9"})
    assert forged.status_code == 422 and "Not a valid choice" not in forged.get_data(as_text=True)
