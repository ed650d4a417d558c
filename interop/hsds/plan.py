"""What an import will do, decided before anything is written: rows to write, and a preview of
what is created, updated, left unchanged or skipped (and why), which taxonomy terms map to no need.

A package record matches one of ours when its HSDS id is the one we export for it (the uuid5 of our
id) or the one it was imported with; new records get ids derived from their HSDS id, so importing
the same package twice writes the same nodes: the second time, nothing changes.

Each record is checked by referral.policy against the record it would change as the directory holds it
now (an organisation where it is located, a service by its organisation's territory, a contact by the
territories they work in): a package reusing another territory's id is skipped for that record, it does
not move it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from interop.hsds.errors import Problem
from interop.hsds.export import OWNER_KINDS, hsds_id, placeholder_description, stable_id, taxonomy_id
from interop.hsds.mapping import (
    DEFAULT_KIND,
    DEFAULT_SECTOR,
    KINDS,
    SECTORS,
    fold,
    hours_from_schedules,
    join_address,
    language_code,
    map_term,
    sector_and_kind,
)
from interop.hsds.package import Package
from referral import policy
from seed.reference.territories import fsa_table, territory_at

INACTIVE = ("inactive", "defunct")
ORG_FIELDS = ("name", "sector", "kind", "description", "email", "address", "postal_code", "latitude", "longitude",
              "phone", "website", "languages", "territory", "serves")
SERVICE_FIELDS = ("organisation", "name", "description", "eligibility", "languages", "hours", "needs")
PERSON_FIELDS = ("organisation", "name", "title", "role", "email", "phone", "languages")


@dataclass
class ImportOptions:
    territory: str | None = None  # chosen for the whole import; None: from each location's coordinates
    principal: policy.Principal = policy.OPERATOR  # who imports
    sector: str = DEFAULT_SECTOR
    kind: str = DEFAULT_KIND
    source: str = "hsds"


@dataclass
class Plan:
    organisations: list[dict] = field(default_factory=list)  # rows to write (created or updated)
    services: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)  # the preview, one entry per record read
    unmapped: list[dict] = field(default_factory=list)  # taxonomy terms that map to no need
    warnings: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for item in self.items:
            entity = result.setdefault(item["entity"], {"create": 0, "update": 0, "unchanged": 0, "skip": 0})
            entity[item["action"]] += 1
        return result

    @property
    def refused(self) -> list[dict]:
        """Records of the directory the importer may not change: the import is refused as a whole (403)."""
        return [item for item in self.items if item.get("reason") == "refused"]

    @property
    def changes(self) -> bool:
        return bool(self.organisations or self.services or self.people)


def node_id(prefix: str, kind: str, key: str) -> str:
    return f"{prefix}-{stable_id('import', kind, key)}"


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and round(float(a), 6) == round(float(b), 6)
    if isinstance(a, list) or isinstance(b, list):
        return list(a or []) == list(b or [])
    return (a if a != "" else None) == (b if b != "" else None)


def _unique(codes: list) -> list:
    """Without blanks or repeats, in the package's order (the first language is the main one)."""
    return list(dict.fromkeys(code for code in codes if code))


def _diff(planned: dict, existing: dict | None, fields: tuple[str, ...]) -> list[str]:
    return [f for f in fields if not _same(planned.get(f), (existing or {}).get(f))]


class _Index:
    """The package's rows, by id and by the record they belong to."""

    def __init__(self, package: Package):
        self.rows = {t: [r.values for r in rows] for t, rows in package.tables.items()}
        self.by_id = {t: {r["id"]: r for r in rows if r.get("id") is not None} for t, rows in self.rows.items()}
        self.groups: dict = {}
        self.positions = {(t, r.values.get("id")): (r.file, r.row) for t, rows in package.tables.items() for r in rows}

    def locate(self, table: str, record: dict) -> tuple:
        """(file, row) a record was read from, for warnings."""
        return self.positions.get((table, record.get("id")), (table, None))

    def where(self, table: str, **match) -> list[dict]:
        """Rows whose columns equal `match`, through a per-column index (packages may be large)."""
        (column, value), *rest = match.items()
        key = (table, column)
        if key not in self.groups:
            groups: dict = {}
            for row in self.rows.get(table, []):
                groups.setdefault(row.get(column), []).append(row)
            self.groups[key] = groups
        return [r for r in self.groups[key].get(value, []) if all(r.get(k) == v for k, v in rest)]

    def get(self, table: str, key) -> dict | None:
        return self.by_id.get(table, {}).get(key) if key is not None else None


