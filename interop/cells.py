"""Values any import or form must check the same way, with no Flask: web addresses (http and https only)
and text a spreadsheet would run as a formula. The forms' messages and validators built on these are in
referral/links.py and referral/spreadsheet.py.

A `javascript:` or `data:` value, however it got into the graph, never becomes a clickable link; text
starting with =, +, -, @ is refused on the way in (a phone may start with « + » when digits follow), and
every CSV the app writes goes through defusedcsv as well.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
# A scheme is letters then « : » (RFC 3986); « www.exemple.org:8080 » has a dot before its colon, so is a host.
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
INTERNATIONAL_PHONE = re.compile(r"^\+\d[\d\s().-]*$")


def web_url(value: str | None) -> str | None:
    """The address as stored: trimmed, `https://` put before a bare host (`www.exemple.org`); None when
    empty. ValueError for another scheme (javascript:, data:, ftp:…), no host, or spaces inside."""
    text = (value or "").strip()
    if not text:
        return None
    if not _SCHEME.match(text) or re.match(r"^[^:/]+\.[^:/]+:\d", text):
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unbalanced [ in the host
        raise ValueError(text) from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname or re.search(r"[\s\x00-\x1f\x7f\\]", text):
        raise ValueError(text)
    return text


def formula_like(value, phone: bool = False) -> bool:
    """True when a spreadsheet could read the text as a formula (spaces before it hide nothing: the
    value may be trimmed on its way)."""
    text = value.lstrip(" ") if isinstance(value, str) else ""
    if not text.startswith(TRIGGERS):
        return False
    return not (phone and INTERNATIONAL_PHONE.match(text))
