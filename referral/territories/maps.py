"""Folium maps of the territories, drawn from plain data (analysis.territory_network).

Two rules hold for everything here:

- Offline first: the map starts with no tiles (`tiles=None`); a tile layer is added on top when
  configured, so polygons, markers and edges are drawn on a plain background when tiles cannot load.
  Leaflet itself is served from static/vendor (folium's default CDN links are replaced), and nothing
  else is loaded: no jQuery, Bootstrap or icon fonts (folium's Popup needs jQuery, so a territory's
  popups and tooltips are made by static/territory_map.js, see network_layers).
- Everything users typed goes to Leaflet as JSON strings (escaping <, >, & and '), never pasted into
  JavaScript source: HTML-escaped into Markup first where Leaflet reads it as HTML (the overview's labels),
  set as text by static/territory_map.js on a territory's map.
"""

from __future__ import annotations

from collections import defaultdict

import folium
from flask import url_for
from flask_babel import gettext as _
from folium.plugins import Fullscreen
from folium.utilities import JsCode
from markupsafe import Markup, escape
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from referral.territories.map_geometry import bounding_box, spread_apart
from referral.territories.network_layers import NetworkLayers, network_data

MONTREAL = (45.56, -73.70)
# Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
SECTOR_COLOURS = {
    "family": "#E69F00",
    "newcomers": "#56B4E9",
    "community_other": "#009E73",
    "institutional": "#CC79A7",
}
OTHER_COLOUR = "#777777"
LAYER_COLOURS = {
    "before_ei": "#9a9a9a",  # a light grey: the ties that were there before, behind the sessions' colours
    "ei_session": "#0072B2",
    "referral": "#D55E00",
    "declared": "#8C6D00",
    "flows": "#B0005A",
}
# The EI sessions in their order (viridis, without its palest end: each stays visible on the map's light
# background, in order from dark to light, told apart with the common colour-vision deficiencies).
SESSION_PALETTE = ("#440154", "#3b528b", "#21918c", "#27ad81", "#5ec962", "#a0da39")


def layer_colours(layers: list[dict]) -> list[str]:
    """One colour per network layer: each session its own, in order; the other origins theirs."""
    colours, sessions = [], 0
    for layer in layers:
        if layer["origin"] == "ei_session":
            colours.append(SESSION_PALETTE[min(sessions, len(SESSION_PALETTE) - 1)])
            sessions += 1
        else:
            colours.append(LAYER_COLOURS.get(layer["origin"], LAYER_COLOURS["declared"]))
    return colours


# Leaflet path options of the network layers (static/territory_map.js adds each sector's and layer's colour).
NETWORK_STYLES = {
    "organisation": {"pane": "organisations", "radius": 9, "color": "#1b1f23", "weight": 1.5, "fillOpacity": 0.95},
    # Marks, told apart without colour: a thick ring where a broker works, a dotted one around an isolated one.
    "broker": {"radius": 11, "weight": 4.5},
    "isolated": {"dashArray": "3 3", "weight": 2.5, "fillOpacity": 0.55},
    "tie": {"opacity": 0.75},
    "flow": {"color": LAYER_COLOURS["flows"], "dashArray": "6 4", "opacity": 0.9},
    "head": {"color": LAYER_COLOURS["flows"], "fill": True, "fillOpacity": 1.0, "weight": 1, "interactive": False},
}


def base_map(leaflet_js: str, leaflet_css: str, tiles: str | None, **options) -> folium.Map:
    """A map with no tiles of its own, Leaflet from our static files, and optional network tiles."""
    fmap = folium.Map(tiles=None, control_scale=True, **options)
    fmap.default_js = [("leaflet", leaflet_js)]
    fmap.default_css = [("leaflet_css", leaflet_css)]
    if tiles:
        folium.TileLayer(tiles, name=_("Fond de carte (réseau requis)"), control=False).add_to(fmap)
    return fmap


def _box(polygons: list[BaseGeometry], points=()) -> tuple | None:
    """The (south, west, north, east) box around the polygons and points; None when there is nothing."""
    corners = [corner for polygon in polygons for corner in ((polygon.bounds[1], polygon.bounds[0]),
                                                                (polygon.bounds[3], polygon.bounds[2]))]
    return bounding_box([*corners, *points])


