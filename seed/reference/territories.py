"""The six territoires d'inclusion prioritaires (TIP), their cohorts and their geometry.

Facts from the evaluation report (section 1, footnote 1 and table 2); polygons from the City
of Montréal's borough boundaries (seed/reference/data/montreal-boroughs.geojson, CC BY 4.0).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from shapely import make_valid
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Cohort:
    number: int
    start: date
    end: date
    session_dates: tuple[date, ...]


# Cohort 1 met monthly from November 2022 to April 2023; cohort 2 from May to December 2023,
# with the usual summer pause of community groups (no session in July or August).
COHORTS = {
    1: Cohort(1, date(2022, 11, 1), date(2023, 4, 30), (
        date(2022, 11, 16), date(2022, 12, 14), date(2023, 1, 18),
        date(2023, 2, 15), date(2023, 3, 15), date(2023, 4, 19),
    )),
    2: Cohort(2, date(2023, 5, 1), date(2023, 12, 31), (
        date(2023, 5, 17), date(2023, 6, 14), date(2023, 9, 20),
        date(2023, 10, 18), date(2023, 11, 15), date(2023, 12, 13),
    )),
}

SESSION_THEMES = (
    ("Faisons connaissance!", "Getting to know each other"),
    ("Mon identité en tant qu'intervenant.e", "My identity as a worker"),
    ("Aider et être aidé.e", "Helping and being helped"),
    ("Bâtir l'alliance entre parents et intervenant.es", "Building the alliance between parents and workers"),
    ("Construire l'alliance entre intervenant.es", "Building the alliance between workers"),
    ("Bilan et célébration", "Review and celebration"),
)


@dataclass(frozen=True)
class TerritoryDef:
    id: str
    name: str
    cohort: int
    boroughs: tuple[str, ...]
    fsas: tuple[str, ...]


TERRITORIES = (
    TerritoryDef("mn", "Montréal-Nord", 1, ("Montréal-Nord",), ("H1G", "H1H")),
    TerritoryDef("vsp", "Villeray–Saint-Michel–Parc-Extension", 1,
                 ("Villeray-Saint-Michel-Parc-Extension",), ("H1Z", "H2A", "H2E", "H2P", "H2R", "H3N")),
    TerritoryDef("abc", "Ahuntsic–Bordeaux-Cartierville", 1,
                 ("Ahuntsic-Cartierville",), ("H3M", "H4J", "H4K", "H2B", "H2C", "H2M", "H2N", "H3L")),
    TerritoryDef("asl", "Anjou–Saint-Léonard", 2, ("Anjou", "Saint-Léonard"), ("H1J", "H1K", "H1R", "H1S")),
    TerritoryDef("prsl", "Pierrefonds-Roxboro–Saint-Laurent", 2,
                 ("Pierrefonds-Roxboro", "Saint-Laurent"), ("H8Y", "H8Z", "H4L", "H4M", "H4R", "H4S")),
    TerritoryDef("cdn", "Côte-des-Neiges–Notre-Dame-de-Grâce", 2,
                 ("Côte-des-Neiges-Notre-Dame-de-Grâce",), ("H3V", "H3W", "H4A", "H4B")),
)
TERRITORY_IDS = tuple(t.id for t in TERRITORIES)


@lru_cache(maxsize=1)
def borough_features() -> dict:
    """Every borough and linked city of the island, by name (`NOM`)."""
    with open(DATA / "montreal-boroughs.geojson", encoding="utf-8") as handle:
        collection = json.load(handle)
    return {feature["properties"]["NOM"]: feature for feature in collection["features"]}


@cache
def territory_shape(territory_id: str):
    """The territory's polygon: the union of its boroughs (two for ASL and PRSL)."""
    definition = next(t for t in TERRITORIES if t.id == territory_id)
    features = borough_features()
    return unary_union([shape(features[name]["geometry"]) for name in definition.boroughs])


