"""The home page's and the health check's questions, also asked by GET /api/v1/territories. No Flask, no
Cypher: repositories come from `repository(cls)`."""

from __future__ import annotations

from collections.abc import Callable

from graph.repositories.territories import TerritoryRepository


class Overview:
    def __init__(self, repository: Callable):
        self.repository = repository

    def territories(self) -> list[dict]:
        """The six territories, each with its numbers of organisations and intervenant.es."""
        return self.repository(TerritoryRepository).list()

    @staticmethod
    def totals(territories: list[dict]) -> dict[str, int]:
        return {"organisations": sum(t["organisations"] for t in territories),
                "intervenants": sum(t["intervenants"] for t in territories)}

    def check_database(self) -> None:
        """Raises the driver's error when Neo4j does not answer a read."""
        self.repository(TerritoryRepository).ids()
