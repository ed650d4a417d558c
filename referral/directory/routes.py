"""Keeping the directory current: organisations and their services, and what every page of the directory
shares (people.py: people, jobs, ties; imports.py: the journal and CSV imports). HTTP only: who may read or
change what is referral.directory.service's (which asks referral.policy about the record as it is now); a
refused change is 403 and writes nothing, an unreadable record 404."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral.auth.invitations import PasswordLinks
from referral.auth.mail import send_in_background
from referral.auth.users import role_required
from referral.directory import bp
from referral.directory.forms import EndJobForm, OrganisationForm, ServiceForm
from referral.directory.service import Directory
from referral.geocode import Position, locate_address
from referral.graphdb import repo
from referral.labels import need_label
from referral.policy import MAINTAINERS, Principal
from referral.service_errors import ServiceError


def current_directory() -> Directory:
    return Directory(Principal.of(current_user), repo, current_user.email)


def chosen_territory(territories: list[dict]) -> str:
    """The list's territory filter: the one asked for, else the user's own; "" for all of them."""
    selected = request.args.get("territoire", current_user.territory or "")
    return selected if selected in {t["id"] for t in territories} else ""


def form_page(form, save, *, saved: str, page: str, key: str, template: str, **context):
    """The form's page until it is valid and `save()` wrote it; then `saved` is flashed and the saved record's
    page (`page` with `key` = the id `save` returned) shown. `save` returns None when it put an error on the
    form instead of writing."""
    if form.validate_on_submit():
        record_id = save()
        if record_id:
            flash(saved, "success")
            return redirect(url_for(page, **{key: record_id}))
    return render_template(template, form=form, **context)


def flash_errors(form) -> None:
    flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")


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


@bp.route("/personnes/<person_id>/inviter", methods=["POST"])
@role_required(*MAINTAINERS)
def invite_person(person_id: str):
    """An account for the person, as an intervenant.e, and a link to choose a password (7 days): by an admin
    or a coordinator who may change the person (referral.auth.invitations asks the policy); the button is on
    the person's page (people.py)."""
    found = current_directory().person(person_id)
    try:
        letter = PasswordLinks(repo, current_app.config["SECRET_KEY"]).invite_person(Principal.of(current_user), found)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        send_in_background(current_app._get_current_object(), lambda: letter)
        flash(_("Invitation envoyée à %(email)s : le lien est valide 7 jours.", email=letter.to), "success")
    return redirect(url_for("directory.person", person_id=person_id))
