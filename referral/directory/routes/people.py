"""The directory's people: their details, their jobs and their ties. HTTP only (referral.directory.service
holds the rules and asks referral.policy); a refused change is 403 and writes nothing."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from graph.schema import EmailTaken
from interop.folding import fold
from referral.auth.invitations import PasswordLinks
from referral.auth.mail import send_in_background
from referral.auth.users import role_required
from referral.contact_rules import EMAIL_TAKEN
from referral.directory import bp
from referral.directory.forms import EndJobForm, JobForm, NewPersonForm, PersonForm, TieForm
from referral.directory.routes import chosen_territory, current_directory, flash_errors, form_page, showing_archived
from referral.directory.routes.upkeep import current_upkeep
from referral.errors import show_on_form
from referral.form_fields import to_choose
from referral.graphdb import repo
from referral.labels import LEVEL_LABELS, ORIGIN_LABELS
from referral.policy import MAINTAINERS, Principal
from referral.security import local_target
from referral.service_errors import NotFound, ServiceError

# --- people and their jobs -------------------------------------------------------------------------

@bp.route("/personnes")
@role_required(*MAINTAINERS)
def people():
    directory = current_directory()
    territories = directory.territories()
    selected, archived = chosen_territory(territories), showing_archived()
    return render_template("directory/people.html", people=directory.people(selected or None, archived),
                           territories=territories, selected=selected, archived=archived)


def _person_values(form: PersonForm) -> dict:
    return {"name": form.name.data.strip(), "role": form.role.data or None,
            "title": (form.title.data or "").strip() or None,
            "email": (form.email.data or "").strip().lower() or None, "phone": form.phone.data or None,
            "languages": list(dict.fromkeys(form.languages.data)), "listed": form.listed.data,
            "research_consent": form.research_consent.data}


def _unless_email_taken(form: PersonForm, write):
    """write()'s result; None, with the neutral message on the form and nothing written, when another person
    already has the e-mail."""
    try:
        return write()
    except EmailTaken:
        form.email.errors.append(EMAIL_TAKEN)
        return None


@bp.route("/personnes/nouvelle", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def new_person():
    directory = current_directory()
    form = NewPersonForm()
    form.organisation.choices = to_choose(directory.changeable_organisation_choices())
    if request.method == "GET" and request.args.get("organisation"):
        form.organisation.data = request.args["organisation"]
    if request.method == "POST" and form.organisation.data:  # none chosen: said by the form
        try:
            directory.check_new_person(form.organisation.data)
        except ServiceError as error:  # an archived organisation: said beside it, the form kept
            form.organisation.errors = [error.message]
            return render_template("directory/person_form.html", form=form, person=None)

    def save() -> str:
        return directory.create_person(_person_values(form), form.kind.data, form.organisation.data, form.since.data)

    return form_page(form, lambda: _unless_email_taken(form, save), saved=_("Personne ajoutée."),
                      page="directory.person", key="person_id", template="directory/person_form.html", person=None)


@bp.route("/personnes/<person_id>")
@role_required(*MAINTAINERS)
def person(person_id: str):
    directory = current_directory()
    try:
        found = directory.person(person_id)
    except NotFound:
        if merged := current_upkeep().merged_into(person_id):  # an old link to a record merged since
            return redirect(url_for("directory.person", person_id=merged))
        raise
    return _person_page(directory, found, JobForm())


def _person_page(directory, found: dict, job_form: JobForm):
    editable = directory.may_change_person(found)
    job_form.organisation.choices = (to_choose(directory.changeable_organisation_choices())
                                     if editable and not found.get("archived_on") else [])
    return render_template("directory/person.html", person=found, editable=editable, job_form=job_form,
                           end_form=EndJobForm(), can_end=directory.may_end_jobs(found))


@bp.route("/personnes/<person_id>/modifier", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def edit_person(person_id: str):
    directory = current_directory()
    found = directory.person(person_id)
    directory.check_person(found)
    form = PersonForm(data={**found, "role": found.get("role") or "", "languages": found.get("languages") or []})

    def save() -> str:
        directory.update_person(found, _person_values(form))
        return person_id

    return form_page(form, lambda: _unless_email_taken(form, save), saved=_("Personne enregistrée."),
                      page="directory.person", key="person_id", template="directory/person_form.html", person=found)


@bp.route("/personnes/<person_id>/emplois", methods=["POST"])
@role_required(*MAINTAINERS)
def add_job(person_id: str):
    directory = current_directory()
    found = directory.person(person_id)
    directory.check_person(found)  # the person where they work now, whatever the organisation asked for
    form = JobForm()
    form.organisation.choices = to_choose(directory.changeable_organisation_choices())
    if not form.validate_on_submit():
        if form.organisation.data:  # another territory's organisation: 403, not a form error
            try:
                directory.check_job(found, form.organisation.data)
            except ServiceError as error:  # an archived one
                form.organisation.errors = [error.message]
        return _person_page(directory, found, form), 422  # the errors beside the fields, the values kept
    elif directory.add_job(found, form.organisation.data, form.since.data):
        flash(_("Emploi ajouté."), "success")
    else:
        flash(_("Cette personne travaille déjà à cette organisation."), "error")
    return redirect(url_for("directory.person", person_id=person_id))


@bp.route("/personnes/<person_id>/emplois/fin", methods=["POST"])
@role_required(*MAINTAINERS)
def end_job(person_id: str):
    directory = current_directory()
    found = directory.person(person_id)
    form = EndJobForm()
    directory.check_end_job(found, form.organisation.data)
    if not form.validate_on_submit():
        flash_errors(form)
    elif directory.end_job(found, form.organisation.data, form.until.data):
        flash(_("Fin d'emploi enregistrée : la personne garde son historique et n'apparaît plus dans les "
                "recherches pour cette organisation."), "success")
    else:
        flash(_("La date de départ précède la date d'arrivée."), "error")
    return redirect(local_target(request.form.get("next")) or url_for("directory.person", person_id=person_id))


# --- ties ------------------------------------------------------------------------------------------

@bp.route("/liens/nouveau", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def new_tie():
    directory = current_directory()
    tieable, readable = directory.tie_choices()

    def choice(p):
        return p["id"], f"{p['name']} — {p['jobs'][0]['organisation_name']}"

    form = TieForm()
    form.person_a.choices = to_choose([choice(p) for p in sorted(tieable, key=lambda p: fold(p["name"]))])
    form.person_b.choices = to_choose([choice(p) for p in sorted(readable, key=lambda p: fold(p["name"]))])
    form.session.choices = [("", "—")] + [
        (s["id"], _("%(territory)s — séance %(n)s", territory=t["name"], n=s["number"]))
        for t, s in directory.session_choices()]
    a = b = None
    if request.method == "POST" and form.person_a.data and form.person_b.data:  # none chosen: said by the form
        a, b = directory.person(form.person_a.data), directory.person(form.person_b.data)
        directory.check_tie(a, b)

    def save() -> str | None:
        try:
            if directory.create_tie(a, b, form.since.data, form.origin.data, form.level.data,
                                    form.session.data or None):
                return a["id"]
        except ServiceError as error:
            show_on_form(form, error)
            return None
        existing = directory.existing_tie(a, b)
        form.person_b.errors.append(_("Ces deux personnes sont déjà liées depuis le %(day)s : un lien n'est jamais "
                                      "réécrit.", day=existing["since"].isoformat() if existing else "?"))
        return None

    return form_page(form, save, saved=_("Lien enregistré."), page="directory.person", key="person_id",
                      template="directory/tie_form.html", origins=ORIGIN_LABELS, levels=LEVEL_LABELS)


@bp.route("/personnes/<person_id>/inviter", methods=["POST"])
@role_required(*MAINTAINERS)
def invite_person(person_id: str):
    """An account for the person, as an intervenant.e, and a link to choose a password (7 days): by an admin
    or a coordinator who may change the person (referral.auth.invitations asks the policy); the button is on
    the person's page."""
    found = current_directory().person(person_id)
    try:
        letter = PasswordLinks(repo, current_app.config["SECRET_KEY"]).invite_person(Principal.of(current_user), found)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        send_in_background(current_app._get_current_object(), lambda: letter)
        flash(_("Invitation envoyée à %(email)s : le lien est valide 7 jours.", email=letter.to), "success")
    return redirect(url_for("directory.person", person_id=person_id))
