"""Where a postal code or an address is, for distances in search and positions in the directory.

Offline (the default), Montréal's postal areas place a postal code at the centre of its area: precise
enough to rank by distance or to draw a marker. The caller passes them as a lookup (`postal_area`: « H1G »
-> (latitude, longitude, place), or None), read from the graph where `flask --app app seed reference`
wrote them (graph.repositories.places). With GEOCODER = "nominatim", geopy asks Nominatim
(GEOCODER_SERVER, OpenStreetMap's by default) with a timeout, a cache, and its usage policy's one request
per second; when the service does not answer, a postal code still falls back on the postal areas, and
the service is not asked again for ten minutes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from flask_babel import gettext as _
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

log = logging.getLogger(__name__)

# A Canadian postal code (letters D, F, I, O, Q, U never appear), or only its area (first three).
POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(?:[\s-]*(\d[ABCEGHJ-NPRSTV-Z]\d))?$")
USER_AGENT = "reseau-ei (intervenant.es des TIP de Montréal)"
NOMINATIM = "https://nominatim.openstreetmap.org"
# The island of Montréal, generously: Nominatim prefers results inside it, and a position typed by
# hand must fall inside it.
MONTREAL_BOX = (45.35, 45.75, -74.05, -73.45)
PostalAreaLookup = Callable[[str], tuple[float, float, str] | None]
RETRY_AFTER_SECONDS = 600.0
_unreachable_until: dict[str, float] = {}  # server -> monotonic time before which it is not asked


class GeocodeError(ValueError):
    """The text gives no usable position; the message says why, in the user's language."""


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    label: str = ""
    source: str = "postal_area"  # "postal_area", "nominatim" or "manual"

    @property
    def pair(self) -> tuple[float, float]:
        return self.latitude, self.longitude


def postal_code(text: str) -> tuple[str, str | None] | None:
    """(area, local part) when the text is a Canadian postal code or its first three characters."""
    match = POSTAL_CODE.match((text or "").strip().upper())
    return (match.group(1), match.group(2)) if match else None


def normalise_postal_code(value: str) -> str | None:
    """`h1g3k4`, `H1G-3K4` → `H1G 3K4` (read as the search reads it); None unless it is a whole Canadian postal
    code."""
    code = postal_code(value)
    return f"{code[0]} {code[1]}" if code and code[1] else None


def in_montreal(latitude: float, longitude: float) -> bool:
    south, north, west, east = MONTREAL_BOX
    return south <= latitude <= north and west <= longitude <= east


def postal_area_position(code: str, postal_area: PostalAreaLookup) -> Position | None:
    """The centre of the postal code's area, if the postal areas have it."""
    parsed = postal_code(code)
    place = postal_area(parsed[0]) if parsed else None
    if place is None:
        return None
    latitude, longitude, name = place
    return Position(latitude, longitude, f"{parsed[0]} ({name})", "postal_area")


def locate(text: str, postal_area: PostalAreaLookup, geocoder: str = "offline", timeout: float = 3.0,
           server: str = NOMINATIM) -> Position:
    """For search: a postal code or an address typed by a worker; GeocodeError says what is wrong."""
    text = " ".join(text.split())
    if not text:
        raise GeocodeError(_("Indiquez un code postal ou une adresse."))
    code = postal_code(text)
    online = geocoder == "nominatim"
    if code:
        area, local = code
        found = _try_nominatim(f"{area} {local}, Canada", timeout, server) if online and local else None
        if found:
            return found
        position = postal_area_position(area, postal_area)
        if position is None:
            raise GeocodeError(_("Code postal inconnu : la zone %(area)s n'est pas sur l'île de Montréal.", area=area))
        return position
    compact = re.sub(r"[\s-]", "", text)
    if len(compact) <= 7 and compact.isalnum():
        raise GeocodeError(_("Code postal invalide : écrivez-le comme H1G 3T4."))
    if not online:
        raise GeocodeError(_("La recherche par adresse n'est pas activée ici : indiquez un code postal (ex. H1G 3T4)."))
    try:
        found = _nominatim(f"{text}, Montréal, Québec", timeout, server)
    except (GeopyError, OSError) as error:
        raise GeocodeError(_("Le service de géocodage ne répond pas : indiquez un code postal.")) from error
    if not found:
        raise GeocodeError(_("Adresse introuvable : vérifiez-la ou indiquez un code postal."))
    return found


def locate_address(address: str, code: str, postal_area: PostalAreaLookup, geocoder: str = "offline",
                   timeout: float = 3.0, server: str = NOMINATIM) -> Position | None:
    """For the directory: an organisation's address; None when neither Nominatim nor the table knows it."""
    if geocoder == "nominatim" and (address or "").strip():
        query = ", ".join(part for part in (address.strip(), normalise_postal_code(code) or "",
                                            "Montréal, Québec, Canada") if part)
        found = _try_nominatim(query, timeout, server)
        if found and in_montreal(*found.pair):
            return found
    return postal_area_position(code, postal_area)


def _try_nominatim(query: str, timeout: float, server: str) -> Position | None:
    """None when Nominatim does not answer; then it is not asked again for a while (an offline machine waits
    for no timeout on every save)."""
    if time.monotonic() < _unreachable_until.get(server, 0.0):
        return None
    try:
        return _nominatim(query, timeout, server)
    except (GeopyError, OSError) as error:  # unreachable, timed out, refused
        log.warning("Geocoding unavailable for %.0f s, using the postal area: %s", RETRY_AFTER_SECONDS, error)
        _unreachable_until[server] = time.monotonic() + RETRY_AFTER_SECONDS
        return None


@lru_cache(maxsize=4)
def _client(timeout: float, server: str = NOMINATIM):
    parts = urlsplit(server)
    geolocator = Nominatim(user_agent=USER_AGENT, domain=parts.netloc, scheme=parts.scheme, timeout=timeout)
    return RateLimiter(geolocator.geocode, min_delay_seconds=1.0, max_retries=0, swallow_exceptions=False)


@lru_cache(maxsize=2048)
def _nominatim(query: str, timeout: float, server: str = NOMINATIM) -> Position | None:
    """Cached per query (failures raise, so they are not cached)."""
    south, north, west, east = MONTREAL_BOX
    location = _client(timeout, server)(query, exactly_one=True, country_codes="ca",
                                        viewbox=((south, west), (north, east)), bounded=False)
    if location is None:
        return None
    return Position(location.latitude, location.longitude, location.address, "nominatim")
