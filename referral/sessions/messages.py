"""What the sessions' service says (French msgids, translated when shown), so that service.py needs no Flask."""

from flask_babel import lazy_gettext as _l

NOT_YET_HELD = _l("Cette séance n'a pas encore eu lieu : les présences se prennent le jour même ou après.")
UNKNOWN_PEOPLE = _l("Ces personnes ne sont pas des intervenant.es du répertoire : %(ids)s.")
PARENTS = _l("Indiquez un nombre de parents partenaires entre 0 et 200.")
NOT_PRESENT = _l("Un lien né en séance relie deux personnes différentes, toutes deux présentes à la séance.")
TOO_MANY_PAIRS = _l("Trop de liens à la fois : 500 au plus.")
UNKNOWN_LEVEL = _l("Niveau de collaboration inconnu.")
