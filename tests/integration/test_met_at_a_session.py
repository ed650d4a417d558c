"""Each participant says whom they met at a session (issue 18): from « Mon réseau », the attendees they have no
tie with; the tie is born at the session, dated its day, and waits for the other's confirmation as declared
ties do; nobody declares a meeting at a session they or the other did not attend."""

from graph import search_index
from tests.conftest import graph_fingerprint


def _me_and_a_stranger_there(demo):
    me = next(u["person"] for u in demo.users if u["email"] == "intervenant@demo.reseau-ei.ca")
    linked = {frozenset((t["a"], t["b"])) for t in demo.knows}
    for session in (s["id"] for s in demo.sessions):
        came = {a["person"] for a in demo.attended if a["session"] == session}
        others = [p for p in sorted(came) if p != me and frozenset((me, p)) not in linked and p.startswith("p-")]
        if me in came and others:
            return me, session, others[0]
    raise AssertionError("the demo intervenant met everyone")


def test_a_participant_declares_a_meeting_the_other_confirms(demo, graph, client, auth):
    me, session, other = _me_and_a_stranger_there(demo)
    auth.login()
    page = client.get("/reseau/").get_data(as_text=True)
    assert "Mes séances EI" in page and f'value="{other}"' in page
    response = client.post(f"/reseau/seances/{session}", data={"people": [other]})
    assert response.status_code == 302
    records, _, _ = graph.execute_query(
        "MATCH (:Person {id: $me})-[k:KNOWS]-(:Person {id: $other}), (s:Session {id: $session}) "
        "RETURN k.origin AS origin, k.session AS session, k.since = s.date AS on_the_day, k.confirmed AS confirmed",
        me=me, other=other, session=session)
    assert records[0].data() == {"origin": "ei_session", "session": session, "on_the_day": True, "confirmed": False}
    auth.logout()

    email = next(u["email"] for u in demo.users if u["person"] == other)
    auth.login(email)
    assert "Liens à confirmer" in client.get("/reseau/").get_data(as_text=True)
    assert client.post(f"/reseau/liens/{me}/confirmer").status_code == 302
    records, _, _ = graph.execute_query("MATCH (:Person {id: $me})-[k:KNOWS]-(:Person {id: $other}) RETURN k",
                                        me=me, other=other)
    assert records[0]["k"]["confirmed"] is True and records[0]["k"]["origin"] == "ei_session"


def test_nobody_declares_a_meeting_at_a_session_one_of_them_missed(demo, graph, client, auth):
    me, session, _ = _me_and_a_stranger_there(demo)
    linked = {frozenset((t["a"], t["b"])) for t in demo.knows}
    mine = {a["session"] for a in demo.attended if a["person"] == me}
    missed, stranger = next((a["session"], a["person"]) for a in demo.attended
                            if a["session"] not in mine and a["person"].startswith("p-")
                            and frozenset((me, a["person"])) not in linked)
    auth.login()
    before = graph_fingerprint(graph)
    refused = client.post(f"/reseau/seances/{missed}", data={"people": [stranger]}, follow_redirects=True)
    assert "vous n&#39;étiez pas tous deux à cette séance" in refused.get_data(as_text=True)
    assert graph_fingerprint(graph) == before
    nothing = client.post(f"/reseau/seances/{session}", data={}, follow_redirects=True)
    assert "Cochez les personnes rencontrées" in nothing.get_data(as_text=True)


def test_an_unlisted_attendee_is_named_to_nobody(demo, graph, client, auth):
    """Read after review: « Mes séances EI » named every attendee, unlisted ones too."""
    _, _, other = _me_and_a_stranger_there(demo)
    name = next(p["name"] for p in demo.people if p["id"] == other)
    auth.login()
    assert f'value="{other}"' in client.get("/reseau/").get_data(as_text=True)
    graph.execute_query("MATCH (p:Person {id: $id}) SET p.listed = false", id=other)
    with graph.session() as session:
        session.execute_write(search_index.refresh_people, [other])
    page = client.get("/reseau/").get_data(as_text=True)
    assert f'value="{other}"' not in page and name not in page
