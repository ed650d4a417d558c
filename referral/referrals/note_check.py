"""A referral must not identify the family: a simple check of the note for the obvious slips.

It looks for e-mail addresses, phone numbers, file and health-card numbers, and names (a title
such as « Mme » before a capitalised word, « s'appelle … », or two capitalised words in a row,
which in French is almost always a proper name). It cannot catch everything; the form's warning
says so. False alarms are cheap: the worker rewords the note.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
LOWER = "a-zàâäçéèêëîïôöùûüÿ"
NAME_WORD = rf"[{UPPER}][{LOWER}]+(?:[-'][{UPPER}{LOWER}][{LOWER}]+)*"

CHECKS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), _l("une adresse courriel")),
    ("phone", re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b"), _l("un numéro de téléphone")),
    ("health_card", re.compile(r"\b[A-Za-z]{4}\s?\d{4}\s?\d{4}\b"), _l("un numéro d'assurance maladie")),
    ("file_number", re.compile(r"\b\d(?:[\s-]?\d){5,}\b"), _l("un numéro de dossier")),
    ("name", re.compile(rf"\b(?i:m\.|mme|mlle|mr|mrs|ms|madame|monsieur|mademoiselle|dr)\s+{NAME_WORD}"), _l("un nom")),
    ("name", re.compile(rf"\b(?i:s'appell?e|se nomme|nommée?|prénom|nom)\s*:?\s+{NAME_WORD}"), _l("un nom")),
    ("name", re.compile(rf"\b{NAME_WORD}(?:\s+{NAME_WORD})+\b"), _l("un nom")),
)


def identifying_details(note: str | None) -> list[tuple[str, str, str]]:
    """[(kind, what was found, how to say it)]: the first finding of each kind, in the order of CHECKS;
    text already caught by an earlier check (a phone number is not also a file number) is skipped."""
    if not note:
        return []
    found: dict[str, tuple[str, str, str]] = {}
    taken: list[range] = []
    for kind, pattern, description in CHECKS:
        if kind in found:
            continue
        for match in pattern.finditer(note):
            span = range(match.start(), match.end())
            if any(span.start < other.stop and other.start < span.stop for other in taken):
                continue
            taken.append(span)
            found[kind] = (kind, match.group(0), str(description))
            break
    return list(found.values())
