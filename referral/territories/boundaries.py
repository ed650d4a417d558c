"""Making or reshaping a territory from Montréal's boroughs and neighbourhoods (admins only): the rules. A
territory is a name and the areas it is made of (boroughs, linked cities, neighbourhoods: `Borough` nodes);
its polygon is their union, its centre a point inside it, its postal areas those whose centre lies in it (and
that no other territory holds). No Flask, no Cypher."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from shapely.geometry import Point, mapping, shape
from shapely.ops import unary_union

from graph.repositories.places import PlacesRepository
from graph.repositories.territories import BoroughTaken, TerritoryRepository, TerritoryTaken
from referral import policy
from referral.service_errors import CONFLICT, INVALID, NotFound, Refused, ServiceError
from referral.territories import messages

TERRITORY_ID = re.compile(r"[a-z][a-z0-9-]{1,15}")
RESERVED = {"nouveau", "carte", "limites", "all", "tous"}  # words of the pages' addresses and the search


class Boundaries:
    def __init__(self, principal: policy.Principal, repository: Callable, user: str):
        if not policy.may_shape_territories(principal):
            raise Refused
        self.repository, self.user = repository, user

    def boroughs(self) -> list[dict]:
        """Every borough and linked city, with the territory made of it (if any)."""
        return self.repository(TerritoryRepository).boroughs()

    def territory(self, territory_id: str) -> dict:
        found = self.repository(TerritoryRepository).get(territory_id)
        if found is None:
            raise NotFound(territory_id)
        return found

    def save(self, territory_id: str, name: str, boroughs: list[str], *, new: bool) -> dict:
        """Make (`new`) or reshape a territory; what its postal areas became ({codes})."""
        name, boroughs = name.strip(), sorted(set(boroughs))
        faults = {}
        if new and (not TERRITORY_ID.fullmatch(territory_id or "") or territory_id in RESERVED):
            faults["territory_id"] = str(messages.TERRITORY_ID)
        if not 2 <= len(name) <= 80:
            faults["name"] = str(messages.TERRITORY_NAME)
        known = self.repository(TerritoryRepository).borough_geometries(boroughs)
        if not boroughs or not set(boroughs) <= set(known):
            faults["boroughs"] = str(messages.BOROUGHS_NEEDED)
        parts = {a["name"]: a["part_of"] for a in self.boroughs() if a["name"] in boroughs}
        if inside := sorted(f"{n} ({', '.join(p for p in part_of if p in boroughs)})"
                            for n, part_of in parts.items() if set(part_of) & set(boroughs)):
            faults["neighbourhoods"] = messages.inside_borough(inside)
        if faults:
            raise ServiceError(INVALID, "invalid_territory", str(messages.TERRITORY_INVALID), faults)
        polygon = unary_union([shape(json.loads(known[b])) for b in boroughs])
        centre = polygon.representative_point()
        codes = sorted(code for code, area in self.repository(PlacesRepository).postal_areas().items()
                       if polygon.contains(Point(area.longitude, area.latitude)))
        try:
            self.repository(TerritoryRepository).save(
                territory_id, name, boroughs, json.dumps(mapping(polygon), separators=(",", ":")),
                (round(centre.y, 6), round(centre.x, 6)), codes, self.user, new=new)
        except TerritoryTaken as error:
            field = "territory_id" if str(error) == territory_id else "name"
            message = str(messages.TERRITORY_TAKEN if field == "territory_id" else messages.TERRITORY_NAME_TAKEN)
            raise ServiceError(CONFLICT, "territory_taken", message, {field: message}) from error
        except BoroughTaken as error:
            message = messages.borough_taken(error.taken)
            raise ServiceError(CONFLICT, "borough_taken", message, {"boroughs": message}) from error
        return {"codes": codes}
