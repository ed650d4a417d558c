"""Making or reshaping a territory (admins): HTTP only, the rules in referral/territories/boundaries.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from referral import policy
from referral.auth.users import role_required
from referral.errors import show_on_form
from referral.graphdb import repo
from referral.service_errors import ServiceError
from referral.territories import bp
from referral.territories.boundaries import Boundaries
from referral.territories.forms import TerritoryForm


def _page(boundaries: Boundaries, form: TerritoryForm, territory: dict | None):
    """The form until it is saved; then the territory's map."""
    boroughs = boundaries.boroughs()
    own = territory["id"] if territory else None
    form.boroughs.choices = [
        (b["name"], b["name"] if b["territory"] in (None, own) else
         _("%(borough)s — déjà dans %(territory)s", borough=b["name"], territory=b["territory_name"]))
        for b in boroughs]
    if form.validate_on_submit():
        territory_id = own or (form.territory_id.data or "").strip()
        try:
            saved = boundaries.save(territory_id, form.name.data or "", form.boroughs.data, new=territory is None)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            flash(ngettext("Territoire enregistré, avec %(num)d secteur postal.",
                           "Territoire enregistré, avec %(num)d secteurs postaux.", len(saved["codes"])), "success")
            return redirect(url_for("territories.territory_map", territory_id=territory_id))
    return render_template("territories/boundaries.html", form=form, territory=territory)


@bp.route("/nouveau", methods=["GET", "POST"])
@role_required(*policy.ADMINS)
def new_territory():
    return _page(Boundaries(policy.Principal.of(current_user), repo, current_user.id), TerritoryForm(), None)


@bp.route("/<territory_id>/limites", methods=["GET", "POST"])
@role_required(*policy.ADMINS)
def territory_limits(territory_id: str):
    boundaries = Boundaries(policy.Principal.of(current_user), repo, current_user.id)
    territory = boundaries.territory(territory_id)
    form = TerritoryForm(data={"name": territory["name"], "boroughs": territory["boroughs"]})
    return _page(boundaries, form, territory)
