"""The territory maps' service on its own, with stand-in repositories (no Neo4j, no Flask): what each viewer
is told of each person — pseudonyms and sectors for evaluators, names as the policy allows for the others."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import networkx as nx
import pytest

from analysis.pseudonyms import Pseudonyms
from graph.repositories.territories import TerritoryRepository
from graph.repositories.territory_map import TerritoryMapRepository
from referral.policy import COORDINATOR, EVALUATOR, INTERVENANT, Principal
from referral.service_errors import NotFound
from referral.territories.service import TerritoryMaps, milestones, person_sectors

SECRET = "test-secret"
TERRITORY = {"id": "mn", "name": "Montréal-Nord", "start": date(2022, 10, 1), "end": date(2023, 6, 1)}
PEOPLE = {  # a1, a2 at A and c1 at C: the only family and newcomers organisations; b1 at B, family too
    "a1": {"sector": "family", "organisation": "A"}, "a2": {"sector": "family", "organisation": "A"},
    "b1": {"sector": "family", "organisation": "B"}, "c1": {"sector": "newcomers", "organisation": "C"},
}
RECORDS = {
    "a1": {"name": "Ana", "territories": ["mn"], "listed": True},
    "a2": {"name": "Alex", "territories": ["mn"], "listed": False},
    "b1": {"name": "Béa", "territories": ["vsp"], "listed": False},
    "c1": {"name": None, "territories": ["mn"], "listed": True},
}


def network(hidden=frozenset()):
    people = nx.Graph()
    people.add_nodes_from((p, data) for p, data in PEOPLE.items() if p not in hidden)
    return SimpleNamespace(
        people=people, layers=[{"date": date(2022, 11, 16), "number": 1}, {"origin": "declared"}],
        organisations=[{"id": "A", "sector": "family"}, {"id": "B", "sector": "family"},
                       {"id": "C", "sector": "newcomers"}, {"id": "D", "sector": "institutional"}],
        organisation_names={"A": "Org A", "B": "Org B", "C": "Org C"})


class Repositories:
    def __init__(self):
        self.asked = []

    def __call__(self, cls):
        return self if cls in (TerritoryRepository, TerritoryMapRepository) else None

    def get(self, territory_id):
        return TERRITORY if territory_id == "mn" else None

    def people(self, ids):
        self.asked.append(ids)
        return {person: RECORDS[person] for person in ids}

    def unlisted_people(self):
        return {person: set(r["territories"]) for person, r in RECORDS.items() if not r["listed"]}


def maps(principal: Principal, repositories: Repositories | None = None) -> TerritoryMaps:
    return TerritoryMaps(principal, repositories or Repositories(),
                         lambda territory, as_of, sample, hidden: network(hidden), SECRET)


def test_a_sector_held_by_one_organisation_is_not_told():
    assert person_sectors(network()) == {"a1": "family", "a2": "family", "b1": "family", "c1": None}


def test_evaluators_see_keyed_pseudonyms_and_sectors_only():
    repositories = Repositories()
    evaluator = maps(Principal(EVALUATOR), repositories)
    assert evaluator.sample_only and evaluator.small_cell == 5
    keys = Pseudonyms(SECRET)
    assert evaluator.person_labels(network()) == {p: keys.person(p) for p in PEOPLE}
    assert repositories.asked == []  # no name is even read
    heading, places = evaluator.person_places(network())
    assert heading == "Secteur"
    assert places["c1"] == "autre secteur" and places["a1"] != places["c1"]
    assert "Org" not in " ".join(places.values())


def test_names_only_as_the_policy_allows():
    # Found by the outside pass: unlisted people were drawn as P02 beside their organisation and ties.
    labels = maps(Principal(INTERVENANT)).person_labels(network())
    assert labels == {"a1": "Ana", "c1": "P04"}  # a2, b1 unlisted: not even a number
    coordinator = maps(Principal(COORDINATOR, "mn"))
    assert coordinator.person_labels(network())["a2"] == "Alex"
    assert "b1" not in coordinator.person_labels(network())
    assert not coordinator.sample_only and coordinator.small_cell is None
    assert coordinator.person_places(network()) == ("Organisation", {"a1": "Org A", "a2": "Org A", "b1": "Org B",
                                                                     "c1": "Org C"})
    view = maps(Principal(INTERVENANT)).view("mn", date(2024, 1, 1), date(2024, 1, 1))
    assert set(view.places) == {"a1", "c1"}


def test_the_view_of_an_unknown_territory_is_not_found():
    with pytest.raises(NotFound):
        maps(Principal(INTERVENANT)).view("nowhere", date(2024, 1, 1), date(2024, 1, 1))
    view = maps(Principal(EVALUATOR)).view("mn", date(2024, 1, 1), date(2024, 1, 1))
    assert view.sectors == person_sectors(network())
    assert maps(Principal(INTERVENANT)).view("mn", date(2024, 1, 1), date(2024, 1, 1)).sectors is None


def test_milestones_stop_at_today():
    assert milestones(TERRITORY, network(), date(2023, 1, 1)) == [
        ("Avant la cohorte", date(2022, 9, 30)), ("Séance 1", date(2022, 11, 16)), ("Aujourd'hui", date(2023, 1, 1))]
    assert [text for text, _ in milestones(TERRITORY, network(), date(2024, 1, 1))] == [
        "Avant la cohorte", "Séance 1", "Fin de la cohorte", "Aujourd'hui"]


def test_autre_secteur_never_stands_for_one_organisation():
    """Found by the outside pass: where one sector alone was hidden, « autre secteur » named its only
    organisation. The smallest shown sector joins it until it covers two organisations."""
    lonely = network()
    lonely.organisations = [{"id": "A", "sector": "family"}, {"id": "B", "sector": "family"},
                            {"id": "C", "sector": "newcomers"}, {"id": "E", "sector": "newcomers"},
                            {"id": "F", "sector": "newcomers"}, {"id": "D", "sector": "institutional"}]
    lonely.people = nx.Graph()
    lonely.people.add_nodes_from({"a1": {"organisation": "A", "sector": "family"},
                                  "c1": {"organisation": "C", "sector": "newcomers"},
                                  "d1": {"organisation": "D", "sector": "institutional"}}.items())
    assert person_sectors(lonely) == {"a1": None, "c1": "newcomers", "d1": None}


def test_unlisted_people_one_may_not_read_are_left_out_of_the_network():
    """Found by the fourth outside pass: tie counts between organisations and the brokers' ranks still told
    of unlisted people, though neither named nor drawn."""
    assert maps(Principal(INTERVENANT)).hidden_people() == {"a2", "b1"}
    assert maps(Principal(COORDINATOR, "mn")).hidden_people() == {"b1"}
    assert maps(Principal(EVALUATOR)).hidden_people() == frozenset()
    view = maps(Principal(INTERVENANT)).view("mn", date(2024, 1, 1), date(2024, 1, 1))
    assert set(view.network.people.nodes) == {"a1", "c1"} == set(view.labels)
