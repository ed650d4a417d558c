"""One row of a CSV import checked: its cells read (csv_cells), matched against what the directory holds,
and asked of referral.policy against the record as it is now. No form and no Cypher: the contact rules are
referral.contact_rules', the context comes from graph.repositories.imports."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import lazy_gettext as _l

from graph.repositories.changes import field_changes
from interop.cells import formula_like
from interop.folding import fold
from referral import clock
from referral.contact_rules import EMAIL_TAKEN, valid_email
from referral.directory import csv_cells, csv_values, journal_words
from referral.geocode import PostalAreaLookup, postal_area_position
from referral.policy import Principal, may_change_person, may_change_territory

# What an empty column stands for, said in the preview (never added unseen).
FRENCH_BY_DEFAULT = _l("langues : français (colonne vide)")
# An empty « repertoire » cell, and the research consent the file never asks: not asked, so nobody's answer is
# recorded (the person's page says « pas encore demandé »; unlisted and outside the research sample until then).
POINT_MOVED = _l("code postal changé : le point ira au centre du secteur postal %(area)s (à préciser sur la fiche)")
POINT_KEPT = _l("code postal changé : le point, placé à la main, reste où il est (à déplacer sur la fiche au besoin)")
NOT_ASKED = _l("repertoire : vide — consentement pas encore demandé (non listé.e d'ici là)")
COMMUNITY_BY_DEFAULT = _l("type : organisme communautaire (colonne vide)")
ORGANISATION_ARCHIVED = _l("Organisation archivée : « %(value)s » (restaurez-la d'abord, ou choisissez-en une autre).")


@dataclass
class ImportContext:
    """What the directory holds that a plan depends on (read by graph.repositories.imports)."""

    territories: list[dict]  # {id, name}
    organisations: list[dict]  # {id, name, territory, sector, kind, address, postal_code, phone, website, ...}
    postal_area: PostalAreaLookup  # « H1G » -> (latitude, longitude, place) as seeded; None: not on the island
    people: dict[str, dict] = field(default_factory=dict)  # lower-case e-mail → {id, name, ..., jobs, territories}

    @cached_property
    def territory_ids(self) -> dict[str, str]:
        """Folded id or name -> id: each row looks its territory up once (a 1,000-row file, 1,260 organisations)."""
        return {fold(key): t["id"] for t in self.territories for key in (t["name"], t["id"])}

    @cached_property
    def organisation_by_name(self) -> dict[tuple[str, str], dict]:
        """(territory, folded name) -> the organisation (the first of namesakes, as a scan found it)."""
        found = {}
        for o in self.organisations:
            found.setdefault((o["territory"], fold(o["name"])), o)
        return found

    @cached_property
    def archived_ids(self) -> set[str]:
        """Archived organisations: no row gives them a person or a change (restore them first)."""
        return {o["id"] for o in self.organisations if o.get("archived")}

    @cached_property
    def organisation_names(self) -> dict[str, str]:
        return {o["id"]: o["name"] for o in self.organisations}

    def organisation_name(self, organisation_id: str) -> str:
        return self.organisation_names.get(organisation_id, organisation_id)

    def organisation_named(self, territory: str, text: str) -> str | None:
        """The id of the territory's organisation with this name or id, matched loosely."""
        folded = fold(text)
        named = self.organisation_by_name.get((territory, folded))
        if named is not None:
            return named["id"]
        return next((o["id"] for o in self.organisations if o["territory"] == territory and fold(o["id"]) == folded),
                    None)

    def names_like(self, territory: str, text: str) -> list[str]:
        """Up to three of the territory's organisations whose names contain the text or come close to it."""
        folded = fold(text)
        names = {fold(o["name"]): o["name"] for o in self.organisations
                 if o["territory"] == territory and not o.get("archived")}
        inside = [key for key in names if len(folded) >= 4 and folded in key]
        close = difflib.get_close_matches(folded, list(names), n=3, cutoff=0.6)
        return [names[key] for key in dict.fromkeys(close + inside)][:3]


@dataclass
class RowOutcome:
    line: int
    label: str
    action: str = "create"  # create | update | unchanged | reject
    reasons: list = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # in words, for the preview
    fields: list = field(default_factory=list)  # (field, old, new) as the journal keeps them
    values: dict = field(default_factory=dict)
    target: str | None = None  # the existing node's id, when updating
    refused: bool = False  # rejected by the policy: the record is not the importer's to change
    notes: list = field(default_factory=list)  # what was read or chosen that the file did not say plainly
    organisations_of: dict | None = None  # {id, name}: the territory whose organisations to look at


