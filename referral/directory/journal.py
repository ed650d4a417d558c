"""The directory's journal as coordinators read it: each change in words (« Téléphone : 514 555-0101 →
514 555-0199 »), named and linked records instead of ids, filtered by territory, record, kind of record, author
and dates, and exported as CSV. No Flask, no Cypher: the repository comes from `repository(cls)`.

Changes are stored as their writers summed them up (graph/repositories/changes.py: « name — field: old → new;
… », in French with codes, ids and ISO dates); the words are made when read, here and in journal_words.py, so
that the journal of any date reads the same way, in the reader's language."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from analysis.export_formats import to_csv
from graph.driver import MONTREAL_ZONE
from graph.repositories.changes import ChangeRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.organisations import OrganisationRepository
from graph.repositories.staff import current_territories
from graph.repositories.territories import TerritoryRepository
from interop.folding import fold
from referral import policy
from referral.directory import journal_words as words
from referral.directory.service import Directory
from referral.labels import need_label

ACTIONS = {"create": _l("création"), "update": _l("modification"), "start_job": _l("nouvel emploi"),
           "end_job": _l("fin d'emploi"), "attendance": _l("présences"), "archive": _l("archivage"),
           "restore": _l("restauration"), "merge": _l("fusion"), "delete": _l("suppression")}
ENTITIES = {"organisation": _l("organisation"), "service": _l("service"), "person": _l("personne"),
            "tie": _l("lien"), "session": _l("séance"), "cohort": _l("cohorte"), "territory": _l("territoire")}
JOB = re.compile(r"^WORKS_AT (?P<organisation>\S+) (?P<way>since|until) (?P<day>\d{4}-\d{2}-\d{2})$")
MATCHES = 30  # records a name finds, listed to choose from

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
        ids = sorted({token for c in changes
                      for token in words.IDENTIFIER.findall(f"{c['entity_id']} {c['summary']} {c.get('fields') or ''}")}
                     | {part for c in changes for part in (c["entity_id"] or "").split("|")})
        records = self._records(ids)
        # Territories and needs are named by their codes in a change (« served: vsp → mn, vsp »).
        records.update({t["id"]: {"name": t["name"]} for t in self.repository(TerritoryRepository).list()})
        records.update({n["id"]: {"name": need_label(n)} for n in self.repository(NeedRepository).list()})
        return [in_words(change, records) for change in changes]

    def _records(self, ids: list[str]) -> dict[str, dict]:
        """The records named by id; one merged away, by the name its merge's summary gives it; an erased
        person, as erased."""
        repository = self.repository(ChangeRepository)
        records = repository.records(ids)
        for record in records.values():
            if record["kind"] == "Person" and not record["name"]:
                record["name"] = _("personne effacée")
        gone = [i for i in ids if i not in records]
        for record, summary in repository.merges(gone).items():
            if name := words.merged_name(summary, record):
                records[record] = {"kind": "Merged", "name": name}
        return records

    def record_name(self, record: str | None) -> str | None:
        """The name of the record the journal is filtered on, to say so."""
        if not record:
            return None
        return self._records([record]).get(record, {}).get("name") or record

    def named(self, name: str) -> list[dict]:
        """The people and organisations whose name holds every word of `name` (accents and case aside), among
        those the principal may read, as the directory lists them: {id, name, kind, where}."""
        folded = fold(name).split()
        allowed = policy.scope(self.principal)  # a scoped coordinator's journal holds their territories' records

        def theirs(territories) -> bool:
            return allowed is None or bool(set(territories) & set(allowed))

        people = [{"id": p["id"], "name": p["name"], "kind": ENTITIES["person"],
                   "where": next((j["organisation_name"] for j in p["jobs"]), None)}
                  for p in Directory(self.principal, self.repository, "").people(None, None)
                  if theirs(current_territories(p))]
        organisations = [{"id": o["id"], "name": o["name"], "kind": ENTITIES["organisation"],
                          "where": o["territory_name"]} for o in self.repository(OrganisationRepository).list()
                         if theirs({o["territory"], *(o.get("served") or [])})]
        found = [r for r in people + organisations if folded and all(w in fold(r["name"]) for w in folded)]
        exact = [r for r in found if fold(r["name"]) == fold(name)]  # « Audit Org » beside « Audit Org Forge »
        return exact if len(exact) == 1 else sorted(found, key=lambda r: (fold(r["name"]), r["id"]))[:MATCHES]

    def csv(self, filters: JournalFilters | None, language: str) -> str:
        """The changes the filters keep (none without filters: a name that found no one record), as CSV."""
        zone = ZoneInfo(MONTREAL_ZONE)  # the page's times, not UTC
        between = "\n"  # a line each, in the cell (a value cannot start a line: journal_words.quoted)
        columns = [_("quand"), _("qui"), _("action"), _("fiche"), _("detail")]
        rows = [dict(zip(columns, (e["at"].astimezone(zone).isoformat(timespec="minutes"), e["user"],
                                   str(e["action"]), f"{e['entity']} · {e['record_name']}", between.join(e["lines"])),
                         strict=True)) for e in (self.entries(filters, limit=5000) if filters else [])]
        return to_csv((columns, rows), language)


def in_words(change: dict, records: dict[str, dict]) -> dict:
    """One change as the journal shows it: its action and kind of record in words, the record's name and the
    page it links to, and its detail, one line per field changed."""
    entity_id = change["entity_id"] or ""
    parts = [records.get(part, {}).get("name") or part for part in entity_id.split("|")]
    if change.get("fields") is not None:  # kept as data (changes.field_changes): read as given, if any
        segments = [{"field": f, "old": old, "new": new} for f, old, new in json.loads(change["fields"])]
    elif change["action"] == "update":  # an update journaled before fields were kept: its words, parsed
        tail = change["summary"].partition(" — ")[2]
        segments = [words.SEGMENT.match(s) for s in tail.split("; ")] if tail else []
    else:
        segments = []
    job = JOB.match(change["summary"])
    if job:  # « WORKS_AT o-mn-01 since 2025-01-01 », as staff.py journals a job
        said = _("Emploi à %(organisation)s depuis le %(day)s") if job["way"] == "since" else \
            _("Emploi à %(organisation)s terminé le %(day)s")
        lines = [said % {"organisation": words.named(job["organisation"], records), "day": words.day(job["day"])}]
    elif segments and all(segments) and change["action"] == "update":
        lines = words.changed_fields(segments, records)
        imported = words.CSV_LINE.match(change["summary"])  # an import's update: from which line
        lines += [_("(CSV, ligne %(line)s)", line=imported["line"])] if imported else []
    else:  # what the action says, then the fields it changed (a merge's consents)
        lines = words.said(change["action"], change["entity"], change["summary"], records)
        lines += words.changed_fields(segments, records) if segments and all(segments) else []
    return {"at": change["at"], "user": change["user"], "action": ACTIONS.get(change["action"], change["action"]),
            "entity": ENTITIES.get(change["entity"], change["entity"]), "record_name": " — ".join(parts),
            "link": _link(entity_id, records), "lines": lines, "territories": change["territories"]}


PAGES = {"Organisation": ("directory.organisation", "organisation_id"), "Person": ("directory.person", "person_id"),
         "Session": ("sessions.attendance", "session_id")}


def _link(entity_id: str, records: dict) -> tuple[str, dict] | None:
    """(endpoint, arguments) of the record's page, if it has one now (a record merged away has none)."""
    record = records.get(entity_id, {})
    if record.get("kind") == "Service" and record.get("organisation"):
        return "directory.organisation", {"organisation_id": record["organisation"]}
    if record.get("kind") in PAGES:
        endpoint, argument = PAGES[record["kind"]]
        return endpoint, {argument: entity_id}
    return None
