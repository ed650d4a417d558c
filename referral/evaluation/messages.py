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
