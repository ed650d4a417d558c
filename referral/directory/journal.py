"""The directory's journal as coordinators read it: each change in words (« Téléphone : 514 555-0101 →
514 555-0199 »), named and linked records instead of ids, filtered by territory, record, kind of record, author
and dates, and exported as CSV. No Flask, no Cypher: the repository comes from `repository(cls)`.

Changes are stored as their writers summed them up (graph/repositories/changes.py: « name — field: old → new;
… »); the words are made here, when read, so that the journal of any date reads the same way."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from analysis.export_formats import to_csv
from graph.driver import MONTREAL_ZONE
from graph.repositories.changes import ChangeRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.territories import TerritoryRepository
from referral import policy
from referral.labels import KIND_LABELS, LANGUAGE_LABELS, ROLE_LABELS, SECTOR_LABELS, need_label

FIELD_LABELS = {
    "name": _l("Nom"), "role": _l("Fonction"), "title": _l("Titre"), "email": _l("Courriel"),
    "phone": _l("Téléphone"), "languages": _l("Langues"), "listed": _l("Répertoire"),
    "research_consent": _l("Recherche (évaluation)"), "address": _l("Adresse"), "postal_code": _l("Code postal"),
    "website": _l("Site web"), "sector": _l("Secteur"), "kind": _l("Type"), "territory": _l("Territoire"),
    "served": _l("Territoires desservis"), "description": _l("Description"), "eligibility": _l("Admissibilité"),
    "hours": _l("Heures"), "needs": _l("Besoins"), "latitude": _l("Latitude"), "longitude": _l("Longitude"),
    "location_source": _l("Position"), "WORKS_AT": _l("Emploi"),
}
CODED = {"languages": LANGUAGE_LABELS, "role": ROLE_LABELS, "sector": SECTOR_LABELS, "kind": KIND_LABELS,
         "location_source": {"postal_area": _l("centre du secteur postal"), "manual": _l("placé à la main"),
                             "nominatim": _l("d'après l'adresse")}}
NAMED = {"served", "territory", "needs"}  # codes of territories and needs, named
ACTIONS = {"create": _l("création"), "update": _l("modification"), "start_job": _l("nouvel emploi"),
           "end_job": _l("fin d'emploi"), "attendance": _l("présences"), "archive": _l("archivage"),
           "restore": _l("restauration"), "merge": _l("fusion"), "delete": _l("suppression")}
ENTITIES = {"organisation": _l("organisation"), "service": _l("service"), "person": _l("personne"),
            "tie": _l("lien"), "session": _l("séance"), "cohort": _l("cohorte"), "territory": _l("territoire")}
JOB = re.compile(r"^WORKS_AT (?P<organisation>\S+) (?P<way>since|until) (?P<day>\d{4}-\d{2}-\d{2})$")
SEGMENT = re.compile(r"^(?P<field>[A-Za-z_]+): (?P<old>.*) → (?P<new>.*)$")
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")
EMPTY = "∅"


@dataclass(frozen=True)
class JournalFilters:
    territory: str | None = None
    record: str | None = None
    entity: str | None = None
    user: str | None = None
    since: date | None = None
    until: date | None = None


class Journal:
    def __init__(self, principal: policy.Principal, repository: Callable):
        self.principal = principal
        self.repository = repository

    def territories(self) -> list[dict]:
        """The territories whose journal the principal reads (a scoped coordinator: their own)."""
        allowed = policy.scope(self.principal)
        return [t for t in self.repository(TerritoryRepository).list() if allowed is None or t["id"] in allowed]

    def entries(self, filters: JournalFilters, limit: int = 200) -> list[dict]:
        """The latest changes the filters keep, in words; a scoped coordinator reads only what was filed under
        their territory, whatever territory is asked for."""
        allowed = policy.scope(self.principal)
        if allowed is not None and not allowed:
            return []
        territory = filters.territory if allowed is None else self.principal.territory
        repository = self.repository(ChangeRepository)
        changes = repository.list(territory, limit, entity=filters.entity, user=filters.user,
                                  record=filters.record, since=filters.since, until=filters.until)
        ids = sorted({token for c in changes for token in IDENTIFIER.findall(f"{c['entity_id']} {c['summary']}")}
                     | {part for c in changes for part in (c["entity_id"] or "").split("|")})
        records = repository.records(ids)
        # Territories and needs are named by their codes in a change (« served: vsp → mn, vsp »).
        records.update({t["id"]: {"name": t["name"]} for t in self.repository(TerritoryRepository).list()})
        records.update({n["id"]: {"name": need_label(n)} for n in self.repository(NeedRepository).list()})
        return [in_words(change, records) for change in changes]

    def record_name(self, record: str | None) -> str | None:
        """The name of the record the journal is filtered on, to say so."""
        if not record:
            return None
        found = self.repository(ChangeRepository).records([record]).get(record)
        return (found or {}).get("name") or record

    def csv(self, filters: JournalFilters, language: str) -> str:
        zone = ZoneInfo(MONTREAL_ZONE)  # the page's times, not UTC
        rows = [{"quand": e["at"].astimezone(zone).isoformat(timespec="minutes"), "qui": e["user"],
                 "action": str(e["action"]), "fiche": f"{e['entity']} · {e['record_name']}",
                 "detail": " ; ".join(e["lines"])} for e in self.entries(filters, limit=5000)]
        return to_csv((["quand", "qui", "action", "fiche", "detail"], rows), language)


def in_words(change: dict, records: dict[str, dict]) -> dict:
    """One change as the journal shows it: its action and kind of record in words, the record's name and the
    page it links to, and its detail, one line per field changed."""
    entity_id = change["entity_id"] or ""
    parts = [records.get(part, {}).get("name") or part for part in entity_id.split("|")]
    head, _, tail = change["summary"].partition(" — ")
    segments = [SEGMENT.match(s) for s in tail.split("; ")] if tail else []
    job = JOB.match(change["summary"])
    if job:  # « WORKS_AT o-mn-01 since 2025-01-01 », as staff.py journals a job
        words = _l("Emploi à %(organisation)s depuis le %(day)s") if job["way"] == "since" else \
            _l("Emploi à %(organisation)s terminé le %(day)s")
        lines = [str(words % {"organisation": _named(job["organisation"], records),
                              "day": format_date(date.fromisoformat(job["day"]), "long")})]
    elif segments and all(segments):
        lines = [_field_line(m["field"], m["old"], m["new"], records) for m in segments]
    else:
        lines = [_named(change["summary"], records)]
    return {"at": change["at"], "user": change["user"], "action": ACTIONS.get(change["action"], change["action"]),
            "entity": ENTITIES.get(change["entity"], change["entity"]), "record_name": " — ".join(parts),
            "link": _link(change["entity"], entity_id, records), "lines": lines, "territories": change["territories"]}


def _field_line(field: str, old: str, new: str, records: dict) -> str:
    label = FIELD_LABELS.get(field, field)
    return f"{label} : {_value(field, old, records)} → {_value(field, new, records)}"


def _value(field: str, value: str, records: dict) -> str:
    if value == EMPTY:
        return str(_l("(vide)"))
    if value in ("True", "False"):
        return str(_l("oui") if value == "True" else _l("non"))
    if field in CODED:
        return ", ".join(str(CODED[field].get(part, part)) for part in value.split(", "))
    if field in NAMED:
        return ", ".join(records.get(part, {}).get("name") or part for part in value.split(", "))
    return _named(value, records)


def _named(text: str, records: dict) -> str:
    """The text with each record id it holds replaced by the record's name."""
    return IDENTIFIER.sub(lambda m: records.get(m.group(0), {}).get("name") or m.group(0), text)


def _link(entity: str, entity_id: str, records: dict) -> tuple[str, dict] | None:
    """(endpoint, arguments) of the record's page, if it has one."""
    if entity == "organisation":
        return "directory.organisation", {"organisation_id": entity_id}
    if entity == "person":
        return "directory.person", {"person_id": entity_id}
    if entity == "service" and records.get(entity_id, {}).get("organisation"):
        return "directory.organisation", {"organisation_id": records[entity_id]["organisation"]}
    if entity == "session":
        return "sessions.attendance", {"session_id": entity_id}
    return None
