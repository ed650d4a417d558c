"""What the sessions' service says (French msgids, translated when shown), so that service.py needs no Flask."""

from flask_babel import lazy_gettext as _l

NOT_YET_HELD = _l("Cette séance n'a pas encore eu lieu : les présences se prennent le jour même ou après.")
UNKNOWN_PEOPLE = _l("Ces personnes ne sont pas des intervenant.es du répertoire : %(ids)s.")
PARENTS = _l("Indiquez un nombre de parents partenaires entre 0 et 200.")
TOO_MANY_PAIRS = _l("Trop de liens à la fois : 500 au plus.")
UNKNOWN_LEVEL = _l("Niveau de collaboration inconnu.")
COHORT_NAME = _l("Un nom de 2 à 80 caractères, ex. « Cohorte 3 ».")
COHORT_TERRITORIES = _l("Choisissez au moins un de vos territoires.")
COHORT_DATES = _l("Indiquez un début et une fin qui le suit, trois ans plus tard au plus.")
COHORT_TOO_SHORT = _l("Les six séances mensuelles ne tiennent pas entre le début et la fin : reportez la fin.")
COHORT_INVALID = _l("La cohorte n'a pas été ouverte : voyez les champs indiqués.")
SESSION_INVALID = _l("Une séance : un numéro de 1 à 12, une date pendant la cohorte et un thème.")


def cohort_overlap(overlaps: dict) -> str:
    return str(_l("Déjà dans une cohorte à ces dates : %(which)s. Un territoire suit une cohorte à la fois.",
                  which=", ".join(f"{territory} ({cohort})" for territory, cohort in sorted(overlaps.items()))))
NO_PAIRS = _l("Cochez au moins une paire de personnes qui se sont parlé pour la première fois.")


def met_there(names: list[str]) -> str:
    return str(_l("Ces personnes ont des liens nés à cette séance : elles restent présentes. %(names)s",
                  names=", ".join(names)))


def not_present(pair: str) -> str:
    return str(_l("%(pair)s : un lien né en séance relie deux personnes différentes, toutes deux présentes à la "
                  "séance.", pair=pair))


def not_yours(pair: str) -> str:
    return str(_l("%(pair)s : ni l'une ni l'autre ne travaille dans vos territoires ; leur coordination peut "
                  "noter ce lien.", pair=pair))
THEME = _l("Un thème de 2 à 120 caractères.")
TOO_LONG = _l("200 caractères au plus.")
SESSION_NOT_SAVED = _l("La séance n'a pas été modifiée : voyez les champs indiqués.")
SESSION_HELD = _l("Des présences ou des liens sont notés pour cette séance : elle garde sa date et n'est plus "
                  "annulable.")
CANCELLED = _l("Cette séance a été annulée : elle ne prend pas de présences.")


def session_dates(start, end) -> str:
    if start is None:
        return str(_l("Indiquez une date valide (AAAA-MM-JJ)."))
    return str(_l("Une date pendant la cohorte, du %(start)s au %(end)s.", start=start.isoformat(),
                  end=end.isoformat()))
SESSION_NUMBER = _l("Un numéro de séance de 1 à 12.")
SESSION_ORDER = _l("Les séances d'une cohorte se suivent : celle-ci vient après la précédente et avant la suivante.")


def not_in_post(names: list[str], day) -> str:
    return str(_l("Pas encore en poste le %(day)s selon le répertoire : %(names)s. Corrigez leur date d'entrée en "
                  "poste dans le répertoire, ou retirez-les.", day=day.isoformat(), names=", ".join(names)))


def not_yours_to_open(territories: list[str]) -> str:
    return str(_l("Vous n'ouvrez une cohorte que pour vos territoires ; pas pour : %(ids)s.",
                  ids=", ".join(t[:20] for t in territories)))
COHORT_NAME_TAKEN = _l("Une autre cohorte porte déjà ce nom.")
COHORT_NOT_CHANGED = _l("La cohorte n'a pas été modifiée : voyez les champs indiqués.")
COHORT_HELD = _l("Des séances de cette cohorte ont eu lieu (présences ou liens notés) : ses dates restent, et elle "
                 "ne se supprime pas. Son nom peut changer.")


def sessions_outside(days: list) -> str:
    return _l("Des séances tomberaient hors de ces dates (%(days)s) : déplacez-les d'abord ou gardez des dates qui "
              "les contiennent.", days=", ".join(d.isoformat() for d in days))
