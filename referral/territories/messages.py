"""What the territory pages call things (French msgids, translated when shown), so that service.py needs no Flask."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from referral.labels import ORIGIN_LABELS, SECTOR_LABELS

BEFORE_COHORT = _l("Avant la cohorte")
END_OF_COHORT = _l("Fin de la cohorte")
TODAY = _l("Aujourd'hui")
SECTOR = _l("Secteur")
ORGANISATION = _l("Organisation")


def session(number: int):
    return _l("Séance %(n)s", n=number)


def person_number(number: int):
    """How a person whose name the viewer may not read is called in the drawing."""
    return _l("P%(n)02d", n=number)


def sector(code: str | None):
    """A sector, or « autre secteur » where naming it would name an organisation."""
    return SECTOR_LABELS.get(code, _l("autre secteur"))


def layer_names(network, short: bool = False) -> dict[str, str]:
    """What each layer is called: in full in the page's legend, briefly in the map's layer control."""
    if short:
        names = {"before_ei": _("Avant EI"), "referral": _("Nés d'une référence"), "declared": _("Autres liens"),
                 "flows": _("Flux de références")}
    else:
        names = {**{origin: str(ORIGIN_LABELS[origin]) for origin in ("before_ei", "referral", "declared")},
                 "flows": _("Flux de références (flèches)")}
    for layer in network.layers:
        if layer["origin"] != "ei_session":
            continue
        if not layer.get("number"):
            names[layer["key"]] = _("Pendant EI — autre séance")
        elif short:
            names[layer["key"]] = _("EI, séance %(n)s", n=layer["number"])
        else:
            names[layer["key"]] = _("Pendant EI — séance %(n)s (%(date)s)", n=layer["number"],
                                    date=format_date(layer["date"], "d MMM y"))
    return names


TERRITORY_ID = _l("Un identifiant court : lettres minuscules, chiffres ou traits d'union, 2 à 16 caractères "
                  "(ex. « rpp »).")
TERRITORY_NAME = _l("Un nom de 2 à 80 caractères.")
BOROUGHS_NEEDED = _l("Choisissez au moins un arrondissement, une ville liée ou un quartier des listes.")


def inside_borough(neighbourhoods: list[str]) -> str:
    return str(_l("Quartier déjà compris dans un arrondissement choisi : %(names)s. Gardez l'arrondissement ou le "
                  "quartier.", names=", ".join(neighbourhoods)))
TERRITORY_INVALID = _l("Le territoire n'a pas été enregistré : voyez les champs indiqués.")
TERRITORY_TAKEN = _l("Un territoire porte déjà cet identifiant.")
TERRITORY_NAME_TAKEN = _l("Un autre territoire porte déjà ce nom.")


def borough_taken(taken: dict[str, str]) -> str:
    return str(_l("Déjà dans un autre territoire : %(boroughs)s. Un arrondissement ou un quartier n'appartient qu'à "
                  "un territoire, et un quartier pas en même temps que son arrondissement.",
                  boroughs=", ".join(f"{borough} ({territory})" for borough, territory in sorted(taken.items()))))
