"""What the network service says (French msgids, translated when shown), so that service.py needs no Flask."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TIE_ERRORS = {
    "unknown_person": _l("Cette personne n'est pas dans le répertoire."),
    "self": _l("Vous ne pouvez pas déclarer un lien avec vous-même."),
    "exists": _l("Vous êtes déjà lié.es : le lien existant est conservé tel quel."),
    "not_found": _l("Ce lien n'est pas en attente de confirmation."),
    "not_at_session": _l("Selon les présences, vous n'étiez pas tous deux à cette séance (ou elle a été annulée)."),
}
