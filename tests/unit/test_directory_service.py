"""The directory's decision on an organisation form, with stand-in repositories (no Neo4j, no Flask app): where
the point is, which field is at fault, when the page warns."""

from __future__ import annotations

import pytest

from graph.repositories.organisations import OrganisationNameTaken, OrganisationRepository
from graph.repositories.places import PlacesRepository
from interop.folding import fold
from referral.directory import messages
from referral.directory.service import Directory, OrganisationEntry
from referral.geocode import Position
from referral.policy import Principal
from referral.service_errors import Refused

STORED = {"id": "o-mn-01", "name": "Carrefour familial", "territory": "mn", "address": "1 rue du Nord",
          "postal_code": "H1H 1J5", "latitude": 45.6, "longitude": -73.63, "location_source": "nominatim"}


class FakeOrganisations:
    """Refuses a name the territory has (folded), as the graph does in its writing transaction."""

    def __init__(self, *stored: dict):
        self.stored = {o["id"]: dict(o) for o in stored}
        self.writes = []

    def _check(self, organisation_id, values, territory):
        if any(fold(o["name"]) == fold(values["name"]) and o["territory"] == territory and o["id"] != organisation_id
               for o in self.stored.values()):
            raise OrganisationNameTaken(values["name"])

    def create(self, values, territory, served, user):
        self._check(None, values, territory)
        self.writes.append(("create", values, territory, served))
        return "o-new"

    def update(self, organisation_id, values, territory, served, user):
        self._check(organisation_id, values, territory)
        self.writes.append(("update", values, territory, served))
        return []


class FakePlaces:
    def __init__(self, territory_at: str | None = "mn"):
        self.territory = territory_at

    def territory_at(self, latitude, longitude):
        return self.territory


def directory(organisations, places=None):
    repositories = {OrganisationRepository: organisations, PlacesRepository: places or FakePlaces()}
    return Directory(Principal("coordinator", "mn"), repositories.__getitem__, "coordination.mn@example.org")


def entry(**overrides):
    values = {"name": "Maison des familles", "sector": "family", "kind": "community", "address": "",
              "postal_code": "H1H 1J5", "phone": "", "website": "", "languages": [], "territory": "mn", "served": []}
    return OrganisationEntry(**{**values, **overrides})


def geocoder(position: Position | None):
    asked = []

    def locate(address, postal_code):
        asked.append((address, postal_code))
        return position

    locate.asked = asked
    return locate


def test_a_new_organisation_is_geocoded_and_written_with_its_territory_served():
    organisations = FakeOrganisations(STORED)
    locate = geocoder(Position(45.61234567, -73.6298771, source="postal_area"))
    result = directory(organisations).save_organisation(entry(served=["vsp"]), None, locate)
    assert (result.id, result.errors, result.warnings) == ("o-new", {}, [])
    assert locate.asked == [("", "H1H 1J5")]
    action, values, territory, served = organisations.writes[0]
    assert (action, territory, served) == ("create", "mn", ["mn", "vsp"])
    assert values == {"name": "Maison des familles", "sector": "family", "kind": "community", "address": None,
                      "postal_code": "H1H 1J5", "phone": None, "website": None, "languages": ["fr"],
                      "latitude": 45.612346, "longitude": -73.629877, "location_source": "postal_area"}


def test_a_name_the_territory_has_is_the_name_fields_error():
    organisations = FakeOrganisations(STORED)
    result = directory(organisations).save_organisation(entry(name="CARREFOUR-FAMILIAL"), None,
                                                        geocoder(Position(45.6, -73.6)))
    assert (result.id, result.errors, result.warnings) == (None, {"name": messages.NAME_TAKEN}, [])
    assert organisations.writes == []


def test_an_unknown_postal_code_is_the_postal_code_fields_error():
    organisations = FakeOrganisations()
    result = directory(organisations).save_organisation(entry(postal_code="K1A 0B1"), None, geocoder(None))
    assert result.errors == {"postal_code": messages.POSTAL_AREA_UNKNOWN} and organisations.writes == []


def test_a_point_outside_the_territory_is_kept_with_a_warning():
    organisations = FakeOrganisations()
    result = directory(organisations, FakePlaces("vsp")).save_organisation(
        entry(manual_position=True, latitude=45.55, longitude=-73.62), None, geocoder(None))
    assert (result.id, result.warnings) == ("o-new", [messages.OUTSIDE_TERRITORY])
    assert organisations.writes[0][1]["location_source"] == "manual"


@pytest.mark.parametrize("changed, geocoded", [
    ({}, False),  # same address and postal code: the stored point, its source kept
    ({"phone": "514 555-0100"}, False),
    ({"address": "2 rue du Sud"}, True),
    ({"postal_code": "H1G 3K4"}, True),
])
def test_an_edit_keeps_the_stored_point_while_the_address_stays(changed, geocoded):
    organisations = FakeOrganisations(STORED)
    locate = geocoder(Position(45.59, -73.64, source="postal_area"))
    same = {"name": STORED["name"], "address": STORED["address"], "postal_code": STORED["postal_code"]}
    result = directory(organisations).save_organisation(entry(**{**same, **changed}), STORED, locate)
    assert result.id == "o-mn-01" and bool(locate.asked) == geocoded
    values = organisations.writes[0][1]
    expected = (45.59, -73.64, "postal_area") if geocoded else (45.6, -73.63, "nominatim")
    assert (values["latitude"], values["longitude"], values["location_source"]) == expected


def test_a_move_to_a_territory_not_the_principals_is_refused_before_anything():
    organisations = FakeOrganisations(STORED)
    locate = geocoder(Position(45.6, -73.6))
    with pytest.raises(Refused):
        directory(organisations).save_organisation(entry(territory="vsp"), STORED, locate)
    assert organisations.writes == [] and locate.asked == []
