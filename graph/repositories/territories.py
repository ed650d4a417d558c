"""The territories and what they hold; the boroughs they are made of, and an admin's making or reshaping of
one (its polygon and postal areas follow)."""

from __future__ import annotations

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.locks import lock_territories
from graph.repositories import places
from graph.repositories.changes import record_change

NAMES = "territory names"  # kept a minute (graph.driver.Repository.read_kept): every search form offers them


# Two areas overlap when they are one, or one is a neighbourhood of the other (two neighbourhoods never do).
OVERLAP = "({a}.name = {b}.name OR {b}.name IN coalesce({a}.part_of, []) OR {a}.name IN coalesce({b}.part_of, []))"


class TerritoryTaken(Exception):
    """A new territory's id is another's."""


class BoroughTaken(Exception):
    """Boroughs another territory is made of: {borough: territory name}."""

    def __init__(self, taken: dict[str, str]):
        super().__init__(", ".join(taken))
        self.taken = taken


class TerritoryRepository(Repository):
    def list(self) -> list[dict]:
        """Each territory with its counts: the numbers of the report's table 2."""

        def work(tx: ManagedTransaction):
            result = tx.run(
                """
                MATCH (t:Territory)
                CALL (t) {
                    OPTIONAL MATCH (o:Organisation)-[:LOCATED_IN]->(t) WHERE o.archived_on IS NULL
                    RETURN count(o) AS organisations,
                           count(CASE WHEN o.kind = 'community' THEN 1 END) AS community,
                           collect(DISTINCT CASE WHEN o.kind <> 'community' THEN o.kind END) AS institutions
                }
                CALL (t) {
                    OPTIONAL MATCH (p:Intervenant)-[w:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(t)
                    WHERE w.until IS NULL
                    RETURN count(DISTINCT p) AS intervenants
                }
                RETURN t {.id, .name, .cohort, .boroughs, .start, .end,
                          latitude: t.centroid.latitude, longitude: t.centroid.longitude} AS territory,
                       organisations, community, institutions, intervenants
                ORDER BY t.cohort, t.name
                """
            )
            rows = []
            for record in result:
                row = dict(record["territory"])
                row.update(organisations=record["organisations"], community=record["community"],
                           institutions=record["institutions"], intervenants=record["intervenants"])
                rows.append(row)
            return rows

        return self.read(work)

    def get(self, territory_id: str) -> dict | None:
        def work(tx: ManagedTransaction):
            record = tx.run(
                """
                MATCH (t:Territory {id: $id})
                RETURN t {.id, .name, .cohort, .boroughs, .start, .end,
                          latitude: t.centroid.latitude, longitude: t.centroid.longitude} AS territory
                """,
                id=territory_id,
            ).single()
            return dict(record["territory"]) if record else None

        return self.read(work)

    def ids(self) -> list[str]:
        return [t["id"] for t in self.list()]

    def names(self) -> list[dict]:
        """Ids and names only, in the usual order, read once a minute at most: every search form offers them."""

        def work(tx: ManagedTransaction):
            return tx.run("MATCH (t:Territory) RETURN t.id AS id, t.name AS name ORDER BY t.cohort, t.name").data()

        return self.read_kept(NAMES, work)

    def boroughs(self) -> list[dict]:
        """Every borough, linked city and neighbourhood (kind « Quartier », `part_of` its boroughs): name, kind
        and the territory holding it, or holding a part of it or the whole it is part of (if any)."""

        def work(tx: ManagedTransaction):
            return tx.run(
                """
                MATCH (b:Borough)
                OPTIONAL MATCH (t:Territory) WHERE EXISTS {
                    MATCH (h:Borough) WHERE h.name IN t.boroughs AND """ + OVERLAP.format(a="b", b="h") + """ }
                WITH b, t ORDER BY t.name
                WITH b, head(collect(t)) AS t
                RETURN b.name AS name, b.kind AS kind, coalesce(b.part_of, []) AS part_of, t.id AS territory,
                       t.name AS territory_name
                ORDER BY b.name
                """).data()

        return self.read(work)

    def borough_geometries(self, names: list[str]) -> dict[str, str]:
        """The GeoJSON geometry of each of these boroughs that exists (~10 kB each: read only to draw)."""
        return self.read(lambda tx: {r["name"]: r["geometry"] for r in tx.run(
            "MATCH (b:Borough) WHERE b.name IN $names RETURN b.name AS name, b.geometry AS geometry", names=names)})

    def save(self, territory_id: str, name: str, boroughs: list[str], geometry: str,
             centroid: tuple[float, float], postal_codes: list[str], user: str, *, new: bool) -> None:
        """Make (`new`) or reshape a territory: its name, boroughs, polygon and centre; the postal areas whose
        centre lies in it and that no other territory holds become its own, those it held outside leave it.
        TerritoryTaken, BoroughTaken (checked under the territories' lock): nothing written."""

        def work(tx: ManagedTransaction):
            lock_territories(tx, None)
            exists = tx.run("MATCH (t:Territory {id: $id}) RETURN t.id", id=territory_id).single()
            if new == bool(exists):
                raise TerritoryTaken(territory_id)
            if tx.run("MATCH (t:Territory) WHERE t.id <> $id AND toLower(t.name) = toLower($name) RETURN t.id",
                      id=territory_id, name=name).single():
                raise TerritoryTaken(name)
            taken = {r["borough"]: r["territory"] for r in tx.run(
                "MATCH (t:Territory) WHERE t.id <> $id MATCH (h:Borough) WHERE h.name IN t.boroughs "
                "MATCH (b:Borough) WHERE b.name IN $boroughs AND " + OVERLAP.format(a="b", b="h") +
                " RETURN b.name AS borough, t.name AS territory", id=territory_id, boroughs=boroughs)}
            if taken:
                raise BoroughTaken(taken)
            tx.run(
                """
                MERGE (t:Territory {id: $id})
                SET t.name = $name, t.boroughs = $boroughs, t.geometry = $geometry,
                    t.centroid = point({latitude: $latitude, longitude: $longitude})
                WITH t
                CALL (t) {
                    MATCH (a:PostalArea) WHERE a.territory = t.id AND NOT a.code IN $codes
                    SET a.territory = null
                }
                CALL (t) {
                    MATCH (a:PostalArea) WHERE a.code IN $codes AND (a.territory IS NULL OR a.territory = t.id)
                    SET a.territory = t.id
                }
                """, id=territory_id, name=name, boroughs=boroughs, geometry=geometry, latitude=centroid[0],
                longitude=centroid[1], codes=postal_codes).consume()
            record_change(tx, user, "create" if new else "update", "territory", territory_id,
                          f"{name} : {', '.join(boroughs)}", [territory_id])

        self.write(work)
        places.clear()  # this process reads the new polygon at once (others once restarted, as after a seed)
        self.forget_kept(NAMES)
