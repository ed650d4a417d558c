"""Web addresses in the web layer: the form's message and the Jinja filter, on interop.cells.web_url (one rule
for every way in — directory form, CSV and HSDS imports — and at render time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from interop.cells import web_url

INVALID = _l("Adresse web refusée : seules les adresses http:// ou https:// sont acceptées (ex. https://exemple.org).")


def safe_href(value) -> str | None:
    """The Jinja filter: the value when it is an http(s) address, else None (the template shows no link)."""
    try:
        return web_url(str(value)) if value else None
    except ValueError:
        return None
