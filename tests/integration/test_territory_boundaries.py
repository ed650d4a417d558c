"""An admin makes a seventh territory from two boroughs, then reshapes it (issue 18): its polygon, centre and
postal areas follow from the City's limits; a borough belongs to one territory; the pages and the search
know it at once; bad input says why and changes nothing; only admins may."""

import json
import re

import pytest
from shapely.geometry import Point, shape

from graph.repositories.places import PlacesRepository
from tests.conftest import graph_fingerprint

NEW = {"territory_id": "rpp", "name": "Rosemont–Plateau", "boroughs": ["Rosemont-La Petite-Patrie",
                                                                        "Le Plateau-Mont-Royal"]}


def territory(graph, territory_id):
    records, _, _ = graph.execute_query("MATCH (t:Territory {id: $id}) RETURN t", id=territory_id)
    return records[0]["t"] if records else None


def areas_of(graph, territory_id):
    records, _, _ = graph.execute_query("MATCH (a:PostalArea {territory: $id}) RETURN a.code AS code ORDER BY code",
                                        id=territory_id)
    return [r["code"] for r in records]


def test_an_admin_makes_a_territory_from_boroughs_then_reshapes_it(demo, graph, client, auth):
    auth.as_role("admin")
    assert "Rosemont-La Petite-Patrie" in client.get("/territoires/nouveau").get_data(as_text=True)
    response = client.post("/territoires/nouveau", data=NEW)
    assert response.status_code == 302 and response.headers["Location"].endswith("/territoires/rpp/carte")
    made = territory(graph, "rpp")
    polygon = shape(json.loads(made["geometry"]))
    assert made["name"] == "Rosemont–Plateau" and made["boroughs"] == sorted(NEW["boroughs"])
    assert polygon.contains(Point(made["centroid"].x, made["centroid"].y))
    codes = areas_of(graph, "rpp")
    assert "H2G" in codes and "H2J" in codes  # Rosemont's and the Plateau's
    assert PlacesRepository(graph).territory_at(45.5372, -73.5916) == "rpp"  # read again at once
    page = client.get("/territoires/rpp/carte").get_data(as_text=True)
    assert "Pas encore de cohorte" in page and "Rosemont–Plateau" in client.get("/territoires/").get_data(as_text=True)
    # The six cohorts' figures are untouched: the new territory has nothing to compare yet.
    auth.logout()
    auth.as_role("evaluator")
    assert client.get("/evaluation/").status_code == 200 and client.get("/evaluation/rpp").status_code == 404
    auth.logout()

    auth.as_role("admin")
    response = client.post("/territoires/rpp/limites", data={"name": "Rosemont", "boroughs": [NEW["boroughs"][0]]})
    assert response.status_code == 302
    codes = areas_of(graph, "rpp")
    assert "H2G" in codes and "H2J" not in codes  # the Plateau's area left with its borough


@pytest.mark.parametrize("data, field, words", [
    ({**NEW, "territory_id": "Rosemont!"}, "territory_id", "lettres minuscules"),
    ({**NEW, "territory_id": "mn"}, "territory_id", "déjà cet identifiant"),
    ({**NEW, "boroughs": ["Anjou"]}, "boroughs", "Anjou (Anjou–Saint-Léonard)"),
    ({**NEW, "boroughs": []}, "boroughs", "au moins un arrondissement"),
    ({**NEW, "boroughs": ["Atlantis"]}, "boroughs", "au moins un arrondissement"),
    ({**NEW, "name": "R"}, "name", "2 à 80 caractères"),
])
def test_bad_territories_say_why_and_change_nothing(demo, graph, client, auth, data, field, words):
    auth.as_role("admin")
    before = graph_fingerprint(graph)
    response = client.post("/territoires/nouveau", data=data)
    assert response.status_code == 200 and words in response.get_data(as_text=True)
    assert graph_fingerprint(graph) == before


