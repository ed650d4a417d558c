"""The territories: an overview map of the six TIPs, and per territory a map of its organisations and
collaborations beside the figures of its network, as of a chosen date."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, current_app, make_response, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from analysis.before_after import SMALL_CELL
from analysis.territory_network import territory_network
from graph.repositories.territories import TerritoryRepository
from graph.repositories.territory_map import TerritoryMapRepository
from referral.auth.users import role_required
from referral.evaluation.services import pseudonyms
from referral.graphdb import driver, repo
from referral.labels import ORIGIN_LABELS, ROLE_LABELS, SECTOR_LABELS
from referral.policy import MAINTAINERS, Principal, may_open, may_read_person
from referral.security import with_nonce
from referral.territories import bp, maps, picture
from referral.territories.forms import AsOfForm


def _territory_or_404(territory_id: str) -> dict:
    territory = repo(TerritoryRepository).get(territory_id)
    if territory is None:
        abort(404)
    return territory


def _as_of() -> tuple[AsOfForm, date, bool]:
    """The date from the query string (today when absent); a bad one is reported and today is used."""
    form = AsOfForm(request.args)
    valid = form.validate()
    as_of = form.date.data if valid and form.date.data else date.today()
    if valid:
        form.date.data = as_of  # the field shows the date drawn
    return form, as_of, valid


def _leaflet() -> tuple[str, str]:
    return (url_for("static", filename="vendor/leaflet/leaflet.js"),
            url_for("static", filename="vendor/leaflet/leaflet.css"))


def _map_document(fmap):
    response = make_response(with_nonce(fmap.get_root().render()))  # folium's inline scripts, under our CSP
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


def _sample_only() -> bool:
    """Evaluators see the research sample only, under the evaluation's keyed pseudonyms."""
    return not current_user.sees_names


def _network(territory_id: str, as_of: date):
    return territory_network(driver(), territory_id, as_of, current_app.config["NEO4J_DATABASE"],
                             sample_only=_sample_only())


def layer_names(network, short: bool = False) -> dict[str, str]:
    """What each layer is called: in full in the page's legend, briefly in the map's layer control."""
    if short:
        names = {"before_ei": _("Avant EI"), "referral": _("Nés d'une référence"), "declared": _("Autres liens"),
                 "flows": _("Flux de références")}
    else:
        names = {**{origin: str(ORIGIN_LABELS[origin]) for origin in ("before_ei", "referral", "declared")},
                 "flows": _("Flux de références (flèches)")}
    for layer in network.layers:
        if layer["origin"] != "ei_session":
            continue
        if not layer.get("number"):
            names[layer["key"]] = _("Pendant EI — autre séance")
        elif short:
            names[layer["key"]] = _("EI, séance %(n)s", n=layer["number"])
        else:
            names[layer["key"]] = _("Pendant EI — séance %(n)s (%(date)s)", n=layer["number"],
                                    date=format_date(layer["date"], "d MMM y"))
    return names


def person_labels(network) -> dict[str, str]:
    """What the page calls each person: their name when the viewer may see it, else a pseudonym.
    Evaluators see the keyed pseudonyms of the evaluation's exports (the same person, the same P-…);
    the others see the names the policy lets them read (unlisted people: only their own territories'
    coordinators and admins), the rest as numbers in the drawing."""
    ids = sorted(network.people.nodes())
    if _sample_only():
        return {person: pseudonyms().person(person) for person in ids}
    labels = {person: _("P%(n)02d", n=i) for i, person in enumerate(ids, 1)}
    principal = Principal.of(current_user)
    for person, record in repo(TerritoryMapRepository).people(ids).items():
        if record["name"] and may_read_person(principal, record["territories"], record["listed"], person):
            labels[person] = record["name"]
    return labels