def territory_rows() -> list[dict]:
    """The six territories as the graph stores them; the centroid is a point inside the polygon, the
    geometry the polygon itself as GeoJSON, unsimplified (the demo's organisations lie inside it, exactly)."""
    rows = []
    for t in TERRITORIES:
        cohort = COHORTS[t.cohort]
        polygon = territory_shape(t.id)
        centroid = polygon.representative_point()
        rows.append({
            "id": t.id, "name": t.name, "cohort": t.cohort, "boroughs": list(t.boroughs),
            "start": cohort.start, "end": cohort.end,
            "latitude": round(centroid.y, 6), "longitude": round(centroid.x, 6),
            "geometry": json.dumps(mapping(polygon), separators=(",", ":")),
        })
    return rows


def session_theme_rows() -> list[dict]:
    """The program's six session themes (the report's Table 1): the template a new cohort's sessions start from."""
    return [{"number": n, "theme": fr, "theme_en": en} for n, (fr, en) in enumerate(SESSION_THEMES, 1)]


def cohort_rows() -> list[dict]:
    """The report's two cohorts as the graph stores them, each with the territories it included."""
    return [{"id": f"cohort-{c.number}", "number": c.number, "name": f"Cohorte {c.number}", "start": c.start,
             "end": c.end, "territories": [t.id for t in TERRITORIES if t.cohort == c.number]}
            for c in COHORTS.values()]


def borough_rows() -> list[dict]:
    """The boroughs and linked cities a territory is made of, as the graph stores them (the GeoJSON geometry);
    then the neighbourhoods, finer pieces of some boroughs."""
    return [{"name": name, "kind": feature["properties"]["TYPE"], "part_of": [],
             "geometry": json.dumps(feature["geometry"], separators=(",", ":"))}
            for name, feature in sorted(borough_features().items())] + neighbourhood_rows()


QUARTIER = "Quartier"


def neighbourhood_rows() -> list[dict]:
    """The City's neighbourhoods (quartiers sociologiques, 2014) that are a part of a borough, each with the
    boroughs it lies in (`part_of`: those holding a twentieth of it or more; the north-west one spans two),
    stored as boroughs of kind « Quartier »."""
    with open(DATA / "montreal-quartiers-sociologiques-2014.geojson", encoding="utf-8") as handle:
        collection = json.load(handle)
    boroughs = {name: shape(feature["geometry"]) for name, feature in borough_features().items()}
    rows = []
    for feature in collection["features"]:
        name, area = feature["properties"]["Q_socio"].strip(), polygonal(shape(feature["geometry"]))
        part_of = sorted(b for b in boroughs if boroughs[b].intersection(area).area >= area.area / 20)
        if fold_name(name) in {fold_name(b) for b in boroughs} or "´" in name:
            continue  # the borough itself (Anjou, Verdun…; « Montr´al-Nord » is Montréal-Nord, misspelt)
        rows.append({"name": name, "kind": QUARTIER, "part_of": part_of,
                     "geometry": json.dumps(mapping(area), separators=(",", ":"))})
    return sorted(rows, key=lambda r: r["name"])


def polygonal(geometry):
    """The geometry made valid, its areas only (repairing a ring that crosses itself can leave a line)."""
    valid = make_valid(geometry)
    if valid.geom_type == "GeometryCollection":
        valid = unary_union([part for part in valid.geoms if part.geom_type in ("Polygon", "MultiPolygon")])
    return valid


def fold_name(name: str) -> str:
    return name.casefold().replace("–", "-")


def postal_area_rows() -> list[dict]:
    """Montréal's postal areas as the graph stores them, each with the TIP it belongs to (if any)."""
    territory_of = {fsa: t.id for t in TERRITORIES for fsa in t.fsas}
    return [{"code": code, "latitude": lat, "longitude": lon, "place": place, "territory": territory_of.get(code)}
            for code, (lat, lon, place) in fsa_table().items()]


@lru_cache(maxsize=1)
def fsa_table() -> dict[str, tuple[float, float, str]]:
    """Postal area (first three characters of a postal code) → (latitude, longitude, place)."""
    with open(DATA / "montreal-fsa.csv", encoding="utf-8") as handle:
        return {
            row["fsa"]: (float(row["latitude"]), float(row["longitude"]), row["place"])
            for row in csv.DictReader(handle)
        }
