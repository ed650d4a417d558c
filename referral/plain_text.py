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
# Invisible characters that only hide a name's twin (« Ana » and « A\u200bna »): the zero-width space, the word
# joiner, the byte-order mark, the soft hyphen, the direction marks (LRM, RLM, ALM). The zero-width joiner stays
# (see above).
INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u200e\u200f\u061c")
REFUSED = BIDI_CONTROLS | INVISIBLE


def is_one_line(text: str) -> bool:
    return not any(unicodedata.category(c) in BREAKING or c in REFUSED for c in text)


def visible(text) -> str:
    """Text to echo back on a page: each control, direction or invisible character shown by its code point
    (« \\u202e »), so that a refused value neither turns the page around nor hides what is wrong with it."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in BREAKING and c not in "\t" or c in REFUSED
                   else c for c in str(text))


def without_controls(text: str | None, keep: str = "") -> str:
    """`text` with each control character dropped (those in `keep` stay), trimmed."""
    return "".join(c for c in (text or "") if c in keep or unicodedata.category(c) not in BREAKING).strip()


def one_line(text: str) -> str:
    """A header's value: every run of white space or control characters becomes one space."""
    return " ".join("".join(" " if unicodedata.category(c) in BREAKING else c for c in text).split())
