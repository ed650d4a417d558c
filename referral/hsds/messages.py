"""Problem and reason codes of interop.hsds, as translated sentences (French msgids), and the other wording
referral.hsds.service needs: it imports no Flask itself."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from interop.hsds.errors import Problem
from referral.labels import KIND_LABELS, LANGUAGE_LABELS, ROLE_ALIASES, ROLE_LABELS, SECTOR_LABELS


def labels() -> dict:
    """Code -> label tables, always in French: the export must not depend on who asks for it."""
    with force_locale("fr"):
        return {name: {code: str(text) for code, text in table.items()} for name, table in (
            ("sectors", SECTOR_LABELS), ("kinds", KIND_LABELS), ("roles", ROLE_LABELS),
            ("languages", LANGUAGE_LABELS))} | {"role_aliases": dict(ROLE_ALIASES)}


def automatic_territory() -> str:
    """The import's territory choice that places each organisation from its location."""
    return _("D'après les coordonnées de chaque lieu")


def not_found(what: str) -> str:
    return _("Aucun enregistrement %(what)s ne porte cet identifiant.", what=what)


def _problem_texts() -> dict[str, str]:
    return {
        "unknown_format": _("ni un paquet CSV (.zip ou dossier) ni un fichier JSON"),
        "unreadable": _("illisible"),
        "too_large": _("trop volumineux une fois décompressé"),
        "too_many_rows": _("plus de %(value)s lignes ou objets : découpez le paquet en plusieurs imports (en ligne de "
                           "commande, IMPORT_MAX_ROWS relève la limite)"),
        "too_many_entries": _("trop de fichiers dans l'archive (%(value)s au plus)"),
        "too_deep": _("JSON imbriqué trop profondément (%(value)s niveaux au plus)"),
        "encrypted": _("fichier chiffré : envoyez une archive sans mot de passe"),
        "corrupt": _("archive endommagée ou incomplète : créez-la de nouveau"),
        "unsupported": _("méthode de compression non prise en charge : utilisez un zip ordinaire"),
        "unsafe_name": _("nom de fichier refusé dans l'archive (chemin absolu ou « .. »)"),
        "nested_archive": _("archive dans l'archive : décompressez-la d'abord"),
        "duplicate_entry": _("deux fichiers portent le même nom : un seul paquet à la fois"),
        "symlink": _("lien symbolique refusé : mettez le fichier lui-même dans l'archive"),
        "path_outside": _("chemin hors du paquet, non suivi : « %(value)s »"),
        "path_unreadable": _("chemin illisible, non suivi : %(value)s (du texte était attendu)"),
        "declared_missing": _("fichier déclaré introuvable dans le paquet : « %(value)s »"),
        "shadowed_file": _("fichier non lu : datapackage.json déclare sa table dans « %(value)s »"),
        "empty_file": _("fichier vide : pas même une ligne d'en-tête"),
        "symlink_skipped": _("lien symbolique, non suivi"),
        "json_in_package": _("fichier JSON non lu : un paquet se lit par ses CSV ; importez ce fichier seul"),
        "semicolons": _("cellules séparées par des points-virgules (« ; ») : lues ainsi"),
        "tabs": _("cellules séparées par des tabulations : lues ainsi"),
        "decimal_comma": _("virgule décimale lue comme un point : « %(value)s »"),
        "status_case": _("statut « %(value)s » (HSDS 1.x ou 2.0) : lu en minuscules"),
        "duplicate_column": _("colonne donnée deux fois : on ne peut savoir laquelle vaut"),
        "csv_nul": _("caractère NUL dans le fichier : ce n'est pas un CSV texte"),
        "csv_too_long": _("cellule trop longue pour être lue (plus de 131 072 caractères)"),
        "csv_syntax": _("CSV mal formé (guillemets non refermés ?)"),
        "json_syntax": _("JSON mal formé à la colonne %(value)s"),
        "json_duplicate_key": _("clé « %(value)s » donnée deux fois dans un même objet : ce n'est pas du JSON "
                                "valable"),
        "json_constant": _("%(value)s n'est pas une valeur JSON"),
        "json_lone_surrogate": _("caractère incomplet (une moitié de paire \\uD800–\\uDFFF) : ce n'est pas du "
                                 "texte valable"),
        "json_number": _("nombre trop long pour être lu"),
        "eligibility_joined": _("%(value)s critère(s) d'admissibilité joint(s) à la description de leur service "
                                "(HSDS 1.x ou 2.0)"),
        "eligibility_left_out": _("%(value)s critère(s) d'admissibilité laissé(s) de côté : leur service n'est pas "
                                  "dans le paquet, ou il en a été laissé de côté"),
        "eligibility_described": _("%(value)s critère(s) d'admissibilité laissé(s) de côté : leur service a déjà "
                                   "sa description d'admissibilité"),
        "eligibility_unlinked": _("%(value)s critère(s) d'admissibilité laissé(s) de côté : sans service_id ou sans "
                                  "texte"),
        "control_character": _("caractère de contrôle invisible (%(value)s) : retirez-le"),
        "formula": _("une valeur ne peut pas commencer par =, +, - ou @ : « %(value)s »"),
        "ignored_file": _("fichier ignoré (il ne fait pas partie de HSDS)"),
        "ignored_table": _("table « %(value)s » ignorée : le répertoire n'en a pas l'usage"),
        "url_completed": _("%(value)s adresse(s) web sans https:// : complétée(s)"),
        "status_assumed": _("%(value)s service(s) sans statut (HSDS 1.x ou 2.0) : lu(s) comme actif(s)"),
        "location_type_assumed": _("%(value)s lieu(x) sans type (HSDS 1.x ou 2.0) : lu(s) comme physique(s)"),
        "id_derived": _("%(value)s ligne(s) sans identifiant ou avec un identifiant répété (HSDS 1.x ou 2.0) : "
                        "identifiant tiré du fichier et de la ligne"),
        "value_dropped": _("valeur inutilisable laissée de côté (HSDS 1.x ou 2.0) : « %(value)s »"),
        "term_merged": _("%(value)s terme(s) de taxonomie donné(s) deux fois sous le même nom : lu(s) une fois"),
        "empty_row": _("%(value)s ligne(s) sans aucune valeur hormis un renvoi (HSDS 1.x ou 2.0) : laissée(s) de "
                       "côté"),
        "orphan_left_out": _("%(value)s service(s) dont l'organisation n'est pas dans le paquet (HSDS 1.x ou 2.0) : "
                             "laissé(s) de côté"),
        "time_padded": _("%(value)s heure(s) écrite(s) sans zéro initial (HSDS 1.x ou 2.0) : 9:00 lu comme 09:00"),
        "link_left_out": _("%(value)s lien(s) entre un service et un lieu absent du paquet (HSDS 1.x ou 2.0) : "
                           "laissé(s) de côté"),
        "status_word": _("statut « %(value)s » (HSDS 1.x ou 2.0) : lu comme actif"),
        "row_left_out": _("%(value)s ligne(s) sans cette valeur obligatoire (HSDS 1.x ou 2.0) : laissée(s) de côté"),
        "api_root": _("la racine d'une API HSDS (%(value)s) : elle ne contient aucun enregistrement ; importez "
                      "ses listes d'organisations ou de services"),
        "unknown_object": _("objet JSON qui n'est ni une organisation, ni un service, ni un lieu, ni un terme de "
                            "taxonomie HSDS (clés : %(value)s)"),
        "no_records": _("aucune organisation ni aucun service à importer ; le fichier contient : %(value)s"),
        "unknown_encoding": _("encodage inconnu : %(value)s"),
        "bad_encoding": _("le texte n'est pas en %(value)s : enregistrez le fichier en UTF-8 (ou déclarez son "
                          "encodage dans datapackage.json)"),
        "renamed_column": _("nom de colonne HSDS 2.0, lu comme « %(value)s »"),
        "no_tables": _("aucune table HSDS trouvée"),
        "missing_column": _("colonne obligatoire absente"),
        "required": _("champ obligatoire vide"),
        "type": _("type incorrect : « %(value)s »"),
        "format": _("format incorrect : « %(value)s »"),
        "expected": _("%(problem)s — attendu : %(expected)s"),
        "enum": _("valeur non permise : « %(value)s »"),
        "schema": _("non conforme au schéma HSDS : %(value)s"),
        "duplicate": _("identifiant en double : %(value)s"),
        "reference": _("renvoie à un enregistrement absent du paquet : %(value)s"),
        "reference_ignored": _("lien ignoré : aucun enregistrement %(value)s dans le paquet"),
        "bad_coordinates": _("coordonnées hors limites (%(value)s) : position tirée du code postal"),
        "extra_location": _("autre lieu de « %(value)s » ignoré : une organisation garde une adresse"),
    }


