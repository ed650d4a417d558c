"""Folium maps of the territories, drawn from plain data (analysis.territory_network).

Two rules hold for everything here:

- Offline first: the map starts with no tiles (`tiles=None`); a tile layer is added on top when
  configured, so polygons, markers and edges are drawn on a plain background when tiles cannot load.
  Leaflet itself is served from static/vendor (folium's default CDN links are replaced), and nothing
  else is loaded: no jQuery, Bootstrap or icon fonts (folium's Popup needs jQuery, so popups and
  tooltips are bound by the two small elements below).
- Everything users typed is HTML-escaped into Markup first, then passed to Leaflet as a JSON string
  (`tojson` also escapes <, >, & and '), never pasted into JavaScript source.
"""

from __future__ import annotations

import math

import folium
from flask_babel import gettext as _
from folium.template import Template
from folium.utilities import JsCode
from markupsafe import Markup, escape
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

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
    "before_ei": "#444444",
    "ei_session": "#0072B2",
    "referral": "#D55E00",
    "declared": "#8C6D00",
    "flows": "#B0005A",
}


class BoundPopup(folium.MacroElement):
    """A popup whose HTML (already escaped Markup) is handed to Leaflet as a JSON string."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {maxWidth: 320});
        {% endmacro %}
    """)

    def __init__(self, html: Markup):
        super().__init__()
        self._name = "BoundPopup"
        self.html = str(html)


