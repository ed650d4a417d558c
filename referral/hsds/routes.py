"""Pages for coordinators and admins: import a package (upload, preview, confirm), the taxonomy
term -> need mapping table, and the imported contacts waiting for their consent."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph.repositories.hsds import HsdsRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.territories import TerritoryRepository
from graph.schema import EmailTaken
from interop.bounded import Limits
from interop.hsds import package
from interop.hsds.errors import PackageError
from interop.hsds.mapping import term_key
from interop.hsds.plan import ImportOptions
from referral.auth.users import role_required
from referral.graphdb import repo
from referral.hsds import bp, messages, service
from referral.hsds.forms import ConfirmForm, MappingForm, UploadForm
from referral.labels import need_label
from referral.policy import MAINTAINERS, Principal, scope

UPLOAD_KEY = "hsds_upload"
STALE_AFTER = 24 * 3600  # an upload never confirmed is deleted a day later


def _scope() -> list[str] | None:
    """The territories the user may import into and keep; None: all of them."""
    allowed = scope(Principal.of(current_user))
    return None if allowed is None else sorted(allowed)


def _upload_dir() -> Path:
    directory = Path(current_app.config["VAR_DIR"]) / "hsds-uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _forget_upload() -> None:
    """Delete this session's pending upload and anyone's stale ones."""
    pending = session.pop(UPLOAD_KEY, None)
    directory = _upload_dir()
    for path in directory.iterdir():
        if (pending and path.name == pending["file"]) or time.time() - path.stat().st_mtime > STALE_AFTER:
            path.unlink(missing_ok=True)


def _options(choice: dict) -> ImportOptions:
    return ImportOptions(territory=choice["territory"] or None, principal=Principal.of(current_user),
                         sector=choice["sector"], kind=choice["kind"])


def _limits() -> Limits:
    return Limits.from_config(current_app.config)


def _upload_form() -> UploadForm:
    form = UploadForm()
    territories = [t for t in repo(TerritoryRepository).list() if _scope() is None or t["id"] in _scope()]
    choices = [(t["id"], t["name"]) for t in territories]
    form.territory.choices = choices if _scope() else [("", _("D'après les coordonnées de chaque lieu"))] + choices
    return form


@bp.route("/import", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def upload():
    form = _upload_form()
    if not form.validate_on_submit():
        return render_template("hsds/upload.html", form=form, problems=None), 422 if form.errors else 200
    _forget_upload()
    upload_file = form.package.data
    suffix = ".json" if upload_file.filename.lower().endswith(".json") else ".zip"
    stored = f"{secrets.token_urlsafe(16)}{suffix}"
    data = upload_file.read()
    (_upload_dir() / stored).write_bytes(data)
    choice = {"file": stored, "name": upload_file.filename, "territory": form.territory.data or "",
              "sector": form.sector.data, "kind": form.kind.data, "token": secrets.token_urlsafe(16)}
    try:
        result = service.preview(package.read_bytes(data, upload_file.filename, _limits()), repo(HsdsRepository),
                                 _options(choice))
    except PackageError as error:
        (_upload_dir() / stored).unlink(missing_ok=True)
        problems = messages.describe_all(error.problems)
        return render_template("hsds/upload.html", form=form, problems=problems), messages.status(error.problems)
    session[UPLOAD_KEY] = choice
    return _render_preview(result, choice)


def _render_preview(result, choice: dict):
    needs = {n["id"]: need_label(n) for n in repo(NeedRepository).list()}
    return render_template(
        "hsds/preview.html", plan=result.plan, counts=result.plan.counts(), choice=choice, needs=needs,
        warnings=[messages.describe(w) for w in result.warnings], messages=messages,
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
    path = _upload_dir() / choice["file"]
    options = _options(choice)

    def plan_now():
        data = package.read_bytes(path.read_bytes(), choice["name"], _limits())
        return service.preview(data, repo(HsdsRepository), options)

    try:
        # Planned again against the graph as it is now: someone may have edited it since the preview.
        result = plan_now()
    except (PackageError, FileNotFoundError):
        _forget_upload()
        flash(_("Cet import n'est plus en attente : téléversez le paquet de nouveau."), "error")
        return redirect(url_for("hsds.upload"))
    if result.plan.refused:  # another territory's records, as the directory holds them now: nothing is written
        flash(_("Rien n'a été importé : ce paquet modifierait des enregistrements que vous ne pouvez pas modifier."),
              "error")
        return _render_preview(result, choice), 403
    try:
        service.apply(result, repo(HsdsRepository), options, current_user.email)
    except EmailTaken:
        flash(_("Rien n'a été importé : une autre personne a reçu un de ces courriels pendant l'import. Voici "
                "l'aperçu à jour : vérifiez-le et confirmez de nouveau."), "error")
        return _render_preview(plan_now(), choice), 409
    _forget_upload()
    counts = result.plan.counts()
    flash(_("Import terminé : %(created)s créés, %(updated)s mis à jour, %(skipped)s ignorés.",
            created=sum(c["create"] for c in counts.values()), updated=sum(c["update"] for c in counts.values()),
            skipped=sum(c["skip"] for c in counts.values())), "success")
    return redirect(url_for("hsds.upload"))


@bp.route("/correspondances", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def mappings():
    needs = repo(NeedRepository).list()
    form = MappingForm(data={"taxonomy": request.args.get("taxonomy", ""), "term": request.args.get("term", "")}
                       if request.method == "GET" else None)
    form.need.choices = [("", _("— choisir —"))] + [(n["id"], need_label(n)) for n in needs]
    if form.validate_on_submit():
        taxonomy, term = (form.taxonomy.data or "").strip(), form.term.data.strip()
        repo(HsdsRepository).save_mapping(term_key(taxonomy, term), taxonomy, term, form.need.data)
        flash(_("Correspondance enregistrée."), "success")
        return redirect(url_for("hsds.mappings"))
    return render_template("hsds/mappings.html", form=form, rows=repo(HsdsRepository).mappings()), (
        422 if form.errors else 200)


@bp.route("/correspondances/supprimer", methods=["POST"])
@role_required(*MAINTAINERS)
def delete_mapping():
    if repo(HsdsRepository).delete_mapping(request.form.get("key", "")):
        flash(_("Correspondance supprimée."), "success")
    return redirect(url_for("hsds.mappings"))


@bp.route("/contacts")
@role_required(*MAINTAINERS)
def pending():
    return render_template("hsds/pending.html", people=repo(HsdsRepository).pending_contacts(_scope()))


@bp.route("/contacts/<person_id>/consentement", methods=["POST"])
@role_required(*MAINTAINERS)
def confirm_listing(person_id: str):
    if repo(HsdsRepository).confirm_listing(person_id, _scope(), current_user.id):
        flash(_("Consentement enregistré : la personne apparaît maintenant dans le répertoire."), "success")
    else:
        flash(_("Cette personne n'attend pas de consentement dans votre territoire."), "error")
    return redirect(url_for("hsds.pending"))
