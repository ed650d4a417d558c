"""One row of a CSV import checked: its values read (codes from codes or French labels, languages, phone,
dates, formula-like text refused), matched against what the directory holds, and asked of referral.policy
against the record as it is now. No form and no Cypher: the contact rules are referral.contact_rules', the
context comes from graph.repositories.imports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from flask_babel import lazy_gettext as _l

from interop.cells import formula_like, web_url
from interop.folding import fold
from referral import clock
from referral.contact_rules import EMAIL_TAKEN, PHONE, valid_email
from referral.directory import csv_values
from referral.geocode import PostalAreaLookup, normalise_postal_code, postal_area_position
from referral.plain_text import is_one_line
from referral.policy import Principal, may_change_person, may_change_territory
from referral.spreadsheet import FORMULA

MAX_TEXT = 200
EARLIEST = date(1950, 1, 1)  # a job's start before this is a typing error
# What an empty column stands for, said in the preview (never added unseen).
FRENCH_BY_DEFAULT = _l("langues : français (colonne vide)")
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

    def organisation_named(self, territory: str, text: str) -> str | None:
        """The id of the territory's organisation with this name or id, matched loosely."""
        folded = fold(text)
        named = self.organisation_by_name.get((territory, folded))
        if named is not None:
            return named["id"]
        return next((o["id"] for o in self.organisations if o["territory"] == territory and fold(o["id"]) == folded),
                    None)


@dataclass
class RowOutcome:
    line: int
    label: str
    action: str = "create"  # create | update | unchanged | reject
    reasons: list = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    target: str | None = None  # the existing node's id, when updating
    refused: bool = False  # rejected by the policy: the record is not the importer's to change


def _languages(value: str, reasons: list) -> list[str] | None:
    """Codes or names, separated by « , ; / | + » or spaces (« fr ar », « Français, créole haïtien »)."""
    if not value:
        return None
    codes = []
    for chunk in re.split(r"[|/,;+]+", value.strip()):
        whole = csv_values.code("langues", chunk) if chunk.strip() else None
        for part in [chunk] if whole else chunk.split():
            code = whole or csv_values.code("langues", part)
            if code is None:
                reasons.append(csv_values.refusal("langues", part))
            elif code not in codes:
                codes.append(code)
    return codes


def _territory(value: str, context: ImportContext, principal: Principal, outcome: RowOutcome) -> str | None:
    found = context.territory_ids.get(fold(value))
    if found is None:
        outcome.reasons.append(_l("Territoire inconnu : « %(value)s ».", value=value))
    elif not may_change_territory(principal, found):
        outcome.refused = True
        outcome.reasons.append(_l("Le territoire « %(value)s » n'est pas dans votre portée.", value=value))
        return None
    return found


def _phone(value: str, reasons: list) -> str | None:
    if value and (not PHONE.match(value) or formula_like(value, phone=True)):
        reasons.append(_l("Téléphone invalide : « %(value)s » (ex. 514 555-0123).", value=value))
    return value or None


def _text(value: str, column: str, reasons: list, required: bool = False) -> str | None:
    if required and not value:
        reasons.append(_l("Colonne « %(col)s » vide.", col=column))
    if len(value) > MAX_TEXT:
        reasons.append(_l("Colonne « %(col)s » trop longue (%(n)s caractères au plus).", col=column, n=MAX_TEXT))
    if formula_like(value):
        reasons.append(_l("Colonne « %(col)s » : %(why)s", col=column, why=FORMULA))
    if not is_one_line(value):  # as the forms: no NUL, line break or direction override in a name
        reasons.append(_l("Colonne « %(col)s » : une seule ligne, sans caractère de contrôle.", col=column))
    return value or None


