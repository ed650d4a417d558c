"""One cell of a CSV import read: its value, what is wrong with it (appended to the row's reasons) and what
the import read or chose that the cell did not say plainly (the preview's notes: « 01/09/2024 » read as
the 1st of September, a site completed with https://, « CLSC » read as the CIUSSS). The row that uses them
is csv_rows'; the accepted words are csv_values'."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from interop.cells import WebAddressError, formula_like, web_url
from interop.folding import fold
from referral import clock
from referral.contact_rules import PHONE
from referral.directory import csv_values
from referral.geocode import normalise_postal_code
from referral.links import COMPLETED, why_refused
from referral.plain_text import is_one_line
from referral.spreadsheet import FORMULA

MAX_TEXT = 200
EARLIEST = date(1950, 1, 1)  # a job's start before this is a typing error
ISO_DATE = "%Y-%m-%d"
SINCE_TODAY = _l("depuis : aujourd'hui (date du jour)")
SINCE_READ = _l("depuis : « %(value)s » lu comme le %(day)s")


def languages(value: str, reasons: list, notes: list) -> list[str] | None:
    """Codes or names, separated by « , ; / | + » or spaces (« fr ar », « Français, créole haïtien »)."""
    if not value:
        return None
    codes: list[str] = []
    unknown = len(reasons)
    for chunk in re.split(r"[|/,;+]+", value.strip()):
        whole = csv_values.code("langues", chunk) if chunk.strip() else None
        for part in [chunk] if whole else chunk.split():
            code = whole or csv_values.code("langues", part)
            if code is None:
                reasons.append(csv_values.refusal("langues", part))
            elif code not in codes:
                codes.append(code)
    if len(reasons) == unknown and (note := csv_values.languages_read_as(value, codes)):
        notes.append(note)
    return codes


def coded(column: str, value: str, reasons: list, notes: list) -> str | None:
    """A role, sector or type: its code; the word it was read from said when it was not the code or label."""
    if not value:
        return None
    found = csv_values.code(column, value)
    if found is None:
        reasons.append(csv_values.refusal(column, value))
    elif note := csv_values.read_as(column, value, found):
        notes.append(note)
    return found


def yes_no(value: str, reasons: list, notes: list) -> bool | None:
    if not value:
        return None
    answer = csv_values.yes_no(value)
    if answer is None:
        reasons.append(csv_values.yes_no_refusal(value))
    elif fold(value) not in ("oui", "non"):
        notes.append(csv_values.READ_AS % {"column": "repertoire", "value": value,
                                           "meaning": str(csv_values.LISTED[answer])})
    return answer


def phone(value: str, reasons: list) -> str | None:
    if value and (not PHONE.match(value) or formula_like(value, phone=True)):
        reasons.append(_l("Téléphone invalide : « %(value)s » (ex. 514 555-0123).", value=value))
    return value or None


def text(value: str, column: str, reasons: list, required: bool = False) -> str | None:
    if required and not value:
        reasons.append(_l("Colonne « %(col)s » vide.", col=column))
    if len(value) > MAX_TEXT:
        reasons.append(_l("Colonne « %(col)s » trop longue (%(n)s caractères au plus).", col=column, n=MAX_TEXT))
    if formula_like(value):
        reasons.append(_l("Colonne « %(col)s » : %(why)s", col=column, why=FORMULA))
    if not is_one_line(value):  # as the forms: no NUL, line break or direction override in a name
        reasons.append(_l("Colonne « %(col)s » : une seule ligne, sans caractère de contrôle.", col=column))
    return value or None


def postal_code(value: str, reasons: list) -> str | None:
    normal = normalise_postal_code(value)
    if not value.strip():
        reasons.append(_l("Code postal manquant (ex. H1G 3K4)."))
    elif normal is None:
        reasons.append(_l("Code postal invalide : « %(value)s » (ex. H1G 3K4).", value=value))
    return normal


def website(value: str, reasons: list, notes: list) -> str | None:
    """As the organisation form: http(s) only, a bare host completed with https:// (and said)."""
    try:
        stored = web_url(value)
    except WebAddressError as error:
        reasons.append(_l("Site web invalide : « %(value)s » (%(why)s).", value=value, why=why_refused(error)))
        return None
    if stored and stored != value.strip():
        notes.append(COMPLETED % {"url": stored})
    return stored


def since(value: str, reasons: list) -> date | None:
    if not value:
        return None
    for pattern in (ISO_DATE, "%d/%m/%Y"):
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


def since_note(value: str, day: date | None) -> str | None:
    """Said when a job's start is used: today's date for an empty cell, the date in words for a day/month one
    (« 01/09/2024 » could be read either way round)."""
    if not value:
        return str(SINCE_TODAY)
    if day is None or value == day.strftime(ISO_DATE):
        return None
    return SINCE_READ % {"value": value, "day": in_words(day)}


def in_words(day: date) -> str:
    """« 1er septembre 2024 », « September 1, 2024 »: in the reader's language (French outside a request)."""
    locale = str(get_locale() or "fr")
    words = format_date(day, "long", locale=locale)
    return f"1er{words[1:]}" if locale.startswith("fr") and day.day == 1 else words
