"""What person-level data may say of a person's organisation (analysis.disclosure), without Neo4j."""

from datetime import date

from analysis.disclosure import HIDDEN_SECTOR, large_groups, people_places, shown_sectors
from analysis.pseudonyms import Pseudonyms
from analysis.timeline import Timeline

KEY = Pseudonyms("unit-secret")


def test_a_sector_is_shown_only_when_two_organisations_hold_it():
    assert shown_sectors({"A": "family", "B": "family", "C": "newcomers", "D": "newcomers"}) == {
        "family", "newcomers"}
    # « autre secteur » would hold C alone: the smallest shown sector joins it.
    assert shown_sectors({"A": "family", "B": "family", "C": "newcomers"}) == set()
    assert shown_sectors({"A": "family", "B": "family", "C": "x", "D": "y"}) == {"family"}


def test_groups_under_five_are_not_told():
    assert large_groups(["A"] * 5 + ["B"] * 4) == {"A"}


def job(person, org, sector, territory="mn"):
    return {"person": person, "organisation": org, "sector": sector, "kind": "community", "territory": territory,
            "since": date(2020, 1, 1), "until": None, "research_consent": True, "role": "intervenant",
            "erased": False}


def test_people_places_hide_small_organisations_and_naming_sectors():
    jobs = [job(f"a{i}", "A", "family") for i in range(5)] + [job("b1", "B", "family"), job("c1", "C", "newcomers"),
                                                              job("d1", "D", "newcomers"), job("e1", "E", "legal"),
                                                              job("g1", "G", "health"), job("f1", "F", "health", "vsp")]
    t = Timeline.build(jobs, [])
    snapshot = t.snapshot(date(2024, 1, 1))
    index = {person: i for i, person in enumerate(t.person_ids)}
    places = people_places(t, snapshot, list(index.values()), KEY)
    assert places[index["a0"]]["organisation"] == KEY.organisation("A")
    assert places[index["b1"]]["organisation"] is None
    assert places[index["b1"]]["sector"] == "family" and places[index["c1"]]["sector"] == "newcomers"
    # legal and health are one organisation each in Montréal-Nord: « autre secteur »; health is alone in VSP too.
    assert places[index["e1"]]["sector"] == HIDDEN_SECTOR
    assert places[index["f1"]]["sector"] == HIDDEN_SECTOR and places[index["f1"]]["territory"] == "vsp"