def plan_import(package: Package, state: dict, options: ImportOptions, labels: dict) -> Plan:
    """`state`: our directory as the repository reads it (organisations, services, people with their
    ids and hsds_id, needs, territories, term mappings). `labels`: roles and languages, code -> label."""
    plan = Plan()
    index = _Index(package)
    existing = {kind: {hsds_id(kind, r): r for r in state[f"{kind}s" if kind != "person" else "people"]}
                for kind in OWNER_KINDS}
    planned_orgs = _plan_organisations(plan, index, existing["organisation"], state["territories"], options,
                                       labels)
    located = {o["id"]: o.get("territory") for o in state["organisations"]}
    _plan_services(plan, index, existing["service"], planned_orgs, state, labels, options.principal, located)
    _plan_people(plan, index, existing["person"], planned_orgs, state, labels, options.principal, located)
    return plan


def _item(plan: Plan, entity: str, record: dict, action: str, **details) -> None:
    plan.items.append({"entity": entity, "key": record.get("id"), "name": record.get("name"), "action": action,
                       **details})


def _record(plan: Plan, entity: str, rows: list, row: dict, planned: dict, current: dict | None,
            fields: tuple[str, ...], **details) -> None:
    """Create, update or leave unchanged: the preview says which fields change."""
    if current is None:
        rows.append({**planned, "create": True})
        _item(plan, entity, row, "create", **details)
        return
    changes = _diff(planned, current, fields)
    if changes:
        rows.append({**planned, "create": False})
    _item(plan, entity, row, "update" if changes else "unchanged", changes=changes, **details)


# --- Organisations ----------------------------------------------------------------------------------


def _organisation_location(index: _Index, org_key: str) -> tuple[dict | None, list[dict]]:
    """The organisation's location (ours keep one address): its own, else where its services are."""
    candidates = index.where("location", organization_id=org_key)
    for service in index.where("service", organization_id=org_key):
        for sal in index.where("service_at_location", service_id=service["id"]):
            location = index.get("location", sal.get("location_id"))
            if location and location not in candidates:
                candidates.append(location)
    usable = [loc for loc in candidates if loc.get("location_type") != "virtual"]
    usable.sort(key=lambda loc: loc.get("location_type") != "physical")
    return (usable[0] if usable else None), usable[1:]


def _position(plan: Plan, index: _Index, location: dict | None, postal_code: str | None):
    """(latitude, longitude, how): the location's coordinates, else the centre of its postal area."""
    if location and location.get("latitude") is not None and location.get("longitude") is not None:
        lat, lon = location["latitude"], location["longitude"]
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return float(lat), float(lon), "coordinates"
        plan.warnings.append(Problem(*index.locate("location", location), "latitude", "bad_coordinates",
                                     f"{lat}, {lon}"))
    fsa = (postal_code or "").replace(" ", "").upper()[:3]
    if fsa in fsa_table():
        lat, lon, _ = fsa_table()[fsa]
        return lat, lon, "postal_code"
    return None, None, None


def _organisation_terms(index: _Index, org_key: str) -> tuple[str | None, str | None]:
    """Sector and kind carried by our own taxonomies (a package we exported)."""
    sector = kind = None
    for attribute in index.where("attribute", link_id=org_key, link_entity="organization"):
        term = index.get("taxonomy_term", attribute.get("taxonomy_term_id")) or {}
        if term.get("taxonomy_id") == taxonomy_id("sectors") and term.get("code") in SECTORS:
            sector = term["code"]
        elif term.get("taxonomy_id") == taxonomy_id("kinds") and term.get("code") in KINDS:
            kind = term["code"]
    return sector, kind


