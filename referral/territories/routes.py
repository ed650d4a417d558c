"""The territories: an overview map of the six TIPs, and per territory a map of its organisations and
collaborations beside the figures of its network, as of a chosen date."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from graph.timeline_reader import territory_network
from referral import clock
from referral.auth.users import role_required
from referral.graphdb import driver, kept, repo
from referral.labels import ROLE_LABELS, SECTOR_LABELS
from referral.policy import Principal
from referral.security import with_nonce
from referral.territories import bp, maps, messages, picture
from referral.territories.forms import AsOfForm
from referral.territories.service import TerritoryMaps


def _service() -> TerritoryMaps:
    database = current_app.config["NEO4J_DATABASE"]
    return TerritoryMaps(
        Principal.of(current_user), repo,
        lambda territory, as_of, sample_only, hidden: kept(
            ("territory_network", territory, as_of, sample_only, hidden),
            lambda: territory_network(driver(), territory, as_of, database, sample_only=sample_only, hidden=hidden)),
        current_app.config["SECRET_KEY"], kept)


def _as_of() -> tuple[AsOfForm, date, bool]:
    """The date from the query string (today when absent); a bad one is reported and today is used."""
    form = AsOfForm(request.args)
    valid = form.validate()
    as_of = form.date.data if valid and form.date.data else clock.today()
    if valid:
        form.date.data = as_of  # the field shows the date drawn
    return form, as_of, valid


def _leaflet() -> tuple[str, str]:
    return (url_for("static", filename="vendor/leaflet/leaflet.js"),
            url_for("static", filename="vendor/leaflet/leaflet.css"))


def _map_document(key: tuple, build):
    """The map document `build()` makes (a folium map), rendered once per state of the graph, `key` (what
    makes it differ from one reader to another) and language — kept as the figures are (graphdb.kept):
    folium's rendering took 11 ms of CPU a request. The request's CSP nonce goes on its inline scripts."""
    html = kept((*key, str(get_locale())), lambda: build().get_root().render())
    response = make_response(with_nonce(html))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response


@bp.route("/")
@role_required()
def overview():
    return render_template("territories/overview.html", territories=_service().territories())


@bp.route("/carte")
@role_required()
def overview_document():
    service = _service()

    def build():
        territories = service.territories()
        urls = {t["id"]: url_for("territories.territory_map", territory_id=t["id"]) for t in territories}
        return maps.overview_map(territories, service.shapes(), urls, *_leaflet(), current_app.config.get("MAP_TILES"))

    return _map_document(("overview_document",), build)


@bp.route("/<territory_id>/carte")
@role_required()
def territory_map(territory_id: str):
    service = _service()
    form, as_of, valid = _as_of()
    view = service.view(territory_id, as_of, clock.today())
    network = view.network
    body = render_template(
        "territories/map.html", territory=view.territory, form=form, as_of=as_of, network=network,
        figures=network.figures, labels=view.labels, organisation_names=network.organisation_names,
        places=view.places, place_heading=view.place_heading, sample_only=service.sample_only,
        small_cell=service.small_cell, layer_names=messages.layer_names(network), milestones=view.milestones,
        picture=picture.people_picture(network, view.labels, view.places, view.sectors),
        sector_colours=maps.SECTOR_COLOURS, other_colour=maps.OTHER_COLOUR, layer_colours=maps.LAYER_COLOURS,
        colours=maps.layer_colours(network.layers),
        map_url=url_for("territories.territory_map_document", territory_id=territory_id, date=as_of.isoformat()),
    )
    return body, (200 if valid else 400)


@bp.route("/<territory_id>/carte/plan")
@role_required()
def territory_map_document(territory_id: str):
    service = _service()
    territory = service.territory(territory_id)
    _form, as_of, valid = _as_of()
    if not valid:
        abort(400)
    linked = service.may_open_directory()

    def build():
        network = service.network(territory_id, as_of)
        links = ({o["id"]: url_for("directory.organisation", organisation_id=o["id"]) for o in network.organisations}
                 if linked else {})
        leaflet_js, leaflet_css = _leaflet()
        return maps.territory_map(
            network, territory, service.shapes().get(territory_id), messages.layer_names(network, short=True),
            show_contacts=not service.sample_only, sector_labels={k: str(v) for k, v in SECTOR_LABELS.items()},
            role_labels={k: str(v) for k, v in ROLE_LABELS.items()}, organisation_links=links,
            small_cell=service.small_cell, marks=None if service.sample_only else maps.organisation_marks(network),
            leaflet_js=leaflet_js, leaflet_css=leaflet_css, tiles=current_app.config.get("MAP_TILES"),
        )

    return _map_document(("territory_map_document", territory_id, as_of, service.sample_only,
                          service.hidden_people(), linked), build)