def _territory(value: str, context: ImportContext, principal: Principal, outcome: RowOutcome) -> str | None:
    found = context.territory_ids.get(fold(value))
    if found is None:
        outcome.reasons.append(csv_values.territory_refusal(value, context.territories))
    elif not may_change_territory(principal, found):
        outcome.refused = True
        outcome.reasons.append(_l("Le territoire « %(value)s » n'est pas dans votre portée.", value=value))
        return None
    return found


def _unknown_organisation(context: ImportContext, territory: str, value: str) -> str:
    """Names the closest organisations of the territory when there are some; the preview links to its list."""
    like = context.names_like(territory, value)
    if like:
        return _l("Organisation inconnue dans ce territoire : « %(value)s ». Vouliez-vous dire %(names)s ?",
                  value=value, names=", ".join(f"« {name} »" for name in like))
    return _l("Organisation inconnue dans ce territoire : « %(value)s » : copiez son nom exact de la liste du "
              "territoire (lien ci-dessous), ou ajoutez-la d'abord.", value=value)


def _changes(before: dict, after: dict) -> list[str]:
    """Fields given in the file that differ from what the directory holds."""
    changed = []
    for key, value in after.items():
        old = before.get(key)
        same = sorted(old or []) == sorted(value) if isinstance(value, list) else old == value
        if value is not None and not same:
            changed.append(key)
    return changed


def participant(line: int, row: dict, context: ImportContext, principal: Principal, seen: dict) -> RowOutcome:
    outcome = RowOutcome(line, row.get("nom") or row.get("courriel") or "")
    reasons = outcome.reasons
    notes = outcome.notes
    name = csv_cells.text(row["nom"], "nom", reasons, required=True)
    email = row["courriel"].lower()
    if not email:
        reasons.append(_l("Colonne « courriel » vide : le courriel identifie la personne."))
    elif not valid_email(email) or formula_like(email):
        reasons.append(_l("Courriel invalide : « %(value)s ».", value=row["courriel"]))
    elif email in seen:
        reasons.append(_l("Doublon : ce courriel figure déjà à la ligne %(line)s.", line=seen[email]))
    else:
        seen[email] = line
    territory = _territory(row["territoire"], context, principal, outcome) if row["territoire"] else None
    if not row["territoire"]:
        reasons.append(_l("Colonne « territoire » vide."))
    organisation = None
    if territory:
        organisation = context.organisation_named(territory, row["organisation"])
        if organisation is None:
            reasons.append(_unknown_organisation(context, territory, row["organisation"]))
            outcome.organisations_of = next(t for t in context.territories if t["id"] == territory)
        elif organisation in context.archived_ids:
            reasons.append(ORGANISATION_ARCHIVED % {"value": row["organisation"]})
    role = csv_cells.coded("role", row.get("role", ""), reasons, notes)
    values = {"name": name, "email": email, "phone": csv_cells.phone(row.get("telephone", ""), reasons),
              "role": role, "languages": csv_cells.languages(row.get("langues", ""), reasons, notes)}
    listed = values["listed"] = csv_cells.yes_no(row.get("repertoire", ""), reasons, notes)
    since = csv_cells.since(row.get("depuis", ""), reasons)
    existing = context.people.get(email) if email else None
    if existing and not may_change_person(principal, existing["territories"]):
        outcome.refused = True
        reasons.append(EMAIL_TAKEN)  # the person as they are now is not the importer's: say no more
    elif existing and existing.get("archived"):
        reasons.append(_l("Cette personne est archivée : restaurez sa fiche d'abord (Répertoire, Fiches archivées)."))
    if reasons:
        outcome.action = "reject"
        return outcome
    if existing is None:
        if not values["languages"]:
            notes.append(FRENCH_BY_DEFAULT)
        notes.append(csv_cells.since_note(row.get("depuis", ""), since))
        values.update(languages=values["languages"] or ["fr"])
        if listed is None:
            del values["listed"]
            notes.append(NOT_ASKED)
        outcome.values = {**values, "organisation": organisation, "since": since or clock.today()}
        outcome.notes = [note for note in notes if note]
        return outcome
    outcome.target = existing["id"]
    changed = _changes(existing, values)
    outcome.values = {key: values[key] for key in changed}
    outcome.fields = field_changes(existing, {key: values[key] for key in changed})
    if organisation not in existing["jobs"]:
        # A job is added, the others kept: « Emploi : A → A, B », never « (vide) → B » for someone employed.
        outcome.values.update(organisation=organisation, since=since or clock.today())
        kept = sorted(existing["jobs"])
        outcome.fields.append(("WORKS_AT", ", ".join(kept) or "∅", ", ".join([*kept, organisation])))
        notes.append(csv_cells.since_note(row.get("depuis", ""), since))
    outcome.changes = _in_words(outcome.fields, {o: {"name": context.organisation_name(o)}
                                                 for o in [*existing["jobs"], organisation]})
    outcome.notes = [note for note in notes if note]
    outcome.action = "update" if outcome.changes else "unchanged"
    return outcome


