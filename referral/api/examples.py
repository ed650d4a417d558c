"""One example answer per API operation, for the OpenAPI document (tests check each against its schema).

The HSDS answers are not written by hand: they are what the export and the HSDS API's own code make of a
one-organisation directory (SAMPLE), so they follow the code. The others are small, made-up answers.
"""

from __future__ import annotations

from datetime import UTC, datetime

from analysis.export_formats import FORMATS
from interop.hsds import export, writing
from interop.hsds.spec import HSDS_VERSION, SPEC_URL
from referral.hsds import messages
from referral.hsds.records import HsdsRecords
from referral.hsds.service import TITLE

SAMPLE = {
    "territories": [{"id": "mn", "name": "Montréal-Nord"}],
    "needs": [{"id": "food-aid", "label_fr": "Aide alimentaire", "label_en": "Food aid"}],
    "organisations": [{
        "id": "o-example", "name": "Maison de la famille de Montréal-Nord", "sector": "family", "kind": "community",
        "email": "info@example.org", "website": "https://example.org",
        "address": "4500, boulevard Henri-Bourassa Est, Montréal (Québec)", "postal_code": "H1H 1A1",
        "phone": "514 555-0100", "languages": ["fr", "ht"], "latitude": 45.5907, "longitude": -73.6327,
        "territory": "mn", "serves": ["mn"]}],
    "services": [{
        "id": "s-example", "name": "Dépannage alimentaire", "description": "Paniers d'épicerie chaque semaine.",
        "eligibility": "Familles du quartier", "languages": ["fr"], "hours": "lun-ven 09:00-17:00",
        "organisation": "o-example", "needs": ["food-aid"], "last_modified": datetime(2025, 3, 3, 14, 0, tzinfo=UTC)}],
    "people": [{
        "id": "p-example", "name": "Camille Tremblay", "role": "intervenant", "title": "Intervenante famille",
        "email": "camille@example.org", "phone": "514 555-0101", "languages": ["fr"], "listed": True,
        "organisation": "o-example"}],
}


class _Sample(HsdsRecords):
    """The HSDS API's records of SAMPLE (labels in French, as the export's; no territory polygon)."""

    def export_tables(self) -> dict[str, list[dict]]:
        return export.build_tables(SAMPLE, messages.labels(), {})


def _page(records: list[dict]) -> dict:
    """A first page of two records at most, of all there are."""
    return writing.page(records[:2], 1, 2, total=len(records))


def _hsds(view: str):
    sample = _Sample()
    tables = sample.export_tables()
    first = {table: records[0]["id"] for table, records in tables.items() if records}
    return {
        "hsds_root": lambda: {"version": HSDS_VERSION, "profile": SPEC_URL,
                              "openapi_url": "https://reseau-ei.example/api/v1/openapi.json"},
        "hsds_organizations": lambda: _page(sample.organizations(False)),
        "hsds_organization": lambda: sample.organization(first["organization"]),
        "hsds_services": lambda: _page(sample.services(None, None, False)),
        "hsds_service": lambda: sample.service(first["service"]),
        "hsds_service_at_locations": lambda: _page(sample.service_at_locations(None, None, False)),
        "hsds_service_at_location": lambda: sample.service_at_location(first["service_at_location"]),
        "hsds_taxonomies": lambda: _page(sample.taxonomies()),
        "hsds_taxonomy": lambda: sample.taxonomy(first["taxonomy"]),
        "hsds_taxonomy_terms": lambda: _page(sample.taxonomy_terms(None)),
        "hsds_taxonomy_term": lambda: sample.taxonomy_term(first["taxonomy_term"]),
        "hsds_export_json": lambda: writing.json_document(tables),
        "hsds_export_zip": lambda: {"name": "attachment; filename=reseau-ei-hsds.zip",
                                    "content": _binary("a zip of " + ", ".join(sorted(writing.package_files(
                                        tables, TITLE))))},
    }[view]()


PARTY = {"id": "p-002", "name": "Camille Tremblay"}
REFERRAL = {
    "id": "r-7f3a", "status": "accepted", "need": "food-aid", "language": "fr", "urgency": "normal", "note": None,
    "from": {"id": "p-001", "name": "Alex Joseph"}, "to": PARTY, "created_at": "2025-03-03T19:00:00.412108+00:00",
    "updated_at": "2025-03-04T14:30:00.087531+00:00", "stale": False, "next_statuses": ["in_progress", "completed"],
    "history": [{"seq": 0, "status": "sent", "at": "2025-03-03T19:00:00.412108+00:00", "by": "p-001", "reason": None,
                 "detail": None, "outcome": None},
                {"seq": 1, "status": "accepted", "at": "2025-03-04T14:30:00.087531+00:00", "by": "p-002",
                 "reason": None, "detail": None, "outcome": None}]}
SENT = {**REFERRAL, "status": "sent", "updated_at": REFERRAL["created_at"], "next_statuses": ["cancelled"],
        "history": REFERRAL["history"][:1]}
SESSION = {"id": "mn-s1", "number": 1, "date": "2025-02-12", "theme": "Se connaître", "territory": "mn",
           "present": 14, "parents": 6, "ties": 9, "cancelled": None}
