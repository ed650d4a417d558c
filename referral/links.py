"""Web addresses typed or imported by people (an organisation's website): http and https only.

One rule for every way in (directory form, CSV import, HSDS import) and at render time, so that a
`javascript:` or `data:` value, however it got into the graph, never becomes a clickable link.
No Flask here: the HSDS importer uses it too.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

SCHEMES = ("http", "https")
INVALID = _l("Adresse web refusée : seules les adresses http:// ou https:// sont acceptées (ex. https://exemple.org).")
# A scheme is letters then « : » (RFC 3986); « www.exemple.org:8080 » has a dot before its colon, so is a host.
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


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


def safe_href(value) -> str | None:
    """The Jinja filter: the value when it is an http(s) address, else None (the template shows no link)."""
    try:
        return web_url(str(value)) if value else None
    except ValueError:
        return None
