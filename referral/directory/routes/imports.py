"""The directory's journal of changes and its CSV imports. HTTP only: the plan is
referral.directory.service's, each row checked by referral.policy against the record as it is now."""

from __future__ import annotations

import base64
import binascii

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from graph.schema import EmailTaken
from referral import clock
from referral.auth.users import role_required
from referral.directory import bp, csv_import, csv_values
from referral.directory.forms import FILE_TOO_LARGE, IMPORT_KINDS, ConfirmImportForm, ImportForm, JournalForm
from referral.directory.journal import ENTITIES, Journal, JournalFilters
from referral.directory.routes import current_directory
from referral.errors import redraws_when_too_large, too_large_upload
from referral.graphdb import repo
from referral.policy import MAINTAINERS, Principal

# --- the journal -----------------------------------------------------------------------------------

def _journal() -> tuple[Journal, JournalForm, JournalFilters | None, list[dict] | None]:
    """The journal, its filter form from the query string, the filters it gives (None when invalid, or when a
    name asked for finds no record or several) and the records that name finds (None when none is asked)."""
    journal = Journal(Principal.of(current_user), repo)
    form = JournalForm(request.args)
    form.territoire.choices = [("", _("Tous vos territoires"))] + [(t["id"], t["name"]) for t in journal.territories()]
    form.type.choices = [("", _("Toutes"))] + [(key, str(label)) for key, label in ENTITIES.items()]
    if not form.validate():
        return journal, form, None, None
    record, matches = form.fiche.data or None, None
    if form.nom.data and form.nom.data.strip():  # a name typed now wins over the record chosen before
        matches = journal.named(form.nom.data)
        record = matches[0]["id"] if len(matches) == 1 else None
    filters = JournalFilters(territory=form.territoire.data or None, record=record, entity=form.type.data or None,
                             user=form.auteur.data or None, since=form.du.data, until=form.au.data)
    return journal, form, filters if matches is None or len(matches) == 1 else None, matches


@bp.route("/journal")
@role_required(*MAINTAINERS)
def changes():
    journal, form, filters, matches = _journal()
    args = request.args.to_dict()
    return render_template("directory/changes.html", changes=journal.entries(filters) if filters else [], form=form,
                           record_name=journal.record_name(filters and filters.record), args=args, matches=matches,
                           all_records={k: v for k, v in args.items() if k not in ("fiche", "nom")}), \
        400 if form.errors else 200


@bp.route("/journal.csv")
@role_required(*MAINTAINERS)
def changes_csv():
    journal, form, filters, _matches = _journal()
    if form.errors:
        abort(400)
    return journal.csv(filters, str(get_locale())), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="journal-repertoire-{clock.today().isoformat()}.csv"',
    }


# --- CSV import ------------------------------------------------------------------------------------

def _accepted() -> list[dict]:
    """Every coded column's accepted values, the territories as the graph holds them now."""
    return csv_values.accepted(current_directory().territory_names())


def _preview(kind: str, data: bytes, status: int | None = None):
    """The preview page; its status, unless given, 422 when a row is rejected."""
    try:
        plan = current_directory().plan_import(csv_import.parse(data, kind))
    except csv_import.ImportFileError as error:
        form = ImportForm(formdata=None, kind=kind)
        form.file.errors = [error.message]
        return render_template("directory/import.html", form=form, kinds=IMPORT_KINDS, accepted=_accepted()), 422
    confirm = ConfirmImportForm(formdata=None, kind=kind, content=base64.b64encode(data).decode())
    return render_template("directory/import_preview.html", plan=plan, confirm=confirm, kinds=IMPORT_KINDS,
                           form=ImportForm(formdata=None, kind=kind), accepted=_accepted()), \
        status or (422 if plan.rejected else 200)


@bp.route("/import", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
@redraws_when_too_large
def import_csv():
    too_large = too_large_upload()
    form = ImportForm(formdata=None) if too_large else ImportForm()
    if too_large:  # this page's own limit (1 MB) is the one to say: a CSV is not compressed
        form.file.errors = [FILE_TOO_LARGE]
    elif form.validate_on_submit():
        return _preview(form.kind.data, form.file.data.read())
    status = 413 if too_large else 422 if request.method == "POST" else 200
    return render_template("directory/import.html", form=form, kinds=IMPORT_KINDS, accepted=_accepted()), status


@bp.route("/import/confirmer", methods=["POST"])
@role_required(*MAINTAINERS)
def confirm_import():
    form = ConfirmImportForm()
    if not form.validate_on_submit() or form.kind.data not in csv_import.KINDS:
        abort(400)
    try:
        data = base64.b64decode(form.content.data, validate=True)
        parsed = csv_import.parse(data, form.kind.data)
    except (binascii.Error, csv_import.ImportFileError):
        abort(400)
    try:
        plan = current_directory().run_import(parsed)
    except EmailTaken:
        flash(_("Rien n'a été importé : une autre personne a reçu un de ces courriels pendant l'import. Voici "
                "l'aperçu à jour : vérifiez-le et confirmez de nouveau."), "error")
        return _preview(form.kind.data, data, 409)
    if plan.rejected:  # nothing written: 403 when the policy refused a row (a record not the user's now), else 422
        status = 403 if any(row.refused for row in plan.rows) else 422
        flash(_("Rien n'a été importé : certaines lignes sont refusées. Corrigez le fichier et déposez-le à nouveau."),
              "error")
        return _preview(form.kind.data, data, status)
    if plan.writes:
        flash(_("Import terminé : %(created)s créée(s), %(updated)s mise(s) à jour, %(unchanged)s inchangée(s).",
                created=plan.count("create"), updated=plan.count("update"), unchanged=plan.count("unchanged")),
              "success")
    else:
        flash(_("Rien à importer : le répertoire contient déjà tout ce que dit ce fichier."), "info")
    return redirect(url_for("directory.changes"))


@bp.route("/import/modele-<kind>.csv")
@role_required(*MAINTAINERS)
def import_template(kind: str):
    if kind not in csv_import.KINDS:
        abort(404)
    return csv_import.template(kind), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="modele-{kind}.csv"',
    }


@bp.route("/import/valeurs-acceptees.csv")
@role_required(*MAINTAINERS)
def import_values():
    """Every coded column's accepted values, as a spreadsheet to keep beside the models."""
    return csv_values.accepted_csv(str(get_locale()), current_directory().territory_names()), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="valeurs-acceptees.csv"',
    }
