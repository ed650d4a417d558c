"""The export, and its records as the HSDS API serves them: lists filtered as the official API's parameters say
(`search`, `modified_after`, `organization_id`, `taxonomy_term_id`, `taxonomy_id`), single records fully nested.
Only what the export holds is served: listed contacts, no archived record. An unknown id: a 404 naming the table.
No Flask, no Cypher (HsdsExchange, which inherits this, gives the repositories)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from graph.repositories.hsds import HsdsRepository
from graph.repositories.places import PlacesRepository
from interop.folding import fold
from interop.hsds import export, writing
from referral.hsds import messages
from referral.service_errors import MISSING, ServiceError

# The text `search` looks in, per table (the official API: "full text search").
SEARCHED = {"organization": ("name", "alternate_name", "description", "email", "website"),
            "service": ("name", "alternate_name", "description", "eligibility_description"),
            "location": ("name", "description"), "taxonomy": ("name", "description"),
            "taxonomy_term": ("name", "description", "code")}


def _one(records: list[dict], record_id: str, what: str) -> dict:
    found = next((r for r in records if r["id"] == record_id), None)
    if found is None:
        raise ServiceError(MISSING, "not_found", messages.not_found(what))
    return found


def _listed(records: list[dict], tables: dict, nest) -> list[dict]:
    """A list's records as they are (absent values left out), or each fully nested by `nest`."""
    if nest is None:
        return _present(records)
    index = writing.children_index(tables)
    return [nest(r, tables, index) for r in records]


def _present(records) -> list[dict]:
    """Flat records as the API serves them: a value the record does not have is left out, not null (the HSDS
    schemas type each property; none is nullable)."""
    return [{k: v for k, v in record.items() if v is not None} for record in records]


def _found(table: str, search: str | None) -> Callable[[dict], bool]:
    """Whether a record of `table` holds every word of `search` (folded: accents, case, dashes)."""
    words = fold(search).split()

    def matches(record: dict) -> bool:
        text = fold(" ".join(str(record.get(column) or "") for column in SEARCHED[table]))
        return all(word in text for word in words)
    return matches


class HsdsRecords:
    repository: Callable

    def export_tables(self) -> dict[str, list[dict]]:
        directory = self.repository(HsdsRepository).directory(listed_only=True)
        shapes = self.repository(PlacesRepository).territory_shapes()
        return export.build_tables(directory, messages.labels(), shapes)

    def organizations(self, full_service: bool, search: str | None = None) -> list[dict]:
        tables = self.export_tables()
        records = writing.json_document(tables)["contents"] if full_service else _present(tables["organization"])
        return [r for r in records if _found("organization", search)(r)]

    def organization(self, record_id: str) -> dict:
        tables = self.export_tables()
        return writing.nest("organization", _one(tables["organization"], record_id, "organization"), tables)

    def services(self, organization_id: str | None, taxonomy_term_id: str | None, full: bool,
                 search: str | None = None, modified_after: datetime | None = None) -> list[dict]:
        tables = self.export_tables()
        records = _services(tables, organization_id, taxonomy_term_id, search, modified_after)
        return _listed(records, tables, _full_service if full else None)

    def service(self, record_id: str) -> dict:
        tables = self.export_tables()
        return _full_service(_one(tables["service"], record_id, "service"), tables, writing.children_index(tables))

    def service_at_locations(self, organization_id: str | None, taxonomy_term_id: str | None, full: bool,
                             search: str | None = None, modified_after: datetime | None = None) -> list[dict]:
        """A service where it is offered: that of a service the filters keep (`search` also finds the place)."""
        tables = self.export_tables()
        kept = {s["id"] for s in _services(tables, organization_id, taxonomy_term_id, None, modified_after)}
        by_text = {s["id"] for s in tables["service"] if _found("service", search)(s)}
        places = {loc["id"] for loc in tables["location"] if _found("location", search)(loc)}
        records = [r for r in tables["service_at_location"]
                   if r["service_id"] in kept and (r["service_id"] in by_text or r["location_id"] in places)]
        return _listed(records, tables, _full_service_at_location if full else None)

    def service_at_location(self, record_id: str) -> dict:
        tables = self.export_tables()
        record = _one(tables["service_at_location"], record_id, "service_at_location")
        return _full_service_at_location(record, tables, writing.children_index(tables))

    def taxonomies(self, search: str | None = None) -> list[dict]:
        return _present(r for r in self.export_tables()["taxonomy"] if _found("taxonomy", search)(r))

    def taxonomy(self, record_id: str) -> dict:
        return _one(self.taxonomies(), record_id, "taxonomy")

    def taxonomy_terms(self, taxonomy_id: str | None, search: str | None = None) -> list[dict]:
        records = self.export_tables()["taxonomy_term"]
        return _present(r for r in records if (not taxonomy_id or r["taxonomy_id"] == taxonomy_id)
                        and _found("taxonomy_term", search)(r))

    def taxonomy_term(self, record_id: str) -> dict:
        tables = self.export_tables()
        return writing.nest("taxonomy_term", _one(tables["taxonomy_term"], record_id, "taxonomy_term"), tables)


def _services(tables: dict, organization_id: str | None, taxonomy_term_id: str | None, search: str | None,
              modified_after: datetime | None) -> list[dict]:
    records = [r for r in tables["service"] if _found("service", search)(r)]
    if organization_id:
        records = [r for r in records if r["organization_id"] == organization_id]
    if taxonomy_term_id:
        linked = {a["link_id"] for a in tables["attribute"] if a["taxonomy_term_id"] == taxonomy_term_id}
        records = [r for r in records if r["id"] in linked]
    if modified_after:
        # A service never changed since it was loaded has no last_modified: not "modified after" any moment.
        since = export.hsds_datetime(modified_after)
        records = [r for r in records if (r.get("last_modified") or "") >= since]
    return records


def _full_service(record: dict, tables: dict, index: dict) -> dict:
    """The service nested with its organization (without the organization's other services)."""
    full = writing.nest("service", record, tables, index)
    organization = _one(tables["organization"], record["organization_id"], "organization")
    full["organization"] = writing.nest("organization", organization, tables, index, frozenset({"services"}))
    return full


def _full_service_at_location(record: dict, tables: dict, index: dict) -> dict:
    """As the official service_at_location_full: its location and its full service nested."""
    full = writing.nest("service_at_location", record, tables, index)
    full["service"] = _full_service(_one(tables["service"], record["service_id"], "service"), tables, index)
    return full
