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


class WebAddressError(ValueError):
    """Why an address is refused, for the message: `spaces` (a space or a control character inside), `host`
    (no domain with a dot: « exemple », « localhost »), else `scheme` (not http or https, or no host at all)."""

    def __init__(self, text: str, reason: str = "scheme"):
        super().__init__(text)
        self.reason = reason


def web_url(value: str | None) -> str | None:
    """The address as stored: trimmed, `https://` put before a bare host (`www.exemple.org`); None when
    empty. WebAddressError (a ValueError) for another scheme (javascript:, data:, ftp:…), spaces inside or a
    host with no dot (« exemple », « localhost »: no organisation's site is there)."""
    text = (value or "").strip()
    if not text:
        return None
    if not _SCHEME.match(text) or re.match(r"^[^:/]+\.[^:/]+:\d", text):
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced [ in the host
        raise WebAddressError(text) from None
    if parts.scheme.lower() not in SCHEMES:
        raise WebAddressError(text)
    if re.search(r"[\s\x00-\x1f\x7f\\]", text):
        raise WebAddressError(text, "spaces")
    if not host:
        raise WebAddressError(text)
    if len(labels := host.rstrip(".").split(".")) < 2 or not all(labels):
        raise WebAddressError(text, "host")
    return text


def formula_like(value, phone: bool = False) -> bool:
    """True when a spreadsheet could read the text as a formula (spaces before it hide nothing: the
    value may be trimmed on its way)."""
    text = value.lstrip(" ") if isinstance(value, str) else ""
    if not text.startswith(TRIGGERS):
        return False
    return not (phone and INTERNATIONAL_PHONE.match(text))
