"""Geocoding: the postal-area table offline, and Nominatim falling back to it when it cannot be reached."""

import time

import pytest

from graph.local_server import free_port
from referral.geocode import in_montreal, locate_address, normalise_postal_code, postal_area_position
from seed.reference.territories import fsa_table


@pytest.mark.parametrize("typed, normal", [("h1g3k4", "H1G 3K4"), (" H1G 3K4 ", "H1G 3K4"), ("H1G-3K4", None),
                                           ("12345", None), ("D1G 3K4", None), ("", None)])
def test_postal_codes(typed, normal):
    assert normalise_postal_code(typed) == normal


def test_offline_position_is_the_postal_areas_centre():
    lat, lon, _ = fsa_table()["H1G"]
    position = locate_address("11121, avenue Salk", "H1G 4Y3")
    assert (position.latitude, position.longitude, position.source) == (lat, lon, "postal_area")
    assert postal_area_position("K1A 0B1") is None  # Ottawa is not in Montréal's table
    assert locate_address("", "K1A 0B1") is None


def test_nominatim_unreachable_falls_back_quickly():
    # A closed port on the loopback: the connection is refused at once, as when offline.
    started = time.monotonic()
    position = locate_address("11121, avenue Salk", "H1G 4Y3", geocoder="nominatim", timeout=2,
                              server=f"http://127.0.0.1:{free_port()}")
    assert position is not None and position.source == "postal_area"
    assert time.monotonic() - started < 5


def test_montreal_box():
    assert in_montreal(45.59, -73.63) and not in_montreal(48.1, -70.2) and not in_montreal(45.42, -75.69)
