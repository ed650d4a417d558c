"""What the accounts' service says (French msgids, translated when shown), so that service.py needs no Flask."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

EMAIL_TAKEN = _l("Un compte existe déjà pour ce courriel.")
UNKNOWN_PERSON = _l("Aucune personne ne porte cet identifiant.")
MERGED_AWAY = _l("Ce compte était celui d'une fiche fusionnée dans une autre : il ne se réactive pas. La personne se "
                 "connecte avec le compte de la fiche conservée.")
OWN_ROLE = _l("Vous ne pouvez pas changer votre propre rôle : demandez-le à une autre personne de "
              "l'administration.")
