"""« Fiche pour la famille »: what a worker hands a family so that it goes to see a named person — who,
where (with a map and a bus-and-metro route), the phone, the hours in words, a reference — with each
label in French and in the family's language, to print or send as text.

No Flask, no Cypher. The person's card comes from the search service (Search.card: unlisted people and
people working nowhere are not found), the referral from the referrals service (Referrals.referral: its
two parties and admins only, else NotFound), so that the sheet shows nothing its reader could not
already see. Nothing about the family is asked or stored: the sheet is read from the person, the
language and the referral alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from babel import Locale

from referral.labels import elide
from referral.search.hours import LANGUAGES, Words, babel_locale, capital, catalogue, in_words, phrase
from referral.search.service import Search
from referral.service_errors import NotFound

MAP_SEARCH = "https://www.openstreetmap.org/search?query="
TRANSIT_ROUTE = "https://www.google.com/maps/dir/?api=1&travelmode=transit&destination="

# The sheet's words, for a family that may read little: short and plain (the `family` gettext domain).
LABELS = {
    "title": phrase("Fiche pour la famille"),
    # For translators: before the name of the person the family goes to see.
    "see": phrase("Allez voir"),
    # For translators: before the organisation's name and address.
    "where": phrase("Où"),
    # For translators: the service the family asks for there (its name follows).
    "service": phrase("Service"),
    "map": phrase("Voir sur la carte"),
    "phone": phrase("Téléphone"),
    "hours": phrase("Heures d'ouverture"),
    "no_hours": phrase("Appelez pour connaître les heures."),
    "transit": phrase("En autobus et en métro"),
    # For translators: a link to the route by bus and metro.
    "route": phrase("Voir le trajet"),
    "reference": phrase("Numéro de référence"),
    "call_first": phrase("Si vous pouvez, appelez avant d'y aller."),
    "show": phrase("Montrez cette feuille à l'accueil."),
}
# For translators: the worker who refers the family; a personal referral (« allez-y de ma part »).
SENT_BY = phrase("Dites que vous venez de la part de %(name)s.")


@dataclass(frozen=True)
class Label:
    """One text in French and, unless the family reads French, in its language."""

    fr: str
    other: str | None


@dataclass(frozen=True)
class Sheet:
    language: str  # one of LANGUAGES
    rtl: bool  # the family's language is written right to left
    person_id: str
    person: str
    sent_by: Label | None  # « de la part de » the worker, when there is one
    organisation: str
    services: tuple[str, ...]  # the services for the family's need (all of them when none is known)
    address: str | None
    map_url: str | None
    transit_url: str | None
    phones: tuple[str, ...]
    hours_fr: Words | None
    hours: Words | None  # in the family's language (None when French)
    referral_id: str | None
    labels: dict[str, Label]


def language_names() -> list[tuple[str, str]]:
    """The sheet's languages, each named in itself (« Kreyòl ayisyen »), for the language chooser."""
    return [(code, _named(code)) for code in LANGUAGES]


def _named(code: str) -> str:
    return capital(Locale.parse(code).get_display_name(code))


def _place(address: str) -> str | None:
    """The address as a map or a route planner looks for it (every organisation is in Montréal)."""
    if not address:
        return None
    return address if "montr" in address.lower() else f"{address}, Montréal, QC"


class FamilySheets:
    """The sheets one worker may make: `search` reads cards as they may, `referral(id)` the referrals they
    may see; `sender` is the worker's own name (a sheet from a search is « de leur part »)."""

    def __init__(self, search: Search, referral, *, sender: str | None, now: datetime):
        self.search = search
        self.referral = referral
        self.sender = sender
        self.now = now  # Montréal's local time

    def sheet(self, person_id: str, language: str | None = None, referral_id: str | None = None,
              need: str | None = None, service_ids: tuple[str, ...] = ()) -> Sheet:
        """The sheet for `person_id`, from a referral to them when `referral_id` is given (its sender is
        who the family comes from; its language the default; its need the family's), else for `need` (a
        search's, or the services its words named: `service_ids`). NotFound for a person or a referral the
        worker may not read, or a referral to someone else. A language not offered reads as the default."""
        sender = self.sender
        default = "fr"
        if referral_id:
            referral = self.referral(referral_id)
            if (referral.get("receiver") or {}).get("id") != person_id:
                raise NotFound(referral_id)
            sender = (referral.get("sender") or {}).get("name")
            default = referral.get("language") if referral.get("language") in LANGUAGES else "fr"
            need = (referral.get("need") or {}).get("id")
        language = language if language in LANGUAGES else default
        contact = self.search.card(person_id)
        return self._sheet(contact, language, sender, referral_id, need, set(service_ids))

    def _sheet(self, contact: dict, language: str, sender: str | None, referral_id: str | None,
               need: str | None, service_ids: set[str]) -> Sheet:
        person, organisation = contact["person"], contact["organisation"]
        say = catalogue(language).gettext

        def label(text: str, **values) -> Label:
            return Label(elide(text % values, values.get("name")) if values else text,
                         None if language == "fr" else (say(text) % values if values else say(text)))

        # The hours of the service the family goes for, not of the whole organisation (a legal clinic may
        # close at 16 h 30 where its neighbour stays open until 17 h).
        every = contact.get("services") or []
        matching = [service for service in every
                    if (need and need in (service.get("needs") or [])) or service["id"] in service_ids]

        address = ", ".join(part for part in (organisation.get("address"), organisation.get("postal_code")) if part)
        place = _place(address)
        hours = [service.get("hours") for service in matching or every]
        return Sheet(
            language=language,
            rtl=babel_locale(language).character_order == "right-to-left",
            person_id=person["id"], person=person["name"], sent_by=label(SENT_BY, name=sender) if sender else None,
            organisation=organisation["name"], address=address or None,
            services=tuple(dict.fromkeys(service["name"] for service in matching)),
            map_url=MAP_SEARCH + quote(place) if place else None,
            transit_url=TRANSIT_ROUTE + quote(place) if place else None,
            phones=tuple(dict.fromkeys(p for p in (person.get("phone"), organisation.get("phone")) if p)),
            hours_fr=in_words(hours, self.now, "fr"),
            hours=None if language == "fr" else in_words(hours, self.now, language),
            referral_id=referral_id, labels={key: label(text) for key, text in LABELS.items()},
        )
