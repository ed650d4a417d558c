"""Where things are, as `flask --app app seed reference` wrote them: the territories' polygons and Montréal's
postal areas.

They change only when the reference data is seeded again, so each process reads them once (the polygons
parsed by shapely) and keeps them, per database; the seed commands call clear(), and so do tests that
rewrite them. Another process (a running web server) sees reference data seeded again once restarted.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import shapely
from neo4j import ManagedTransaction
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from graph.driver import Repository

_cache: dict[tuple[str, str], dict] = {}


def clear() -> None:
    """Forget what was read: the next use reads the graph again."""
    _cache.clear()


class PostalArea(NamedTuple):
    latitude: float
    longitude: float
    place: str


class PlacesRepository(Repository):
    def territory_shapes(self) -> dict[str, BaseGeometry]:
        """Each territory's polygon by id, in the usual order (territories seeded without one are left out)."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (t:Territory) WHERE t.geometry IS NOT NULL
                RETURN t.id AS id, t.geometry AS geometry ORDER BY t.cohort, t.name
                """
            ).data()

        def parse() -> dict[str, BaseGeometry]:
            shapes = {row["id"]: shape(json.loads(row["geometry"])) for row in self.read(work)}
            for polygon in shapes.values():
                shapely.prepare(polygon)  # point-in-polygon tests, many per import, without re-indexing
            return shapes

        return self._cached("territories", parse)

    def territory_shape(self, territory_id: str) -> BaseGeometry | None:
        return self.territory_shapes().get(territory_id)

    def territory_at(self, latitude: float, longitude: float) -> str | None:
        """The territory whose polygon contains the point, if any."""
        point = Point(longitude, latitude)
        return next((tid for tid, polygon in self.territory_shapes().items() if polygon.contains(point)), None)

    def postal_areas(self) -> dict[str, PostalArea]:
        """Postal area (first three characters of a postal code, « H1G ») → its centre and its place's name."""

        def work(tx: ManagedTransaction):
            return tx.run(
                "MATCH (a:PostalArea) RETURN a.code AS code, a.latitude AS latitude, a.longitude AS longitude, "
                "a.place AS place ORDER BY a.code"
            ).data()

        return self._cached("postal_areas", lambda: {
            row["code"]: PostalArea(row["latitude"], row["longitude"], row["place"]) for row in self.read(work)})

    def postal_area(self, code: str) -> PostalArea | None:
        return self.postal_areas().get(code)

    def _cached(self, what: str, read) -> dict:
        """Nothing found is not kept: a graph seeded after the server started is read at the next use."""
        key = (self.database, what)
        if key in _cache:
            return _cache[key]
        found = read()
        if found:
            _cache[key] = found
        return found
