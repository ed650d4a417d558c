"""Keeping the directory current: organisations, services, people, their jobs and ties, CSV imports,
and the log of every change. Coordinators scoped to a territory change only that territory: every
write checks it server-side (403 otherwise), whatever the form offered."""

from __future__ import annotations

import base64
import binascii

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph.repositories.changes import ChangeRepository
from graph.repositories.imports import ImportRepository
from graph.repositories.needs import NeedRepository
from graph.repositories.organisations import OrganisationRepository
from graph.repositories.services import ServiceRepository
from graph.repositories.staff import StaffRepository, person_territories
from graph.repositories.territories import TerritoryRepository
from graph.repositories.territory_map import TerritoryMapRepository
from graph.repositories.ties import TieRepository
from graph.schema import EmailTaken
from referral.auth.users import role_required
from referral.directory import bp, csv_import
from referral.directory.forms import (
    IMPORT_KINDS,
    ConfirmImportForm,
    EndJobForm,
    ImportForm,
    JobForm,
    NewPersonForm,
    OrganisationForm,
    PersonForm,
    ServiceForm,
    TieForm,
)
from referral.geocode import Position, locate_address
from referral.graphdb import repo
from referral.labels import LEVEL_LABELS, ORIGIN_LABELS, need_label
from referral.profile.forms import EMAIL_TAKEN
from seed.territories import territory_at

MAINTAINERS = ("coordinator", "admin")


# --- scope -----------------------------------------------------------------------------------------

def _territories() -> list[dict]:
    return repo(TerritoryRepository).list()


def _editable_territories() -> list[dict]:
    return [t for t in _territories() if current_user.can_edit_territory(t["id"])]


def _allowed_territories() -> set[str] | None:
    """The territories the user may change; None means all of them."""
    return None if current_user.can_edit_territory(None) else {current_user.territory}


def _require_territory(territory_id: str | None) -> None:
    if not current_user.can_edit_territory(territory_id):
        abort(403)


def _can_edit_person(person: dict) -> bool:
    territories = person_territories(person)
    if not territories:
        return current_user.can_edit_territory(None)
    return any(current_user.can_edit_territory(t) for t in territories)


def _organisation_or_404(organisation_id: str) -> dict:
    organisation = repo(OrganisationRepository).get(organisation_id)
    if organisation is None:
        abort(404)
    return organisation


def _person_or_404(person_id: str) -> dict:
    person = repo(StaffRepository).get(person_id)
    if person is None:
        abort(404)
    return person


def _chosen_territory(territories: list[dict]) -> str:
    """The list's territory filter: the one asked for, else the user's own; "" for all of them."""
    selected = request.args.get("territoire", current_user.territory or "")
    return selected if selected in {t["id"] for t in territories} else ""


def _editable_organisation_choices() -> list[tuple[str, str]]:
    allowed = _allowed_territories()
    return [(o["id"], f"{o['name']} ({o['territory_name']})") for o in repo(OrganisationRepository).list()
            if allowed is None or o["territory"] in allowed]


# --- forms ----------------------------------------------------------------------------------------

def _form_page(form, save, *, saved: str, page: str, key: str, template: str, **context):
    """The form's page until it is valid and `save()` wrote it; then `saved` is flashed and the saved record's
    page (`page` with `key` = the id `save` returned) shown. `save` returns None when it put an error on the
    form instead of writing."""
    if form.validate_on_submit():
        record_id = save()
        if record_id:
            flash(saved, "success")
            return redirect(url_for(page, **{key: record_id}))
    return render_template(template, form=form, **context)


# --- organisations ---------------------------------------------------------------------------------

@bp.route("/")
@role_required(*MAINTAINERS)
def index():
    territories = _territories()
    selected = _chosen_territory(territories)
    return render_template(
        "directory/index.html", territories=territories, selected=selected,
        organisations=repo(OrganisationRepository).list(selected or None),
        editable={t["id"] for t in _editable_territories()},
    )


def _organisation_form(organisation: dict | None) -> OrganisationForm:
    data = None
    if organisation:
        data = {**organisation, "manual_position": organisation.get("location_source") == "manual",
                "languages": organisation.get("languages") or []}
    form = OrganisationForm(data=data)
    form.territory.choices = [(t["id"], t["name"]) for t in _editable_territories()]
    form.served.choices = [(t["id"], t["name"]) for t in _territories()]
    return form


