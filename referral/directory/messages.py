"""What the directory's service says (French msgids, translated when shown), so that service.py needs no Flask."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NAME_TAKEN = _l("Une organisation porte déjà ce nom dans ce territoire.")
POSTAL_AREA_UNKNOWN = _l("Ce code postal n'est pas dans la table des secteurs postaux de Montréal : "
                         "placez le point vous-même.")
OUTSIDE_TERRITORY = _l("Attention : le point est hors du territoire choisi. Vérifiez l'adresse ou placez-le à la "
                       "main.")