def _where(problem: Problem) -> str:
    parts = [problem.file]
    if isinstance(problem.row, int):
        parts.append(_("ligne %(n)s", n=problem.row))
    elif problem.row:
        parts.append(str(problem.row))
    if problem.field:
        parts.append(_("champ %(name)s", name=problem.field))
    return ", ".join(parts)


def describe(problem: Problem) -> str:
    """« services.csv, ligne 3, champ organization_id : renvoie à … »."""
    texts = _problem_texts()
    text = texts.get(problem.code, problem.code) % {"value": problem.value or ""}
    if problem.expected and problem.expected.startswith("first:"):  # a duplicate: where the id was met first
        first = problem.expected.removeprefix("first:")
        text = _("%(problem)s (déjà : %(first)s)", problem=text,
                 first=_("ligne %(n)s", n=first) if first.isdigit() else first)
    elif problem.expected:
        text = texts["expected"] % {"problem": text, "expected": expected(problem.expected)}
    return _("%(where)s : %(text)s", where=_where(problem), text=text)


# Notes of one kind (file, field, code) said one by one; past that, counted (ILAO's 1,346 schedule lines).
NOTES_OF_A_KIND = 3


def a_few(items: list) -> list:
    """The items of a kind said one by one: NOTES_OF_A_KIND of them, or all when one more would be left
    (never « … et 1 autres »)."""
    return items if len(items) <= NOTES_OF_A_KIND + 1 else items[:NOTES_OF_A_KIND]


