"""The directory's organisations and their services. HTTP only (see referral.directory.routes)."""

from __future__ import annotations

from flask import current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from referral.auth.users import role_required
from referral.directory import bp
from referral.directory.forms import EndJobForm, OrganisationForm, ServiceForm
from referral.directory.routes import chosen_territory, current_directory, form_page
from referral.directory.service import Directory
from referral.geocode import Position, locate_address
from referral.labels import need_label
from referral.policy import MAINTAINERS

# --- organisations ---------------------------------------------------------------------------------

@bp.route("/")
@role_required(*MAINTAINERS)
def index():
    directory = current_directory()
    territories = directory.territories()
    selected = chosen_territory(territories)
    return render_template(
        "directory/index.html", territories=territories, selected=selected,
        organisations=directory.organisations(selected or None),
        editable={t["id"] for t in directory.changeable_territories()},
    )


def _organisation_form(directory: Directory, organisation: dict | None) -> OrganisationForm:
    data = None
    if organisation:
        data = {**organisation, "manual_position": organisation.get("location_source") == "manual",
                "languages": organisation.get("languages") or []}
    form = OrganisationForm(data=data)
    form.territory.choices = [(t["id"], t["name"]) for t in directory.changeable_territories()]
    form.served.choices = [(t["id"], t["name"]) for t in directory.territories()]
    return form


def _position(directory: Directory, form: OrganisationForm, organisation: dict | None) -> Position | None:
    """Typed by hand; else unchanged when the address is; else geocoded (Nominatim or the postal area)."""
    if form.manual_position.data:
        return Position(form.latitude.data, form.longitude.data, source="manual")
    if (organisation and organisation.get("latitude") is not None
            and organisation.get("address") == (form.address.data or None)
            and organisation.get("postal_code") == form.postal_code.data):
        return Position(organisation["latitude"], organisation["longitude"],
                        source=organisation.get("location_source") or "postal_area")
    config = current_app.config
    return locate_address(form.address.data or "", form.postal_code.data, directory.postal_area, config["GEOCODER"],
                          config["GEOCODER_TIMEOUT"], config["GEOCODER_SERVER"])


def _save_organisation(directory: Directory, form: OrganisationForm, organisation: dict | None):
    """Validate name and position, then write; returns the organisation's id, or None on a form error."""
    territory = form.territory.data
    if directory.name_taken(form.name.data, territory, organisation):
        form.name.errors.append(_("Une organisation porte déjà ce nom dans ce territoire."))
        return None
    position = _position(directory, form, organisation)
    if position is None:
        form.postal_code.errors.append(_("Ce code postal n'est pas dans la table des secteurs postaux de Montréal : "
                                         "placez le point vous-même."))
        return None
    if directory.outside_territory(position.latitude, position.longitude, territory):
        flash(_("Attention : le point est hors du territoire choisi. Vérifiez l'adresse ou placez-le à la main."),
              "warning")
    values = {
        "name": form.name.data.strip(), "sector": form.sector.data, "kind": form.kind.data,
        "address": form.address.data or None, "postal_code": form.postal_code.data, "phone": form.phone.data or None,
        "website": form.website.data or None, "languages": form.languages.data or ["fr"],
        "latitude": round(position.latitude, 6), "longitude": round(position.longitude, 6),
        "location_source": position.source,
    }
    return directory.save_organisation(organisation, values, territory, form.served.data)


def _organisation_page(directory: Directory, organisation: dict | None, saved: str):
    form = _organisation_form(directory, organisation)
    if request.method == "GET" and organisation is None:
        form.territory.data = current_user.territory or form.territory.data
    if request.method == "POST":  # before the form is checked: a refusal is a 403, not a form error
        directory.check_organisation(organisation, form.territory.data)
    return form_page(form, lambda: _save_organisation(directory, form, organisation), saved=saved,
                      page="directory.organisation", key="organisation_id",
                      template="directory/organisation_form.html", organisation=organisation)


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
              "languages": form.languages.data or ["fr"]}

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
    directory.check_service(found["territory"])
    return _service_page(directory, found, None, lambda values, needs: directory.create_service(found, values, needs),
                         _("Service ajouté."))


@bp.route("/services/<service_id>/modifier", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def edit_service(service_id: str):
    directory = current_directory()
    found = directory.service(service_id)
    directory.check_service(found["territory"])
    organisation = {"id": found["organisation"], "name": found["organisation_name"]}
    return _service_page(directory, organisation, found,
                         lambda values, needs: directory.update_service(found, values, needs),
                         _("Service enregistré."))
