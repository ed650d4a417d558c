"""What people type, as one line or as plain text: control characters (NUL, bell, line breaks where a line
is expected) are no part of a name, a subject or a message, nor invisible format characters but the joiners."""

from __future__ import annotations

import unicodedata

# Cc: C0/C1 controls (\n, \r, \t, NUL…); Zl, Zp: the line and paragraph separators.
BREAKING = {"Cc", "Zl", "Zp"}
# Directional overrides and isolates turn the rest of a line around: in a journal row, a name with one reads
# as someone else's words (found by the outside pass of issue 21). Arabic and Persian do not need them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Other invisible format characters (Cf) only hide a name's twin (« Ana » and « A\u200bna »): zero-width space,
# word joiner, byte-order mark, soft hyphen, direction marks, invisible operators, tags. The zero-width joiner and
# non-joiner stay: Persian and Indic names need them, and the joiner makes « 👨‍👩‍👧 » one family.
JOINERS = frozenset("\u200c\u200d")


def _refused(c: str) -> bool:
    category = unicodedata.category(c)
    return category in BREAKING or c in BIDI_CONTROLS or (category == "Cf" and c not in JOINERS)


def is_one_line(text: str) -> bool:
    return not any(_refused(c) for c in text)


def visible(text) -> str:
    """Text to echo back on a page: each control, direction or invisible character shown by its code point
    (« \\u202e »), so that a refused value neither turns the page around nor hides what is wrong with it."""
    return "".join(f"\\u{ord(c):04x}" if _refused(c) and c != "\t" else c for c in str(text))


def without_controls(text: str | None, keep: str = "") -> str:
    """`text` with each control character dropped (those in `keep` stay), trimmed."""
    return "".join(c for c in (text or "") if c in keep or unicodedata.category(c) not in BREAKING).strip()


def one_line(text: str) -> str:
    """A header's value: every run of white space or control characters becomes one space."""
    return " ".join("".join(" " if unicodedata.category(c) in BREAKING else c for c in text).split())
