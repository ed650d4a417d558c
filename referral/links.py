"""Web addresses in the web layer: the messages and the Jinja filter, on interop.cells.web_url (one rule for
every way in — directory form, CSV and HSDS imports — and at render time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from interop.cells import WebAddressError, web_url

WHY = {
    "scheme": _l("seules les adresses http:// ou https:// sont acceptées"),
    "spaces": _l("une adresse web ne contient pas d'espace"),
    "host": _l("il manque le nom de domaine, avec son point (ex. exemple.org)"),
}
INVALID = _l("Adresse web refusée : %(why)s (ex. https://exemple.org).")
COMPLETED = _l("Adresse du site complétée : %(url)s")  # « www.exemple.org » was stored with https://


def why_refused(error: WebAddressError) -> str:
    """What is wrong with the address, in a few words (the form and the CSV import say it the same way)."""
    return WHY[error.reason]


def safe_href(value) -> str | None:
    """The Jinja filter: the value when it is an http(s) address, else None (the template shows no link)."""
    try:
        return web_url(str(value)) if value else None
    except ValueError:
        return None