@pytest.mark.parametrize("role", ["coordinator", "coordinator_all", "intervenant", "evaluator"])
def test_only_admins_shape_territories(demo, graph, client, auth, role):
    auth.as_role(role)
    before = graph_fingerprint(graph)
    assert client.post("/territoires/nouveau", data=NEW).status_code == 403
    assert client.post("/territoires/mn/limites", data={"name": "X", "boroughs": ["Anjou"]}).status_code == 403
    assert graph_fingerprint(graph) == before


def test_seeding_the_reference_again_keeps_an_admins_territory(demo, graph, client, auth, runner):
    auth.as_role("admin")
    client.post("/territoires/nouveau", data=NEW)
    codes = areas_of(graph, "rpp")
    assert runner.invoke(args=["seed", "reference"]).exit_code == 0
    assert territory(graph, "rpp") is not None and areas_of(graph, "rpp") == codes


def test_a_territory_made_of_neighbourhoods_holds_them_alone(demo, graph, client, auth):
    """A team works with the City's neighbourhoods (tables de quartier): a territory of two of the Sud-Ouest's;
    then neither the whole borough nor one of its parts goes to another, and no part of a borough another
    territory holds."""
    auth.as_role("admin")
    page = client.get("/territoires/nouveau").get_data(as_text=True)
    assert "Saint-Henri (Le Sud-Ouest)" in page
    assert "Villeray (Villeray-Saint-Michel-Parc-Extension) — déjà dans" in page  # VSP holds the borough
    response = client.post("/territoires/nouveau", data={"territory_id": "shpb", "name": "Saint-Henri–Bourgogne",
                                                         "neighbourhoods": ["Saint-Henri", "Petite-Bourgogne"]})
    assert response.status_code == 302
    made = territory(graph, "shpb")
    assert made["boroughs"] == ["Petite-Bourgogne", "Saint-Henri"]
    assert PlacesRepository(graph).territory_at(45.4790, -73.5820) == "shpb"  # Saint-Henri's market
    assert PlacesRepository(graph).territory_at(45.4560, -73.5700) is None  # Verdun, next door
    edit = client.get("/territoires/shpb/limites").get_data(as_text=True)
    ticked = [re.search(r'name="(\w+)".*value="([^"]+)"', tag).groups()
              for tag in re.findall(r"<input[^>]*>", edit) if " checked" in tag and "checkbox" in tag]
    assert sorted(ticked) == [("neighbourhoods", "Petite-Bourgogne"), ("neighbourhoods", "Saint-Henri")]

    before = graph_fingerprint(graph)
    for data in ({"territory_id": "so", "name": "Sud-Ouest", "boroughs": ["Le Sud-Ouest"]},
                 {"territory_id": "sh2", "name": "Saint-Henri bis", "neighbourhoods": ["Saint-Henri"]},
                 {"territory_id": "vil", "name": "Villeray seul", "neighbourhoods": ["Villeray"]}):
        refused = client.post("/territoires/nouveau", data=data)
        assert refused.status_code == 200 and "Déjà dans un autre territoire" in refused.get_data(as_text=True), data
    assert graph_fingerprint(graph) == before
    assert client.post("/territoires/nouveau", data={"territory_id": "pstc", "name": "Pointe-Saint-Charles",
                                                     "neighbourhoods": ["Pointe Saint-Charles"]}).status_code == 302


def test_a_neighbourhood_with_its_own_borough_is_said_once(demo, graph, client, auth):
    """Found by the second outside pass (18d): a neighbourhood and its borough, in one territory, were taken
    without a word; and the message for an empty choice spoke of boroughs only."""
    auth.as_role("admin")
    before = graph_fingerprint(graph)
    both = client.post("/territoires/nouveau", data={"territory_id": "sud", "name": "Sud", "boroughs": ["Le Sud-Ouest"],
                                                      "neighbourhoods": ["Saint-Henri"]})
    assert "Quartier déjà compris dans un arrondissement choisi : Saint-Henri (Le Sud-Ouest)" in both.get_data(
        as_text=True)
    empty = client.post("/territoires/nouveau", data={"territory_id": "vide", "name": "Vide"})
    assert "ou un quartier des listes" in empty.get_data(as_text=True)
    assert graph_fingerprint(graph) == before