def describe_notes(notes: list[Problem], more: str | None = None) -> list[str]:
    """Each note in words, the notes of a kind together; past NOTES_OF_A_KIND of a kind, the rest counted."""
    kinds: dict[tuple, list[Problem]] = {}
    for note in notes:
        kinds.setdefault((note.file, note.field, note.code), []).append(note)
    texts = []
    for (file, field, _code), kind in kinds.items():
        shown = a_few(kind)
        texts += [describe(note) for note in shown]
        if len(kind) > len(shown):
            texts.append((more or _("%(where)s : … et %(n)s autres remarques du même genre")) % {
                "where": _where(Problem(file, None, field, "")), "n": len(kind) - len(shown)})
    return texts


def expected(kind: str) -> str:
    """What a value should have been, in words: a JSON or table type, or a format."""
    return {
        "string": _("du texte"), "number": _("un nombre"), "integer": _("un nombre entier"),
        "boolean": _("true ou false"), "array": _("une liste [ … ]"), "object": _("un objet { … }"),
        "rows": _("une liste de lignes (objets)"), "date": _("une date AAAA-MM-JJ, par exemple 2024-09-01"),
        "datetime": _("une date et heure ISO 8601, par exemple 2024-09-01T09:30:00Z"),
        "time": _("une heure HH:MM, par exemple 09:30"),
        "uuid": _("un identifiant UUID, par exemple 3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "email": _("une adresse courriel, par exemple info@exemple.org"),
        "uri": _("une adresse web complète, par exemple https://exemple.org"),
        "no_formula": _("un texte qui ne commence pas par =, +, - ou @"),
        "json_comma": _("une virgule entre deux valeurs"), "json_colon": _("« : » après une clé"),
        "json_key": _("une clé entre guillemets droits \""), "json_end": _("la fin du document"),
        "json_value": _("une valeur : un texte entre guillemets, un nombre, true, false, null, { … } ou [ … ]"),
        "json_string": _("un guillemet \" qui ferme le texte"),
        "json_control": _("un texte sans saut de ligne ni tabulation tels quels (écrivez \\n, \\t)"),
        "json_escape": _("un échappement valable (\\n, \\\", \\u00e9…)"),
    }.get(kind, kind)


# Problems shown at most: a package with thousands of faults is named by its first ones.
SHOWN = 100
# Codes of a package refused for its size rather than its content.
TOO_LARGE = frozenset({"too_large", "too_many_rows", "too_many_entries"})


def describe_all(problems: list[Problem]) -> list[str]:
    """A refusal's problems, grouped by kind as notes are (Miami's 3,562 lines), at most SHOWN lines."""
    texts = describe_notes(problems, _("%(where)s : … et %(n)s autres problèmes du même genre"))
    if len(texts) > SHOWN:
        texts = texts[:SHOWN] + [_("… et %(n)s autres lignes.", n=len(texts) - SHOWN)]
    return texts


def status(problems: list[Problem]) -> int:
    """413 for a package over the limits, 422 for one whose content is wrong."""
    return 413 if any(p.code in TOO_LARGE for p in problems) else 422


def reason(code: str | None) -> str:
    return {
        "no_territory": _("aucun territoire : pas de coordonnées ni de code postal dans un TIP ; "
                          "choisissez un territoire pour l'import"),
        "outside_scope": _("hors de votre territoire"),
        "refused": _("enregistrement du répertoire que vous ne pouvez pas modifier : rien ne sera importé"),
        "inactive": _("service inactif ou fermé"),
        "organisation_skipped": _("son organisation n'est pas importée"),
        "no_name": _("contact sans nom"),
        "same_email": _("ce courriel ne peut pas être utilisé"),
        "same_email_in_package": _("un autre contact du paquet a déjà ce courriel"),
        "same_record": _("une autre ligne du paquet vise déjà cet enregistrement du répertoire (sous un autre "
                         "identifiant) : celle-ci est ignorée"),
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
            "contact": _("Contacts (personnes)")}.get(code, code)
