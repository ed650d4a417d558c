"""What the evaluation service says (French msgids, translated when shown), so that service.py needs no Flask."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

INVALID_QUERY = _l("Certaines options de la comparaison sont invalides.")
UNKNOWN_SCOPE = _l("Ce territoire ou cette cohorte n'existe pas.")
UNKNOWN_FORMAT = _l("Format d'export inconnu.")
UNKNOWN_METRIC = _l("Cette mesure n'existe pas.")
UNKNOWN_WAVE = _l("Cette vague d'enquête n'existe pas.")
UNKNOWN_RULE = _l("Règle de symétrisation inconnue.")
RULES = _l("either ou both")
SMALL_ROSTER = _l("Moins de deux membres de ce groupe ont consenti à la recherche : "
                  "impossible d'ouvrir une vague.")
WAVE_CLOSED = _l("Ce questionnaire n'est plus ouvert : vos réponses n'ont pas été enregistrées.")
INVALID_ROSTER = _l("Le questionnaire ne correspond pas à la liste des membres : rechargez la page.")
NOT_SAVED = _l("Vos réponses n'ont pas pu être enregistrées.")
ROSTER_FROZEN = _l("La vague est ouverte : sa liste de membres ne change plus, pour que chacun réponde sur le même "
                   "groupe.")
NOT_A_CANDIDATE = _l("Cette personne ne peut pas être ajoutée : elle doit être intervenant.e dans un territoire de la "
                     "vague, consentir à la recherche et ne pas déjà être sur la liste.")
NOT_A_MEMBER = _l("Cette personne n'est pas sur la liste de la vague.")
ROSTER_MINIMUM = _l("Une vague garde au moins deux membres.")
DATES_FROZEN = _l("Cette vague est fermée : ses dates ne changent plus, pour que ses chiffres restent ceux qui ont "
                  "été lus. Ouvrez une nouvelle vague au besoin.")
BAD_CLOSING = _l("La fermeture ne peut pas précéder l'ouverture ni, une fois la vague ouverte, la veille "
                 "d'aujourd'hui.")
NO_MAIL_CLOSED = _l("Cette vague est fermée : plus d'invitation ni de relance.")
NO_REMINDER_YET = _l("La vague n'est pas encore ouverte : les relances viennent après l'ouverture.")
DUPLICATE_WAVE = _l("Cette vague existe déjà (même titre, même groupe, mêmes dates) : ouvrez-la dans la liste.")
