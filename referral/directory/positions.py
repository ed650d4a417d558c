"""Where an organisation is: its point from what the coordinator typed — by hand, kept, or found from its
address — and the point the form's pin shows before saving, so that what is seen is what is saved. No Flask,
no Cypher."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from referral.geocode import Position

# The geocoder the page builds from its settings: (address, postal code) -> position, None when unknown.
Locate = Callable[[str | None, str], Position | None]
HOW = {"postal_area": _l("Point placé au centre du secteur postal %(place)s."),
       "nominatim": _l("Point placé d'après l'adresse."),
       "manual": _l("Point placé à la main.")}
DRAG = _l("Glissez l'épingle pour le corriger.")
MOVED = _l("La nouvelle adresse a déplacé le point.")
STORED = _l("Point tel qu'enregistré.")
NEW = _l("Écrivez le code postal (et l'adresse) : l'épingle s'y placera.")


@dataclass(frozen=True)
class Placed:
    """The point an address gives, said in words; `elsewhere` names the territory it falls in when that is
    not the one chosen (None: in it, or in none)."""
    latitude: float
    longitude: float
    source: str
    said: str
    elsewhere: str | None = None


def position_of(entry, organisation: dict | None, locate: Locate) -> Position | None:
    """Typed by hand; else the stored one while the address and postal code stay (a point placed by hand: while
    its coordinates stay too); else found from them."""
    if entry.manual_position:
        return Position(entry.latitude, entry.longitude, source="manual")
    stored = organisation and (organisation.get("latitude"), organisation.get("longitude"))
    if (stored and stored[0] is not None
            # placed by hand, the box unticked and the coordinates emptied: from the address again
            and (organisation.get("location_source") != "manual" or (entry.latitude, entry.longitude) == stored)
            and organisation.get("address") == (entry.address or None)
            and organisation.get("postal_code") == entry.postal_code):
        # its source kept as it is (a point the seed placed has none: an edit of its phone does not relabel it)
        return Position(organisation["latitude"], organisation["longitude"], source=organisation.get("location_source"))
    return locate(entry.address, entry.postal_code)


def moved(organisation: dict | None, position: Position) -> str | None:
    """Said on saving an organisation whose point the new address moved (without JavaScript the pin did not
    show it first)."""
    if organisation is None or organisation.get("latitude") is None or position.source == "manual":
        return None
    if (round(position.latitude, 6), round(position.longitude, 6)) == (organisation["latitude"],
                                                                      organisation["longitude"]):
        return None
    return f"{MOVED} {_how(position)}"


def said_of(organisation: dict | None) -> str:
    """How the form's pin was placed, when it opens."""
    if organisation is None or organisation.get("latitude") is None:
        return str(NEW)
    source = organisation.get("location_source")  # none: placed before its source was kept, said as such
    how = HOW[source] % {"place": (organisation.get("postal_code") or "")[:3]} if source else STORED
    return f"{how} {DRAG}"


def placed(position: Position, territory_at: str | None, chosen: str | None, names: dict[str, str]) -> Placed:
    said = _how(position)
    elsewhere = names.get(territory_at) if territory_at and chosen and territory_at != chosen else None
    return Placed(round(position.latitude, 6), round(position.longitude, 6), position.source, said, elsewhere)


def _how(position: Position) -> str:
    """How a point found from an address was placed, and that the pin corrects it (« H1H », not its English
    place name)."""
    return f"{HOW[position.source] % {'place': position.label.split(' ')[0]}} {DRAG}"