def _plan_organisations(plan, index, existing, territories, options, labels) -> dict[str, dict]:
    territory_ids = {fold(t["name"]): t["id"] for t in territories}
    territory_names = {t["id"]: t["name"] for t in territories}
    planned_by_key = {}
    for org in index.rows.get("organization", []):
        key = org["id"]
        current = existing.get(key)
        location, extra = _organisation_location(index, key)
        for other in extra:
            plan.warnings.append(Problem(*index.locate("location", other), None, "extra_location", org.get("name")))
        addresses = index.where("address", location_id=location["id"]) if location else []
        addresses.sort(key=lambda a: a.get("address_type") != "physical")
        address = addresses[0] if addresses else {}
        lat, lon, how = _position(plan, index, location, address.get("postal_code"))
        territory = options.territory or (territory_at(lat, lon) if lat is not None else None)
        territory_how = "chosen" if options.territory else how
        if territory is None:
            _item(plan, "organisation", org, "skip", reason="no_territory")
            continue
        if not policy.may_change_organisation(options.principal, current["territory"] if current else territory,
                                              territory):
            _item(plan, "organisation", org, "skip", reason="refused" if current else "outside_scope",
                  territory=territory)
            continue
        own_sector, own_kind = _organisation_terms(index, key)
        guessed_sector, guessed_kind = sector_and_kind(org.get("name") or "", options.sector, options.kind)
        sector = own_sector or (current or {}).get("sector") or guessed_sector
        kind = own_kind or (current or {}).get("kind") or guessed_kind
        phones = [p for p in index.where("phone", organization_id=key) if not p.get("contact_id")]
        if not phones and location:
            phones = [p for p in index.where("phone", location_id=location["id"]) if not p.get("contact_id")]
        languages = [language_code(lang.get("code"), lang.get("name"))
                     for lang in (index.where("language", location_id=location["id"]) if location else [])]
        served = {territory}
        for service in index.where("service", organization_id=key):
            for area in index.where("service_area", service_id=service["id"]):
                if fold(area.get("name")) in territory_ids:
                    served.add(territory_ids[fold(area["name"])])
        description = org.get("description")
        if description == placeholder_description(labels["sectors"].get(sector), territory_names.get(territory)):
            description = None
        planned = {
            "id": current["id"] if current else node_id("o", "organisation", key),
            "hsds_id": key, "name": org["name"], "sector": sector, "kind": kind,
            "description": description, "email": org.get("email"), "website": org.get("website"),
            "address": join_address(address), "postal_code": address.get("postal_code"),
            "latitude": lat, "longitude": lon, "phone": phones[0]["number"] if phones else None,
            "languages": _unique(languages), "territory": territory,
            "serves": sorted(served),
        }
        planned_by_key[key] = planned
        _record(plan, "organisation", plan.organisations, org, planned, current, ORG_FIELDS,
                sector=sector, kind=kind, territory=territory, territory_how=territory_how)
    return planned_by_key


# --- Services ------------------------------------------------------------------------------------------


def _taxonomy_name(index: _Index, term: dict) -> str:
    taxonomy = index.get("taxonomy", term.get("taxonomy_id"))
    return (taxonomy or {}).get("name") or term.get("taxonomy") or ""