def _since(value: str, reasons: list) -> date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if day > clock.today():
            reasons.append(_l("La date « %(value)s » est dans le futur.", value=value))
        elif day < EARLIEST:
            reasons.append(_l("La date « %(value)s » est trop ancienne (le %(day)s au plus tôt).", value=value,
                              day=EARLIEST.isoformat()))
        return day
    reasons.append(_l("Date invalide : « %(value)s » (AAAA-MM-JJ).", value=value))
    return None


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
    name = _text(row["nom"], "nom", reasons, required=True)
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
            reasons.append(_l("Organisation inconnue dans ce territoire : « %(value)s » (ajoutez-la d'abord).",
                              value=row["organisation"]))
        elif organisation in context.archived_ids:
            reasons.append(ORGANISATION_ARCHIVED % {"value": row["organisation"]})
    role = None
    if row.get("role"):
        role = csv_values.code("role", row["role"])
        if role is None:
            reasons.append(csv_values.refusal("role", row["role"]))
    listed = None
    if row.get("repertoire"):
        listed = csv_values.yes_no(row["repertoire"])
        if listed is None:
            reasons.append(_l("Colonne « repertoire » : « %(value)s » n'est pas compris ; écrivez oui ou non "
                              "(ou yes / no, o / n, vrai / faux, 1 / 0).", value=row["repertoire"]))
    values = {"name": name, "email": email, "phone": _phone(row.get("telephone", ""), reasons), "role": role,
              "languages": _languages(row.get("langues", ""), reasons), "listed": listed}
    since = _since(row.get("depuis", ""), reasons)
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
            outcome.changes.append(FRENCH_BY_DEFAULT)
        values.update(languages=values["languages"] or ["fr"], listed=bool(listed), research_consent=False)
        outcome.values = {**values, "organisation": organisation, "since": since or clock.today()}
        return outcome
    outcome.target = existing["id"]
    changed = _changes(existing, values)
    outcome.values = {key: values[key] for key in changed}
    outcome.changes = [f"{key}: {existing.get(key) or '∅'} → {values[key]}" for key in changed]
    if organisation not in existing["jobs"]:
        outcome.values.update(organisation=organisation, since=since or clock.today())
        outcome.changes.append(f"WORKS_AT: + {organisation}")
    outcome.action = "update" if outcome.changes else "unchanged"
    return outcome


def organisation(line: int, row: dict, context: ImportContext, principal: Principal, seen: dict) -> RowOutcome:
    outcome = RowOutcome(line, row.get("nom") or "")
    reasons = outcome.reasons
    name = _text(row["nom"], "nom", reasons, required=True)
    territory = _territory(row["territoire"], context, principal, outcome) if row["territoire"] else None
    if not row["territoire"]:
        reasons.append(_l("Colonne « territoire » vide."))
    sector = csv_values.code("secteur", row["secteur"])
    if sector is None:
        reasons.append(csv_values.refusal("secteur", row["secteur"]))
    kind = csv_values.code("type", row["type"]) if row.get("type") else None
    if row.get("type") and kind is None:
        reasons.append(csv_values.refusal("type", row["type"]))
    postal_code = normalise_postal_code(row["code_postal"])
    if postal_code is None:
        reasons.append(_l("Code postal invalide : « %(value)s » (ex. H1G 3K4).", value=row["code_postal"]))
    elif postal_area_position(postal_code, context.postal_area) is None:
        reasons.append(_l("Code postal hors de l'île de Montréal : « %(value)s ».", value=row["code_postal"]))
    try:
        website = web_url(row.get("site_web"))
    except ValueError:
        website = None
        reasons.append(_l("Site web invalide : « %(value)s » (seules les adresses http:// ou https:// sont "
                          "acceptées).", value=row.get("site_web")))
    values = {"name": name, "sector": sector, "kind": kind,
              "address": _text(row.get("adresse", ""), "adresse", reasons), "postal_code": postal_code,
              "phone": _phone(row.get("telephone", ""), reasons), "website": website,
              "languages": _languages(row.get("langues", ""), reasons)}
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
        outcome.changes += [said for said, empty in ((FRENCH_BY_DEFAULT, not values["languages"]),
                                                     (COMMUNITY_BY_DEFAULT, not kind)) if empty]
        values.update(kind=kind or "community", languages=values["languages"] or ["fr"], territory=territory,
                      latitude=position.latitude, longitude=position.longitude, location_source=position.source)
        outcome.values = values
        return outcome
    outcome.target = existing["id"]
    changed = [key for key in _changes(existing, values) if key != "name"]
    outcome.values = {key: values[key] for key in changed}
    outcome.changes = [f"{key}: {existing.get(key) or '∅'} → {values[key]}" for key in changed]
    if "postal_code" in changed:  # moved: place it at its new postal area (adjustable by hand afterwards)
        position = postal_area_position(postal_code, context.postal_area)
        outcome.values.update(latitude=position.latitude, longitude=position.longitude,
                              location_source=position.source)
    outcome.values.update(territory=territory, served=existing["served"])
    outcome.action = "update" if outcome.changes else "unchanged"
    return outcome

