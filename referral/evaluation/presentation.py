"""Labels and number formats of the evaluation pages (French msgids, translated at render time)."""

from __future__ import annotations

from functools import lru_cache

from babel import numbers
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

# (key, label, format) in display order; formats: int, decimal, ratio, percent, signed.
FIGURES = (
    ("people", _l("Personnes"), "int"),
    ("organisations", _l("Organisations"), "int"),
    ("ties", _l("Liens"), "int"),
    ("density", _l("Densité"), "ratio"),
    ("average_degree", _l("Degré moyen (liens par personne)"), "decimal"),
    ("degree_centralisation", _l("Centralisation des degrés"), "ratio"),
    ("components", _l("Composantes (sous-réseaux séparés)"), "int"),
    ("largest_component", _l("Taille de la plus grande composante"), "int"),
    ("isolates", _l("Personnes isolées (sans lien)"), "int"),
    ("cross_organisation_share", _l("Part des liens entre organisations"), "percent"),
    ("cross_sector_share", _l("Part des liens entre secteurs"), "percent"),
    ("ei_index_sector", _l("Indice E–I des secteurs (−1 : cloisonné, +1 : ouvert)"), "signed"),
    ("average_clustering", _l("Coefficient de regroupement moyen"), "ratio"),
)
FIGURE_FORMATS = {key: kind for key, _, kind in FIGURES}
FIGURE_LABELS = {key: label for key, label, _ in FIGURES}
TOTALS = (
    ("people", _l("Intervenant.es (toutes et tous)")),
    ("organisations", _l("Organisations représentées")),
    ("ties", _l("Liens (tous)")),
)
STAGE_LABELS = {
    **{f"s{n}": _l("Séance %(n)s", n=n) for n in range(7, 13)},  # a cohort may hold more than the program's six
    "before": _l("Avant"), "s1": _l("Séance 1"), "s2": _l("Séance 2"), "s3": _l("Séance 3"),
    "s4": _l("Séance 4"), "s5": _l("Séance 5"), "s6": _l("Séance 6"), "after": _l("Après"),
    "now": _l("Aujourd'hui"), "start": _l("Début de la période"), "end": _l("Fin de la période"),
}
STAGE_SHORT_LABELS = {
    "before": _l("Avant"), **{f"s{n}": f"S{n}" for n in range(1, 13)}, "after": _l("Après"),
}
LOST_LABELS = {"left": _l("une personne a quitté son organisation ou le territoire"),
               "ended": _l("une vague d'enquête a constaté la fin du lien")}
RULE_LABELS = {"either": _l("Un lien compte quand l'une des deux personnes le déclare"),
               "both": _l("Un lien compte seulement quand les deux le déclarent")}
ROSTER_RULE_LABELS = {"attended": _l("Les personnes du groupe qui ont assisté à au moins une séance"),
                      "working": _l("Toutes les intervenant.es qui y travaillent à l'ouverture")}


def scope_name(scope) -> str:
    if scope.kind == "all":
        return gettext("Tous les territoires")
    if scope.kind == "cohort":
        return scope.territories[0].get("cohort_name") or gettext("Cohorte %(n)s", n=scope.cohort)
    if scope.id.startswith("cohort-"):  # a territory taking part again: which time
        return gettext("%(territory)s (%(cohort)s)", territory=scope.territories[0]["name"],
                       cohort=scope.territories[0].get("cohort_name") or scope.cohort)
    return scope.territories[0]["name"]


def format_decimal(value, format: str) -> str:
    """Flask-Babel's, kept per value, pattern and language: Babel parses the pattern and looks up the
    language's symbols at each call, and an evaluation page formats about 140 figures — the same ones for
    every reader while the graph stays as it is."""
    return _formatted(value, format, str(get_locale()), False)


def format_percent(value, format: str) -> str:
    return _formatted(value, format, str(get_locale()), True)


@lru_cache(maxsize=4096)
def _formatted(value, pattern: str, locale: str, percent: bool) -> str:
    formatter = numbers.format_percent if percent else numbers.format_decimal
    return formatter(value, format=pattern, locale=locale)


def format_figure(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "int":
        return format_decimal(value, format="#,##0")
    if kind == "percent":
        return format_percent(value, format="#,##0 %")
    if kind == "signed":
        return ("+" if value > 0 else "") + format_decimal(value, format="0.00")
    if kind == "ratio":
        return format_decimal(value, format="0.000")
    return format_decimal(value, format="0.00")


def format_change(before, after, kind: str) -> str:
    """The difference, signed, in the figure's unit (percentage points for shares)."""
    if before is None or after is None:
        return "—"
    delta = after - before
    sign = "+" if delta > 0 else ""
    if kind == "int":
        return sign + format_decimal(delta, format="#,##0")
    if kind == "percent":
        return gettext("%(delta)s pts", delta=sign + format_decimal(delta * 100, format="0"))
    if kind in ("ratio",):
        return sign + format_decimal(delta, format="0.000")
    return sign + format_decimal(delta, format="0.00")


def format_cell(value) -> str:
    """A suppressed small cell (None) is shown as "< 5"."""
    return "< 5" if value is None else format_decimal(value, format="#,##0")
