"""HSDS 3 export: valid against the official schemas, stable ids, nothing personal beyond listed contacts."""

from __future__ import annotations

import json
import uuid

import frictionless
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from interop.hsds import package, writing
from interop.hsds.export import NAMESPACE
from interop.hsds.spec import HSDS_VERSION, PACKAGE_VERSION, SCHEMA_DIR, SPEC_COMMIT
from interop.hsds.validate import check_package, export_problems
from referral.hsds.service import TITLE
from tests.hsds_helpers import export, run_import, write_export


def test_export_validates_against_the_hsds_3_schemas(app, demo):
    tables = export(app, demo_driver(app))
    assert export_problems(tables) == []
    assert len(tables["organization"]) == 42
    assert len(tables["service"]) == len(demo.services)
    listed_workers = [p for p in demo.people if p["listed"] and p["kind"] == "intervenant"]
    assert len(tables["contact"]) == len(listed_workers)
    # Our needs as a taxonomy, with a French and an English term each, every code unique (HSDS's constraint).
    need_terms = [t for t in tables["taxonomy_term"] if t["taxonomy"].endswith("besoins des familles")]
    assert {(t["code"], t["language"]) for t in need_terms} == {
        (code, lang) for n in demo.needs for code, lang in ((n["id"], "fr"), (f"en:{n['id']}", "en"))}
    codes = [t["code"] for t in tables["taxonomy_term"]]
    assert len(codes) == len(set(codes))
    mental_health_en = next(t for t in need_terms if t["code"] == "en:mental-health")
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


def test_frictionless_validates_the_package_folder_and_zip(app, demo, tmp_path):
    """The official tabular constraints, checked by Frictionless itself: types, required cells, unique ids and
    term codes, and every foreign key (the `program` table services refer to is written, empty)."""
    tables = export(app, demo_driver(app))
    directory = write_export(app, demo_driver(app), tmp_path / "folder")
    (tmp_path / "reseau-ei-hsds.zip").write_bytes(writing.zip_bytes(tables, TITLE))
    for path in (directory / "datapackage.json", tmp_path / "reseau-ei-hsds.zip"):
        report = frictionless.validate(str(path))
        assert report.valid, report.flatten(["type", "note"])[:10]
        assert {task.name for task in report.tasks} >= {"service", "taxonomy_term", "attribute", "program"}
    assert (directory / "programs.csv").read_text(encoding="utf-8").count("\n") == 1  # its header alone


def test_it_declares_the_hsds_version_whose_schemas_every_record_passes(app, demo, tmp_path):
    """The schemas shipped are the 3.1 pre-release (branch 3.1-dev); the package and the API say so, and each
    record, flat or nested as the API serves it, passes that version's JSON schema."""
    descriptor = json.loads((write_export(app, demo_driver(app), tmp_path) / "datapackage.json").read_text())
    assert (HSDS_VERSION, descriptor["version"]) == ("3.1", PACKAGE_VERSION)
    assert SPEC_COMMIT in descriptor["sources"][0]["path"] and SPEC_COMMIT in (SCHEMA_DIR / "SOURCE.md").read_text()
    schemas = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA_DIR.glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in schemas.items())

    def problems(kind: str, record: dict) -> list[str]:
        validator = Draft202012Validator(schemas[f"{kind}.json"], registry=registry)
        return [f"{kind} {record.get('id')}: {error.message}" for error in validator.iter_errors(record)]

    tables = export(app, demo_driver(app))
    found = [p for kind, records in tables.items() for record in records
             for p in problems(kind, {k: v for k, v in record.items() if v is not None})]
    document = writing.json_document(tables)
    found += [p for organization in document["contents"] for p in problems("organization", {
        k: v for k, v in organization.items() if k != "services"})]
    found += [p for organization in document["contents"] for service in organization["services"]
              for p in problems("service", service)]
    assert found == []
    assert sum(len(records) for records in tables.values()) > 500


def test_an_export_imported_again_unchanged_changes_nothing(app, demo, graph, tmp_path):
    """Export, then the import's preview of that very package: every record « inchangé », including addresses our
    export completes (no city said: Montréal) or leaves out (no postal code: HSDS requires one)."""
    first, second = demo.organisations[0]["id"], demo.organisations[1]["id"]
    with graph.session() as session:
        session.run("MATCH (o:Organisation {id: $id}) SET o.address = '55, rue Sans-Ville'", id=first).consume()
        session.run("MATCH (o:Organisation {id: $id}) REMOVE o.postal_code", id=second).consume()
    directory = write_export(app, graph, tmp_path)
    preview = run_import(app, graph, directory, apply=False)
    assert {item["action"] for item in preview.plan.items} == {"unchanged"}
    assert len(preview.plan.items) == len(demo.organisations) + len(demo.services) + sum(
        1 for p in demo.people if p["listed"])
    assert not preview.plan.changes and preview.warnings == []


def demo_driver(app):
    return app.extensions["neo4j"]
