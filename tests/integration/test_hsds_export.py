"""HSDS 3 export: valid against the official schemas, stable ids, nothing personal beyond listed contacts."""

from __future__ import annotations

import json
import uuid

from interop.hsds import package, writing
from interop.hsds.export import NAMESPACE
from interop.hsds.validate import check_package, export_problems
from tests.hsds_helpers import export, write_export


def test_export_validates_against_the_hsds_3_schemas(app, demo):
    tables = export(app, demo_driver(app))
    assert export_problems(tables) == []
    assert len(tables["organization"]) == 42
    assert len(tables["service"]) == len(demo.services)
    listed_workers = [p for p in demo.people if p["listed"] and p["kind"] == "intervenant"]
    assert len(tables["contact"]) == len(listed_workers)
    # Our needs as a taxonomy, with a French and an English term each.
    need_terms = [t for t in tables["taxonomy_term"] if t["taxonomy"].endswith("besoins des familles")]
    assert {(t["code"], t["language"]) for t in need_terms} == {
        (n["id"], lang) for n in demo.needs for lang in ("fr", "en")}
    mental_health_en = next(t for t in need_terms if t["code"] == "mental-health" and t["language"] == "en")
    assert mental_health_en["name"] == "Mental health"
    # Locations keep their coordinates; service areas carry the territory polygon as GeoJSON.
    first = demo.organisations[0]
    location = next(loc for loc in tables["location"] if loc["name"] == first["name"])
    assert (location["latitude"], location["longitude"]) == (first["latitude"], first["longitude"])
    extent = json.loads(tables["service_area"][0]["extent"])
    assert extent["type"] in ("Polygon", "MultiPolygon")
    assert tables["service_area"][0]["extent_type"] == "geojson"


def test_ids_are_stable_uuids_across_exports(app, demo):
    first, second = export(app, demo_driver(app)), export(app, demo_driver(app))
    assert first == second
    organization = next(o for o in first["organization"] if o["name"] == demo.organisations[0]["name"])
    assert organization["id"] == str(uuid.uuid5(NAMESPACE, f"organisation:{demo.organisations[0]['id']}"))
    for table, records in first.items():
        ids = [r["id"] for r in records]
        assert len(ids) == len(set(ids)), table
        assert all(uuid.UUID(i) for i in ids)


def test_unlisted_people_ties_referrals_and_sessions_are_never_exported(app, demo, tmp_path):
    write_export(app, demo_driver(app), tmp_path)
    tables = export(app, demo_driver(app))
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    text += json.dumps(writing.json_document(tables), ensure_ascii=False)
    unlisted = [p for p in demo.people if not p["listed"]]
    assert len(unlisted) >= 4
    for person in unlisted:
        assert str(uuid.uuid5(NAMESPACE, f"person:{person['id']}")) not in text
        if person["email"]:
            assert person["email"] not in text
    listed_names = sorted(p["name"] for p in demo.people if p["listed"])
    assert sorted(c["name"] for c in tables["contact"]) == listed_names
    assert demo.referrals[0]["note"] not in text
    assert demo.sessions[0]["theme"] not in text
    assert {p.name for p in tmp_path.iterdir()} >= {"datapackage.json", "organizations.csv", "contacts.csv",
                                                    "taxonomy_terms.csv", "service_areas.csv"}


def test_the_csv_package_reads_back_without_a_problem(app, demo, tmp_path):
    directory = write_export(app, demo_driver(app), tmp_path)
    read = package.read_path(directory)
    errors, warnings = check_package(read)
    assert errors == [] and warnings == []
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    assert {r["path"] for r in descriptor["resources"]} == {p.name for p in directory.glob("*.csv")}


def test_cli_export_writes_the_package_and_the_nested_json(app, demo, runner, tmp_path):
    result = runner.invoke(args=["hsds", "export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "out" / "directory.json").read_text(encoding="utf-8"))
    assert document["total_items"] == 42 and len(document["contents"]) == 42
    organization = document["contents"][0]
    assert organization["services"] and organization["locations"][0]["addresses"]


def demo_driver(app):
    return app.extensions["neo4j"]
