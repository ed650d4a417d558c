"""HSDS import: round trip, official example, idempotency, updates in place, bad packages refused."""

from __future__ import annotations

import csv
import json

import pytest

from graph.repositories.hsds import HsdsRepository
from interop.hsds.export import hsds_id
from tests.conftest import graph_fingerprint
from tests.hsds_helpers import EXAMPLE_CSV, EXAMPLE_JSON, export, new_installation, run_import, write_export

ORG_FIELDS = ("name", "sector", "kind", "address", "postal_code", "latitude", "longitude", "phone", "website",
              "languages", "territory", "serves")


def _driver(app):
    return app.extensions["neo4j"]


def _by_key(directory: dict) -> dict:
    """The directory keyed by HSDS ids, without our internal ids: what 'reads the same' compares."""
    orgs = {o["id"]: hsds_id("organisation", o) for o in directory["organisations"]}
    return {
        "organisations": {orgs[o["id"]]: {f: o[f] for f in ORG_FIELDS} for o in directory["organisations"]},
        "services": {hsds_id("service", s): {
            "organisation": orgs[s["organisation"]], "name": s["name"], "description": s["description"],
            "eligibility": s["eligibility"], "languages": s["languages"], "hours": s["hours"],
            "needs": s["needs"]} for s in directory["services"]},
        "people": {hsds_id("person", p): {
            "organisation": orgs[p["organisation"]], "name": p["name"], "role": p["role"], "email": p["email"],
            "phone": p["phone"], "languages": p["languages"]} for p in directory["people"]},
    }


