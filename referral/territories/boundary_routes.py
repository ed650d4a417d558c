"""Making or reshaping a territory (admins): HTTP only, the rules in referral/territories/boundaries.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
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
    areas = boundaries.boroughs()
    own = territory["id"] if territory else None

    def choice(area: dict) -> tuple[str, str]:
        name = area["name"] + (f" ({', '.join(area['part_of'])})" if area["part_of"] else "")
        if area["territory"] in (None, own):
            return area["name"], name
        return area["name"], _("%(borough)s — déjà dans %(territory)s", borough=name, territory=area["territory_name"])

    form.boroughs.choices = [choice(a) for a in areas if not a["part_of"]]
    form.neighbourhoods.choices = [choice(a) for a in areas if a["part_of"]]
    if request.method == "GET" and territory:  # a territory holds both kinds in one list: each to its field
        form.neighbourhoods.data = [b for b in territory["boroughs"] if b in dict(form.neighbourhoods.choices)]
        form.boroughs.data = [b for b in territory["boroughs"] if b not in form.neighbourhoods.data]
    if form.validate_on_submit():
        territory_id = own or (form.territory_id.data or "").strip()
        try:
            saved = boundaries.save(territory_id, form.name.data or "", form.boroughs.data + form.neighbourhoods.data,
                                    new=territory is None)
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
