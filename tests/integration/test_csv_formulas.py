"""No cell of a CSV the app writes can run as a spreadsheet formula, and directory fields refuse such
values on every way in (directory and profile forms, CSV import, HSDS import)."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile

import networkx as nx
import openpyxl
import pytest

from analysis import export_formats
from graph.loader import load_network
from interop.cells import formula_like
from interop.hsds import package
from interop.hsds.validate import check_package
from tests.conftest import graph_fingerprint

FORMULA = '=HYPERLINK("http://x","y")'
REFUSED = "ne peut pas commencer par =, +, - ou @"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _cells(text: str):
    """Every cell, as a spreadsheet splits the file (« ; » in the French exports, « , » elsewhere)."""
    text = text.lstrip("\ufeff")
    separator = ";" if ";" in text.split("\n", 1)[0] else ","
    for row in csv.reader(io.StringIO(text), delimiter=separator):
        yield from row


def _runnable(cell: str) -> bool:
    """A cell a spreadsheet would run: starts with a trigger and is not a plain number (« -0,5 » is one, for a
    French spreadsheet)."""
    if not cell.startswith(TRIGGERS):
        return False
    try:
        float(cell.replace(",", ".", 1) if cell.count(",") == 1 else cell)
    except ValueError:
        return True
    return False


@pytest.fixture
def hostile(graph, demo_network):
    """The demo with formulas written straight into the graph by the loader (no form in the way)."""
    network = copy.deepcopy(demo_network)
    network.organisations[0]["name"] = FORMULA
    network.organisations[0]["address"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    listed = next(p for p in network.people if p.get("listed") and p.get("email"))
    listed["name"] = "-2+3+cmd|' /C calc'!A0"
    load_network(graph, network)
    return network


def test_the_hsds_csv_package_goes_out_escaped(hostile, client, auth):
    auth.as_role("intervenant")
    response = client.get("/api/v1/hsds/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".csv")}
    cells = [cell for text in texts.values() for cell in _cells(text)]
    assert [c for c in cells if _runnable(c)] == []
    assert "'" + FORMULA in cells  # escaped, not dropped
    assert any(c.startswith("'-2+3") for c in cells)
    # read back, a cell is what was typed: the export still round-trips (and the import then refuses it)
    read = package.read_bytes(response.data, "export.zip")
    assert FORMULA in [r.values.get("name") for r in read.rows("organization")]
    errors, _ = check_package(read)
    assert any(p.code == "formula" for p in errors)


def test_the_evaluation_csvs_go_out_escaped():
    graph = nx.Graph(snapshots="before")
    graph.add_node(FORMULA, in_before=True, organisation_before="@org", sector_before="+sector",
                   territory_before="-mn")
    graph.add_node("P2", in_before=True, organisation_before="O2", sector_before="family", territory_before="mn")
    graph.add_edge(FORMULA, "P2", since="2023-01-01", origin="=cmd", in_before=True)
    comparison = {"snapshots": [{"name": "=before", "dates": {"mn": "2023-01-01"}, "totals": {"people": 2},
                                 "figures": {"ei_index": -0.5}}],
                  "changes": [{"from": "before", "to": "@after", "new": 1, "kept": 0, "lost": -1,
                               "new_by_origin": {"=x": 1}, "lost_by_reason": {}}]}
    for language in ("fr", "en"):
        for table in (export_formats.node_table(graph), export_formats.edge_table(graph),
                      export_formats.figure_table(comparison)):
            text = export_formats.to_csv(table, language)
            cells = list(_cells(text))
            assert [c for c in cells if _runnable(c)] == [], text
    assert "-0.5" in export_formats.to_csv(export_formats.figure_table(comparison), "en")  # numbers stay numbers
    assert "-0,5" in export_formats.to_csv(export_formats.figure_table(comparison), "fr")
    book = openpyxl.load_workbook(io.BytesIO(export_formats.workbook({"t": export_formats.edge_table(graph)})))
    cells = [c for row in book["t"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "'=cmd" in cells and not [c for c in cells if _runnable(c)]


def test_the_evaluation_export_download_is_escaped(hostile, client, auth):
    auth.as_role("evaluator")
    for fmt in ("nodes.csv", "edges.csv", "figures.csv"):
        response = client.get(f"/evaluation/all/export/{fmt}")
        assert response.status_code == 200, fmt
        assert [c for c in _cells(response.get_data(as_text=True)) if _runnable(c)] == []


ORGANISATION = {"languages": ["fr"], "sector": "family", "kind": "community", "territory": "mn",
                "postal_code": "H1G 1A1",
                "name": "Maison des familles"}


@pytest.mark.parametrize(("field", "value"), [("name", FORMULA), ("address", "@SUM(A1)"), ("phone", "-2+3"),
                                              ("name", "\tcmd")])
def test_the_organisation_form_refuses_formulas(demo, neo4j_driver, client, auth, field, value):
    auth.as_role("coordinator")
    before = graph_fingerprint(neo4j_driver)
    response = client.post("/repertoire/organisations/nouvelle", data={**ORGANISATION, field: value})
    assert response.status_code in (200, 422)
    assert REFUSED in response.get_data(as_text=True) or "téléphone invalide" in response.get_data(as_text=True)
    assert graph_fingerprint(neo4j_driver) == before


def test_an_international_phone_is_still_accepted(demo, client, auth):
    auth.as_role("coordinator")
    response = client.post("/repertoire/organisations/nouvelle",
                           data={**ORGANISATION, "phone": "+1 514 555-0100"})
    assert response.status_code == 302
    assert not formula_like("+1 514 555-0100", phone=True) and formula_like("+1 514 555-0100")


def test_the_person_and_profile_forms_refuse_formulas(demo, neo4j_driver, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(neo4j_driver)
    response = client.post("/repertoire/personnes/p-002/modifier", data={"name": FORMULA, "languages": ["fr"]})
    assert response.status_code in (200, 422) and REFUSED in response.get_data(as_text=True)
    auth.logout()
    auth.as_role("intervenant")
    response = client.post("/profil/modifier", data={"phone": "=1+1", "languages": ["fr"]})
    assert response.status_code in (200, 422)
    assert graph_fingerprint(neo4j_driver) == before


def test_the_csv_import_refuses_formulas(demo, neo4j_driver, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(neo4j_driver)
    rows = ["nom;territoire;secteur;type;adresse;code postal;telephone;site web;langues",
            f"{FORMULA};mn;family;;;H1G 1A1;;;fr", "Maison;mn;family;;@SUM(A1);H1G 1A1;;;fr"]
    page = client.post("/repertoire/import", data={
        "kind": "organisations", "file": (io.BytesIO("\n".join(rows).encode()), "cahier.csv")},
        content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code in (200, 422) and html.count(REFUSED) >= 2
    assert graph_fingerprint(neo4j_driver) == before


def test_the_hsds_import_refuses_formulas(demo, neo4j_driver, client, auth):
    auth.as_role("coordinator")
    before = graph_fingerprint(neo4j_driver)
    document = {"id": "a8f3c2e0-1111-4e2b-9c1d-000000000001", "name": FORMULA, "description": "Organisme",
                "phones": [{"id": "a8f3c2e0-1111-4e2b-9c1d-000000000002", "number": "+1 514 555-0100"}]}
    page = client.post("/hsds/import", data={
        "package": (io.BytesIO(json.dumps(document).encode()), "org.json"), "territory": "mn",
        "sector": "community_other", "kind": "community"}, content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and REFUSED in html
    assert "number" not in html.split(REFUSED)[0][-200:]  # the international phone is not the fault
    assert graph_fingerprint(neo4j_driver) == before
