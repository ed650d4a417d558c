"""Exports re-import into NetworkX with the same figures, and name no one."""

import collections
import csv
import io
import json
import re
import subprocess

import networkx as nx
import openpyxl
import pytest

from analysis import metrics
from analysis.export_formats import snapshot_of
from tests.integration.test_evaluation import nx_figures

FORMATS = ("nodes.csv", "edges.csv", "figures.csv", "graphml", "gexf", "json", "xlsx")


@pytest.fixture
def evaluator(demo, client, auth):
    auth.as_role("evaluator")
    return client


def download(client, scope, fmt, **args):
    response = client.get(f"/evaluation/{scope}/export/{fmt}", query_string=args)
    assert response.status_code == 200, response.data[:300]
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"].count("charset") <= 1  # outside pass 16f: it was written twice
    return response.data.decode("utf-8")


def csv_rows(text: str, separator: str = ";") -> list[dict]:
    """A CSV as a French spreadsheet reads it: a byte order mark first, « ; » between cells."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=separator))


def from_csv(nodes_text: str, edges_text: str) -> nx.Graph:
    g = nx.Graph()
    for row in csv_rows(nodes_text):
        g.add_node(row.pop("id"), **row)
    for row in csv_rows(edges_text):
        g.add_edge(row.pop("source"), row.pop("target"), **row)
    return g


def reimported(client, scope, **args) -> dict[str, nx.Graph]:
    data = json.loads(download(client, scope, "json", **args))
    return {
        "graphml": nx.read_graphml(io.StringIO(download(client, scope, "graphml", **args))),
        "gexf": nx.read_gexf(io.BytesIO(download(client, scope, "gexf", **args).encode())),
        "json": nx.node_link_graph(data["network"], edges="edges"),
        "csv": from_csv(download(client, scope, "nodes.csv", **args), download(client, scope, "edges.csv", **args)),
    }


@pytest.mark.parametrize("scope,args", [("all", {}), ("mn", {}), ("cohort-2", {"origin": ["ei_session", "before_ei"]}),
                                        ("vsp", {"start": "2022-12-01", "end": "2023-03-01"})])
def test_every_format_gives_the_same_figures_back(evaluator, scope, args):
    """The structure's figures come back from every format; those about organisations and sectors are in
    figures.csv only, since person-level rows hide small organisations and identifying sectors."""
    comparison = evaluator.get(f"/api/v1/evaluation/scopes/{scope}", query_string=args).get_json()
    graphs = reimported(evaluator, scope, **args)
    for snapshot in comparison["snapshots"]:
        expected = {k: v for k, v in snapshot["figures"].items() if k not in GROUP_FIGURES}
        for fmt, g in graphs.items():
            cut = snapshot_of(g, snapshot["name"])
            assert _without_groups(metrics.summary(cut)) == pytest.approx(expected), (fmt, snapshot["name"])
            assert _without_groups(nx_figures(cut)) == pytest.approx(expected), (fmt, snapshot["name"])


GROUP_FIGURES = {"organisations", "cross_organisation_share", "cross_sector_share", "ei_index_sector"}


def _without_groups(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if k not in GROUP_FIGURES}


@pytest.mark.parametrize("scope", ["all", "mn", "vsp"])
def test_person_rows_name_no_organisation(evaluator, demo, scope):
    """Found by the outside pass: a sector held by one organisation of a territory named it, and O-… codes
    covered two or three people. Each organisation code now covers five sampled people or more in its
    snapshot, and each sector shown covers two organisations or more of the person's territory."""
    rows = csv_rows(download(evaluator, scope, "nodes.csv"))
    org_territory = {o["id"]: o["territory"] for o in demo.organisations}
    org_sector = {o["id"]: o["sector"] for o in demo.organisations}
    for name in ("before", "after", "now"):
        present = [r for r in rows if r[f"in_{name}"] == "true"]
        groups = collections.Counter(r[f"organisation_{name}"] for r in present if r[f"organisation_{name}"])
        assert all(n >= 5 for n in groups.values()), (name, groups)
        for row in present:
            sector, territory = row[f"sector_{name}"], row[f"territory_{name}"]
            holders = {o for o, s in org_sector.items() if s == sector and org_territory[o] == territory}
            assert sector == "other_sector" or len(holders) >= 2, (name, row["id"], sector, territory)
    assert any(r["sector_now"] == "other_sector" for r in rows) or scope == "all"


