"""Reference data (issue 14): `flask --app app seed reference` writes the needs, the six territories with their
polygons and the postal areas, idempotently; run time reads them from the graph, never from seed/."""

from __future__ import annotations

import json

from graph.repositories import places
from graph.repositories.organisations import OrganisationRepository
from graph.repositories.places import PlacesRepository
from seed.reference.taxonomy import NEED_IDS
from seed.reference.territories import TERRITORY_IDS, fsa_table
from tests.conftest import graph_fingerprint
from tests.hsds_helpers import export
from tests.integration.test_directory import organisation_form

# A small square south-west of the island, far from every TIP.
ELSEWHERE = {"type": "Polygon",
             "coordinates": [[[-73.96, 45.39], [-73.94, 45.39], [-73.94, 45.41], [-73.96, 45.41], [-73.96, 45.39]]]}


def _count(driver, label: str) -> int:
    return driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS n").records[0]["n"]


def test_seed_reference_fills_an_empty_graph_once(graph, runner):
    result = runner.invoke(args=["seed", "reference"])
    assert result.exit_code == 0, result.output
    assert f"{len(NEED_IDS)} needs, 6 territories, {len(fsa_table())} postal areas" in result.output
    territories = graph.execute_query(
        "MATCH (t:Territory) RETURN t.id AS id, t.geometry AS geometry, t.centroid AS centroid").records
    assert sorted(t["id"] for t in territories) == sorted(TERRITORY_IDS)
    assert all(json.loads(t["geometry"])["type"] in ("Polygon", "MultiPolygon") for t in territories)
    assert {r["id"] for r in graph.execute_query("MATCH (n:Need) RETURN n.id AS id").records} == set(NEED_IDS)
    areas = PlacesRepository(graph).postal_areas()
    assert areas == fsa_table()
    mn_area = graph.execute_query("MATCH (a:PostalArea {code: 'H1G'}) RETURN a.territory AS t").records[0]["t"]
    assert mn_area == "mn"
    assert _count(graph, "Person") == _count(graph, "User") == _count(graph, "Organisation") == 0
    # Each polygon holds its own centroid, read back from the graph.
    shapes = PlacesRepository(graph).territory_shapes()
    for territory in territories:
        centroid = territory["centroid"]
        assert PlacesRepository(graph).territory_at(centroid.y, centroid.x) == territory["id"]
        assert shapes[territory["id"]].is_valid

    before = graph_fingerprint(graph)
    again = runner.invoke(args=["seed", "reference"])
    assert again.exit_code == 0, again.output
    assert graph_fingerprint(graph) == before


def _move_mn_elsewhere(driver) -> None:
    """Rewrite Montréal-Nord's stored polygon, as seeding new reference data would, and forget what was read."""
    driver.execute_query("MATCH (t:Territory {id: 'mn'}) SET t.geometry = $geometry", geometry=json.dumps(ELSEWHERE))
    places.clear()


def test_the_polygons_are_read_from_the_graph(demo, graph, app, client, auth):
    organisation = next(o for o in demo.organisations if o["territory"] == "mn")
    point = (organisation["latitude"], organisation["longitude"])
    assert PlacesRepository(graph).territory_at(*point) == "mn"
    auth.as_role("coordinator")
    drawn = client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    assert "-73.96" not in drawn

    _move_mn_elsewhere(graph)

    assert PlacesRepository(graph).territory_at(*point) is None
    assert PlacesRepository(graph).territory_at(45.40, -73.95) == "mn"
    drawn = client.get("/territoires/mn/carte/plan").get_data(as_text=True)
    assert "[-73.96, 45.39]" in drawn and "[-73.94, 45.41]" in drawn
    overview = client.get("/territoires/carte").get_data(as_text=True)
    assert "[-73.96, 45.39]" in overview
    # The HSDS export's service areas give the polygon as the graph holds it.
    areas = [a for a in export(app, graph)["service_area"] if a["name"] == "Montréal-Nord"]
    assert areas and {a["extent"] for a in areas} == {json.dumps(ELSEWHERE, separators=(",", ":"))}


def test_the_directory_warns_against_the_graphs_polygon(demo, graph, client, auth):
    """An organisation of Montréal-Nord placed at its postal area: in the territory as seeded; outside it once
    the stored polygon has moved (the rule is the directory service's, reading the graph)."""
    auth.as_role("coordinator")
    page = client.post("/repertoire/organisations/nouvelle", data=organisation_form(), follow_redirects=True)
    assert "le point est hors du territoire" not in page.get_data(as_text=True)

    _move_mn_elsewhere(graph)
    page = client.post("/repertoire/organisations/nouvelle",
                       data=organisation_form(name="Maison de la famille du Nord"), follow_redirects=True)
    assert "le point est hors du territoire" in page.get_data(as_text=True)
    saved = [o for o in OrganisationRepository(graph).list("mn") if o["name"] == "Maison de la famille du Nord"]
    assert len(saved) == 1  # a warning only: the organisation is saved where its postal area is


def _content(driver) -> tuple[list, list]:
    """The graph as data, whatever the order it was written in: nodes by labels and properties, relationships
    by their ends' keys. Salted password hashes and write times differ between two loads by design."""
    def plain(props: dict) -> dict:
        return {k: ("<time>" if hasattr(v, "tzinfo") else v) for k, v in props.items() if k != "password_hash"}

    records, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    nodes = sorted(repr((sorted(r["labels"]), sorted(plain(r["props"]).items()))) for r in records)
    records, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN coalesce(a.id, a.code, a.email) AS a, type(r) AS type, "
        "coalesce(b.id, b.code, b.email) AS b, properties(r) AS props")
    rels = sorted(repr((r["a"], r["type"], r["b"], sorted(plain(r["props"]).items()))) for r in records)
    return nodes, rels


def test_reference_then_demo_is_the_demo_alone(graph, runner):
    """A real installation loads `seed reference`; trying the demo on top of it must give the demo exactly."""
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    alone = _content(graph)
    graph.execute_query("MATCH (n) DETACH DELETE n")
    places.clear()
    for command in (["seed", "reference"], ["seed", "demo"]):
        assert runner.invoke(args=command).exit_code == 0
    assert _content(graph) == alone
