from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from graph.repositories.referrals import ReferralRepository
from graph.repositories.ties import TieError, TieRepository
from referral import policy
from referral.auth.users import role_required
from referral.clock import utc_now
from referral.graphdb import repo
from referral.labels import LEVEL_LABELS, ORIGIN_LABELS
from referral.network import bp
from referral.network.forms import DeclareTieForm

TIE_ERRORS = {
    "unknown_person": _l("Cette personne n'est pas dans le répertoire."),
    "self": _l("Vous ne pouvez pas déclarer un lien avec vous-même."),
    "exists": _l("Vous êtes déjà lié.es : le lien existant est conservé tel quel."),
    "not_found": _l("Ce lien n'est pas en attente de confirmation."),
}


def _me() -> str:
    if not current_user.person_id:
        abort(403)
    return current_user.person_id


def _declare_form(me: str) -> DeclareTieForm:
    form = DeclareTieForm()
    form.person.choices = [("", "—")] + [
        (p["id"], f"{p['name']} — {p['organisation'] or ''} ({p['territory'] or ''})")
        for p in repo(TieRepository).unlinked(me)]
    return form


@bp.route("/")
@role_required(*policy.WORKERS)
def mine():
    me = _me()
    ties = repo(TieRepository).of(me)
    to_confirm = [t for t in ties if t["tie"]["origin"] == "declared" and not t["tie"].get("confirmed")
                  and t["tie"].get("declared_by") != me]
    groups = {origin: [t for t in ties if t["tie"]["origin"] == origin and t not in to_confirm]
              for origin in ORIGIN_LABELS}
    referrals = {box: repo(ReferralRepository).box(me, box) for box in ("sent", "received")}
    return render_template("network/mine.html", me=me, groups=groups, to_confirm=to_confirm,
                           origin_labels=ORIGIN_LABELS, level_labels=LEVEL_LABELS, referrals=referrals,
                           form=_declare_form(me))


@bp.route("/liens", methods=["POST"])
@role_required(*policy.WORKERS)
def declare():
    me = _me()
    form = _declare_form(me)
    if form.validate_on_submit():
        try:
            repo(TieRepository).declare(me, form.person.data, form.since.data, form.level.data, utc_now())
        except TieError as error:
            flash(str(TIE_ERRORS[error.code]), "error")
        else:
            flash(_("Lien déclaré : la personne le verra dans son réseau et pourra le confirmer."), "success")
        return redirect(url_for("network.mine"))
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
    return redirect(url_for("network.mine"))


@bp.route("/liens/<other_id>/confirmer", methods=["POST"])
@role_required(*policy.WORKERS)
def confirm(other_id: str):
    try:
        repo(TieRepository).confirm(_me(), other_id, utc_now())
    except TieError as error:
        flash(str(TIE_ERRORS[error.code]), "error")
    else:
        flash(_("Lien confirmé."), "success")
    return redirect(url_for("network.mine"))


@bp.route("/liens/<other_id>/retirer", methods=["POST"])
@role_required(*policy.WORKERS)
def remove(other_id: str):
    try:
        repo(TieRepository).remove(_me(), other_id)
    except TieError as error:
        flash(str(TIE_ERRORS[error.code]), "error")
    else:
        flash(_("Lien retiré."), "success")
    return redirect(url_for("network.mine"))


@bp.app_template_filter("since_label")
def since_label(value) -> str:
    """« mars 2023 » for a tie's date: the day is rarely known for sure."""
    return format_date(value, "MMMM y") if value else ""