def organisation(line: int, row: dict, context: ImportContext, principal: Principal, seen: dict) -> RowOutcome:
    outcome = RowOutcome(line, row.get("nom") or "")
    reasons, notes = outcome.reasons, outcome.notes
    name = csv_cells.text(row["nom"], "nom", reasons, required=True)
    territory = _territory(row["territoire"], context, principal, outcome) if row["territoire"] else None
    if not row["territoire"]:
        reasons.append(_l("Colonne « territoire » vide."))
    sector = csv_cells.coded("secteur", row["secteur"], reasons, notes)
    if not row["secteur"]:
        reasons.append(csv_values.refusal("secteur", ""))
    kind = csv_cells.coded("type", row.get("type", ""), reasons, notes)
    postal_code = csv_cells.postal_code(row["code_postal"], reasons)
    if postal_code and postal_area_position(postal_code, context.postal_area) is None:
        reasons.append(_l("Code postal hors de l'île de Montréal : « %(value)s ».", value=row["code_postal"]))
    values = {"name": name, "sector": sector, "kind": kind,
              "address": csv_cells.text(row.get("adresse", ""), "adresse", reasons), "postal_code": postal_code,
              "phone": csv_cells.phone(row.get("telephone", ""), reasons),
              "website": csv_cells.website(row.get("site_web", ""), reasons, notes),
              "languages": csv_cells.languages(row.get("langues", ""), reasons, notes)}
    key = (territory, fold(name))
    if name and territory and key in seen:
        reasons.append(_l("Doublon : cette organisation figure déjà à la ligne %(line)s.", line=seen[key]))
    elif name and territory:
        seen[key] = line
    if reasons:
        outcome.action = "reject"
        return outcome
    existing = context.organisation_by_name.get((territory, key[1]))
    if existing is not None and existing.get("archived"):
        outcome.action = "reject"
        reasons.append(ORGANISATION_ARCHIVED % {"value": name})
        return outcome
    if existing is None:
        position = postal_area_position(postal_code, context.postal_area)
        notes += [said for said, empty in ((FRENCH_BY_DEFAULT, not values["languages"]),
                                           (COMMUNITY_BY_DEFAULT, not kind)) if empty]
        values.update(kind=kind or "community", languages=values["languages"] or ["fr"], territory=territory,
                      latitude=position.latitude, longitude=position.longitude, location_source=position.source)
        outcome.values = values
        return outcome
    outcome.target = existing["id"]
    changed = [key for key in _changes(existing, values) if key != "name"]
    outcome.values = {key: values[key] for key in changed}
    outcome.fields = field_changes(existing, {key: values[key] for key in changed})
    if "postal_code" in changed and existing.get("location_source") == "manual":
        notes.append(POINT_KEPT)  # placed by hand: the form promised the address would not move it
    elif "postal_code" in changed:  # moved: placed at its new postal area (adjustable by hand afterwards), said
        position = postal_area_position(postal_code, context.postal_area)
        outcome.values.update(latitude=position.latitude, longitude=position.longitude,
                              location_source=position.source)
        notes.append(POINT_MOVED % {"area": postal_code[:3]})
    outcome.changes = _in_words(outcome.fields, {})
    outcome.values.update(territory=territory, served=existing["served"])
    outcome.action = "update" if outcome.changes else "unchanged"
    return outcome


def _in_words(fields: list, records: dict) -> list[str]:
    """The changes as the journal will say them (« Téléphone : 514 555-0101 → 514 555-0199 »)."""
    return [journal_words.field_line(name, old, new, records) for name, old, new in fields]