def _edit(path, row_number: int, column: str, value: str) -> None:
    """Set one cell of a CSV file (row_number counts data rows from 1)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row_number - 1][column] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_round_trip_export_then_import_into_an_empty_graph_reads_the_same(app, demo, tmp_path):
    driver = _driver(app)
    before = HsdsRepository(driver).directory(listed_only=True)
    first_export = export(app, driver)
    write_export(app, driver, tmp_path / "pkg")

    new_installation(driver)
    result = run_import(app, driver, tmp_path / "pkg")

    counts = result.plan.counts()
    assert counts["organisation"]["create"] == 42 and counts["service"]["create"] == len(demo.services)
    assert counts["contact"]["create"] == len(before["people"])
    assert result.plan.unmapped == [] and result.warnings == []
    after = HsdsRepository(driver).directory(listed_only=False)
    assert _by_key(after)["organisations"] == _by_key(before)["organisations"]
    assert _by_key(after)["services"] == _by_key(before)["services"]
    assert _by_key(after)["people"] == _by_key(before)["people"]
    # Consent does not travel with a file: the contacts come back unlisted, marked with their source.
    assert all(p["listed"] is False for p in after["people"])
    assert {o["source"] for o in after["organisations"]} == {"hsds"}
    # Exported again, the directory gives the same HSDS records, ids included (contacts aside: unlisted now),
    # each service now last modified by the import (the journal's entry; the demo as loaded has none).
    second_export = export(app, driver)
    assert all(s["last_modified"] for s in second_export["service"])
    assert not any(s["last_modified"] for s in first_export["service"])
    for service in second_export["service"]:
        service["last_modified"] = None
    for table, records in first_export.items():
        if table not in ("contact", "phone", "language"):
            assert second_export[table] == records, table
    assert second_export["phone"] == [p for p in first_export["phone"] if not p.get("contact_id")]


def test_importing_the_same_package_twice_changes_nothing(app, demo, tmp_path):
    driver = _driver(app)
    write_export(app, driver, tmp_path / "pkg")
    new_installation(driver)
    run_import(app, driver, tmp_path / "pkg")
    fingerprint = graph_fingerprint(driver)

    again = run_import(app, driver, tmp_path / "pkg")

    assert not again.plan.changes
    assert all(c["create"] == c["update"] == 0 for c in again.plan.counts().values())
    assert graph_fingerprint(driver) == fingerprint


def test_our_own_export_imported_back_changes_nothing(app, demo, tmp_path):
    driver = _driver(app)
    write_export(app, driver, tmp_path / "pkg")
    before = graph_fingerprint(driver)

    result = run_import(app, driver, tmp_path / "pkg")

    assert {entity: counts["unchanged"] for entity, counts in result.plan.counts().items()} == {
        "organisation": 42, "service": len(demo.services), "contact": len(result.plan.items) - 42 - len(demo.services)}
    assert not result.plan.changes
    assert graph_fingerprint(driver) == before


def test_a_reimport_after_an_edit_updates_in_place(app, demo, tmp_path):
    driver = _driver(app)
    directory = write_export(app, driver, tmp_path / "pkg")
    new_installation(driver)
    run_import(app, driver, directory)
    nodes_before = graph_fingerprint(driver)[:2]
    _edit(directory / "services.csv", 1, "name", "Nouveau nom du service")
    _edit(directory / "phones.csv", 1, "number", "514 555-0199")

    result = run_import(app, driver, directory)

    updated = [i for i in result.plan.items if i["action"] == "update"]
    assert [(i["entity"], i["changes"]) for i in updated] == [("organisation", ["phone"]), ("service", ["name"])]
    # same nodes and relationships, edited in place; one journal entry (:Change) per record updated
    assert graph_fingerprint(driver)[:2] == (nodes_before[0] + len(updated), nodes_before[1])
    names = [s["name"] for s in HsdsRepository(driver).directory()["services"]]
    assert "Nouveau nom du service" in names


def test_the_official_example_package_imports_cleanly(app, graph, reference):
    preview_only = run_import(app, graph, EXAMPLE_CSV, apply=False)
    # Its location is at latitude 100 and its postal code is British: no territory unless one is chosen.
    assert [i["reason"] for i in preview_only.plan.items if i["entity"] == "organisation"] == ["no_territory"]

    result = run_import(app, graph, EXAMPLE_CSV, territory="vsp")

    assert result.plan.counts() == {
        "organisation": {"create": 1, "update": 0, "unchanged": 0, "skip": 0},
        "service": {"create": 1, "update": 0, "unchanged": 0, "skip": 0},
        "contact": {"create": 1, "update": 0, "unchanged": 0, "skip": 0},
    }
    # The example's dangling optional references are reported, not followed.
    assert {(w.file, w.field) for w in result.warnings if w.code == "reference_ignored"} >= {
        ("locations.csv", "organization_id"), ("contacts.csv", "organization_id")}
    directory = HsdsRepository(graph).directory(listed_only=False)
    organisation = directory["organisations"][0]
    assert organisation["name"] == "Example Organization Inc." and organisation["territory"] == "vsp"
    assert (organisation["sector"], organisation["kind"], organisation["source"]) == (
        "community_other", "community", "hsds")
    assert organisation["website"] == "http://example.com"
    service_row = directory["services"][0]
    assert service_row["name"] == "Community Counselling" and service_row["languages"] == ["ur"]
    assert service_row["hours"].startswith("The service is available from 10 am to 6pm weekdays.")
    person = directory["people"][0]
    assert (person["name"], person["title"], person["email"], person["listed"]) == (
        "Ann Persona", "Reception Manager", "email@example.com", False)
    assert HsdsRepository(graph).directory(listed_only=True)["people"] == []


@pytest.mark.parametrize("name", ["organization_full.json", "service_full.json"])
def test_the_official_nested_json_examples_import_cleanly(app, graph, reference, name):
    result = run_import(app, graph, EXAMPLE_JSON / name, territory="cdn")

    counts = result.plan.counts()
    assert counts["organisation"]["create"] == 1 and counts["service"]["create"] == 1
    directory = HsdsRepository(graph).directory(listed_only=False)
    assert [s["name"] for s in directory["services"]] == ["Community Counselling"]
    assert [p["name"] for p in directory["people"]] == ["Ann Persona"]


def test_the_export_as_nested_json_imports_like_the_csv_package(app, demo, tmp_path, runner):
    assert runner.invoke(args=["hsds", "export", str(tmp_path / "out")]).exit_code == 0
    driver = _driver(app)
    before = _by_key(HsdsRepository(driver).directory(listed_only=True))
    new_installation(driver)

    result = run_import(app, driver, tmp_path / "out" / "directory.json")

    assert result.plan.counts()["organisation"]["create"] == 42
    assert _by_key(HsdsRepository(driver).directory(listed_only=False)) == before


def _damage_services_name(d):
    _edit(d / "services.csv", 2, "name", "")
    return ("services.csv", 3, "name")


def _damage_reference(d):
    _edit(d / "services.csv", 1, "organization_id", "0b7f6a52-0000-4000-8000-000000000000")
    return ("services.csv", 2, "organization_id")


def _damage_location_of_service(d):
    _edit(d / "service_at_location.csv", 3, "location_id", "0b7f6a52-0000-4000-8000-000000000001")
    return ("service_at_location.csv", 4, "location_id")


def _damage_type(d):
    _edit(d / "locations.csv", 5, "latitude", "quarante-cinq")
    return ("locations.csv", 6, "latitude")


def _damage_uuid(d):
    _edit(d / "organizations.csv", 1, "id", "not-a-uuid")
    return ("organizations.csv", 2, "id")


def _damage_unknown_encoding(d):
    descriptor = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["encoding"] = "klingon-8"
    (d / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return ("organizations.csv", None, None)


def _damage_wrong_encoding(d):
    text = (d / "addresses.csv").read_text(encoding="utf-8")
    (d / "addresses.csv").write_bytes(text.encode("latin-1"))
    first_accent = next(n for n, line in enumerate(text.splitlines(), 1) if any(ord(c) > 127 for c in line))
    return ("addresses.csv", first_accent, None)


@pytest.mark.parametrize("damage", [_damage_services_name, _damage_reference, _damage_location_of_service,
                                    _damage_type, _damage_uuid, _damage_unknown_encoding, _damage_wrong_encoding])
def test_a_bad_package_is_refused_with_file_row_and_field_and_the_graph_is_unchanged(app, demo, tmp_path,
                                                                                       runner, damage):
    directory = write_export(app, _driver(app), tmp_path / "pkg")
    file, row, field = damage(directory)
    before = graph_fingerprint(_driver(app))

    result = runner.invoke(args=["hsds", "import", str(directory), "--territory", "mn"])

    assert result.exit_code == 1
    assert "Refusé, rien n'a été importé" in result.output
    expected = file + (f", ligne {row}" if row else "") + (f", champ {field}" if field else "")
    assert expected in result.output
    assert graph_fingerprint(_driver(app)) == before