def _fit(fmap: folium.Map, box: tuple | None) -> None:
    """Frame the box (a territory seeded without a polygon or organisations keeps the map's starting view)."""
    if box is not None:
        fmap.fit_bounds([[box[0], box[1]], [box[2], box[3]]])


def organisation_marks(network) -> dict[str, list[str]]:
    """What a marker tells of its organisation: a broker works there, or it is isolated (the page's lists)."""
    marks = defaultdict(list)
    for broker in network.brokers:
        if broker.get("organisation") and "broker" not in marks[broker["organisation"]]:
            marks[broker["organisation"]].append("broker")
    for organisation in network.figures.get("isolated_organisations", []):
        marks[organisation].append("isolated")
    return dict(marks)


# Where each territory's label sits around its centre: the eastern TIPs touch each other, so their
# labels are set off in different directions to stay apart at the overview's zoom.
LABEL_PLACEMENT = {"mn": "nw", "asl": "ne", "vsp": "e", "abc": "w", "prsl": "sw", "cdn": "se"}
LABEL_STYLE = """<style>
    .leaflet-div-icon { background: transparent; border: 0; }
    .territory-label { position: absolute; display: block; padding: 2px 6px; white-space: nowrap;
        background: rgba(255, 255, 255, .94); color: #1b1f23; border: 1px solid #0b5cad; border-radius: 4px;
        font: 12px/1.35 system-ui, sans-serif; text-align: left; text-decoration: none; }
    .territory-label:focus, .territory-label:hover { outline: 3px solid #ffbf47; }
    .place-n { transform: translate(-50%, calc(-100% - 10px)); }
    .place-s { transform: translate(-50%, 10px); }
    .place-e { transform: translate(10px, -50%); }
    .place-w { transform: translate(calc(-100% - 10px), -50%); }
    .place-ne { transform: translate(8px, calc(-100% - 8px)); }
    .place-nw { transform: translate(calc(-100% - 8px), calc(-100% - 8px)); }
    .place-se { transform: translate(8px, 8px); }
    .place-sw { transform: translate(calc(-100% - 8px), 8px); }
    .territory-dot { position: absolute; width: 8px; height: 8px; margin: -4px 0 0 -4px; border-radius: 50%;
        background: #0b5cad; border: 1px solid #fff; }
</style>"""


def territory_label(territory: dict) -> Markup:
    return Markup("<strong>{}</strong><br>{} · {}").format(
        territory["name"],
        _("Cohorte %(n)s", n=territory["cohort"]) if territory["cohort"] else _("Pas encore de cohorte"),
        _("%(orgs)s org. · %(people)s interv.", orgs=territory["organisations"], people=territory["intervenants"]),
    )


def overview_map(territories: list[dict], shapes: dict[str, BaseGeometry], urls: dict[str, str], leaflet_js: str,
                 leaflet_css: str, tiles: str | None) -> folium.Map:
    """Montréal with the six TIP polygons (`shapes`, by id, as the graph holds them), each labelled at its
    centroid with its cohort and counts; a click opens it."""
    fmap = base_map(leaflet_js, leaflet_css, tiles, location=MONTREAL, zoom_start=11)
    fmap.get_root().header.add_child(folium.Element(LABEL_STYLE))
    features = []
    for territory in territories:
        label = territory_label(territory)
        if territory["id"] in shapes:
            features.append({
                "type": "Feature",
                "geometry": mapping(shapes[territory["id"]]),
                "properties": {"url": urls[territory["id"]], "label": str(label), "cohort": territory["cohort"]},
            })
        link = Markup('<span class="territory-dot"></span><a class="territory-label place-{}" href="{}" '
                      'target="_top">{}</a>').format(LABEL_PLACEMENT.get(territory["id"], "n"),
                                                      urls[territory["id"]], label)
        icon = folium.DivIcon(html=str(link), icon_size=(0, 0), icon_anchor=(0, 0))
        # Not a keyboard button itself: the link inside is what a keyboard reaches (axe: nested-interactive).
        folium.Marker([territory["latitude"], territory["longitude"]], icon=icon, keyboard=False).add_to(fmap)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=_("Territoires"),
        style_function=lambda f: {"color": "#0b5cad", "weight": 2, "fillOpacity": 0.25,
                                  "fillColor": "#0b5cad" if f["properties"]["cohort"] == 1 else "#6a3d9a"},
        highlight_function=lambda f: {"weight": 4, "fillOpacity": 0.4},
        on_each_feature=JsCode("""
            function (feature, layer) {
                layer.bindTooltip(feature.properties.label, {sticky: true});
                layer.on('click', function () { window.top.location.href = feature.properties.url; });
            }
        """),
    ).add_to(fmap)
    _fit(fmap, _box([shapes[t["id"]] for t in territories if t["id"] in shapes]))
    return fmap


