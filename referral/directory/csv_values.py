"""The values a coded column of a CSV import accepts: each code, its label, and the words people write for
it (feminine and plural forms, English, ISO 639-2/3 language codes), the yes/no words and the territories
(from the graph, passed in). The cells read them here (csv_cells), the import page and the « valeurs
acceptées » file list them, a refusal names them and the preview says how a word was read."""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from analysis.export_formats import to_csv
from interop.folding import fold
from interop.hsds.mapping import ISO_639_3
from referral.labels import (
    KIND_LABELS,
    LANGUAGE_LABELS,
    ROLE_ALIASES,
    ROLE_LABELS,
    SECTOR_LABELS,
    SECTOR_SHORT_LABELS,
)

YES_WORDS = ("oui", "o", "yes", "y", "vrai", "true", "1", "x")
NO_WORDS = ("non", "n", "no", "faux", "false", "0")
YES, NO = set(YES_WORDS), set(NO_WORDS)
LISTED = {True: _l("dans le répertoire"), False: _l("hors du répertoire")}

SECTOR_WORDS = {
    "family": ("famille", "familles", "petite enfance", "enfance", "jeunesse", "enfance famille", "families"),
    "newcomers": ("nouveaux arrivants", "nouvelles arrivantes", "nouveaux arrivants et arrivantes", "immigration",
                  "immigrants", "immigrantes", "accueil", "integration", "accueil et integration"),
    "community_other": ("autre", "autres", "communautaire autre", "communautaire", "juridique", "femmes",
                        "other"),
    "institutional": ("institutionnel", "institutionnelle", "institutionnels", "institution", "institutions",
                      "public", "reseau public"),
}
KIND_WORDS = {
    "community": ("organisme", "organismes", "organisme communautaire", "organismes communautaires",
                  "communautaire", "community organisation", "community organization", "ocf", "obnl"),
    "ciusss": ("clsc", "cisss", "ciusss", "sante et services sociaux"),
    "library": ("bibliotheque", "bibliotheques", "biblio", "library", "libraries"),
    "school_service_centre": ("centre de services scolaire", "css", "cssdm", "commission scolaire", "ecole",
                              "ecoles", "school", "school service centre"),
}
LANGUAGE_WORDS = {
    "fr": ("french", "francais"), "en": ("english", "anglais"), "ar": ("arabic",), "kab": ("kabyle", "kabylian"),
    "es": ("spanish", "espagnol"), "ht": ("haitian creole", "creole", "kreyol"), "vi": ("vietnamese",),
    "fa": ("persian", "farsi", "dari"), "zh": ("chinese", "mandarin", "cantonais", "cantonese"),
    "pa": ("punjabi", "panjabi"), "hi": ("hindi",), "ta": ("tamil",), "ro": ("romanian",), "qu": ("quechua",),
    "pt": ("portuguese",), "ru": ("russian",), "ur": ("urdu",), "bn": ("bengali", "bangla"), "tl": ("tagalog",
                                                                                                  "filipino"),
    "ln": ("lingala",),
}


def _table(labels: dict, words: dict | None = None, extra: dict | None = None) -> dict[str, str]:
    """Folded code, label (in French or English) or word -> code."""
    table = {fold(text): code for code, titles in (words or {}).items() for text in titles}
    table.update(extra or {})
    for language in ("fr", "en"):  # a file reads the same whoever imports it
        with force_locale(language):
            table.update({fold(str(label)): code for code, label in labels.items()})
    table.update({fold(code): code for code in labels})
    return table


def _words_by_code(table: dict[str, str]) -> dict[str, list[str]]:
    by_code: dict[str, list[str]] = {}
    for word, code in table.items():
        by_code.setdefault(code, []).append(word)
    return by_code


# Column -> (labels, words for each code, other folded words -> code). Roles' words are ROLE_ALIASES (the
# HSDS import reads them too).
COLUMNS = {
    "role": (ROLE_LABELS, None, ROLE_ALIASES),
    "secteur": (SECTOR_LABELS, SECTOR_WORDS, None),
    "type": (KIND_LABELS, KIND_WORDS, None),
    "langues": (LANGUAGE_LABELS, LANGUAGE_WORDS, ISO_639_3),
}


@lru_cache(maxsize=32)
def _lookup(column: str, locale: str) -> dict[str, str]:
    """Folded code, label (in the reader's language) or word -> code; once per column and language, not per
    cell of a 1,000-row file."""
    return _table(*COLUMNS[column])


def lookup(column: str) -> dict[str, str]:
    return _lookup(column, str(get_locale()))


def _titles(column: str) -> dict[str, set[str]]:
    return _titles_in(column, str(get_locale()))


@lru_cache(maxsize=32)
def _titles_in(column: str, locale: str) -> dict[str, set[str]]:
    """Code -> its folded code and labels in French and in English: what a cell writes plainly (kept per
    reader's language as _lookup: outside a request, force_locale translates nothing)."""
    labels = COLUMNS[column][0]
    titles = {code_: {fold(code_)} for code_ in labels}
    for language in ("fr", "en"):
        with force_locale(language):
            for code_, title in labels.items():
                titles[code_].add(fold(str(title)))
    return titles


