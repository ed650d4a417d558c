"""Postal code or address → position: the offline postal-area table, and Nominatim when enabled."""

import pytest
from geopy.exc import GeocoderTimedOut

from referral import geocode
from referral.geocode import GeocodeError, locate, postal_code
from seed.reference.territories import fsa_table

# No Neo4j here: the postal areas are the seeded table itself (tests/integration/test_geocoding.py reads the graph's).
AREA = fsa_table().get


@pytest.fixture(autouse=True)
def babel_context(babel_request):
    yield
    geocode._nominatim.cache_clear()
    geocode._unreachable_until.clear()


class FakeNominatim:
    """Stands in for the network service: records queries, answers from a table or raises."""

    def __init__(self, answers=None, error=None):
        self.answers, self.error, self.queries = answers or {}, error, []

    def __call__(self, query, **options):
        self.queries.append(query)
        if self.error:
            raise self.error
        found = self.answers.get(query)
        return None if found is None else type("Location", (), found)


@pytest.mark.parametrize("text,expected", [
    ("H1G 3T4", ("H1G", "3T4")), ("h1g3t4", ("H1G", "3T4")), ("H1G-3T4", ("H1G", "3T4")), ("H1G", ("H1G", None)),
    ("H1G 3T", None), ("1HG 3T4", None), ("5000 rue Fleury", None),
])
def test_postal_code_forms(text, expected):
    assert postal_code(text) == expected


def test_postal_code_offline_is_the_area_centre():
    lat, lon, place = fsa_table()["H1G"]
    position = locate("h1g 3t4", AREA)
    assert (position.latitude, position.longitude) == (lat, lon) and "H1G" in position.label


@pytest.mark.parametrize("text,message", [
    ("", "Indiquez un code postal"),
    ("ZZZ", "Code postal invalide"),
    ("H1G 3", "Code postal invalide"),
    ("A1A 1A1", "Code postal inconnu"),
    ("5000 rue Fleury", "recherche par adresse n'est pas activée"),
])
def test_offline_errors_say_why(text, message):
    with pytest.raises(GeocodeError, match=message):
        locate(text, AREA)


def test_nominatim_is_used_only_when_enabled_and_cached(monkeypatch):
    fake = FakeNominatim({"5000 rue Fleury, Montréal, Québec": {"latitude": 45.57, "longitude": -73.65,
                                                               "address": "5000 Rue Fleury"}})
    monkeypatch.setattr(geocode, "_client", lambda timeout, server=None: fake)
    with pytest.raises(GeocodeError):
        locate("5000 rue Fleury", AREA)  # offline: never asks
    assert fake.queries == []
    first = locate("5000 rue Fleury", AREA, geocoder="nominatim", timeout=1.0)
    second = locate("5000  rue   Fleury", AREA, geocoder="nominatim", timeout=1.0)
    assert first == second and first.pair == (45.57, -73.65)
    assert fake.queries == ["5000 rue Fleury, Montréal, Québec"]  # the second answer came from the cache


def test_nominatim_unknown_address(monkeypatch):
    monkeypatch.setattr(geocode, "_client", lambda timeout, server=None: FakeNominatim())
    with pytest.raises(GeocodeError, match="Adresse introuvable"):
        locate("1 rue Nulle-Part", AREA, geocoder="nominatim")


def test_nominatim_timeout(monkeypatch):
    monkeypatch.setattr(geocode, "_client", lambda timeout, server=None: FakeNominatim(error=GeocoderTimedOut("slow")))
    with pytest.raises(GeocodeError, match="ne répond pas"):
        locate("5000 rue Fleury", AREA, geocoder="nominatim")
    # A postal code falls back on the offline table when the service does not answer.
    assert locate("H1G 3T4", AREA, geocoder="nominatim").label.startswith("H1G")


def test_nominatim_unreachable_is_not_asked_again_for_a_while(monkeypatch):
    """An offline machine waits for one timeout, not one per save (the directory asks Nominatim by default)."""
    fake = FakeNominatim(error=GeocoderTimedOut("offline"))
    monkeypatch.setattr(geocode, "_client", lambda timeout, server=None: fake)
    for code in ("H1G 3T4", "H1H 1J5"):
        assert geocode.locate_address("1 rue Fleury", code, AREA, geocoder="nominatim").source == "postal_area"
    assert len(fake.queries) == 1
    monkeypatch.setattr(geocode.time, "monotonic", lambda: 1e12)  # ten minutes later: asked again
    geocode.locate_address("1 rue Fleury", "H1G 3T4", AREA, geocoder="nominatim")
    assert len(fake.queries) == 2
