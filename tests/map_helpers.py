"""What a territory's map document draws, read from its data block (for the tests of several files)."""

import json
import re


def map_data(document: str) -> dict:
    """The data block a territory's map document draws its organisations, ties and flows from
    (referral/territories/network_layers.py, drawn by static/territory_map.js)."""
    block = re.search(r'<script[^>]* id="territory-network"[^>]*>(.*?)</script>', document, flags=re.DOTALL)
    return json.loads(block.group(1))


def map_tooltips(document: str) -> list[str]:
    """The tooltips of the ties and flows, as static/territory_map.js composes them."""
    data = map_data(document)
    names = [o["name"] for o in data["organisations"]]
    ties = [f"{names[a]} — {names[b]} : {data['texts'][text]}"
            for layer in data["layers"] for a, b, text, _width in layer["ties"]]
    return ties + [f"{f['from']} → {f['to']} : {data['texts'][f['text']]}" for f in data["flows"]]


def drawn_lines(document: str) -> int:
    """How many lines the map draws: ties in every layer, and referral flows."""
    data = map_data(document)
    return sum(len(layer["ties"]) for layer in data["layers"]) + len(data["flows"])
