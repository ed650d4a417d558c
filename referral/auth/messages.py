"""What the invitations' service says (French msgids, translated when shown), so that it needs no Flask."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NO_PERSON = _l("Aucune personne du répertoire n'a ce courriel : ajoutez-la d'abord au répertoire.")
NO_EMAIL = _l("Cette personne n'a pas de courriel dans le répertoire : ajoutez-en un avant de l'inviter.")
HAS_ACCOUNT = _l("Cette personne a déjà un compte. Elle peut choisir un nouveau mot de passe avec « Mot de passe "
                 "oublié ? » sur la page de connexion.")
DISABLED = _l("Ce compte est désactivé : réactivez-le avant d'inviter la personne.")
