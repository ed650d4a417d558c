"""« Mon réseau »'s pages: HTTP only, the rules in referral/network/service.py."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from referral import policy
from referral.auth.users import role_required
from referral.clock import utc_now
from referral.graphdb import repo
from referral.labels import LEVEL_LABELS, ORIGIN_LABELS
from referral.network import bp
from referral.network.forms import DeclareTieForm, FindPersonForm
from referral.network.service import MyNetwork
from referral.service_errors import ServiceError


def _service() -> MyNetwork:
    return MyNetwork(policy.Principal.of(current_user), repo)


# The people listed at once in « J'ai collaboré avec »: beyond that, the search narrows the list.
SHOWN = 30


def _declare_form(service: MyNetwork, words: str | None) -> tuple[DeclareTieForm, int]:
    """The form, its list narrowed to the people `words` name (every person one may declare a tie
    with when posted), and how many people match."""
    people, matching = service.people_to_declare(words, SHOWN) if words is not None else service.people_to_declare()
    form = DeclareTieForm()
    form.person.choices = [("", "—"), *people]
    return form, matching


def _change(change, done: str):
    """Make a tie change and say how it went, back on « Mon réseau »."""
    try:
        change()
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("network.mine"))


@bp.route("/")
@role_required(*policy.WORKERS)
def mine():
    service = _service()
    find = FindPersonForm(request.args)
    words = (find.qui.data or "").strip() if find.validate() else ""
    form, matching = _declare_form(service, words)
    return render_template("network/mine.html", me=service.me, **service.overview(), origin_labels=ORIGIN_LABELS,
                           level_labels=LEVEL_LABELS, form=form, find=find, matching=matching, shown=SHOWN,
                           sessions=[s for s in service.sessions() if s["others"]])


@bp.route("/seances/<session_id>", methods=["POST"])
@role_required(*policy.PEOPLE)
def met_at_session(session_id: str):
    service = _service()
    others = request.form.getlist("people")
    if not others:
        flash(_("Cochez les personnes rencontrées pour la première fois à cette séance."), "error")
        return redirect(url_for("network.mine"))
    try:
        made = service.met_at(session_id, others, utc_now())
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(ngettext("%(num)d lien déclaré : la personne le confirmera dans son réseau.",
                       "%(num)d liens déclarés : chaque personne les confirmera dans son réseau.", made), "success")
    return redirect(url_for("network.mine"))


@bp.route("/liens", methods=["POST"])
@role_required(*policy.WORKERS)
def declare():
    service = _service()
    form, _matching = _declare_form(service, None)
    if form.validate_on_submit():
        return _change(lambda: service.declare(form.person.data, form.since.data, form.level.data, utc_now()),
                       _("Lien déclaré : la personne le verra dans son réseau et pourra le confirmer."))
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
    return redirect(url_for("network.mine"))


@bp.route("/liens/<other_id>/confirmer", methods=["POST"])
@role_required(*policy.WORKERS)
def confirm(other_id: str):
    service = _service()
    return _change(lambda: service.confirm(other_id, utc_now()), _("Lien confirmé."))


@bp.route("/liens/<other_id>/retirer", methods=["POST"])
@role_required(*policy.WORKERS)
def remove(other_id: str):
    service = _service()
    return _change(lambda: service.remove(other_id), _("Lien retiré."))


@bp.app_template_filter("since_label")
def since_label(value) -> str:
    """« mars 2023 » for a tie's date: the day is rarely known for sure."""
    return format_date(value, "MMMM y") if value else ""
