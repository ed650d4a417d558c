"""What people type, as one line or as plain text: control characters (NUL, bell, line breaks where a line
is expected) are no part of a name, a subject or a message. Format characters stay: the zero-width joiner
makes « 👨‍👩‍👧 » one family, and Arabic or Persian text needs its marks."""

from __future__ import annotations

import unicodedata

# Cc: C0/C1 controls (\n, \r, \t, NUL…); Zl, Zp: the line and paragraph separators.
BREAKING = {"Cc", "Zl", "Zp"}
# Directional overrides and isolates turn the rest of a line around: in a journal row, a name with one reads
# as someone else's words (found by the outside pass of issue 21). Arabic and Persian do not need them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_one_line(text: str) -> bool:
    return not any(unicodedata.category(c) in BREAKING or c in BIDI_CONTROLS for c in text)


def without_controls(text: str | None, keep: str = "") -> str:
    """`text` with each control character dropped (those in `keep` stay), trimmed."""
    return "".join(c for c in (text or "") if c in keep or unicodedata.category(c) not in BREAKING).strip()


def one_line(text: str) -> str:
    """A header's value: every run of white space or control characters becomes one space."""
    return " ".join("".join(" " if unicodedata.category(c) in BREAKING else c for c in text).split())