def territory_map(network, territory: dict, polygon: BaseGeometry | None, layer_names: dict, show_contacts: bool,
                  sector_labels: dict, role_labels: dict, organisation_links: dict, leaflet_js: str,
                  leaflet_css: str, tiles: str | None, small_cell: int | None = None,
                  marks: dict | None = None) -> folium.Map:
    """The territory polygon (as the graph holds it; None: not drawn), its organisations coloured by sector (set
    apart where they share a point, marked as `marks` says), the collaboration edges between them in one
    toggleable layer per origin (and per EI session), and the referral flows as arrows cut at the edge of the
    territory's view, drawn in the browser from one data block (network_layers). With `small_cell`
    (evaluators), counts of ties and referrals below it are not told (shown_count)."""
    fmap = base_map(leaflet_js, leaflet_css, tiles, location=[territory["latitude"], territory["longitude"]],
                    zoom_start=13)
    if polygon is not None:
        folium.GeoJson(mapping(polygon), name=territory["name"], control=False,
                       style_function=lambda f: {"color": "#0b5cad", "weight": 2, "fillOpacity": 0.06}).add_to(fmap)
    positions = spread_apart({o["id"]: (o["latitude"], o["longitude"]) for o in network.organisations
                              if o["latitude"] is not None})
    view = _box([polygon] if polygon is not None else [], positions.values())
    ties = [folium.FeatureGroup(name=str(escape(layer_names[layer["key"]]))).add_to(fmap) for layer in network.layers]
    flows = folium.FeatureGroup(name=str(escape(layer_names["flows"]))).add_to(fmap)
    # Markers live in a pane above the edges, so that toggling a layer back on does not cover them.
    folium.map.CustomPane("organisations", z_index=625, pointer_events=True).add_to(fmap)
    organisations = folium.FeatureGroup(name=str(escape(_("Organisations")))).add_to(fmap)
    sectors = {o["sector"]: (o["sector"], sector_labels.get(o["sector"], o["sector"] or ""),
                             SECTOR_COLOURS.get(o["sector"], OTHER_COLOUR)) for o in network.organisations}
    data = network_data(
        network, positions, NETWORK_STYLES,
        layer_colours(network.layers),
        list(sectors.values()), show_contacts, role_labels, organisation_links, small_cell, view, marks)
    fmap.add_child(NetworkLayers(data, url_for("static", filename="territory_map.js"),
                                 url_for("static", filename="territory_map.css"), ties, flows, organisations))
    # Folded behind its button (open on a hover or a tap): open, it hid a third of the map and the markers under it.
    folium.LayerControl(collapsed=True).add_to(fmap)
    fullscreen = Fullscreen(title=_("Plein écran"), title_cancel=_("Quitter le plein écran"))
    # The plugin's files from static/vendor too, in place of folium's CDN links.
    plugin = "vendor/leaflet.fullscreen/Control.FullScreen"
    fullscreen.default_js = [("fullscreen", url_for("static", filename=f"{plugin}.js"))]
    fullscreen.default_css = [("fullscreen_css", url_for("static", filename=f"{plugin}.css"))]
    fullscreen.add_to(fmap)
    _fit(fmap, view)
    return fmap
