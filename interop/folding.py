"""The one way text is compared across the app: CSV and HSDS imports, duplicate names, search terms.

« Montreal Nord », « MONTRÉAL–NORD » and « montréal-nord » are the same territory whichever door they come
in by; the full-text index folds accents and case the same way (its `standard-folding` analyzer)."""

from __future__ import annotations

import re
import unicodedata

# Spaces, underscores, apostrophes and every dash a keyboard or a word processor gives (hyphen, non-breaking
# hyphen, figure dash, en and em dashes, minus sign): « Montréal‑Nord » is « Montréal-Nord ».
# Blank letters (Hangul fillers, the braille blank) are spaces too.
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212’'\u115f\u1160\u3164\uffa0\u2800]+")


UNSEEN = frozenset({"Mn", "Me", "Cf", "Cn", "Co"})


def fold(text: object) -> str:
    """Case-, accent-, dash- and spacing-insensitive form: « Santé  mentale » == 'sante-mentale'."""
    # Any value: an HSDS package may give a number where a code is a string.
    folded = ("" if text is None else str(text)).casefold()
    if folded.isascii():  # most names: nothing to decompose (20,000 organisations fold in a blink)
        return _SEPARATORS.sub(" ", folded).strip()
    decomposed = unicodedata.normalize("NFKD", folded)
    # marks, invisible format characters (a joiner in « Montréal‍-Nord »), selectors and what is no character
    # at all are no part of the comparison
    plain = "".join(c for c in decomposed if unicodedata.category(c) not in UNSEEN and c != "\ufffc")
    return _SEPARATORS.sub(" ", plain).strip()
