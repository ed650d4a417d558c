"""What the directory's service says (French msgids, translated when shown), so that service.py needs no Flask."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from referral.labels import elide

NAME_TAKEN = _l("Une organisation porte déjà ce nom dans ce territoire.")
POSTAL_AREA_UNKNOWN = _l("Ce code postal n'est pas dans la table des secteurs postaux de Montréal : "
                         "placez le point vous-même.")
OUTSIDE_TERRITORY = _l("Attention : le point est hors du territoire choisi. Vérifiez l'adresse ou placez-le à la "
                       "main.")


def before_ei_too_late(territory: str, start: str) -> str:
    return elide(str(_l("« Avant EI » : le lien doit dater d'avant le %(start)s, début de la cohorte EI de "
                        "%(territory)s (le territoire de l'une des deux personnes). Choisissez une autre origine "
                        "ou corrigez la date.", start=start, territory=territory)), territory)


def session_elsewhere(territory: str) -> str:
    return _l("Cette séance a eu lieu à %(territory)s, où aucune des deux personnes ne travaille.", territory=territory)


def session_day(number: int, day: str) -> str:
    return _l("Un lien né à la séance %(number)s date du jour de la séance : le %(day)s.", number=number, day=day)


SESSION_NEEDED = _l("Indiquez la séance où le lien est né.")
NOT_BOTH_PRESENT = _l("Les présences de cette séance ne comptent pas ces deux personnes : un lien né en séance "
                      "relie deux personnes présentes.")
SESSION_WITHOUT_ORIGIN = _l("Une séance ne s'indique que pour un lien né en séance EI : choisissez cette origine ou "
                            "retirez la séance.")
ARCHIVED = _l("Cette fiche est archivée : restaurez-la d'abord pour la modifier.")
ALREADY_DONE = _l("Quelqu'un l'a fait entre-temps : voici la fiche telle qu'elle est maintenant.")
ORGANISATION_CLOSED = _l("Cette organisation est archivée : choisissez-en une autre, ou restaurez-la d'abord.")
ORGANISATION_ARCHIVED = _l("L'organisation de ce service est archivée : restaurez d'abord l'organisation.")
MERGE_SAME = _l("Choisissez une autre fiche : on ne fusionne pas une fiche avec elle-même.")
TIE_INCOHERENT = _l("L'origine et la date du lien ne concordent pas : voyez les champs indiqués.")
