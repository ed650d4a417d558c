"""A territory's network is read around the territory (its people, everyone they know, every tie of
theirs), not as the whole network: what it shows must be exactly what the whole network says of it."""

from datetime import date

import pytest

from analysis.territory_network import build_territory_network
from graph import search_index
from graph.repositories.territory_map import TerritoryMapRepository
from graph.timeline_reader import people_network, territory_network
from referral import clock
from seed.reference.territories import TERRITORY_IDS


def same_figures(around: dict, whole: dict) -> bool:
    """Equal, the ratios to the last bits (sums taken in another order)."""
    return around.keys() == whole.keys() and all(
        around[k] == pytest.approx(whole[k]) if isinstance(whole[k], float) else around[k] == whole[k] for k in whole)


def from_whole_network(driver, territory: str, as_of: date):
    """The territory's network computed from everyone, as it was before it was read around the territory."""
    repository = TerritoryMapRepository(driver)
    return build_territory_network(territory, as_of, everyone=people_network(driver, None, as_of),
                                   organisations=repository.organisations(territory, as_of, contacts=True),
                                   sessions=repository.sessions(territory),
                                   all_flows=repository.referral_flows(as_of))


@pytest.mark.parametrize("as_of", [date(2022, 10, 1), date(2023, 6, 30), clock.today()])
def test_read_around_a_territory_it_is_the_same_as_read_whole(demo, graph, as_of):
    for territory in TERRITORY_IDS:
        around, whole = territory_network(graph, territory, as_of), from_whole_network(graph, territory, as_of)
        assert same_figures(around.figures, whole.figures), territory
        assert set(map(frozenset, around.people.edges())) == set(map(frozenset, whole.people.edges()))
        assert dict(around.people.nodes(data=True)) == dict(whole.people.nodes(data=True))
        assert around.layers == whole.layers and around.brokers == whole.brokers


def test_ties_to_people_who_moved_away_count_where_each_worked_that_day(demo, graph):
    """Someone known in the territory who now works in another one: their tie reaches another territory."""
    # Move one person of Montréal-Nord with ties to an organisation of another territory, today.
    moved = graph.execute_query("""
        MATCH (t:Territory {id: 'mn'})<-[:LOCATED_IN]-(:Organisation)<-[w:WORKS_AT]-(p:Intervenant)-[:KNOWS]-()
        WHERE w.until IS NULL
        WITH p, w LIMIT 1
        MATCH (o:Organisation)-[:LOCATED_IN]->(:Territory {id: 'vsp'})
        WITH p, w, o LIMIT 1
        SET w.until = date() - duration('P1D')
        CREATE (p)-[:WORKS_AT {since: date(), role: 'intervenant'}]->(o)
        RETURN p.id AS id""").records
    assert moved
    with graph.session() as session:
        session.execute_write(search_index.refresh_people, [moved[0]["id"]])
    today = clock.today()
    for territory in ("mn", "vsp"):
        around, whole = territory_network(graph, territory, today), from_whole_network(graph, territory, today)
        assert same_figures(around.figures, whole.figures), territory
