"""The directory's organisations and their services. HTTP only (see referral.directory.routes)."""

from __future__ import annotations

from dataclasses import fields
from functools import partial

from flask import current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from referral.auth.users import role_required
from referral.directory import bp
from referral.directory.forms import EndJobForm, OrganisationForm, ServiceForm
from referral.directory.messages import POSTAL_AREA_UNKNOWN
from referral.directory.positions import said_of
from referral.directory.routes import chosen_territory, current_directory, form_page, showing_archived
from referral.directory.service import Directory, OrganisationEntry
from referral.form_fields import to_choose
from referral.geocode import locate_address, normalise_postal_code
from referral.labels import need_label
from referral.links import COMPLETED
from referral.policy import MAINTAINERS
from referral.security import tile_template
from referral.territories.maps import MONTREAL

# --- organisations ---------------------------------------------------------------------------------

@bp.route("/")
@role_required(*MAINTAINERS)
def index():
    directory = current_directory()
    territories = directory.territories()
    selected, archived = chosen_territory(territories), showing_archived()
    return render_template(
        "directory/index.html", territories=territories, selected=selected, archived=archived,
        organisations=directory.organisations(selected or None, archived),
        editable={t["id"] for t in directory.changeable_territories()},
    )


def _organisation_form(directory: Directory, organisation: dict | None) -> OrganisationForm:
    data = None
    if organisation:
        data = {**organisation, "manual_position": organisation.get("location_source") == "manual",
                "languages": organisation.get("languages") or []}
    form = OrganisationForm(data=data)
    form.territory.choices = to_choose([(t["id"], t["name"]) for t in directory.changeable_territories()])
    form.served.choices = [(t["id"], t["name"]) for t in directory.territories()]
    return form


def _locate(directory: Directory):
    config = current_app.config
    return partial(locate_address, postal_area=directory.postal_area, geocoder=config["ORGANISATION_GEOCODER"],
                   timeout=config["GEOCODER_TIMEOUT"], server=config["GEOCODER_SERVER"])


def _save_organisation(directory: Directory, form: OrganisationForm, organisation: dict | None) -> str | None:
    """The service's answer on the page: its errors beside their fields (None: the form again), its warnings
    flashed; the organisation's id when saved."""
    locate = _locate(directory)
    entry = OrganisationEntry(**{f.name: form[f.name].data for f in fields(OrganisationEntry)})
    result = directory.save_organisation(entry, organisation, locate)
    for name, message in result.errors.items():
        form[name].errors.append(message)
    for warning in result.warnings:
        flash(str(warning), "warning")
    typed = request.form.get("website", "").strip()
    if result.id and typed and typed != form.website.data:  # « www.exemple.org »: say what was stored
        flash(str(COMPLETED % {"url": form.website.data}), "info")
    return result.id


def _organisation_page(directory: Directory, organisation: dict | None, saved: str):
    form = _organisation_form(directory, organisation)
    if request.method == "GET" and organisation is None:
        form.territory.data = current_user.territory or form.territory.data
    if request.method == "POST":  # before the form is checked: a refusal is a 403, not a form error
        directory.check_organisation(organisation, form.territory.data)
    return form_page(form, lambda: _save_organisation(directory, form, organisation), saved=saved,
                      page="directory.organisation", key="organisation_id",
                      template="directory/organisation_form.html", organisation=organisation,
                      pin=_pin(directory, organisation), pin_said=said_of(organisation),
                      tiles=tile_template(current_app.config.get("MAP_TILES")))


def _pin(directory: Directory, organisation: dict | None) -> tuple[float, float]:
    """Where the form's pin starts: the organisation's point, else its coordinator's territory, else Montréal."""
    if organisation and organisation.get("latitude") is not None:
        return organisation["latitude"], organisation["longitude"]
    territory = next((t for t in directory.territories() if t["id"] == current_user.territory), None)
    if territory and territory.get("latitude") is not None:
        return territory["latitude"], territory["longitude"]
    return MONTREAL


@bp.route("/organisations/point")
@role_required(*MAINTAINERS)
def organisation_point():
    """Where saving would put an address: the form's pin moves there as it is typed (static/pin_map.js)."""
    address = request.args.get("adresse", "").strip()[:300]
    code = normalise_postal_code(request.args.get("code_postal", ""))
    if code is None:
        return {"error": _("Code postal invalide (ex. H1G 3K4).")}, 422
    directory = current_directory()
    found = directory.place(address or None, code, request.args.get("territoire") or None, _locate(directory))
    if found is None:
        return {"error": str(POSTAL_AREA_UNKNOWN)}, 422
    elsewhere = found.elsewhere and _("Ce point est à %(territory)s, pas dans le territoire choisi : vérifiez "
                                      "l'adresse ou le territoire.", territory=found.elsewhere)
    return {"latitude": found.latitude, "longitude": found.longitude, "source": found.source,
            "said": found.said, "warning": elsewhere or None}


@bp.route("/organisations/nouvelle", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def new_organisation():
    return _organisation_page(current_directory(), None, _("Organisation ajoutée."))


@bp.route("/organisations/<organisation_id>")
@role_required(*MAINTAINERS)
def organisation(organisation_id: str):
    directory = current_directory()
    found = directory.organisation(organisation_id)
    needs = {n["id"]: need_label(n) for n in directory.needs()}
    return render_template("directory/organisation.html", organisation=found, needs=needs,
                           editable=directory.may_change_organisation(found), end_form=EndJobForm(),
                           territories={t["id"]: t["name"] for t in directory.territories()})


@bp.route("/organisations/<organisation_id>/modifier", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def edit_organisation(organisation_id: str):
    directory = current_directory()
    found = directory.organisation(organisation_id)
    directory.check_organisation(found, None)
    return _organisation_page(directory, found, _("Organisation enregistrée."))


# --- services --------------------------------------------------------------------------------------

def _service_page(directory: Directory, organisation: dict, service: dict | None, write, saved: str):
    form = ServiceForm(data=service)
    form.needs.choices = [(n["id"], need_label(n)) for n in directory.needs()]
    values = {"name": (form.name.data or "").strip(), "description": form.description.data or None,
              "eligibility": form.eligibility.data or None, "hours": form.hours.data or None,
              "languages": form.languages.data}

    def save() -> str:
        write(values, form.needs.data)
        return organisation["id"]

    return form_page(form, save, saved=saved, page="directory.organisation", key="organisation_id",
                      template="directory/service_form.html", organisation=organisation, service=service)


@bp.route("/organisations/<organisation_id>/services/nouveau", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def new_service(organisation_id: str):
    directory = current_directory()
    found = directory.organisation(organisation_id)
    directory.check_service(found)
    return _service_page(directory, found, None, lambda values, needs: directory.create_service(found, values, needs),
                         _("Service ajouté."))


@bp.route("/services/<service_id>/modifier", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def edit_service(service_id: str):
    directory = current_directory()
    found = directory.service(service_id)
    directory.check_service(found)
    organisation = {"id": found["organisation"], "name": found["organisation_name"]}
    return _service_page(directory, organisation, found,
                         lambda values, needs: directory.update_service(found, values, needs),
                         _("Service enregistré."))
