"""What the search service (referral/search/service.py) tells about a search the data refuse, translated
when shown: it imports no Flask itself. Why each result is there: referral/search/reasons.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DISTANCE_NEEDS_AN_ORIGIN = _l("Indiquez un code postal pour limiter la distance.")


def need_not_understood(text: str):
    """The need's words name no need nor service."""
    return _l("Aucun besoin ni service ne correspond à « %(text)s ».", text=text)
