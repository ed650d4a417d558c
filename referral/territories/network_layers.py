"""A territory map's organisations, ties and referral flows as ONE compact JSON data block, drawn by
static/territory_map.js into the layers folium made (so that its layer control lists them).

Folium would write a variable, an options object and a bound popup or tooltip per marker and line: nearly a
megabyte for a territory of 200 organisations. Here each organisation is written once, a tie is two indexes
into the organisations, a count text and a width, and what is repeated (sector labels and colours, count
texts, styles) is written once. Only what the viewer may see goes in: counts as `shown_count` tells them,
contacts only with `show_contacts`. The browser sets every name and label as text, never as HTML.
"""

from __future__ import annotations

import folium
from branca.element import Element
from flask_babel import gettext as _
from folium.elements import JSCSSMixin
from folium.template import Template
from jinja2.utils import htmlsafe_json_dumps

from referral.territories.map_geometry import flow_arrow


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


class CountTexts:
    """What is said of the count of ties or referrals between two organisations (« 3 lien(s) entre leurs
    personnes »), as `shown_count` lets it be told: each text once, by its index, translated once."""

    def __init__(self, small_cell: int | None):
        self.small_cell = small_cell
        self.texts: list[str] = []
        self._index: dict[tuple, int] = {}

    def __call__(self, kind: str, count: int) -> tuple[int, float]:
        """(the index of the text for `count` ties or referrals, as `kind` says; the line width)."""
        shown, width = shown_count(count, self.small_cell)
        if (kind, shown) not in self._index:
            self._index[kind, shown] = len(self.texts)
            self.texts.append(self._text(kind, shown))
        return self._index[kind, shown], width

    def _text(self, kind: str, shown: int | None) -> str:
        if kind == "ties":
            return (_("%(n)s lien(s) entre leurs personnes", n=shown) if shown is not None
                    else _("moins de %(n)s liens entre leurs personnes", n=self.small_cell))
        return (_("%(n)s référence(s)", n=shown) if shown is not None
                else _("moins de %(n)s références", n=self.small_cell))


class DataBlock(Element):
    """The JSON data block, written as it is: folium's elements would parse it as a Jinja template first."""

    def __init__(self, data: str):
        super().__init__()
        self.data = data

    def render(self, **kwargs) -> str:
        return f'<script type="application/json" id="territory-network">{self.data}</script>'


class NetworkLayers(JSCSSMixin):
    """The data block, and the call that draws it into the map's layers (folium FeatureGroups)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            territoryNetwork({{ this._parent.get_name() }}, {
                ties: [{% for group in this.ties %}{{ group.get_name() }}{{ ", " if not loop.last }}{% endfor %}],
                flows: {{ this.flows.get_name() }}, organisations: {{ this.organisations.get_name() }}});
        {% endmacro %}
    """)

    def __init__(self, data: dict, script: str, style: str, ties: list, flows: folium.FeatureGroup,
                 organisations: folium.FeatureGroup):
        super().__init__()
        self._name = "NetworkLayers"
        self.default_js = [("territory_network", script)]
        self.default_css = [("territory_network_css", style)]
        # Compact, and safe inside <script>: <, >, & and ' are written as \u escapes.
        self.data = htmlsafe_json_dumps(data, separators=(",", ":"))
        self.ties, self.flows, self.organisations = ties, flows, organisations

    def render(self, **kwargs):
        self.get_root().html.add_child(DataBlock(self.data), name=f"{self.get_name()}_data")
        super().render(**kwargs)


def network_data(network, positions: dict, styles: dict, layer_colours: list[str], sectors: list,
                 show_contacts: bool, role_labels: dict, links: dict, small_cell: int | None, view=None,
                 marks: dict | None = None) -> dict:
    """What static/territory_map.js draws. `positions`: the located organisations' (lat, lon), by id;
    `styles`: Leaflet path options for organisations, ties, flows and arrowheads; `layer_colours`: one per
    network layer; `sectors`: (sector, label, colour) for each sector of the organisations; `view`: the box
    the map frames (flows are cut at its edge); `marks`: by organisation, what its marker says of it
    (« broker », « isolated »)."""
    marks = marks or {}
    sector_index = {sector: i for i, (sector, _label, _colour) in enumerate(sectors)}
    texts = CountTexts(small_cell)
    index = {organisation: i for i, organisation in enumerate(positions)}
    organisations = [_organisation(o, positions[o["id"]], sector_index[o["sector"]], show_contacts, role_labels,
                                   links.get(o["id"]), marks.get(o["id"])) for o in network.organisations
                     if o["id"] in positions]
    layers = []
    for layer, colour in zip(network.layers, layer_colours, strict=True):
        ties = []
        for edge in layer["edges"]:
            if edge["source"] in index and edge["target"] in index:
                text, width = texts("ties", edge["ties"])
                ties.append([index[edge["source"]], index[edge["target"]], text, width])
        layers.append({"colour": colour, "ties": ties})
    return {"organisations": organisations, "layers": layers, "flows": _flows(network, positions, view, texts),
            "texts": texts.texts, "styles": styles, "sectors": [[label, colour] for _sector, label, colour in sectors],
            "words": {"services": _("Services"), "contacts": _("Contacts"),
                      "no_contacts": _("Aucun contact inscrit au répertoire."),
                      "record": _("Fiche de l'organisation"), "off_map": _("hors de la carte"),
                      "broker": _("personne-pont"), "isolated": _("isolée")}}


def _organisation(organisation: dict, position: tuple, sector: int, show_contacts: bool, role_labels: dict,
                  link: str | None, marks: list[str] | None) -> dict:
    """An organisation's marker and popup: its name, place, sector (an index into the sectors) and services;
    its contacts (« name — role ») only with `show_contacts`, and the link to its directory record if any."""
    entry = {"name": organisation["name"], "at": [round(position[0], 6), round(position[1], 6)], "sector": sector,
             "services": organisation["services"]}
    if organisation.get("address"):
        entry["address"] = organisation["address"]
    if show_contacts:
        entry["contacts"] = [f"{c['name']} — {role_labels.get(c['role'], c['role'])}" if c.get("role")
                             else c["name"] for c in organisation["contacts"]]
    if link:
        entry["link"] = link
    if marks:
        entry["marks"] = marks
    return entry


def _flows(network, positions: dict, view, texts: CountTexts) -> list[dict]:
    """The referral flows between located organisations, as arrows (a line and a head) inside the view;
    `cut`: one end is off the map, the arrow stops at its edge."""
    flows = []
    for flow in network.flows:
        source = positions.get(flow["source"], (flow["source_latitude"], flow["source_longitude"]))
        target = positions.get(flow["target"], (flow["target_latitude"], flow["target_longitude"]))
        shape = None if None in source or None in target else flow_arrow(source, target, view)
        if shape is None:
            continue
        text, width = texts("referrals", flow["referrals"])
        line, head, cut = shape
        entry = {"line": line, "head": head, "from": flow["source_name"], "to": flow["target_name"],
                 "text": text, "weight": width}
        if cut:
            entry["cut"] = True
        flows.append(entry)
    return flows