REFUSED = {
    "role": _l("Rôle inconnu : « %(value)s ». Valeurs acceptées : %(accepted)s (ou leur intitulé, au féminin "
               "comme au masculin — voyez « Valeurs acceptées » sur la page d'import)."),
    "secteur": _l("Secteur inconnu : « %(value)s ». Valeurs acceptées : %(accepted)s (ou leur intitulé)."),
    "type": _l("Type inconnu : « %(value)s ». Valeurs acceptées : %(accepted)s (ou leur intitulé)."),
    "langues": _l("Langue inconnue : « %(value)s ». Valeurs acceptées : codes ISO (%(accepted)s) ou noms "
                  "des langues, en français ou en anglais."),
}
EMPTY = _l("Colonne « %(column)s » vide. Valeurs acceptées : %(accepted)s (ou leur intitulé).")
YES_NO_REFUSED = _l("Colonne « repertoire » : « %(value)s » n'est pas compris ; écrivez oui ou non (aussi lus "
                    "comme oui : %(yes)s ; comme non : %(no)s).")
TERRITORY_REFUSED = _l("Territoire inconnu : « %(value)s ». Territoires acceptés (nom ou code) : %(accepted)s.")
READ_AS = _l("%(column)s : « %(value)s » lu comme « %(meaning)s »")


def code(column: str, value: str) -> str | None:
    """The stored code a cell of a coded column means (its code, label or a usual word, in any case, with or
    without accents, plural or not); None when unknown."""
    table = lookup(column)
    folded = fold(value)
    found = table.get(folded)
    if found is None:  # plural: « coordonnatrices », « bibliothèques », « travailleuses de milieu »
        found = table.get(" ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in folded.split()))
    return found


def refusal(column: str, value: str) -> str:
    """The message of an unknown (or missing) value, naming the accepted codes."""
    return (REFUSED[column] if value else EMPTY) % {"value": value, "column": column,
                                                     "accepted": ", ".join(COLUMNS[column][0])}


def label(column: str, code_: str) -> str:
    """A code's label as the preview says it (a sector's short one: one line at 390 px)."""
    return str((SECTOR_SHORT_LABELS if column == "secteur" else COLUMNS[column][0])[code_])


def read_as(column: str, value: str, code_: str) -> str | None:
    """The preview's note when a coded cell was read through a word (« coordinatrice », « CLSC ») rather than
    its code or label; None when the cell said it plainly."""
    if fold(value) in _titles(column)[code_]:
        return None
    return READ_AS % {"column": column, "value": value, "meaning": label(column, code_)}


def languages_read_as(value: str, codes: list[str]) -> str | None:
    """The same for the languages, unless the cell wrote their codes (« fr ar »)."""
    if [word for word in re.split(r"[\s|/,;+]+", fold(value)) if word] == codes:
        return None
    return READ_AS % {"column": "langues", "value": value,
                      "meaning": ", ".join(str(LANGUAGE_LABELS[c]) for c in codes)}


def yes_no(value: str) -> bool | None:
    folded = fold(value)
    return True if folded in YES else False if folded in NO else None


def yes_no_refusal(value: str) -> str:
    """Names every word yes_no reads, from the same two lists."""
    return YES_NO_REFUSED % {"value": value, "yes": ", ".join(YES_WORDS[1:]), "no": ", ".join(NO_WORDS[1:])}


def territory_refusal(value: str, territories: list[dict]) -> str:
    """Names every territory of the graph, by name and code (either is read, in any case, with or without
    accents)."""
    return TERRITORY_REFUSED % {"value": value,
                                "accepted": ", ".join(f"{t['name']} ({t['id']})" for t in territories)}


def accepted(territories: list[dict]) -> list[dict]:
    """What the import page and the « valeurs acceptées » file list: the territories (name or code), then per
    coded column each code with its label and the other words read for it (the labels, French and the
    reader's, are said once as titles)."""
    listed = [{"column": "territoire", "rows": [{"code": t["id"], "label": t["name"], "words": []}
                                                for t in territories]}]
    for column, (labels, _words, _extra) in COLUMNS.items():
        words = _words_by_code(lookup(column))
        rows = [{"code": key, "label": str(title), "words": sorted(set(words.get(key, [])) - _titles(column)[key])}
                for key, title in labels.items()]
        listed.append({"column": column, "rows": rows})
    listed.append({"column": "repertoire", "rows": [
        {"code": "oui", "label": str(LISTED[True]), "words": list(YES_WORDS[1:])},
        {"code": "non", "label": str(LISTED[False]), "words": list(NO_WORDS[1:])}]})
    return listed


def accepted_csv(language: str, territories: list[dict]) -> str:
    """The accepted values as a spreadsheet opens them (analysis.export_formats.to_csv: BOM, « ; » in French)."""
    rows = [{"colonne": block["column"], "valeur": row["code"], "signification": row["label"],
             "aussi_accepte": " | ".join(row["words"])} for block in accepted(territories) for row in block["rows"]]
    return to_csv((["colonne", "valeur", "signification", "aussi_accepte"], rows), language)