class BoundTooltip(folium.MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindTooltip({{ this.html|tojson }}, {sticky: true});
        {% endmacro %}
    """)

    def __init__(self, html: Markup):
        super().__init__()
        self._name = "BoundTooltip"
        self.html = str(html)


def base_map(leaflet_js: str, leaflet_css: str, tiles: str | None, **options) -> folium.Map:
    """A map with no tiles of its own, Leaflet from our static files, and optional network tiles."""
    fmap = folium.Map(tiles=None, control_scale=True, **options)
    fmap.default_js = [("leaflet", leaflet_js)]
    fmap.default_css = [("leaflet_css", leaflet_css)]
    if tiles:
        folium.TileLayer(tiles, name=_("Fond de carte (réseau requis)"), control=False).add_to(fmap)
    return fmap


def _fit(fmap: folium.Map, polygons: list[BaseGeometry]) -> None:
    """Frame the polygons (a territory seeded without one keeps the map's starting view)."""
    if not polygons:
        return
    min_x, min_y, max_x, max_y = polygons[0].bounds
    for polygon in polygons[1:]:
        x0, y0, x1, y1 = polygon.bounds
        min_x, min_y, max_x, max_y = min(min_x, x0), min(min_y, y0), max(max_x, x1), max(max_y, y1)
    fmap.fit_bounds([[min_y, min_x], [max_y, max_x]])


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
        _("Cohorte %(n)s", n=territory["cohort"]),
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
        folium.Marker([territory["latitude"], territory["longitude"]], icon=icon).add_to(fmap)
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
    _fit(fmap, [shapes[t["id"]] for t in territories if t["id"] in shapes])
    return fmap


def edge_width(ties: int) -> float:
    """Line width in pixels: 2 for one tie, growing with the number of ties, at most 12."""
    return min(12.0, 2.0 + 1.5 * (ties - 1))


def shown_count(count: int, small_cell: int | None) -> tuple[int | None, float]:
    """(the count to print, or None for "fewer than small_cell"; the line width). A small count between two
    organisations would tell what their few people did, so below `small_cell` neither the text nor the
    width gives it away."""
    if small_cell and count < small_cell:
        return None, edge_width(1)
    return count, edge_width(count)


def _popup(organisation: dict, show_contacts: bool, sector_labels: dict, role_labels: dict, link: str | None):
    parts = [Markup("<strong>{}</strong>").format(organisation["name"]),
             Markup("<br>{}").format(sector_labels.get(organisation["sector"], organisation["sector"] or ""))]
    if organisation.get("address"):
        parts.append(Markup("<br>{}").format(organisation["address"]))
    if organisation["services"]:
        items = Markup("").join(Markup("<li>{}</li>").format(name) for name in organisation["services"])
        parts.append(Markup("<p>{}</p><ul>{}</ul>").format(_("Services"), items))
    if show_contacts:
        if organisation["contacts"]:
            items = Markup("").join(
                Markup("<li>{} — {}</li>").format(c["name"], role_labels.get(c["role"], c["role"] or ""))
                if c.get("role") else Markup("<li>{}</li>").format(c["name"])
                for c in organisation["contacts"])
            parts.append(Markup("<p>{}</p><ul>{}</ul>").format(_("Contacts"), items))
        else:
            parts.append(Markup("<p>{}</p>").format(_("Aucun contact inscrit au répertoire.")))
    if link:
        parts.append(Markup('<p><a href="{}" target="_top">{}</a></p>').format(link, _("Fiche de l'organisation")))
    return Markup("").join(parts)


def _arrow(source: tuple[float, float], target: tuple[float, float]) -> tuple[list, list] | None:
    """A referral flow as a line and an arrowhead (lat/lon), set off to the right of its direction so
    that flows both ways between two organisations stay apart, and stopping short of the markers."""
    (lat1, lon1), (lat2, lon2) = source, target
    k = math.cos(math.radians((lat1 + lat2) / 2))  # metres per degree of longitude shrink with latitude
    dx, dy = (lon2 - lon1) * k, lat2 - lat1
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return None
    ux, uy = dx / length, dy / length
    nx, ny = uy, -ux  # right-hand normal
    offset, gap = min(0.0006, length * 0.08), min(0.0008, length * 0.15)
    head = min(0.0012, length * 0.25)

    def point(x, y):
        return [round(lat1 + y, 6), round(lon1 + x / k, 6)]

    start = (ux * gap + nx * offset, uy * gap + ny * offset)
    tip = (dx - ux * gap + nx * offset, dy - uy * gap + ny * offset)
    base = (tip[0] - ux * head, tip[1] - uy * head)
    left = point(base[0] + nx * head * 0.5, base[1] + ny * head * 0.5)
    right = point(base[0] - nx * head * 0.5, base[1] - ny * head * 0.5)
    return [point(*start), point(*tip)], [point(*tip), left, right]


def territory_map(network, territory: dict, polygon: BaseGeometry | None, layer_names: dict, show_contacts: bool,
                  sector_labels: dict, role_labels: dict, organisation_links: dict, leaflet_js: str,
                  leaflet_css: str, tiles: str | None, small_cell: int | None = None) -> folium.Map:
    """The territory polygon (as the graph holds it; None: not drawn), its organisations coloured by sector, the
    collaboration edges between them in one toggleable layer per origin (and per EI session), and the referral
    flows as arrows. With
    `small_cell` (evaluators), counts of ties and referrals below it are not told (shown_count)."""
    fmap = base_map(leaflet_js, leaflet_css, tiles, location=[territory["latitude"], territory["longitude"]],
                    zoom_start=13)
    if polygon is not None:
        folium.GeoJson(mapping(polygon), name=territory["name"], control=False,
                       style_function=lambda f: {"color": "#0b5cad", "weight": 2, "fillOpacity": 0.06}).add_to(fmap)
    positions = {o["id"]: (o["latitude"], o["longitude"]) for o in network.organisations
                 if o["latitude"] is not None}
    _tie_layers(fmap, network, positions, layer_names, small_cell)
    _flow_layer(network, layer_names["flows"], small_cell).add_to(fmap)
    # Markers live in a pane above the edges, so that toggling a layer back on does not cover them.
    folium.map.CustomPane("organisations", z_index=625, pointer_events=True).add_to(fmap)
    markers = folium.FeatureGroup(name=str(escape(_("Organisations"))))
    for organisation in network.organisations:
        if organisation["id"] not in positions:
            continue
        marker = folium.CircleMarker(
            positions[organisation["id"]], radius=9, color="#1b1f23", weight=1.5,
            fill=True, fill_opacity=0.95, fill_color=SECTOR_COLOURS.get(organisation["sector"], OTHER_COLOUR))
        marker.options["pane"] = "organisations"  # folium's path options drop `pane`
        marker.add_child(BoundTooltip(escape(organisation["name"])))
        marker.add_child(BoundPopup(_popup(organisation, show_contacts, sector_labels, role_labels,
                                           organisation_links.get(organisation["id"]))))
        marker.add_to(markers)
    markers.add_to(fmap)

    # Open beside a wide map; folded behind its button on a phone, where it would hide the map.
    folium.LayerControl(collapsed=JsCode("window.innerWidth < 600")).add_to(fmap)
    _fit(fmap, [polygon] if polygon is not None else [])
    return fmap


def _tie_layers(fmap: folium.Map, network, positions: dict, layer_names: dict, small_cell: int | None) -> None:
    """One toggleable layer per origin (and per EI session): the ties between two located organisations."""
    names = {o["id"]: o["name"] for o in network.organisations}
    for layer in network.layers:
        group = folium.FeatureGroup(name=str(escape(layer_names[layer["key"]])))
        colour = LAYER_COLOURS.get(layer["origin"], LAYER_COLOURS["declared"])
        for edge in layer["edges"]:
            if edge["source"] in positions and edge["target"] in positions:
                ties, width = shown_count(edge["ties"], small_cell)
                line = folium.PolyLine([positions[edge["source"]], positions[edge["target"]]],
                                       color=colour, weight=width, opacity=0.75)
                line.add_child(BoundTooltip(Markup("{} — {} : {}").format(
                    names[edge["source"]], names[edge["target"]],
                    _("%(n)s lien(s) entre leurs personnes", n=ties) if ties is not None
                    else _("moins de %(n)s liens entre leurs personnes", n=small_cell))))
                line.add_to(group)
        group.add_to(fmap)


def _flow_layer(network, name: str, small_cell: int | None) -> folium.FeatureGroup:
    """The referral flows between organisations, as dashed arrows."""
    flows = folium.FeatureGroup(name=str(escape(name)))
    for flow in network.flows:
        source = (flow["source_latitude"], flow["source_longitude"])
        target = (flow["target_latitude"], flow["target_longitude"])
        shape = None if None in source or None in target else _arrow(source, target)
        if shape is None:
            continue
        referrals, width = shown_count(flow["referrals"], small_cell)
        tooltip = BoundTooltip(Markup("{} → {} : {}").format(
            flow["source_name"], flow["target_name"],
            _("%(n)s référence(s)", n=referrals) if referrals is not None
            else _("moins de %(n)s références", n=small_cell)))
        line, head = shape
        folium.PolyLine(line, color=LAYER_COLOURS["flows"], weight=width,
                        dash_array="6 4", opacity=0.9).add_child(tooltip).add_to(flows)
        folium.Polygon(head, color=LAYER_COLOURS["flows"], fill=True, fill_opacity=1.0, weight=1).add_to(flows)
    return flows
