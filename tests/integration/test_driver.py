"""plain(): what the repositories hand back is plain Python, whatever Neo4j returned."""

from datetime import date

from graph.driver import Repository


def test_points_dates_and_lists_come_back_plain(graph):
    def work(tx):
        return tx.run(
            """
            RETURN point({latitude: 45.55, longitude: -73.6}) AS location,
                   [point({latitude: 45.5, longitude: -73.5})] AS points,
                   date('2024-03-01') AS day, [1, 2] AS numbers
            """
        ).single().data()

    assert Repository(graph).read(work) == {
        "location": {"latitude": 45.55, "longitude": -73.6},
        "points": [{"latitude": 45.5, "longitude": -73.5}],
        "day": date(2024, 3, 1),
        "numbers": [1, 2],
    }
