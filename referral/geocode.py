"""A postal code or an address → a position, for distances.

Offline (the default), the shipped table of Montréal postal areas (seed/data/montreal-fsa.csv)
places a postal code at the centre of its area: precise enough to rank by distance. With
GEOCODER = "nominatim", geopy asks OpenStreetMap's Nominatim, with a timeout and a cache (and
its usage policy's one request per second); a postal code still falls back on the table when
the service does not answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext as _
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from seed.territories import fsa_table

POSTAL_CODE = re.compile(r"^([A-Z]\d[A-Z])(?:[\s-]*(\d[A-Z]\d))?$")
USER_AGENT = "reseau-ei (intervenant.es des TIP de Montréal)"
# Montréal island and around: Nominatim prefers results inside this box.
VIEWBOX = ((45.38, -73.99), (45.72, -73.47))


class GeocodeError(ValueError):
    """The text gives no usable position; the message says why, in the user's language."""


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    label: str

    @property
    def pair(self) -> tuple[float, float]:
        return self.latitude, self.longitude


def postal_code(text: str) -> tuple[str, str | None] | None:
    """(area, local part) when the text is a Canadian postal code or its first three characters."""
    match = POSTAL_CODE.match(text.strip().upper())
    return (match.group(1), match.group(2)) if match else None


def from_postal_area(area: str) -> Position:
    place = fsa_table().get(area)
    if place is None:
        raise GeocodeError(_("Code postal inconnu : la zone %(area)s n'est pas sur l'île de Montréal.", area=area))
    latitude, longitude, name = place
    return Position(latitude, longitude, f"{area} ({name})")


def locate(text: str, geocoder: str = "offline", timeout: float = 3.0) -> Position:
    text = " ".join(text.split())
    if not text:
        raise GeocodeError(_("Indiquez un code postal ou une adresse."))
    code = postal_code(text)
    online = geocoder == "nominatim"
    if code:
        area, local = code
        if online and local:
            try:
                found = _nominatim(f"{area} {local}, Canada", timeout)
            except GeopyError:
                found = None
            if found:
                return found
        return from_postal_area(area)
    compact = re.sub(r"[\s-]", "", text)
    if len(compact) <= 7 and compact.isalnum():
        raise GeocodeError(_("Code postal invalide : écrivez-le comme H1G 3T4."))
    if not online:
        raise GeocodeError(_("La recherche par adresse n'est pas activée ici : indiquez un code postal (ex. H1G 3T4)."))
    try:
        found = _nominatim(f"{text}, Montréal, Québec", timeout)
    except GeopyError as error:
        raise GeocodeError(_("Le service de géocodage ne répond pas : indiquez un code postal.")) from error
    if not found:
        raise GeocodeError(_("Adresse introuvable : vérifiez-la ou indiquez un code postal."))
    return found


@lru_cache(maxsize=1)
def _client(timeout: float):
    geolocator = Nominatim(user_agent=USER_AGENT, timeout=timeout)
    return RateLimiter(geolocator.geocode, min_delay_seconds=1.0, max_retries=0, swallow_exceptions=False)


@lru_cache(maxsize=2048)
def _nominatim(query: str, timeout: float) -> Position | None:
    """Cached per query (failures raise, so they are not cached)."""
    location = _client(timeout)(query, exactly_one=True, country_codes="ca", viewbox=VIEWBOX, bounded=False)
    if location is None:
        return None
    return Position(location.latitude, location.longitude, location.address)