def person_sectors(network) -> dict[str, str | None]:
    """Each person's sector as an evaluator may see it: None (« autre secteur ») where the territory has
    a single organisation of that sector, since the sector would then name the organisation."""
    people = network.people.nodes
    organisations: dict[str, set] = {}
    for record in network.organisations:
        organisations.setdefault(record.get("sector"), set()).add(record["id"])
    for person in people:
        organisations.setdefault(people[person].get("sector"), set()).add(people[person].get("organisation"))
    shown = {sector for sector, ids in organisations.items() if sector and len(ids) >= 2}
    return {p: people[p].get("sector") if people[p].get("sector") in shown else None for p in people}


def person_places(network) -> tuple[str, dict[str, str]]:
    """What is said beside each person, with its column heading: their organisation, or for evaluators
    its sector (person_sectors) — an organisation of fewer than five sampled people would single them out."""
    people = network.people.nodes
    if _sample_only():
        return _("Secteur"), {p: str(SECTOR_LABELS.get(sector, _("autre secteur")))
                              for p, sector in person_sectors(network).items()}
    return _("Organisation"), {p: network.organisation_names.get(people[p].get("organisation"), "") for p in people}


@bp.route("/")
@role_required()
def overview():
    return render_template("territories/overview.html", territories=repo(TerritoryRepository).list())


@bp.route("/carte")
@role_required()
def overview_document():
    territories = repo(TerritoryRepository).list()
    urls = {t["id"]: url_for("territories.territory_map", territory_id=t["id"]) for t in territories}
    return _map_document(maps.overview_map(territories, urls, *_leaflet(), current_app.config.get("MAP_TILES")))


@bp.route("/<territory_id>/carte")
@role_required()
def territory_map(territory_id: str):
    territory = _territory_or_404(territory_id)
    form, as_of, valid = _as_of()
    network = _network(territory_id, as_of)
    labels = person_labels(network)
    place_heading, places = person_places(network)
    sessions = [layer for layer in network.layers if layer.get("date")]
    milestones = [(_("Avant la cohorte"), territory["start"] - timedelta(days=1))]
    milestones += [(_("Séance %(n)s", n=layer["number"]), layer["date"]) for layer in sessions]
    milestones += [(_("Fin de la cohorte"), territory["end"]), (_("Aujourd'hui"), date.today())]
    body = render_template(
        "territories/map.html", territory=territory, form=form, as_of=as_of, network=network,
        figures=network.figures, labels=labels, organisation_names=network.organisation_names,
        places=places, place_heading=place_heading, sample_only=_sample_only(),
        small_cell=SMALL_CELL if _sample_only() else None,
        layer_names=layer_names(network), milestones=[(text, day) for text, day in milestones if day <= date.today()],
        picture=picture.people_picture(network, labels, places,
                                       person_sectors(network) if _sample_only() else None),
        sector_colours=maps.SECTOR_COLOURS, other_colour=maps.OTHER_COLOUR, layer_colours=maps.LAYER_COLOURS,
        map_url=url_for("territories.territory_map_document", territory_id=territory_id, date=as_of.isoformat()),
    )
    return body, (200 if valid else 400)


@bp.route("/<territory_id>/carte/plan")
@role_required()
def territory_map_document(territory_id: str):
    territory = _territory_or_404(territory_id)
    _form, as_of, valid = _as_of()
    if not valid:
        abort(400)
    network = _network(territory_id, as_of)
    links = {}
    if may_open(Principal.of(current_user), MAINTAINERS):
        links = {o["id"]: url_for("directory.organisation", organisation_id=o["id"]) for o in network.organisations}
    leaflet_js, leaflet_css = _leaflet()
    fmap = maps.territory_map(
        network, territory, layer_names(network, short=True),
        show_contacts=current_user.sees_names, sector_labels={k: str(v) for k, v in SECTOR_LABELS.items()},
        role_labels={k: str(v) for k, v in ROLE_LABELS.items()}, organisation_links=links,
        small_cell=SMALL_CELL if _sample_only() else None,
        leaflet_js=leaflet_js, leaflet_css=leaflet_css, tiles=current_app.config.get("MAP_TILES"),
    )
    return _map_document(fmap)
