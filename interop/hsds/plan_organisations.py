"""The organisations of an HSDS import plan: each placed in a territory (the one chosen, else from its
location), checked by referral.policy where it is now and where it would go, given a sector and a kind."""

from __future__ import annotations

from interop.hsds.errors import Problem
from interop.hsds.export import address_fields, placeholder_description, taxonomy_id
from interop.hsds.mapping import KINDS, SECTORS, fold, join_address, language_code, sector_and_kind
from interop.hsds.planning import ImportOptions, PackageIndex, Places, Plan, node_id, unique
from referral import policy

FIELDS = ("name", "sector", "kind", "description", "email", "address", "postal_code", "latitude", "longitude",
          "phone", "website", "languages", "territory", "serves")


def _organisation_location(index: PackageIndex, org_key: str) -> tuple[dict | None, list[dict]]:
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


def _position(plan: Plan, index: PackageIndex, location: dict | None, postal_code: str | None, places: Places):
    """(latitude, longitude, how): the location's coordinates, else the centre of its postal area."""
    if location and location.get("latitude") is not None and location.get("longitude") is not None:
        lat, lon = location["latitude"], location["longitude"]
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return float(lat), float(lon), "coordinates"
        plan.warnings.append(Problem(*index.locate("location", location), "latitude", "bad_coordinates",
                                     f"{lat}, {lon}"))
    fsa = (postal_code or "").replace(" ", "").upper()[:3]
    area = places.postal_area(fsa)
    if area is not None:
        lat, lon, _ = area
        return lat, lon, "postal_code"
    return None, None, None


def _organisation_terms(index: PackageIndex, org_key: str) -> tuple[str | None, str | None]:
    """Sector and kind carried by our own taxonomies (a package we exported)."""
    sector = kind = None
    for attribute in index.where("attribute", link_id=org_key, link_entity="organization"):
        term = index.get("taxonomy_term", attribute.get("taxonomy_term_id")) or {}
        if term.get("taxonomy_id") == taxonomy_id("sectors") and term.get("code") in SECTORS:
            sector = term["code"]
        elif term.get("taxonomy_id") == taxonomy_id("kinds") and term.get("code") in KINDS:
            kind = term["code"]
    return sector, kind


def _address(row: dict, current: dict | None) -> str | None:
    """Our one-line address from the package's row. Ours is kept when the row is what our export writes for it (the
    export adds the city ours may not say), or when there is no row and ours has no postal code (HSDS requires one:
    such an address never goes out, so the package cannot have changed it)."""
    ours = (current or {}).get("address")
    if ours and not row and not current.get("postal_code"):
        return ours
    joined = join_address(row)
    return ours if ours and row and joined == join_address(address_fields(ours)) else joined


def plan_organisations(plan: Plan, index: PackageIndex, existing: dict, territories: list[dict],
                       options: ImportOptions, labels: dict) -> dict[str, dict]:
    """Fills `plan` with the package's organisations; returns the planned ones by HSDS id."""
    territory_ids = {fold(t["name"]): t["id"] for t in territories}
    territory_names = {t["id"]: t["name"] for t in territories}
    planned_by_key = {}
    for org in index.rows.get("organization", []):
        key = org["id"]
        current = existing.get(key)
        if current and plan.twice("organisation", current, key):
            plan.item("organisation", org, "skip", reason="same_record")
            continue
        location, extra = _organisation_location(index, key)
        for other in extra:
            plan.warnings.append(Problem(*index.locate("location", other), None, "extra_location", org.get("name")))
        addresses = index.where("address", location_id=location["id"]) if location else []
        addresses.sort(key=lambda a: a.get("address_type") != "physical")
        address = addresses[0] if addresses else {}
        lat, lon, how = _position(plan, index, location, address.get("postal_code"), options.places)
        territory = options.territory or (options.places.territory_at(lat, lon) if lat is not None else None)
        territory_how = "chosen" if options.territory else how
        if territory is None:
            plan.item("organisation", org, "skip", reason="no_territory")
            continue
        if not policy.may_change_organisation(options.principal, current["territory"] if current else territory,
                                              territory):
            plan.item("organisation", org, "skip", reason="refused" if current else "outside_scope",
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
            "address": _address(address, current), "postal_code": address.get("postal_code"),
            "latitude": lat, "longitude": lon, "phone": phones[0]["number"] if phones else None,
            "languages": unique(languages), "territory": territory,
            "serves": sorted(served),
        }
        planned_by_key[key] = planned
        plan.record("organisation", plan.organisations, org, planned, current, FIELDS,
                sector=sector, kind=kind, territory=territory, territory_how=territory_how)
    return planned_by_key
