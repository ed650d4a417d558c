"""Problem and reason codes of interop.hsds, as translated sentences (French msgids)."""

from __future__ import annotations

from flask_babel import gettext as _

from interop.hsds.errors import Problem


def _problem_texts() -> dict[str, str]:
    return {
        "unknown_format": _("ni un paquet CSV (.zip ou dossier) ni un fichier JSON"),
        "unreadable": _("illisible"),
        "too_large": _("trop volumineux une fois décompressé"),
        "ignored_file": _("fichier ignoré (il ne fait pas partie de HSDS)"),
        "unknown_encoding": _("encodage inconnu : %(value)s"),
        "bad_encoding": _("le texte n'est pas en %(value)s"),
        "renamed_column": _("nom de colonne HSDS 2.0, lu comme « %(value)s »"),
        "no_tables": _("aucune table HSDS trouvée"),
        "missing_column": _("colonne obligatoire absente"),
        "required": _("champ obligatoire vide"),
        "type": _("type incorrect : « %(value)s »"),
        "format": _("format incorrect : « %(value)s »"),
        "enum": _("valeur non permise : « %(value)s »"),
        "schema": _("non conforme au schéma HSDS : %(value)s"),
        "duplicate": _("identifiant en double : %(value)s"),
        "reference": _("renvoie à un enregistrement absent du paquet : %(value)s"),
        "reference_ignored": _("lien ignoré : aucun enregistrement %(value)s dans le paquet"),
        "bad_coordinates": _("coordonnées hors limites (%(value)s) : position tirée du code postal"),
        "extra_location": _("autre lieu de « %(value)s » ignoré : une organisation garde une adresse"),
    }


def describe(problem: Problem) -> str:
    """« services.csv, ligne 3, champ organization_id : renvoie à … »."""
    parts = [problem.file]
    if isinstance(problem.row, int):
        parts.append(_("ligne %(n)s", n=problem.row))
    elif problem.row:
        parts.append(str(problem.row))
    if problem.field:
        parts.append(_("champ %(name)s", name=problem.field))
    text = _problem_texts().get(problem.code, problem.code) % {"value": problem.value or ""}
    return f"{', '.join(parts)} : {text}"


def reason(code: str | None) -> str:
    return {
        "no_territory": _("aucun territoire : pas de coordonnées ni de code postal dans un TIP ; "
                          "choisissez un territoire pour l'import"),
        "outside_scope": _("hors de votre territoire"),
        "inactive": _("service inactif ou fermé"),
        "organisation_skipped": _("son organisation n'est pas importée"),
        "no_name": _("contact sans nom"),
        "same_email": _("une personne du répertoire a déjà ce courriel"),
        "same_email_in_package": _("un autre contact du paquet a déjà ce courriel"),
    }.get(code or "", code or "")


def territory_how(code: str | None) -> str:
    return {
        "chosen": _("choisi pour l'import"),
        "coordinates": _("d'après les coordonnées"),
        "postal_code": _("d'après le code postal"),
    }.get(code or "", "")


ACTIONS = ("create", "update", "unchanged", "skip")


def action(code: str) -> str:
    return {"create": _("créé"), "update": _("mis à jour"), "unchanged": _("inchangé"),
            "skip": _("ignoré")}.get(code, code)


def entity(code: str) -> str:
    return {"organisation": _("Organisations"), "service": _("Services"),
            "contact": _("Contacts (personnes, non listées)")}.get(code, code)
