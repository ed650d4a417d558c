"""Our directory (plain dicts read from the graph) -> flat HSDS 3 records, one list per table.

Ids are stable across exports: the uuid5 of our ids in a fixed namespace, or the HSDS id a record
came with when it was imported. Sub-records (location, address, phones…) derive theirs from their
owner's HSDS id, so an export re-imported elsewhere exports the same ids again.
Only what the directory shows goes out: organisations, services, and the people who agreed to be
listed (name, title, e-mail, phone, languages) — never a tie, a referral or a session.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from interop.hsds.mapping import schedule_from_hours, split_address
from interop.hsds.rows import UUID

# uuid5 namespace of Réseau EI's HSDS ids; never change it, or every id changes.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://reseau-ei.ca/hsds")
OWNER_KINDS = ("organisation", "service", "person")
TAXONOMIES = {
    "needs": ("Réseau EI — besoins des familles",
              "Besoins d'une famille, en français et en anglais (Réseau EI / Espace Intervenants)."),
    "sectors": ("Réseau EI — secteurs", "Secteurs des organisations (rapport d'évaluation Espace Intervenants)."),
    "kinds": ("Réseau EI — types d'établissement", "Types d'établissement des organisations."),
}
EXTENT_TOLERANCE = 0.0005  # degrees (~50 m): territory polygons light enough to repeat per service


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def hsds_id(kind: str, record: dict) -> str:
    """The HSDS id of one of our organisations, services or people: the one it was imported with when that is
    a UUID, as HSDS 3 requires; else (our own records, and those of a package written before HSDS 3 — ILAO's
    « 131321 ») the uuid5 of our id."""
    kept = record.get("hsds_id")
    return kept if isinstance(kept, str) and UUID.match(kept) else stable_id(kind, record["id"])


def taxonomy_id(name: str) -> str:
    return stable_id("taxonomy", name)


def term_id(taxonomy: str, code: str, language: str = "fr") -> str:
    return stable_id("taxonomy_term", taxonomy, code, language)


def hsds_datetime(moment: datetime | None) -> str | None:
    """UTC, to the millisecond, as HSDS's examples write it (« 2023-03-15T10:30:45.123Z »): such strings sort as
    the moments they say."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def address_fields(address: str) -> dict:
    """Our one-line address as HSDS wants it: street, city (Montréal when ours does not say) and province."""
    street, city = split_address(address)
    return {"address_1": street, "city": city, "state_province": "QC"}


def term_code(code: str, language: str = "fr") -> str:
    """HSDS wants a term's code unique in the whole package: a need's French term (the one services link to)
    is coded by our id, its English translation `en:` + our id."""
    return code if language == "fr" else f"{language}:{code}"


def placeholder_description(sector_label: str | None, territory_name: str | None) -> str:
    """HSDS requires a description and ours have none: the sector and the territory stand in for it
    (and an import recognises it as no description at all)."""
    return " — ".join(str(part) for part in (sector_label, territory_name) if part)


@lru_cache(maxsize=32)
def territory_extent(polygon: BaseGeometry) -> str:
    """The polygon simplified, as GeoJSON; kept per polygon (the same six, export after export)."""
    simplified = polygon.simplify(EXTENT_TOLERANCE, preserve_topology=True)
    return json.dumps(_rounded(mapping(simplified)), separators=(",", ":"))


