"""Geocoding: the postal areas offline, as the graph holds them, and Nominatim falling back to them when it
cannot be reached."""

import time

import pytest

from graph.local_server import free_port
from graph.repositories import places
from graph.repositories.places import PlacesRepository
from referral.geocode import Position, in_montreal, locate_address, normalise_postal_code, postal_area_position
from seed.reference.territories import fsa_table


@pytest.fixture
def area(reference, graph):
    """The postal areas as the app reads them: from the graph `seed reference` filled."""
    return PlacesRepository(graph).postal_area


@pytest.mark.parametrize("typed, normal", [("h1g3k4", "H1G 3K4"), (" H1G 3K4 ", "H1G 3K4"), ("H1G-3K4", "H1G 3K4"),
                                           ("12345", None), ("D1G 3K4", None), ("", None)])
def test_postal_codes(typed, normal):
    assert normalise_postal_code(typed) == normal


def test_offline_position_is_the_postal_areas_centre(area):
    lat, lon, _ = fsa_table()["H1G"]
    position = locate_address("11121, avenue Salk", "H1G 4Y3", area)
    assert (position.latitude, position.longitude, position.source) == (lat, lon, "postal_area")
    assert postal_area_position("K1A 0B1", area) is None  # Ottawa is not in Montréal's table
    assert locate_address("", "K1A 0B1", area) is None


def test_the_postal_areas_are_read_from_the_graph(area, graph):
    assert postal_area_position("H1G 4Y3", area).label == "H1G (Montreal North North)"
    graph.execute_query("MATCH (a:PostalArea {code: 'H1G'}) SET a.latitude = 45.6, a.place = 'Ailleurs'")
    assert postal_area_position("H1G 4Y3", area).label == "H1G (Montreal North North)"  # read once per process…
    places.clear()  # …until seeding again clears what was read
    assert postal_area_position("H1G 4Y3", area) == Position(45.6, fsa_table()["H1G"][1], "H1G (Ailleurs)")
    graph.execute_query("MATCH (a:PostalArea) DETACH DELETE a")
    places.clear()
    assert postal_area_position("H1G 4Y3", area) is None


def test_nominatim_unreachable_falls_back_quickly(area):
    # A closed port on the loopback: the connection is refused at once, as when offline.
    started = time.monotonic()
    position = locate_address("11121, avenue Salk", "H1G 4Y3", area, geocoder="nominatim", timeout=2,
                              server=f"http://127.0.0.1:{free_port()}")
    assert position is not None and position.source == "postal_area"
    assert time.monotonic() - started < 5


def test_montreal_box():
    assert in_montreal(45.59, -73.63) and not in_montreal(48.1, -70.2) and not in_montreal(45.42, -75.69)
