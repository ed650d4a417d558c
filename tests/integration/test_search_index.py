"""The search projection (graph/search_index.py): built with the data, kept in step by every write.

Every test that writes also checks, when its `graph` fixture ends, that the projection matches the
graph (tests/conftest.py): a write path that forgot to refresh it fails there.
"""

from datetime import date

from graph import search_index
from graph.loader import load_network
from graph.repositories.staff import StaffRepository
from tests.conftest import graph_fingerprint


def entries(driver, person_id=None) -> list[dict]:
    with driver.session() as session:
        return [r["c"] for r in session.run(
            "MATCH (p:Person)-[c:CAN_HELP]->() WHERE $id IS NULL OR p.id = $id RETURN properties(c) AS c",
            id=person_id)]


def test_listed_people_are_found_by_their_expertise_and_their_services_in_their_territories(demo, graph):
    person = next(p for p in demo.people if p["listed"] and any(e["person"] == p["id"] for e in demo.expertise))
    job = next(w for w in demo.works_at if w["person"] == person["id"] and w["until"] is None)
    organisation = next(o for o in demo.organisations if o["id"] == job["organisation"])
    expertise = {e["need"] for e in demo.expertise if e["person"] == person["id"]}
    offered = {n for s in demo.services if s["organisation"] == organisation["id"] for n in s["needs"]}
    found = entries(graph, person["id"])
    assert {e["need"] for e in found} == expertise | offered
    assert {e["territory"] for e in found} == {organisation["territory"]}
    assert all(e["expert"] == (e["need"] in expertise) and e["offers"] == (e["need"] in offered) for e in found)
    assert all(e["organisation"] == organisation["id"] and e["located_in"] == organisation["territory"]
               for e in found)


def test_unlisted_people_and_former_staff_are_never_projected(demo, graph):
    unlisted = [p["id"] for p in demo.people if not p["listed"]]
    assert unlisted and all(entries(graph, person) == [] for person in unlisted)
    former = {w["organisation"] for w in demo.works_at if w["until"] is not None}
    assert not any(e["organisation"] in former and e["person"] == w["person"]
                   for w in demo.works_at if w["until"] is not None for e in entries(graph, w["person"]))


def test_a_job_at_an_organisation_without_territory_is_searchable_at_once(demo, graph):
    # Such an organisation comes from an HSDS import; the job is new even though it has no territory.
    person = next(p for p in demo.people if p["listed"] and any(e["person"] == p["id"] for e in demo.expertise))
    graph.execute_query("CREATE (:Organisation {id: 'o-nowhere', name: 'Organisme sans territoire'})")
    staff = StaffRepository(graph)
    assert staff.add_job(person["id"], "o-nowhere", date(2026, 1, 5), user="u-admin")
    assert not staff.add_job(person["id"], "o-nowhere", date(2026, 1, 6), user="u-admin")  # already works there
    assert {e["territory"] for e in entries(graph, person["id"]) if e["organisation"] == "o-nowhere"} \
        == {search_index.NO_TERRITORY}


def test_loading_the_same_network_again_changes_nothing(demo, graph):
    before = graph_fingerprint(graph)
    load_network(graph, demo)
    assert graph_fingerprint(graph) == before


def test_reindex_reports_and_repairs_a_projection_out_of_step(demo, graph, runner):
    assert runner.invoke(args=["graph", "reindex", "--check"]).exit_code == 0
    with graph.session() as session:
        session.run("MATCH ()-[c:CAN_HELP]->() WITH c LIMIT 3 DELETE c").consume()
        session.run("MATCH (p:Person {listed: true}) WITH p LIMIT 1 SET p.languages = ['fr', 'tet']").consume()
    check = runner.invoke(args=["graph", "reindex", "--check"])
    assert check.exit_code == 1 and "missing" in check.output and "outdated" in check.output
    repaired = runner.invoke(args=["graph", "reindex"])
    assert repaired.exit_code == 0 and "Search projection rebuilt" in repaired.output
    assert search_index.stale(graph) == []
    assert runner.invoke(args=["graph", "reindex", "--check"]).exit_code == 0


def test_graph_init_recomputes_the_entries_an_older_version_wrote(demo, graph, runner):
    # Before `spoken` and `served_in`, an entry held its languages as lists: a search for a language
    # would pass it by.
    person = next(p["id"] for p in demo.people if entries(graph, p["id"]))
    graph.execute_query("MATCH (:Person {id: $id})-[c:CAN_HELP]->() SET c.languages = ['fr'], "
                        "c.service_languages = ['fr'] REMOVE c.spoken, c.served_in", id=person)
    assert search_index.stale(graph)
    result = runner.invoke(args=["graph", "init"])
    assert result.exit_code == 0 and "recomputed: 1 person." in result.output
    assert not search_index.stale(graph)
    assert all(e["spoken"].startswith(" ") and "languages" not in e for e in entries(graph, person))
    assert "recomputed" not in runner.invoke(args=["graph", "init"]).output


def test_cells_are_the_same_in_cypher_and_python(demo, graph):
    for organisation in demo.organisations:
        for entry in [e for e in entries(graph) if e["organisation"] == organisation["id"]]:
            assert entry["cell"] == search_index.cell(organisation["latitude"], organisation["longitude"])


def test_a_block_of_cells_and_its_clearance():
    latitude, longitude = 45.5917, -73.6385
    cells, clearance_km = search_index.block(latitude, longitude, 1)
    assert len(cells) == 9 and search_index.cell(latitude, longitude) in cells
    # Just beyond the clearance in each direction, still inside; the block is about 1.5 km wide.
    assert 0.4 < clearance_km < 1.0
    step = clearance_km * 0.98 / 111.195
    for dlat, dlon in ((step, 0), (-step, 0), (0, step / 0.7), (0, -step / 0.7)):
        assert search_index.cell(latitude + dlat, longitude + dlon) in cells