def _rounded(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def build_tables(directory: dict, labels: dict, shapes: Mapping[str, BaseGeometry]) -> dict[str, list[dict]]:
    """`labels`: {"sectors"|"kinds"|"roles"|"languages": {code: French label}} from the web layer; `shapes`:
    the territories' polygons by id, as the graph holds them (a territory without one has no extent)."""
    tables = _Tables(labels)
    _taxonomies(tables.rows, directory["needs"], labels)
    territories = {t["id"]: t for t in directory["territories"]}
    # In HSDS id order, whatever our ids are: the same directory exports the same files.
    for org in sorted(directory["organisations"], key=lambda o: hsds_id("organisation", o)):
        _organisation(tables, org, territories.get(org.get("territory"), {}))
    served = {o["id"]: o.get("serves") or [o.get("territory")] for o in directory["organisations"]}
    extents = {tid: territory_extent(shapes[tid]) if tid in shapes else None for tid in territories}
    for service in sorted(directory["services"], key=lambda s: hsds_id("service", s)):
        if service["organisation"] in tables.org_ids:
            areas = [(territories[tid]["name"], tid, extents[tid]) for tid in served[service["organisation"]]
                     if tid in territories]
            _service(tables, service, areas)
    for person in sorted(directory["people"], key=lambda p: hsds_id("person", p)):
        if person.get("organisation") in tables.org_ids and person.get("listed"):
            _contact(tables, person)
    return tables.rows


class _Tables:
    """The HSDS tables being filled, and the HSDS ids given to our organisations and their location."""

    def __init__(self, labels: dict):
        self.rows: dict[str, list[dict]] = {name: [] for name in (
            "organization", "service", "location", "service_at_location", "address", "phone", "contact",
            "language", "schedule", "service_area", "taxonomy", "taxonomy_term", "attribute")}
        self.labels = labels
        self.org_ids: dict[str, str] = {}
        self.location_ids: dict[str, str] = {}

    def languages(self, owner_column: str, owner_id: str, codes) -> None:
        names = self.labels.get("languages", {})
        for code in codes or ():
            self.rows["language"].append({
                "id": stable_id("language", owner_column, owner_id, code), owner_column: owner_id,
                "code": code, "name": str(names.get(code, code)),
            })

    def attribute(self, entity: str, entity_id: str, term: str) -> None:
        self.rows["attribute"].append({
            "id": stable_id("attribute", entity, entity_id, term), "link_id": entity_id,
            "link_entity": entity, "link_type": "classification", "taxonomy_term_id": term,
        })


def _organisation(tables: _Tables, org: dict, territory: dict) -> None:
    """The organisation, its one location (with address, phone, languages) and its sector and kind."""
    labels, rows = tables.labels, tables.rows
    oid = tables.org_ids[org["id"]] = hsds_id("organisation", org)
    rows["organization"].append({
        "id": oid, "name": org["name"], "email": org.get("email"), "website": org.get("website"),
        "description": org.get("description") or placeholder_description(
            labels["sectors"].get(org.get("sector")), territory.get("name")),
    })
    location_id = tables.location_ids[org["id"]] = stable_id("location", oid)
    rows["location"].append({
        "id": location_id, "location_type": "physical", "organization_id": oid, "name": org["name"],
        "latitude": org.get("latitude"), "longitude": org.get("longitude"),
    })
    if org.get("address") and org.get("postal_code"):  # HSDS requires both
        rows["address"].append({
            "id": stable_id("address", oid), "location_id": location_id, **address_fields(org["address"]),
            "postal_code": org["postal_code"], "country": "CA", "address_type": "physical",
        })
    if org.get("phone"):
        rows["phone"].append({"id": stable_id("phone", oid), "organization_id": oid,
                              "number": org["phone"], "type": "voice"})
    tables.languages("location_id", location_id, org.get("languages"))
    if org.get("sector") in labels["sectors"]:
        tables.attribute("organization", oid, term_id("sectors", org["sector"]))
    if org.get("kind") in labels["kinds"]:
        tables.attribute("organization", oid, term_id("kinds", org["kind"]))


def _service(tables: _Tables, service: dict, areas: list[tuple[str, str, str]]) -> None:
    """The service at its organisation's location, its hours, needs and `areas` (name, id, extent) served."""
    rows = tables.rows
    sid = hsds_id("service", service)
    rows["service"].append({
        "id": sid, "organization_id": tables.org_ids[service["organisation"]], "name": service["name"],
        "description": service.get("description"), "status": "active",
        "eligibility_description": service.get("eligibility"),
        "last_modified": hsds_datetime(service.get("last_modified")),
    })
    rows["service_at_location"].append({
        "id": stable_id("service_at_location", sid), "service_id": sid,
        "location_id": tables.location_ids[service["organisation"]],
    })
    schedule = schedule_from_hours(service.get("hours"))
    if schedule:
        rows["schedule"].append({"id": stable_id("schedule", sid), "service_id": sid, **schedule})
    for name, tid, extent in areas:
        rows["service_area"].append({
            "id": stable_id("service_area", sid, tid), "service_id": sid,
            "name": name, "extent": extent, "extent_type": "geojson" if extent else None,
            "description": f"Territoire d'inclusion prioritaire {name} (Montréal)",
        })
    tables.languages("service_id", sid, service.get("languages"))
    for need in service.get("needs") or ():
        tables.attribute("service", sid, term_id("needs", need))


def _contact(tables: _Tables, person: dict) -> None:
    """A listed person as a contact of their organisation, with their phone and its languages."""
    rows = tables.rows
    cid = hsds_id("person", person)
    rows["contact"].append({
        "id": cid, "organization_id": tables.org_ids[person["organisation"]], "name": person["name"],
        "title": person.get("title") or str(tables.labels.get("roles", {}).get(person.get("role"), "")) or None,
        "email": person.get("email"),
    })
    if person.get("phone"):
        phone_id = stable_id("phone", cid)
        rows["phone"].append({"id": phone_id, "contact_id": cid, "number": person["phone"], "type": "voice"})
        tables.languages("phone_id", phone_id, person.get("languages"))


def _taxonomies(tables: dict, needs: list[dict], labels: dict) -> None:
    for key, (name, description) in TAXONOMIES.items():
        tables["taxonomy"].append({"id": taxonomy_id(key), "name": name, "description": description,
                                   "version": "1"})
    for need in needs:
        for language, label in (("fr", need["label_fr"]), ("en", need["label_en"])):
            tables["taxonomy_term"].append({
                "id": term_id("needs", need["id"], language), "code": term_code(need["id"], language), "name": label,
                "description": label,  # the search's keywords mix both languages: not a description
                "taxonomy": TAXONOMIES["needs"][0], "taxonomy_id": taxonomy_id("needs"), "language": language,
            })
    for key in ("sectors", "kinds"):
        for code, label in labels[key].items():
            tables["taxonomy_term"].append({
                "id": term_id(key, code), "code": code, "name": str(label), "description": str(label),
                "taxonomy": TAXONOMIES[key][0], "taxonomy_id": taxonomy_id(key), "language": "fr",
            })
