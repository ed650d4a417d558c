"""Where an address is: Nominatim (geopy) when configured and reachable, else the centre of its postal
area (the shipped FSA table), so that the directory works offline.

Nominatim answers are cached in the process (an address is looked up once) and each lookup has a
timeout; a failure falls back to the postal area and is not cached, so the next try asks again.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from seed.territories import fsa_table

log = logging.getLogger(__name__)

POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])\s?(\d[ABCEGHJ-NPRSTV-Z]\d)$")
# The island of Montréal, generously: a position typed by hand must fall inside.
MONTREAL_BOX = (45.35, 45.75, -74.05, -73.45)
USER_AGENT = "reseau-ei-directory"


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    source: str  # "nominatim", "postal_area" or "manual"


def normalise_postal_code(value: str) -> str | None:
    """`h1g3k4` → `H1G 3K4`; None when it is not a Canadian postal code."""
    match = POSTAL_CODE.match((value or "").strip().upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def postal_area_position(postal_code: str) -> Position | None:
    """The centre of the postal code's area (its first three characters), if the table has it."""
    normal = normalise_postal_code(postal_code)
    area = fsa_table().get(normal[:3]) if normal else None
    return Position(area[0], area[1], "postal_area") if area else None


def in_montreal(latitude: float, longitude: float) -> bool:
    south, north, west, east = MONTREAL_BOX
    return south <= latitude <= north and west <= longitude <= east


@lru_cache(maxsize=2048)
def _nominatim(query: str, domain: str, scheme: str, timeout: float) -> tuple[float, float] | None:
    from geopy.geocoders import Nominatim

    location = Nominatim(user_agent=USER_AGENT, domain=domain, scheme=scheme, timeout=timeout).geocode(
        query, country_codes="ca", exactly_one=True)
    return (location.latitude, location.longitude) if location else None


def locate(address: str, postal_code: str, geocoder: str = "offline", timeout: float = 3.0,
           domain: str = "nominatim.openstreetmap.org", scheme: str = "https") -> Position | None:
    """The position of an address in Montréal; None when neither Nominatim nor the postal area knows it."""
    if geocoder == "nominatim" and (address or "").strip():
        query = ", ".join(part for part in (address.strip(), normalise_postal_code(postal_code) or "",
                                            "Montréal, Québec, Canada") if part)
        from geopy.exc import GeopyError

        try:
            found = _nominatim(query, domain, scheme, timeout)
        except (GeopyError, OSError) as error:  # unreachable, timed out, refused: not cached by lru_cache
            log.warning("Geocoding unavailable, using the postal area: %s", error)
            found = None
        if found and in_montreal(*found):
            return Position(found[0], found[1], "nominatim")
    return postal_area_position(postal_code)
