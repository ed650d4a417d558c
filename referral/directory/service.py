"""The directory's rules, for its pages: what a principal may read or change — asked of referral.policy
against each record as the graph holds it now, never against what a form asks for alone — and what a
change writes. No Flask, no Cypher: the repositories come from `repository(cls)`.

Refused when the record may not be changed (ServiceError while it is archived: see upkeep.py); NotFound when
it does not exist or may not be read (an unlisted person of another territory is not revealed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from graph.repositories.imports import ImportRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.organisations import OrganisationNameTaken, OrganisationRepository
from graph.repositories.places import PlacesRepository
from graph.repositories.services import ServiceRepository
from graph.repositories.staff import StaffRepository, current_territories
from graph.repositories.territories import TerritoryRepository
from graph.repositories.territory_map import TerritoryMapRepository
from graph.repositories.ties import TieRepository
from referral import policy
from referral.directory import csv_import, messages, positions
from referral.directory.positions import Locate
from referral.directory.tie_rules import tie_faults
from referral.directory.upkeep import still_open
from referral.service_errors import INVALID, NotFound, Refused, ServiceError


@dataclass(frozen=True)
class OrganisationEntry:
    """What the organisation form holds, as its validators left it (postal code normalised, website completed)."""
    name: str
    sector: str
    kind: str
    address: str | None
    postal_code: str
    phone: str | None
    website: str | None
    languages: list[str]
    territory: str
    served: list[str]
    manual_position: bool = False
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class OrganisationSaved:
    """The saved organisation's id; or, nothing written, the fields at fault (name -> message). `warnings`
    are for a saved one (its point outside its territory)."""
    id: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class Directory:
    def __init__(self, principal: policy.Principal, repository: Callable, user: str):
        self.principal = principal
        self.repository = repository
        self.user = user  # who the journal says made the change

    def _require(self, allowed: bool) -> None:
        if not allowed:
            raise Refused

    # --- territories and organisations ---------------------------------------------------------------

    def territories(self) -> list[dict]:
        return self.repository(TerritoryRepository).list()

    def territory_names(self) -> list[dict]:
        """Ids and names only: what an import reads in its « territoire » column."""
        return self.repository(TerritoryRepository).names()

    def changeable_territories(self) -> list[dict]:
        return [t for t in self.territories() if policy.may_change_territory(self.principal, t["id"])]

    def organisations(self, territory: str | None = None, archived: bool = False) -> list[dict]:
        return [o for o in self.repository(OrganisationRepository).list(territory)
                if bool(o.get("archived_on")) == archived]

    def organisation(self, organisation_id: str) -> dict:
        """The organisation with the people the principal may read."""
        found = self.repository(OrganisationRepository).get(organisation_id)
        if found is None:
            raise NotFound(organisation_id)
        found["people"] = [p for p in found["people"] if policy.may_read_person(
            self.principal, p["territories"], p["listed"], p["id"])]
        return found

    def may_change_organisation(self, organisation: dict) -> bool:
        return policy.may_change_organisation(self.principal, organisation["territory"])

    def check_organisation(self, organisation: dict | None, territory: str | None) -> None:
        """A new organisation in `territory`, or `organisation` (where it is now) moved to `territory`."""
        if organisation is None:
            self._require(policy.may_change_organisation(self.principal, territory))
        else:
            still_open(organisation)
            self._require(policy.may_change_organisation(self.principal, organisation["territory"], territory))

    def postal_area(self, code: str) -> tuple[float, float, str] | None:  # « H1G » -> (lat, lon, place)
        return self.repository(PlacesRepository).postal_area(code)

    def outside_territory(self, latitude: float, longitude: float, territory: str) -> bool:
        return self.repository(PlacesRepository).territory_at(latitude, longitude) != territory

    def place(self, address: str | None, postal_code: str, territory: str | None,
              locate: Locate) -> positions.Placed | None:
        """The point saving would give this address (the form's pin shows it first); None when unknown."""
        position = locate(address, postal_code)
        if position is None:
            return None
        at = self.repository(PlacesRepository).territory_at(position.latitude, position.longitude)
        return positions.placed(position, at, territory, {t["id"]: t["name"] for t in self.territories()})

    def save_organisation(self, entry: OrganisationEntry, organisation: dict | None,
                          locate: Locate) -> OrganisationSaved:
        """A new organisation (`organisation` None) or the one edited, as `entry` says. Its name is unique in
        its territory, checked in the writing transaction (two coordinators saving one name at once: the
        second is told); a point outside the territory's polygon is kept, with a warning."""
        self.check_organisation(organisation, entry.territory)
        position = positions.position_of(entry, organisation, locate)
        if position is None:
            return OrganisationSaved(errors={"postal_code": messages.POSTAL_AREA_UNKNOWN})
        values = {
            "name": entry.name.strip(), "sector": entry.sector, "kind": entry.kind, "address": entry.address or None,
            "postal_code": entry.postal_code, "phone": entry.phone or None, "website": entry.website or None,
            "languages": entry.languages or ["fr"], "latitude": round(position.latitude, 6),
            "longitude": round(position.longitude, 6), "location_source": position.source,
        }
        served = sorted({entry.territory, *entry.served})
        repository = self.repository(OrganisationRepository)
        try:
            if organisation is None:
                saved = repository.create(values, entry.territory, served, self.user)
            else:
                saved = organisation["id"]
                repository.update(saved, values, entry.territory, served, self.user)
        except OrganisationNameTaken:
            return OrganisationSaved(errors={"name": messages.NAME_TAKEN})
        outside = self.outside_territory(position.latitude, position.longitude, entry.territory)
        said = [positions.moved(organisation, position), messages.OUTSIDE_TERRITORY if outside else None]
        return OrganisationSaved(saved, warnings=[warning for warning in said if warning])

    def changeable_organisation_choices(self) -> list[tuple[str, str]]:
        return [(o["id"], f"{o['name']} ({o['territory_name']})") for o in self.organisations()
                if policy.may_change_organisation(self.principal, o["territory"])]

    # --- services ------------------------------------------------------------------------------------

    def needs(self) -> list[dict]:
        """The needs a service may address."""
        return self.repository(NeedRepository).list()

    def service(self, service_id: str) -> dict:
        found = self.repository(ServiceRepository).get(service_id)
        if found is None:
            raise NotFound(service_id)
        return found

    def check_service(self, record: dict) -> None:  # an organisation (for a new service) or a service
        still_open(record)
        self._require(policy.may_change_service(self.principal, record["territory"]))

    def create_service(self, organisation: dict, values: dict, needs: list[str]) -> str:
        self.check_service(organisation)
        return self.repository(ServiceRepository).create(organisation["id"], values, needs, self.user)

    def update_service(self, service: dict, values: dict, needs: list[str]) -> None:
        self.check_service(service)
        self.repository(ServiceRepository).update(service["id"], values, needs, self.user)

    # --- people and their jobs -----------------------------------------------------------------------

    def _readable(self, person: dict) -> bool:
        # An archived person left the directory: only who may restore them reads them.
        listed = person["listed"] and not person.get("archived_on")
        return policy.may_read_person(self.principal, current_territories(person), listed, person["id"])

    def people(self, territory: str | None = None, archived: bool | None = False) -> list[dict]:
        """Readable people, open ones (archived: the archived ones; None: both, in one read)."""
        return [p for p in self.repository(StaffRepository).list(territory)
                if self._readable(p) and archived in (None, bool(p.get("archived_on")))]

    def person(self, person_id: str) -> dict:
        found = self.repository(StaffRepository).get(person_id)
        if found is None or not self._readable(found):
            raise NotFound(person_id)
        return found

    def may_change_person(self, person: dict) -> bool:
        return policy.may_change_person(self.principal, current_territories(person))

    def check_person(self, person: dict) -> None:
        still_open(person)
        self._require(self.may_change_person(person))

    def may_end_jobs(self, person: dict) -> dict[str, bool]:
        """Organisation id → whether the principal may end the person's current job there."""
        territories = current_territories(person)
        return {job["organisation"]: policy.may_change_job(self.principal, territories, job["territory"])
                for job in person["jobs"] if job["until"] is None}

    def _organisation_territory(self, organisation_id: str) -> str | None:
        found = self.repository(OrganisationRepository).get(organisation_id)
        if found is None:
            raise NotFound(organisation_id)
        still_open(found, messages.ORGANISATION_CLOSED)
        return found["territory"]

    def check_new_person(self, organisation_id: str) -> None:
        self._require(policy.may_create_person(self.principal, self._organisation_territory(organisation_id)))

    def create_person(self, values: dict, kind: str, organisation_id: str, since: date) -> str:
        """The new person's id; EmailTaken (nothing written) when someone already has the e-mail."""
        self.check_new_person(organisation_id)
        return self.repository(StaffRepository).create(_asked(values, {}), kind, organisation_id, since, self.user)

    def update_person(self, person: dict, values: dict) -> None:
        self.check_person(person)
        self.repository(StaffRepository).update(person["id"], _asked(values, person), self.user)

    def check_job(self, person: dict, organisation_id: str) -> None:
        """A new job: the right over the person where they work now AND over the organisation."""
        self._require(policy.may_change_job(self.principal, current_territories(person),
                                            self._organisation_territory(organisation_id)))

    def add_job(self, person: dict, organisation_id: str, since: date) -> bool:
        """False when the person already works there."""
        self.check_job(person, organisation_id)
        return self.repository(StaffRepository).add_job(person["id"], organisation_id, since, self.user)

    def check_end_job(self, person: dict, organisation_id: str) -> None:
        """NotFound when the person has no current job there."""
        rights = self.may_end_jobs(person)
        if organisation_id not in rights:
            raise NotFound(organisation_id)
        self._require(rights[organisation_id])

    def end_job(self, person: dict, organisation_id: str, until: date) -> bool:
        """False when `until` precedes the job's start."""
        self.check_end_job(person, organisation_id)
        return self.repository(StaffRepository).end_job(person["id"], organisation_id, until, self.user)

    # --- ties ----------------------------------------------------------------------------------------

    def tie_choices(self) -> tuple[list[dict], list[dict]]:
        """(people the principal may tie to someone, people they may be tied to): readable people at work now."""
        readable = [p for p in self.people() if any(job["until"] is None for job in p["jobs"])]
        return [p for p in readable if self.may_change_person(p)], readable

    def session_choices(self) -> list[tuple[dict, dict]]:
        sessions = self.repository(TerritoryMapRepository)
        return [(t, s) for t in self.changeable_territories() for s in sessions.sessions(t["id"])]

    def check_tie(self, a: dict, b: dict) -> None:
        self._require(policy.may_tie(self.principal, current_territories(a), current_territories(b)))

    def create_tie(self, a: dict, b: dict, since: date, origin: str, level: str, session: str | None) -> bool:
        """False (nothing written) when they are tied already; ServiceError when its origin, date and session
        disagree (tie_rules)."""
        self.check_tie(a, b)
        places = self.repository(TerritoryRepository)
        territories = [t for t in map(places.get, sorted(current_territories(a) | current_territories(b))) if t]
        held = self.repository(TerritoryMapRepository).session(session) if session else None
        if session and held is None:
            raise NotFound(session)
        if faults := tie_faults(since, origin, held, territories, (a["id"], b["id"])):
            raise ServiceError(INVALID, "incoherent_tie", messages.TIE_INCOHERENT, faults)
        return self.repository(TieRepository).create(a["id"], b["id"], since, origin, level, session, self.user)

    def existing_tie(self, a: dict, b: dict) -> dict | None:
        return self.repository(TieRepository).get(a["id"], b["id"])

    # --- the journal and CSV imports -----------------------------------------------------------------

    def plan_import(self, parsed: csv_import.ParsedFile) -> csv_import.ImportPlan:
        return self._planner(parsed)(self.repository(ImportRepository).context(parsed.kind, csv_import.emails(parsed)))

    def _planner(self, parsed: csv_import.ParsedFile) -> Callable[[dict], csv_import.ImportPlan]:
        return lambda context: csv_import.plan_import(
            parsed, csv_import.ImportContext(**context, postal_area=self.postal_area), self.principal)

    def run_import(self, parsed: csv_import.ParsedFile) -> csv_import.ImportPlan:
        """Planned again inside the writing transaction, against the directory as it is then; written only
        when no row is rejected. EmailTaken when another import took one of its e-mails meanwhile."""
        return self.repository(ImportRepository).run(parsed.kind, csv_import.emails(parsed), self._planner(parsed),
                                                     self.user)


def _asked(values: dict, person: dict) -> dict:
    """A consent box left unticked is no answer recorded while none was (a new person, one an import left « pas
    encore demandé »): only a ticked box records one (outside passes of issue 21: an edit of the phone, then a
    new person, signed refusals nobody gave)."""
    return {k: v for k, v in values.items()
            if not (k in ("listed", "research_consent") and person.get(k) is None and not v)}
