"""Pages for coordinators and admins: import a package (upload, preview, confirm), the taxonomy
term -> need mapping table, and the imported contacts waiting for their consent. HTTP only: the rules
are referral.hsds.service's, whose import plan asks referral.policy about every record."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph.schema import EmailTaken
from interop.bounded import Limits
from interop.hsds import package
from interop.hsds.errors import PackageError
from interop.hsds.plan import ImportOptions
from referral.auth.users import role_required
from referral.errors import redraws_when_too_large, too_large_upload
from referral.hsds import bp, messages
from referral.hsds.forms import ConfirmForm, MappingForm, UploadForm
from referral.hsds.service import HsdsExchange, Preview
from referral.hsds.uploads import PendingUploads
from referral.hsds.web import current_exchange
from referral.labels import need_label
from referral.policy import MAINTAINERS

UPLOAD_KEY = "hsds_upload"


def _uploads() -> PendingUploads:
    return PendingUploads(Path(current_app.config["VAR_DIR"]) / "hsds-uploads")


def _forget_upload() -> None:
    """Delete this session's pending upload and anyone's stale ones."""
    pending = session.pop(UPLOAD_KEY, None)
    _uploads().forget(pending["file"] if pending else None)


def _options(exchange: HsdsExchange, choice: dict) -> ImportOptions:
    return exchange.options(choice["territory"], choice["sector"], choice["kind"])


def _read(data: bytes, name: str) -> package.Package:
    return package.read_bytes(data, name, Limits.from_config(current_app.config))


@bp.route("/import", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
@redraws_when_too_large
def upload():
    exchange = current_exchange()
    too_large = too_large_upload()
    form = UploadForm(formdata=None) if too_large else UploadForm()
    form.territory.choices = exchange.territory_choices()
    if too_large:
        return render_template("hsds/upload.html", form=form, problems=[too_large]), 413
    if not form.validate_on_submit():
        return render_template("hsds/upload.html", form=form, problems=None), 422 if form.errors else 200
    _forget_upload()
    upload_file = form.package.data
    data = upload_file.read()
    stored = _uploads().keep(data, upload_file.filename)
    choice = {"file": stored, "name": upload_file.filename, "territory": form.territory.data or "",
              "sector": form.sector.data, "kind": form.kind.data, "token": secrets.token_urlsafe(16)}
    try:
        result = exchange.preview(_read(data, upload_file.filename), _options(exchange, choice))
    except PackageError as error:
        _uploads().forget(stored)
        problems = messages.describe_all(error.problems)
        return render_template("hsds/upload.html", form=form, problems=problems), messages.status(error.problems)
    session[UPLOAD_KEY] = choice
    return _render_preview(exchange, result, choice)


def _render_preview(exchange: HsdsExchange, result: Preview, choice: dict):
    needs = {n["id"]: need_label(n) for n in exchange.needs()}
    return render_template(
        "hsds/preview.html", plan=result.plan, counts=result.plan.counts(), choice=choice, needs=needs,
        warnings=messages.describe_notes(result.warnings), messages=messages,
        form=ConfirmForm(token=choice["token"]),
    )


@bp.route("/import/confirmer", methods=["POST"])
@role_required(*MAINTAINERS)
def confirm():
    form = ConfirmForm()
    choice = session.get(UPLOAD_KEY)
    if not form.validate_on_submit() or not choice or form.token.data != choice["token"]:
        flash(_("Cet import n'est plus en attente : téléversez le paquet de nouveau."), "error")
        return redirect(url_for("hsds.upload"))
    exchange = current_exchange()
    options = _options(exchange, choice)
    try:
        data = _read(_uploads().read(choice["file"]), choice["name"])
        # Planned again inside the write, against the graph as it is then: someone may have edited it since.
        result = exchange.apply(data, options)
    except (PackageError, FileNotFoundError):
        _forget_upload()
        flash(_("Cet import n'est plus en attente : téléversez le paquet de nouveau."), "error")
        return redirect(url_for("hsds.upload"))
    except EmailTaken:
        flash(_("Rien n'a été importé : une autre personne a reçu un de ces courriels pendant l'import. Voici "
                "l'aperçu à jour : vérifiez-le et confirmez de nouveau."), "error")
        return _render_preview(exchange, exchange.preview(data, options), choice), 409
    if result.plan.refused:  # another territory's records, as the directory holds them now: nothing was written
        flash(_("Rien n'a été importé : ce paquet modifierait des enregistrements que vous ne pouvez pas modifier."),
              "error")
        return _render_preview(exchange, result, choice), 403
    _forget_upload()
    counts = result.plan.counts()
    flash(_("Import terminé : %(created)s créés, %(updated)s mis à jour, %(skipped)s ignorés.",
            created=sum(c["create"] for c in counts.values()), updated=sum(c["update"] for c in counts.values()),
            skipped=sum(c["skip"] for c in counts.values())), "success")
    return redirect(url_for("hsds.upload"))


@bp.route("/correspondances", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def mappings():
    exchange = current_exchange()
    form = MappingForm(data={"taxonomy": request.args.get("taxonomy", ""), "term": request.args.get("term", "")}
                       if request.method == "GET" else None)
    form.need.choices = [("", _("— choisir —"))] + [(n["id"], need_label(n)) for n in exchange.needs()]
    if form.validate_on_submit():
        exchange.save_mapping(form.taxonomy.data or "", form.term.data, form.need.data)
        flash(_("Correspondance enregistrée."), "success")
        return redirect(url_for("hsds.mappings"))
    return render_template("hsds/mappings.html", form=form, rows=exchange.mappings()), (
        422 if form.errors else 200)


@bp.route("/correspondances/supprimer", methods=["POST"])
@role_required(*MAINTAINERS)
def delete_mapping():
    if current_exchange().delete_mapping(request.form.get("key", "")):
        flash(_("Correspondance supprimée."), "success")
    return redirect(url_for("hsds.mappings"))


@bp.route("/contacts")
@role_required(*MAINTAINERS)
def pending():
    return render_template("hsds/pending.html", people=current_exchange().pending_contacts())


@bp.route("/contacts/<person_id>/consentement", methods=["POST"])
@role_required(*MAINTAINERS)
def confirm_listing(person_id: str):
    current_exchange().confirm_listing(person_id, current_user.id)
    flash(_("Consentement enregistré : la personne apparaît maintenant dans le répertoire."), "success")
    return redirect(url_for("hsds.pending"))
