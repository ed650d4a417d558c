"""CSV import of participants (the « cahier des participant.es » a group receives) and of organisations.

Pure Python, no database: `parse` reads the file; `plan_import` decides, row by row, what would be
created, updated, left unchanged or rejected (and why), against an `ImportContext` that a repository
read. The import itself writes a plan that has no rejected row, in one transaction
(graph.repositories.imports); a file imported twice plans nothing the second time.

Files: UTF-8 (Excel's BOM accepted), `;` or `,` as separator (whichever the header line uses), one
header line whose names are matched without regard to case, accents or spacing (csv_columns.py); each
row is checked by csv_rows.py, each of its cells read by csv_cells.py against csv_values.py's words.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from interop.folding import fold
from referral.directory.csv_columns import COLUMNS, TEMPLATES
from referral.directory.csv_rows import ImportContext, RowOutcome, organisation, participant
from referral.policy import Principal

KINDS = ("participants", "organisations")
MAX_BYTES = 1_000_000
MAX_ROWS = 5000


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
        raise ImportFileError(_l("Le fichier n'est pas un CSV lisible (ligne %(line)s) : une cellule trop longue "
                                 "ou un guillemet jamais fermé.", line=reader.line_num)) from None
    if not rows:
        raise ImportFileError(_l("Le fichier ne contient aucune ligne après l'en-tête."))
    return ParsedFile(kind, rows, delimiter)


def _map_header(header: list[str], kind: str) -> dict[int, str]:
    spellings = {fold(s): name for name, (_, accepted) in COLUMNS[kind].items() for s in accepted}
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        name = spellings.get(fold(title))
        if name in columns.values():  # which of the two holds the data is anyone's guess: ask
            raise ImportFileError(_l("La colonne « %(col)s » figure deux fois dans l'en-tête : gardez-en une.",
                                     col=title.strip()))
        if name:
            columns[index] = name
    missing = [name for name, (required, _) in COLUMNS[kind].items() if required and name not in columns.values()]
    if missing:
        raise ImportFileError(_l("Colonnes obligatoires manquantes : %(cols)s. Partez du modèle à télécharger.",
                                 cols=", ".join(missing)))
    return columns


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


def plan_import(parsed: ParsedFile, context: ImportContext, principal: Principal) -> ImportPlan:
    """What importing the file would do, row by row, each row checked by the policy against the record it
    would change as the directory holds it now (an organisation is matched within the row's territory)."""
    check = participant if parsed.kind == "participants" else organisation
    seen: dict = {}
    return ImportPlan(parsed.kind, [check(line, row, context, principal, seen) for line, row in parsed.rows])


def emails(parsed: ParsedFile) -> list[str]:
    return sorted({row["courriel"].lower() for _, row in parsed.rows if row.get("courriel")})


def template(kind: str) -> bytes:
    """The downloadable model: `;`-separated UTF-8 with a BOM, as Excel (fr-CA) opens and saves it."""
    return ("\r\n".join(TEMPLATES[kind]) + "\r\n").encode("utf-8-sig")
