"""CSV import of participants (the « cahier des participant.es » a group receives) and of organisations.

Pure Python, no database: `parse` reads the file; `plan_import` decides, row by row, what would be
created, updated, left unchanged or rejected (and why), against an `ImportContext` that a repository
read. The import itself writes a plan that has no rejected row, in one transaction
(graph.repositories.imports); a file imported twice plans nothing the second time.

Files: UTF-8 (Excel's BOM accepted), `;` or `,` as separator (whichever the header line uses), one
header line whose names are matched without regard to case, accents or spacing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from interop.folding import fold
from referral.admin.forms import valid_email
from referral.geocode import normalise_postal_code, postal_area_position
from referral.labels import KIND_LABELS, LANGUAGE_LABELS, ROLE_LABELS, SECTOR_LABELS
from referral.links import web_url
from referral.policy import Principal, may_change_person, may_change_territory
from referral.profile.forms import EMAIL_TAKEN, PHONE
from referral.spreadsheet import FORMULA, formula_like

KINDS = ("participants", "organisations")
MAX_BYTES = 1_000_000
MAX_ROWS = 5000
MAX_TEXT = 200

# Canonical column → (required, accepted header spellings once folded).
COLUMNS = {
    "participants": {
        "nom": (True, ("nom", "nom complet", "name", "prenom et nom")),
        "courriel": (True, ("courriel", "email", "e-mail", "adresse courriel", "mail")),
        "telephone": (False, ("telephone", "tel", "phone")),
        "organisation": (True, ("organisation", "organisme", "organization")),
        "territoire": (True, ("territoire", "tip", "territory")),
        "role": (False, ("role", "fonction")),
        "langues": (False, ("langues", "languages", "langues parlees")),
        "repertoire": (False, ("repertoire", "liste", "listed", "dans le repertoire")),
        "depuis": (False, ("depuis", "since", "en poste depuis")),
    },
    "organisations": {
        "nom": (True, ("nom", "name", "organisation", "organisme")),
        "territoire": (True, ("territoire", "tip", "territory")),
        "secteur": (True, ("secteur", "sector")),
        "type": (False, ("type", "kind", "genre")),
        "adresse": (False, ("adresse", "address")),
        "code_postal": (True, ("code postal", "postal code", "cp")),
        "telephone": (False, ("telephone", "tel", "phone")),
        "site_web": (False, ("site web", "site", "website", "url")),
        "langues": (False, ("langues", "languages")),
    },
}
TEMPLATES = {
    "participants": (
        "nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis",
        "Prénom Nom;prenom.nom@exemple.org;514 555-0100;Nom exact de l'organisation (voir le répertoire);"
        "Montréal-Nord;intervenant_communautaire;fr ar;oui;2024-09-01",
    ),
    "organisations": (
        "nom;territoire;secteur;type;adresse;code_postal;telephone;site_web;langues",
        "Maison des familles de l'exemple;Montréal-Nord;family;community;"
        "4000, boulevard Henri-Bourassa Est;H1H 1J5;514 555-0100;https://exemple.org;fr en",
    ),
}
YES, NO = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}, {"non", "n", "no", "faux", "false", "0"}
SECTOR_ALIASES = {"famille": "family", "petite-enfance": "family", "nouveaux arrivants": "newcomers",
                  "immigration": "newcomers", "autre": "community_other", "autres": "community_other",
                  "institutionnel": "institutional", "institution": "institutional"}


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing of it is considered."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class ParsedFile:
    kind: str
    rows: list[tuple[int, dict]]  # (line number in the file, {canonical column: stripped text})
    delimiter: str


def parse(data: bytes, kind: str) -> ParsedFile:
    if kind not in KINDS:
        raise ImportFileError(_l("Type d'import inconnu."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_l("Le fichier dépasse %(n)s Mo : découpez-le en plusieurs fichiers.",
                                 n=MAX_BYTES // 1_000_000))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_l(
            "Le fichier n'est pas en UTF-8 (octet invalide à la position %(pos)s). Dans Excel, enregistrez-le "
            "en « CSV UTF-8 (délimité par des virgules) ».", pos=error.start)) from error
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise ImportFileError(_l("Le fichier est vide."))
    delimiter = ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        columns = _map_header(next(reader), kind)
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(_l("Le fichier compte plus de %(n)s lignes : découpez-le.", n=MAX_ROWS))
            row = {name: (values[index].strip() if index < len(values) else "") for index, name in columns.items()}
            rows.append((reader.line_num, row))
    except csv.Error:  # a cell longer than the csv module allows, an unclosed quote at the end…
        raise ImportFileError(_l("Le fichier n'est pas un CSV lisible (ligne %(line)s).", line=reader.line_num)) \
            from None
    if not rows:
        raise ImportFileError(_l("Le fichier ne contient aucune ligne après l'en-tête."))
    return ParsedFile(kind, rows, delimiter)


def _map_header(header: list[str], kind: str) -> dict[int, str]:
    spellings = {fold(s): name for name, (_, accepted) in COLUMNS[kind].items() for s in accepted}
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        name = spellings.get(fold(title))
        if name and name not in columns.values():
            columns[index] = name
    missing = [name for name, (required, _) in COLUMNS[kind].items() if required and name not in columns.values()]
    if missing:
        raise ImportFileError(_l("Colonnes obligatoires manquantes : %(cols)s. Partez du modèle à télécharger.",
                                 cols=", ".join(missing)))
    return columns


@dataclass
class ImportContext:
    """What the directory holds that a plan depends on (read by graph.repositories.imports)."""

    territories: list[dict]  # {id, name}
    organisations: list[dict]  # {id, name, territory, sector, kind, address, postal_code, phone, website, ...}
    people: dict[str, dict] = field(default_factory=dict)  # lower-case e-mail → {id, name, ..., jobs, territories}


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


@dataclass
class ImportPlan:
    kind: str
    rows: list[RowOutcome]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def rejected(self) -> bool:
        return any(row.action == "reject" for row in self.rows)

    @property
    def writes(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.action in ("create", "update")]


def _code(value: str, labels: dict, aliases: dict | None = None) -> str | None:
    """A stored code from a code or its (French) label, matched loosely; None when unknown."""
    folded = fold(value)
    for code, text in labels.items():
        if folded in (fold(code), fold(str(text))):
            return code
    return (aliases or {}).get(folded)


def _languages(value: str, reasons: list) -> list[str] | None:
    if not value:
        return None
    codes = []
    for part in re.split(r"[\s|/,;+]+", value.strip()):
        code = _code(part, LANGUAGE_LABELS) if part else None
        if part and code is None:
            reasons.append(_l("Langue inconnue : « %(value)s » (codes ISO : fr, en, ar…).", value=part))
        elif code and code not in codes:
            codes.append(code)
    return codes


def _territory(value: str, context: ImportContext, principal: Principal, outcome: RowOutcome) -> str | None:
    found = next((t["id"] for t in context.territories if fold(value) in (fold(t["id"]), fold(t["name"]))), None)
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
    return value or None


def _since(value: str, reasons: list) -> date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if day > date.today():
            reasons.append(_l("La date « %(value)s » est dans le futur.", value=value))
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


def _participant(line: int, row: dict, context: ImportContext, principal: Principal, seen: dict) -> RowOutcome:
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
        organisation = next((o["id"] for o in context.organisations if o["territory"] == territory
                             and fold(row["organisation"]) in (fold(o["id"]), fold(o["name"]))), None)
        if organisation is None:
            reasons.append(_l("Organisation inconnue dans ce territoire : « %(value)s » (ajoutez-la d'abord).",
                              value=row["organisation"]))
    role = None
    if row.get("role"):
        role = _code(row["role"], ROLE_LABELS)
        if role is None:
            reasons.append(_l("Rôle inconnu : « %(value)s ».", value=row["role"]))
    listed = None
    if row.get("repertoire"):
        listed = True if fold(row["repertoire"]) in YES else False if fold(row["repertoire"]) in NO else None
        if listed is None:
            reasons.append(_l("Colonne « repertoire » : écrivez oui ou non."))
    values = {"name": name, "email": email, "phone": _phone(row.get("telephone", ""), reasons), "role": role,
              "languages": _languages(row.get("langues", ""), reasons), "listed": listed}
    since = _since(row.get("depuis", ""), reasons)
    existing = context.people.get(email) if email else None
    if existing and not may_change_person(principal, existing["territories"]):
        outcome.refused = True
        reasons.append(EMAIL_TAKEN)  # the person as they are now is not the importer's: say no more
    if reasons:
        outcome.action = "reject"
        return outcome
    if existing is None:
        values.update(languages=values["languages"] or ["fr"], listed=bool(listed), research_consent=False)
        outcome.values = {**values, "organisation": organisation, "since": since or date.today()}
        return outcome
    outcome.target = existing["id"]
    changed = _changes(existing, values)
    outcome.values = {key: values[key] for key in changed}
    outcome.changes = [f"{key}: {existing.get(key) or '∅'} → {values[key]}" for key in changed]
    if organisation not in existing["jobs"]:
        outcome.values.update(organisation=organisation, since=since or date.today())
        outcome.changes.append(f"WORKS_AT: + {organisation}")
    outcome.action = "update" if outcome.changes else "unchanged"
    return outcome


def _organisation(line: int, row: dict, context: ImportContext, principal: Principal, seen: dict) -> RowOutcome:
    outcome = RowOutcome(line, row.get("nom") or "")
    reasons = outcome.reasons
    name = _text(row["nom"], "nom", reasons, required=True)
    territory = _territory(row["territoire"], context, principal, outcome) if row["territoire"] else None
    if not row["territoire"]:
        reasons.append(_l("Colonne « territoire » vide."))
    sector = _code(row["secteur"], SECTOR_LABELS, SECTOR_ALIASES)
    if sector is None:
        reasons.append(_l("Secteur inconnu : « %(value)s » (family, newcomers, community_other, institutional).",
                          value=row["secteur"]))
    kind = _code(row.get("type", ""), KIND_LABELS) if row.get("type") else None
    if row.get("type") and kind is None:
        reasons.append(_l("Type inconnu : « %(value)s » (community, ciusss, library, school_service_centre).",
                          value=row["type"]))
    postal_code = normalise_postal_code(row["code_postal"])
    if postal_code is None:
        reasons.append(_l("Code postal invalide : « %(value)s » (ex. H1G 3K4).", value=row["code_postal"]))
    elif postal_area_position(postal_code) is None:
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
    existing = next((o for o in context.organisations if o["territory"] == territory and fold(o["name"]) == key[1]),
                    None)
    if existing is None:
        position = postal_area_position(postal_code)
        values.update(kind=kind or "community", languages=values["languages"] or ["fr"], territory=territory,
                      latitude=position.latitude, longitude=position.longitude, location_source=position.source)
        outcome.values = values
        return outcome
    outcome.target = existing["id"]
    changed = [key for key in _changes(existing, values) if key != "name"]
    outcome.values = {key: values[key] for key in changed}
    outcome.changes = [f"{key}: {existing.get(key) or '∅'} → {values[key]}" for key in changed]
    if "postal_code" in changed:  # moved: place it at its new postal area (adjustable by hand afterwards)
        position = postal_area_position(postal_code)
        outcome.values.update(latitude=position.latitude, longitude=position.longitude,
                              location_source=position.source)
    outcome.values.update(territory=territory, served=existing["served"])
    outcome.action = "update" if outcome.changes else "unchanged"
    return outcome


def plan_import(parsed: ParsedFile, context: ImportContext, principal: Principal) -> ImportPlan:
    """What importing the file would do, row by row, each row checked by the policy against the record it
    would change as the directory holds it now (an organisation is matched within the row's territory)."""
    check = _participant if parsed.kind == "participants" else _organisation
    seen: dict = {}
    return ImportPlan(parsed.kind, [check(line, row, context, principal, seen) for line, row in parsed.rows])


def emails(parsed: ParsedFile) -> list[str]:
    return sorted({row["courriel"].lower() for _, row in parsed.rows if row.get("courriel")})


def template(kind: str) -> bytes:
    """The downloadable model: `;`-separated UTF-8 with a BOM, as Excel (fr-CA) opens and saves it."""
    return ("\r\n".join(TEMPLATES[kind]) + "\r\n").encode("utf-8-sig")