def test_edges_carry_dates_and_origins_and_figures_csv_lists_every_snapshot(evaluator):
    edges = csv_rows(download(evaluator, "all", "edges.csv"))
    columns = {"source", "target", "since", "origin", "level", "session", "in_before", "in_after", "in_now"}
    assert columns <= set(edges[0])
    assert {e["origin"] for e in edges} == {"before_ei", "ei_session", "declared", "referral"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["since"]) for e in edges)
    figures = csv_rows(download(evaluator, "all", "figures.csv"))
    comparison = evaluator.get("/api/v1/evaluation/scopes/all").get_json()
    for snapshot in comparison["snapshots"]:
        rows = {r["figure"]: r["value"] for r in figures if r["snapshot"] == snapshot["name"]}
        assert float(rows["density"].replace(",", ".")) == pytest.approx(snapshot["figures"]["density"])
        assert int(rows["total_people"]) == snapshot["totals"]["people"]
    change = {r["figure"]: int(r["value"]) for r in figures if r["snapshot"] == "before->after"}
    assert change["ties_new"] == comparison["changes"][0]["new"]


def personal_strings(demo) -> list[str]:
    """Everything that identifies a person or an organisation in the demo data."""
    found = []
    for p in demo.people:
        found += [p["name"], p["id"], p.get("email"), p.get("phone")]
    for o in demo.organisations:
        found += [o["name"], o["id"], o["phone"], o["address"], o["website"], o["postal_code"]]
    found += [r["note"] for r in demo.referrals]
    return [s for s in found if s]


def test_no_export_names_anyone(evaluator, demo):
    forbidden = personal_strings(demo)
    for scope, args in (("all", {}), ("mn", {"start": "2022-01-01", "end": "2025-01-01"})):
        for fmt in FORMATS:
            text = download(evaluator, scope, fmt, **args) if fmt != "xlsx" else xlsx_text(evaluator, scope, **args)
            leaks = [s for s in forbidden if s in text]
            assert not leaks, (scope, fmt, leaks[:3])
            people = set(re.findall(r"P-[0-9a-f]{12}", text))
            assert fmt == "figures.csv" or people


def test_the_export_command(demo, runner, tmp_path):
    result = runner.invoke(args=["export", "evaluation", "mn", "--format", "gexf"])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(io.BytesIO(result.output.encode())).number_of_nodes() > 0
    result = runner.invoke(args=["export", "evaluation", "all", "--format", "all", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.iterdir())) == len(FORMATS)
    bad = runner.invoke(args=["export", "evaluation", "nowhere"])
    assert bad.exit_code == 1 and "n'existe pas" in bad.output
    for dates in (["--start", "2023-05-01", "--end", "2022-01-01"], ["--start", "2023-05-01"]):
        bad = runner.invoke(args=["export", "evaluation", "mn", *dates])
        # A message, not a traceback: the options' refusal is a ServiceError like the service's own.
        assert bad.exit_code == 1 and isinstance(bad.exception, SystemExit) and "Erreur" in bad.output, bad.output



def xlsx_text(client, scope, **args) -> str:
    response = client.get(f"/evaluation/{scope}/export/xlsx", query_string=args)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    return "\n".join(" ".join("" if v is None else str(v) for v in row)
                     for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))


def test_the_spreadsheet_holds_the_three_tables_with_numbers(evaluator):
    response = evaluator.get("/evaluation/mn/export/xlsx")
    assert 'filename="reseau-ei-mn-before-now-tables.xlsx"' in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["chiffres", "personnes", "liens"]
    figures = {(r[0], r[2]): r[3] for r in book["chiffres"].iter_rows(min_row=2, values_only=True)}
    comparison = evaluator.get("/api/v1/evaluation/scopes/mn").get_json()
    after = next(s for s in comparison["snapshots"] if s["name"] == "after")
    assert figures[("after", "density")] == pytest.approx(after["figures"]["density"])
    assert isinstance(figures[("after", "total_people")], int)


def test_csv_follows_the_readers_language(evaluator):
    french = download(evaluator, "mn", "figures.csv")
    assert french.splitlines()[0] == "\ufeffsnapshot;dates;figure;value"
    assert re.search(r";density;0,\d+", french)
    evaluator.get("/langue/en")
    english = download(evaluator, "mn", "figures.csv")
    assert english.splitlines()[0] == "\ufeffsnapshot,dates,figure,value"
    assert re.search(r",density,0\.\d+", english)