def _plan_services(plan, index, existing, planned_orgs, state, labels, principal, located) -> None:
    unmapped: dict[str, dict] = {}
    for service in index.rows.get("service", []):
        key = service["id"]
        if service.get("status") in INACTIVE:
            _item(plan, "service", service, "skip", reason="inactive", value=service["status"])
            continue
        org = planned_orgs.get(service.get("organization_id"))
        if org is None:
            _item(plan, "service", service, "skip", reason="organisation_skipped")
            continue
        current = existing.get(key)
        if current and not policy.may_change_service(principal, located.get(current["organisation"]),
                                                     org["territory"]):
            _item(plan, "service", service, "skip", reason="refused")
            continue
        sal_ids = [sal["id"] for sal in index.where("service_at_location", service_id=key)]
        schedules = index.where("schedule", service_id=key)
        schedules += [s for sid in sal_ids for s in index.where("schedule", service_at_location_id=sid)
                      if s not in schedules]
        needs, missing = [], []
        for attribute in index.where("attribute", link_id=key, link_entity="service"):
            term = index.get("taxonomy_term", attribute.get("taxonomy_term_id"))
            if term is None:
                continue
            taxonomy = _taxonomy_name(index, term)
            need = map_term(term, taxonomy, state["mappings"], state["needs"])
            if need:
                needs.append(need)
            else:
                missing.append(term.get("name") or term.get("code"))
                entry = unmapped.setdefault(term["id"], {"taxonomy": taxonomy, "code": term.get("code"),
                                                         "name": term.get("name"), "services": 0})
                entry["services"] += 1
        languages = [language_code(lang.get("code"), lang.get("name"), labels.get("languages"))
                     for lang in index.where("language", service_id=key)]
        planned = {
            "id": current["id"] if current else node_id("s", "service", key), "hsds_id": key,
            "organisation": org["id"], "name": service["name"], "description": service.get("description"),
            "eligibility": service.get("eligibility_description"),
            "languages": _unique(languages),
            "hours": hours_from_schedules(schedules), "needs": sorted(set(needs)),
        }
        _record(plan, "service", plan.services, service, planned, current, SERVICE_FIELDS,
                needs=planned["needs"], unmapped=missing)
    plan.unmapped = sorted(unmapped.values(), key=lambda t: (-t["services"], fold(t["name"])))


# --- Contacts -> people -------------------------------------------------------------------------------


def _contact_organisation(index: _Index, contact: dict) -> str | None:
    if contact.get("organization_id"):
        return contact["organization_id"]
    service = index.get("service", contact.get("service_id"))
    if service is None:
        sal = index.get("service_at_location", contact.get("service_at_location_id"))
        service = index.get("service", (sal or {}).get("service_id"))
    if service:
        return service.get("organization_id")
    location = index.get("location", contact.get("location_id"))
    return (location or {}).get("organization_id")


def _plan_people(plan, index, existing, planned_orgs, state, labels, principal, located) -> None:
    roles = {fold(str(label)): code for code, label in (labels.get("roles") or {}).items()}
    # An e-mail (stored lower-case) belongs to one person: none is taken from the directory's people, nor
    # given to two contacts of the package.
    owners = {p["email"].lower(): p["id"] for p in state["people"] if p.get("email")}
    planned_emails = set()
    for contact in index.rows.get("contact", []):
        key = contact["id"]
        if not contact.get("name"):
            _item(plan, "contact", contact, "skip", reason="no_name")
            continue
        org = planned_orgs.get(_contact_organisation(index, contact))
        if org is None:
            _item(plan, "contact", contact, "skip", reason="organisation_skipped")
            continue
        current = existing.get(key)
        if current and not policy.may_change_job(
                principal, {located.get(o) for o in current.get("organisations", [])} - {None}, org["territory"]):
            _item(plan, "contact", contact, "skip", reason="refused")
            continue
        email = (contact.get("email") or "").strip().lower() or None
        owner = owners.get(email) if email else None
        if owner is not None and owner != (current or {}).get("id"):
            _item(plan, "contact", contact, "skip", reason="same_email")
            continue
        if email and email in planned_emails:
            _item(plan, "contact", contact, "skip", reason="same_email_in_package")
            continue
        phones = index.where("phone", contact_id=key)
        languages = [language_code(lang.get("code"), lang.get("name"), labels.get("languages"))
                     for phone in phones[:1] for lang in index.where("language", phone_id=phone["id"])]
        title = contact.get("title")
        role = roles.get(fold(title)) if title else None
        planned = {
            "id": current["id"] if current else node_id("p", "person", key), "hsds_id": key,
            "organisation": org["id"], "name": contact["name"],
            "title": None if role else title, "role": role or (current or {}).get("role"),
            "email": email, "phone": phones[0]["number"] if phones else None,
            "languages": _unique(languages),
        }
        current_view = None if current is None else {
            **current, "organisation": org["id"] if org["id"] in current.get("organisations", []) else None}
        _record(plan, "contact", plan.people, contact, planned, current_view, PERSON_FIELDS,
                listed=bool(current and current.get("listed")))
        if email:
            planned_emails.add(email)