SNAPSHOT = {"name": "before", "dates": {"mn": "2024-09-01"}, "totals": {"people": 42}, "figures": {"density": 0.08}}
EXAMPLES = {
    ("contacts", "get"): {"results": [{
        "id": "p-002", "name": "Camille Tremblay", "role": "intervenant", "title": "Intervenante famille",
        "organisation": {"id": "o-mn-01", "name": "Maison de la famille de Montréal-Nord",
                         "address": "4500, boulevard Henri-Bourassa Est, Montréal (Québec)", "phone": "514 555-0100",
                         "territory": "mn"},
        "services": [{"id": "s-001", "name": "Dépannage alimentaire", "hours": "lun-ven 09:00-17:00",
                      "languages": ["fr"]}],
        "languages": ["fr", "ht"], "phone": "514 555-0101", "email": "camille@example.org", "distance_km": 1.2,
        "score": 0.87, "reasons": ["Aide alimentaire", "parle haïtien"], "path": [PARTY],
        "not_accepting_until": None}], "page": 1, "total": 1, "total_exact": True},
    ("create_referral", "post"): {"referral": SENT},
    ("list_referrals", "get"): {"box": "sent", "referrals": [{**{k: v for k, v in REFERRAL.items() if k != "history"},
                                                              "next_statuses": ["cancelled"]}],
                                "page": 1, "pages": 1, "total": 1},
    ("change_referral_status", "post"): {"referral": REFERRAL, "tie_created": True},
    ("territories", "get"): {"territories": [{"id": "mn", "name": "Montréal-Nord", "cohort": 1, "organisations": 8,
                                              "intervenants": 31}]},
    ("me", "get"): {"id": "u-demo-intervenant", "email": "camille@example.org", "role": "intervenant",
                    "territory": "mn", "person": "p-002"},
    ("list_sessions", "get"): {"sessions": [SESSION]},
    ("get_session", "get"): {**SESSION, "attendees": [{"id": "p-002", "name": "Camille Tremblay",
                                                       "organisation": "Maison de la famille", "territory": "mn"}]},
    ("put_attendance", "put"): {**SESSION, "attendees": []},
    ("post_ties", "post"): {"created": 3},
    ("list_cohorts", "get"): {"cohorts": [{"id": "cohort-1", "number": 1, "name": "Cohorte 1", "start": "2025-01-15",
                                           "end": "2025-06-30", "territories": [{"id": "mn", "name": "Montréal-Nord"}],
                                           "sessions": 6}]},
    ("create_cohort", "post"): {"id": "cohort-3", "number": 3, "name": "Cohorte 3", "start": "2026-01-14",
                                "end": "2026-06-24", "territories": [{"id": "mn", "name": "Montréal-Nord"}],
                                "sessions": 0},
    ("schedule_sessions", "post"): {"sessions": [SESSION]},
    ("evaluation_scopes", "get"): {"scopes": [{"id": "mn", "kind": "territory", "cohort": 1, "territories": ["mn"],
                                               "stages": {"before": {"mn": "2024-09-01"}}}]},
    ("evaluation_comparison", "get"): {
        "scope": "mn", "origins": ["session", "referral"], "snapshots": [SNAPSHOT],
        "changes": [{"from": "before", "to": "after", "reached": True, "new": 12, "kept": 30, "lost": 2,
                     "new_by_origin": {"session": 9}, "lost_by_reason": {"left": 2}}],
        "sectors": ["family", "newcomers"], "sector_matrix": {"family": [3, 1]},
        "curve": [{"name": "before", "dates": {"mn": "2024-09-01"}, "totals": {"people": 42},
                   "figures": {"density": 0.08}}]},
    ("evaluation_tables", "get"): {"table_2": [{"territory": "mn", "organisations": 8, "intervenants": 31}],
                                   "table_2_totals": {"organisations": 42}, "table_3": [{"sector": "family", "n": 3}]},
    ("evaluation_waves", "get"): {"waves": [{"id": "w-2025-06", "title": "Juin 2025", "scope": "mn",
                                             "territories": ["mn"], "roster": 31, "respondents": 24,
                                             "roster_rule": "intervenants", "opens": "2025-06-01",
                                             "closes": "2025-06-30"}]},
    ("evaluation_wave", "get"): {"id": "w-2025-06", "title": "Juin 2025", "scope": "mn", "opens": "2025-06-01",
                                 "closes": "2025-06-30", "rule": "intervenants", "response": {"rate": 0.77},
                                 "figures": {"density": 0.11}},
}


def _binary(what: str) -> str:
    """A binary answer's example: what its bytes hold, in words. OpenAPI 3.0 gives opaque bytes no other
    example but a file outside the document (`externalValue`), and this document must read without the network."""
    return f"(binary) {what}"


# The evaluators' network export, per media type.
EXPORT_EXAMPLES = {
    "text/csv": "snapshot,dates,figure,value\r\nbefore,mn:2024-09-01,total_people,42\r\n",
    "application/json": {"directed": False, "graph": {"snapshots": "before,after"},
                         "nodes": [{"id": "P-3KQ7", "in_before": True}], "links": []},
    "application/graphml+xml": '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault='
                               '"undirected"><node id="P-3KQ7"/></graph></graphml>',
    "application/gexf+xml": '<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph mode="dynamic">'
                            '<nodes><node id="P-3KQ7"/></nodes></graph></gexf>',
    FORMATS["xlsx"]: _binary("an .xlsx workbook, one sheet per table: chiffres, personnes, liens (in English: "
                             "figures, people, ties)"),
}


def example(view: str, method: str):
    """The example answer of the operation `method` of the view function named `view`."""
    if view.startswith("hsds_"):
        return _hsds(view)
    return EXAMPLES.get((view, method))