def test_gexf_plays_in_gephis_timeline_and_graphml_writes_its_booleans(evaluator):
    """Found in issue 19: the GEXF was static with dates as text; GraphML's booleans were Python's."""
    text = download(evaluator, "mn", "gexf")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    graph = nx.read_gexf(io.BytesIO(text.encode()))
    comparison = evaluator.get("/api/v1/evaluation/scopes/mn").get_json()
    days = [max(s["dates"].values()) for s in comparison["snapshots"]]
    for snapshot, day in zip(comparison["snapshots"], days, strict=True):
        name = snapshot["name"]
        present = {n for n, d in graph.nodes(data=True) if any(a <= day <= b for a, b in d.get("spells", []))}
        assert present == {n for n, d in graph.nodes(data=True) if str(d[f"in_{name}"]).lower() == "true"}, name
        # What Gephi's timeline shows on that day has the page's figures.
        played = nx.Graph()
        played.add_nodes_from(present)
        played.add_edges_from((a, b) for a, b, d in graph.edges(data=True)
                              if any(x <= day <= y for x, y in d.get("spells", [])))
        figures = {"people": played.number_of_nodes(), "ties": played.number_of_edges(),
                   "density": nx.density(played), "components": nx.number_connected_components(played),
                   "average_clustering": nx.average_clustering(played)}
        for key, value in figures.items():
            assert value == pytest.approx(snapshot["figures"][key], abs=1e-9), (name, key)
    graphml = download(evaluator, "mn", "graphml")
    assert ">true</data>" in graphml and ">True</data>" not in graphml and ">False</data>" not in graphml


def test_people_rows_carry_each_snapshots_degree_and_betweenness(evaluator):
    rows = csv_rows(download(evaluator, "mn", "nodes.csv"))
    graph = snapshot_of(reimported(evaluator, "mn")["graphml"], "after")
    for row in rows:
        if row["in_after"] == "true":
            assert int(row["degree_after"]) == graph.degree(row["id"])
            assert 0 <= float(row["betweenness_after"].replace(",", ".")) <= 1
        else:
            assert row["degree_after"] == "" and row["betweenness_after"] == ""


# LibreOffice's CSV import options (separator, quote, UTF-8, from line 1, column types, locale) as a spreadsheet
# in that language opens the file: « ; » and the decimal comma in French (Canada), « , » and the point in English.
OFFICE_FILTERS = {"fr": "CSV:59,34,76,1,,3084", "en": "CSV:44,34,76,1,,1033"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_csv_opens_in_libreoffice_with_one_value_per_cell(evaluator, language, tmp_path):
    """Issue 19: French Excel put a CSV written with « , » in one column. LibreOffice (Debian's, headless)
    converts each export to a spreadsheet: the headers and every value in their own cells, figures as numbers."""
    evaluator.get(f"/langue/{language}")
    comparison = evaluator.get("/api/v1/evaluation/scopes/mn").get_json()
    for name in ("figures.csv", "nodes.csv"):
        text = download(evaluator, "mn", name)
        (tmp_path / name).write_bytes(text.encode("utf-8"))
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        f"--infilter={OFFICE_FILTERS[language]}", "--convert-to", "xlsx", "--outdir",
                        str(tmp_path), str(tmp_path / name)], check=True, capture_output=True, timeout=180)
        sheet = openpyxl.load_workbook(tmp_path / name.replace(".csv", ".xlsx")).active
        rows = list(sheet.iter_rows(values_only=True))
        separator = ";" if language == "fr" else ","
        header = text[1:].splitlines()[0].split(separator)
        assert list(rows[0][:len(header)]) == header  # the byte order mark is not read as text
        assert all(len([v for v in row if v is not None]) <= len(header) for row in rows)
        if name == "figures.csv":
            values = {(r[0], r[2]): r[3] for r in rows[1:]}
            after = next(s for s in comparison["snapshots"] if s["name"] == "after")
            assert values[("after", "density")] == pytest.approx(after["figures"]["density"])
            assert values[("after", "people")] == after["figures"]["people"]


def test_gephis_timeline_plays_each_session_as_the_curve_shows_it(evaluator):
    """Found by the outside pass of issue 19: ties appeared only at the snapshots, so at session 3 the timeline
    showed 3 ties where the curve shows 12. Each tie now appears on its own day."""
    graph = nx.read_gexf(io.BytesIO(download(evaluator, "mn", "gexf").encode()))
    curve = evaluator.get("/api/v1/evaluation/scopes/mn").get_json()["curve"]

    def played(day: str) -> nx.Graph:
        shown = nx.Graph()
        shown.add_nodes_from(n for n, d in graph.nodes(data=True) if any(a <= day <= b for a, b in d["spells"]))
        shown.add_edges_from((u, v) for u, v, d in graph.edges(data=True) if any(a <= day <= b for a, b in d["spells"]))
        return shown

    for point in curve:
        day = point["dates"]["mn"]
        assert played(day).number_of_edges() == point["figures"]["ties"], (point["name"], day)
