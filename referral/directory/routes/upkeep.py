"""Archive, restore and merge, on the directory's pages. HTTP only: the rules are referral.directory.upkeep's.
Archiving an organisation or a person asks first (a page that says what will happen); a service is archived
from its organisation's page, and anything archived is restored with one button."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from referral.auth.users import role_required
from referral.directory import bp
from referral.directory.routes import current_directory
from referral.directory.upkeep import Upkeep
from referral.graphdb import repo
from referral.policy import MAINTAINERS, Principal
from referral.service_errors import Refused, ServiceError


def current_upkeep() -> Upkeep:
    return Upkeep(Principal.of(current_user), repo, current_user.email)


def _confirmation(allowed: bool, record: dict, back: str, **context):
    """The page that says what archiving will do; the record's own page when it is archived already."""
    if not allowed:
        raise Refused
    if record.get("archived_on"):
        flash(_("Cette fiche est déjà archivée."), "error")
        return redirect(back)
    return render_template("directory/archive.html", **context)


def _apply(change, done: str, page: str) -> object:
    """`change()` with `done` flashed (its counts as format arguments), or the service's reason; then `page`."""
    try:
        flash(done % change(), "success")
    except ServiceError as error:
        flash(error.message, "error")
    return redirect(page)


# --- organisations and services --------------------------------------------------------------------

@bp.route("/organisations/<organisation_id>/archiver", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def archive_organisation(organisation_id: str):
    organisation = current_directory().organisation(organisation_id)
    upkeep = current_upkeep()
    if request.method == "GET":
        return _confirmation(upkeep.may_archive_organisation(organisation), organisation,
                             url_for("directory.organisation", organisation_id=organisation_id),
                             organisation=organisation, person=None,
                             current=[p for p in organisation["people"] if not p["until"]],
                             services=[s for s in organisation["services"] if not s["archived_on"]])
    return _apply(lambda: upkeep.archive_organisation(organisation),
                  _("Organisation archivée : %(services)s service(s) archivé(s), %(jobs)s emploi(s) terminé(s) "
                    "aujourd'hui. Elle n'apparaît plus dans les recherches ni sur la carte."),
                  url_for("directory.organisation", organisation_id=organisation_id))


@bp.route("/organisations/<organisation_id>/restaurer", methods=["POST"])
@role_required(*MAINTAINERS)
def restore_organisation(organisation_id: str):
    organisation = current_directory().organisation(organisation_id)
    return _apply(lambda: current_upkeep().restore_organisation(organisation),
                  _("Organisation restaurée, avec %(services)s service(s) et %(jobs)s emploi(s) que l'archivage "
                    "avait terminés."),
                  url_for("directory.organisation", organisation_id=organisation_id))


@bp.route("/services/<service_id>/archiver", methods=["POST"])
@role_required(*MAINTAINERS)
def archive_service(service_id: str):
    service = current_directory().service(service_id)
    return _apply(lambda: current_upkeep().archive_service(service),
                  _("Service « %(name)s » archivé : il n'apparaît plus dans les recherches."),
                  url_for("directory.organisation", organisation_id=service["organisation"]))


@bp.route("/services/<service_id>/restaurer", methods=["POST"])
@role_required(*MAINTAINERS)
def restore_service(service_id: str):
    service = current_directory().service(service_id)
    return _apply(lambda: current_upkeep().restore_service(service), _("Service « %(name)s » restauré."),
                  url_for("directory.organisation", organisation_id=service["organisation"]))


# --- people ----------------------------------------------------------------------------------------

@bp.route("/personnes/<person_id>/archiver", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def archive_person(person_id: str):
    person = current_directory().person(person_id)
    upkeep = current_upkeep()
    if request.method == "GET":
        return _confirmation(upkeep.may_archive_person(person), person,
                             url_for("directory.person", person_id=person_id), person=person, organisation=None,
                             current=[j for j in person["jobs"] if not j["until"]], services=[])
    return _apply(lambda: upkeep.archive_person(person),
                  _("Fiche archivée : %(jobs)s emploi(s) terminé(s) aujourd'hui, compte fermé s'il y en avait "
                    "un. La personne n'apparaît plus dans les recherches ; son historique reste."),
                  url_for("directory.person", person_id=person_id))


@bp.route("/personnes/<person_id>/restaurer", methods=["POST"])
@role_required(*MAINTAINERS)
def restore_person(person_id: str):
    person = current_directory().person(person_id)
    return _apply(lambda: current_upkeep().restore_person(person),
                  _("Fiche restaurée, avec %(jobs)s emploi(s) que l'archivage avait terminés."),
                  url_for("directory.person", person_id=person_id))


@bp.route("/personnes/<person_id>/fusionner")
@role_required(*MAINTAINERS)
def merge_search(person_id: str):
    """Find the other record of the same person: it will be merged into this one."""
    directory, upkeep = current_directory(), current_upkeep()
    person = directory.person(person_id)
    upkeep.check_merge(person)
    query = request.args.get("q", "")[:100]
    candidates = upkeep.merge_candidates(person, directory.people(archived=None), query)
    return render_template("directory/merge.html", person=person, query=query, candidates=candidates, other=None)


@bp.route("/personnes/<person_id>/fusionner/<other_id>", methods=["GET", "POST"])
@role_required(*MAINTAINERS)
def merge(person_id: str, other_id: str):
    """`other_id` merged into `person_id`: both records side by side, then the merge."""
    directory, upkeep = current_directory(), current_upkeep()
    keep, gone = directory.person(person_id), directory.person(other_id)
    try:
        upkeep.check_merge(keep, gone)
        if request.method == "GET":
            return render_template("directory/merge.html", person=keep, other=gone, query="", candidates=[])
        moved = upkeep.merge(keep, gone)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("directory.merge_search", person_id=person_id))
    flash(_("Fiches fusionnées : %(ties)s lien(s), %(jobs)s emploi(s) et %(referrals)s référence(s) rattachés à "
            "cette fiche. Le journal le note.", **moved), "success")
    if moved["account_closed"]:
        flash(_("Le compte de l'autre fiche est fermé : la personne se connecte avec celui de cette fiche."), "success")
    return redirect(url_for("directory.person", person_id=person_id))