def _position(form: OrganisationForm, organisation: dict | None) -> Position | None:
    """Typed by hand; else unchanged when the address is; else geocoded (Nominatim or the postal area)."""
    if form.manual_position.data:
        return Position(form.latitude.data, form.longitude.data, source="manual")
    if (organisation and organisation.get("latitude") is not None
            and organisation.get("address") == (form.address.data or None)
            and organisation.get("postal_code") == form.postal_code.data):
        return Position(organisation["latitude"], organisation["longitude"],
                        source=organisation.get("location_source") or "postal_area")
    config = current_app.config
    return locate_address(form.address.data or "", form.postal_code.data, config["GEOCODER"],
                          config["GEOCODER_TIMEOUT"], config["GEOCODER_SERVER"])


def _organisation_values(form: OrganisationForm, position: Position) -> dict:
    return {
        "name": form.name.data.strip(), "sector": form.sector.data, "kind": form.kind.data,
        "address": form.address.data or None, "postal_code": form.postal_code.data, "phone": form.phone.data or None,
        "website": form.website.data or None, "languages": form.languages.data or ["fr"],
        "latitude": round(position.latitude, 6), "longitude": round(position.longitude, 6),
        "location_source": position.source,
    }


def _save_organisation(form: OrganisationForm, organisation: dict | None):
    """Validate scope, name and position, then write; returns the organisation's id, or None on a form error."""
    territory = form.territory.data
    _require_territory(territory)
    name = csv_import.fold(form.name.data)
    if any(csv_import.fold(o["name"]) == name and o["id"] != (organisation or {}).get("id")
           for o in repo(OrganisationRepository).list(territory)):
        form.name.errors.append(_("Une organisation porte déjà ce nom dans ce territoire."))
        return None
    position = _position(form, organisation)
    if position is None:
        form.postal_code.errors.append(_("Ce code postal n'est pas dans la table des secteurs postaux de Montréal : "
                                         "placez le point vous-même."))
        return None
    if territory_at(position.latitude, position.longitude) != territory:
        flash(_("Attention : le point est hors du territoire choisi. Vérifiez l'adresse ou placez-le à la main."),
              "warning")
    values = _organisation_values(form, position)
    served = sorted({territory, *form.served.data})
    repository = repo(OrganisationRepository)
    if organisation is None:
        return repository.create(values, territory, served, current_user.email)
    repository.update(organisation["id"], values, territory, served, current_user.email)
    return organisation["id"]


@bp.route("/organisations/nouvelle", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def new_organisation():
    form = _organisation_form(None)
    if request.method == "GET":
        form.territory.data = current_user.territory or form.territory.data
    else:
        _require_territory(form.territory.data)
    return _form_page(form, lambda: _save_organisation(form, None), saved=_("Organisation ajoutée."),
                      page="directory.organisation", key="organisation_id",
                      template="directory/organisation_form.html", organisation=None)


@bp.route("/organisations/<organisation_id>")
@role_required(*MAINTAINERS)
def organisation(organisation_id: str):
    organisation = _organisation_or_404(organisation_id)
    needs = {n["id"]: need_label(n) for n in repo(NeedRepository).list()}
    return render_template("directory/organisation.html", organisation=organisation, needs=needs,
                           editable=current_user.can_edit_territory(organisation["territory"]),
                           end_form=EndJobForm(), territories={t["id"]: t["name"] for t in _territories()})


@bp.route("/organisations/<organisation_id>/modifier", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def edit_organisation(organisation_id: str):
    organisation = _organisation_or_404(organisation_id)
    _require_territory(organisation["territory"])
    form = _organisation_form(organisation)
    if request.method == "POST":
        _require_territory(form.territory.data)  # moving it to another territory needs that one too
    return _form_page(form, lambda: _save_organisation(form, organisation), saved=_("Organisation enregistrée."),
                      page="directory.organisation", key="organisation_id",
                      template="directory/organisation_form.html", organisation=organisation)


# --- services --------------------------------------------------------------------------------------

def _service_form(service: dict | None) -> ServiceForm:
    form = ServiceForm(data=service)
    form.needs.choices = [(n["id"], need_label(n)) for n in repo(NeedRepository).list()]
    return form


def _service_values(form: ServiceForm) -> dict:
    return {"name": form.name.data.strip(), "description": form.description.data or None,
            "eligibility": form.eligibility.data or None, "hours": form.hours.data or None,
            "languages": form.languages.data or ["fr"]}


@bp.route("/organisations/<organisation_id>/services/nouveau", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def new_service(organisation_id: str):
    organisation = _organisation_or_404(organisation_id)
    _require_territory(organisation["territory"])
    form = _service_form(None)

    def save() -> str:
        repo(ServiceRepository).create(organisation_id, _service_values(form), form.needs.data, current_user.email)
        return organisation_id

    return _form_page(form, save, saved=_("Service ajouté."), page="directory.organisation", key="organisation_id",
                      template="directory/service_form.html", organisation=organisation, service=None)


@bp.route("/services/<service_id>/modifier", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def edit_service(service_id: str):
    service = repo(ServiceRepository).get(service_id) or abort(404)
    _require_territory(service["territory"])
    form = _service_form(service)

    def save() -> str:
        repo(ServiceRepository).update(service_id, _service_values(form), form.needs.data, current_user.email)
        return service["organisation"]

    organisation = {"id": service["organisation"], "name": service["organisation_name"]}
    return _form_page(form, save, saved=_("Service enregistré."), page="directory.organisation", key="organisation_id",
                      template="directory/service_form.html", organisation=organisation, service=service)


# --- people and their jobs -------------------------------------------------------------------------

@bp.route("/personnes")
@role_required(*MAINTAINERS)
def people():
    territories = _territories()
    selected = _chosen_territory(territories)
    return render_template("directory/people.html", people=repo(StaffRepository).list(selected or None),
                           territories=territories, selected=selected)


def _person_values(form: PersonForm) -> dict:
    return {"name": form.name.data.strip(), "role": form.role.data or None,
            "email": (form.email.data or "").strip().lower() or None, "phone": form.phone.data or None,
            "languages": form.languages.data or ["fr"], "listed": form.listed.data,
            "research_consent": form.research_consent.data}


def _unless_email_taken(form: PersonForm, write):
    """write()'s result; None, with the message on the form and nothing written, when another person
    already has the e-mail."""
    try:
        return write()
    except EmailTaken:
        form.email.errors.append(EMAIL_TAKEN)
        return None


@bp.route("/personnes/nouvelle", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def new_person():
    form = NewPersonForm()
    form.organisation.choices = _editable_organisation_choices()
    if request.method == "GET" and request.args.get("organisation"):
        form.organisation.data = request.args["organisation"]
    if request.method == "POST":
        _require_territory(_organisation_or_404(form.organisation.data)["territory"])

    def save() -> str:
        return repo(StaffRepository).create(_person_values(form), form.kind.data, form.organisation.data,
                                            form.since.data, current_user.email)

    return _form_page(form, lambda: _unless_email_taken(form, save), saved=_("Personne ajoutée."),
                      page="directory.person", key="person_id",
                      template="directory/person_form.html", person=None)


@bp.route("/personnes/<person_id>")
@role_required(*MAINTAINERS)
def person(person_id: str):
    person = _person_or_404(person_id)
    job_form = JobForm()
    job_form.organisation.choices = _editable_organisation_choices()
    return render_template("directory/person.html", person=person, editable=_can_edit_person(person),
                           job_form=job_form, end_form=EndJobForm(),
                           can_end={job["organisation"]: current_user.can_edit_territory(job["territory"])
                                    for job in person["jobs"]})


@bp.route("/personnes/<person_id>/modifier", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def edit_person(person_id: str):
    person = _person_or_404(person_id)
    if not _can_edit_person(person):
        abort(403)
    form = PersonForm(data={**person, "role": person.get("role") or "", "languages": person.get("languages") or []})

    def save() -> str:
        repo(StaffRepository).update(person_id, _person_values(form), current_user.email)
        return person_id

    return _form_page(form, lambda: _unless_email_taken(form, save), saved=_("Personne enregistrée."),
                      page="directory.person", key="person_id",
                      template="directory/person_form.html", person=person)


@bp.route("/personnes/<person_id>/emplois", methods=["POST"])
@role_required(*MAINTAINERS)
def add_job(person_id: str):
    person = _person_or_404(person_id)
    form = JobForm()
    form.organisation.choices = _editable_organisation_choices()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("directory.person", person_id=person_id))
    organisation = _organisation_or_404(form.organisation.data)
    _require_territory(organisation["territory"])
    if repo(StaffRepository).add_job(person["id"], organisation["id"], form.since.data, current_user.email):
        flash(_("Emploi ajouté."), "success")
    else:
        flash(_("Cette personne travaille déjà à cette organisation."), "error")
    return redirect(url_for("directory.person", person_id=person_id))


@bp.route("/personnes/<person_id>/emplois/fin", methods=["POST"])
@role_required(*MAINTAINERS)
def end_job(person_id: str):
    person = _person_or_404(person_id)
    form = EndJobForm()
    job = next((j for j in person["jobs"] if j["organisation"] == form.organisation.data and j["until"] is None), None)
    if job is None:
        abort(404)
    _require_territory(job["territory"])
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    elif repo(StaffRepository).end_job(person_id, job["organisation"], form.until.data, current_user.email):
        flash(_("Fin d'emploi enregistrée : la personne garde son historique et n'apparaît plus dans les "
                "recherches pour cette organisation."), "success")
    else:
        flash(_("La date de départ précède la date d'arrivée."), "error")
    back = request.form.get("next", "")
    local = back.startswith("/") and not back.startswith("//")
    return redirect(back if local else url_for("directory.person", person_id=person_id))


# --- ties ------------------------------------------------------------------------------------------

@bp.route("/liens/nouveau", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def new_tie():
    allowed = _allowed_territories()
    everyone = [p for p in repo(StaffRepository).list() if p["jobs"]]

    def choice(p):
        return p["id"], f"{p['name']} — {p['jobs'][0]['organisation_name']}"

    form = TieForm()
    form.person_a.choices = [choice(p) for p in everyone if allowed is None or person_territories(p) & allowed]
    form.person_b.choices = [choice(p) for p in everyone]
    sessions = repo(TerritoryMapRepository)
    form.session.choices = [("", "—")] + [
        (s["id"], _("%(territory)s — séance %(n)s", territory=t["name"], n=s["number"]))
        for t in _territories() if allowed is None or t["id"] in allowed for s in sessions.sessions(t["id"])]
    if request.method == "POST" and not _can_edit_person(_person_or_404(form.person_a.data)):
        abort(403)

    def save() -> str | None:
        a, b = _person_or_404(form.person_a.data), _person_or_404(form.person_b.data)
        territory = sorted(person_territories(a))[0] if person_territories(a) else None
        if repo(TieRepository).create(a["id"], b["id"], form.since.data, form.origin.data, form.level.data,
                                      form.session.data or None, territory, current_user.email):
            return a["id"]
        existing = repo(TieRepository).get(a["id"], b["id"])
        form.person_b.errors.append(_("Ces deux personnes sont déjà liées depuis le %(day)s : un lien n'est jamais "
                                      "réécrit.", day=existing["since"].isoformat() if existing else "?"))
        return None

    return _form_page(form, save, saved=_("Lien enregistré."), page="directory.person", key="person_id",
                      template="directory/tie_form.html", origins=ORIGIN_LABELS, levels=LEVEL_LABELS)


# --- the change log --------------------------------------------------------------------------------

@bp.route("/journal")
@role_required(*MAINTAINERS)
def changes():
    scope = None if current_user.can_edit_territory(None) else current_user.territory
    return render_template("directory/changes.html", changes=repo(ChangeRepository).list(scope))


# --- CSV import ------------------------------------------------------------------------------------

def _plan(kind: str, data: bytes):
    parsed = csv_import.parse(data, kind)
    context = repo(ImportRepository).context(kind, csv_import.emails(parsed))
    return csv_import.plan_import(parsed, csv_import.ImportContext(**context), _allowed_territories())


def _preview(kind: str, data: bytes, status: int = 200):
    try:
        plan = _plan(kind, data)
    except csv_import.ImportFileError as error:
        form = ImportForm(formdata=None, kind=kind)
        form.file.errors = [error.message]
        return render_template("directory/import.html", form=form, kinds=IMPORT_KINDS), 422
    confirm = ConfirmImportForm(formdata=None, kind=kind, content=base64.b64encode(data).decode())
    return render_template("directory/import_preview.html", plan=plan, confirm=confirm, kinds=IMPORT_KINDS,
                           form=ImportForm(formdata=None, kind=kind)), (422 if plan.rejected else status)


@bp.route("/import", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def import_csv():
    form = ImportForm()
    if form.validate_on_submit():
        return _preview(form.kind.data, form.file.data.read())
    status = 422 if request.method == "POST" else 200
    return render_template("directory/import.html", form=form, kinds=IMPORT_KINDS), status


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
    allowed = _allowed_territories()

    def planner(context: dict):
        return csv_import.plan_import(parsed, csv_import.ImportContext(**context), allowed)

    try:
        plan = repo(ImportRepository).run(form.kind.data, csv_import.emails(parsed), planner, current_user.email)
    except EmailTaken:
        flash(_("Rien n'a été importé : une autre personne a reçu un de ces courriels pendant l'import. Voici "
                "l'aperçu à jour : vérifiez-le et confirmez de nouveau."), "error")
        return _preview(form.kind.data, data, 409)
    if plan.rejected:
        flash(_("Rien n'a été importé : certaines lignes sont refusées. Corrigez le fichier et déposez-le à nouveau."),
              "error")
        return _preview(form.kind.data, data, 422)
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
